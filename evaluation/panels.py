"""Dashboard panels: the school's graduates and evaluations (slot ``graduates``), the student's own
eligibility (slot ``eligibility``). Each runs a fixed, small number of queries."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.dashboard import Item, Panel, panel
from portal.models import Role
from portal.timefmt import local_minute

from . import selectors
from .models import EvaluationRun, TitleLevel
from .verdicts import VerdictView


@panel(Role.UNIVERSITY_STAFF, 30, slot="graduates")
def graduates_panel(user, assignment):
    institution = assignment.institution
    years = selectors.cohort_years([institution.pk])[:1]
    items = []
    if years:
        year = years[0]
        counts = selectors.cohort_counts(institution.pk, year)  # the evaluation's summary row
        total = sum(counts.values())
        url = reverse("evaluation:graduate_list") + f"?year={year}"
        items.append(Item(_("%(year)d届毕业生 %(n)d 人") % {"year": year, "n": total}, url))
        for level in TitleLevel:
            if counts.get(level.value):
                items.append(Item(str(level.label), f"{url}&level={level.value}", meta=str(counts[level.value])))
        if counts.get("unevaluated"):
            items.append(Item(_("尚未评价"), f"{url}&level=unevaluated", meta=str(counts["unevaluated"])))
        run = EvaluationRun.objects.filter(institution=institution).order_by("-created_at", "-id").first()
        if run is not None:
            items.append(Item(_("最近一次资格评价"), reverse("evaluation:run_detail", args=[run.pk]),
                              status=run.get_status_display(), meta=local_minute(run.created_at)))
    return Panel(
        title=gettext_lazy("毕业生与资格评价"),
        empty=gettext_lazy("导入成绩单后，本校毕业生记录和资格评价进度将显示在这里。"),
        items=items,
        actions=[(_("导入成绩单"), reverse("evaluation:import_start")),
                 (_("毕业生记录"), reverse("evaluation:graduate_list")),
                 (_("资格评价"), reverse("evaluation:run_list")),
                 (_("评审标准"), reverse("evaluation:standard_list")),
                 (_("学生账号"), reverse("evaluation:accounts_create"))],
        order=30,
    )


@panel(Role.STUDENT, 10, slot="eligibility")
def eligibility_panel(user, assignment):
    graduate = selectors.own_graduate(user)
    title = gettext_lazy("我的职称资格")
    if graduate is None:
        return Panel(title=title, empty=gettext_lazy("您的账号尚未关联毕业生记录；请联系学校教务部门。"), order=10)
    verdict = getattr(graduate, "verdict", None)
    url = reverse("evaluation:my_record")
    if verdict is None:
        return Panel(title=title, empty=gettext_lazy("学校尚未完成资格评价。您可以先查看预评估结果和尚缺条件。"),
                     actions=[(_("查看我的记录"), url)], order=10)
    view = VerdictView(verdict.result)
    items = [Item(view.level_name, url, meta=view.path_clause or "",
                  status=_("可以参评") if view.may_apply else _("暂不能参评"))]
    if view.missing:
        items.append(Item(_("距下一级别尚缺 %(n)d 项条件") % {"n": len(view.missing)}, url))
    return Panel(title=title, empty="", items=items, actions=[(_("查看详情与假设分析"), url)], order=10)
