"""Track B's dashboard panels: each runs one or two queries whatever the data volume."""

from django.db.models import CharField, Exists, F, OuterRef, Prefetch, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.dashboard import Item, Panel, panel
from portal.models import Role

from .models import (
    Entrustment,
    EntrustmentState,
    ExemptionRequest,
    ExemptionState,
    FiledOccupation,
    FilingApplication,
    FilingState,
    PanelMember,
    ReportSignature,
)
from .selectors import OFFICE_TODO, pending_exemptions

SHOWN = 8


def _date(value):
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


def _filed_meta(application):
    return "；".join(f"{f.occupation.code} {f.occupation.name}（{f.get_level_display()}）"
                    for f in application.filed_occupations.all())


@panel(Role.UNIVERSITY_STAFF, 15, slot="track_b")
def university_panel(user, assignment):
    cases = list(FilingApplication.objects.filter(institution_id=assignment.institution_id)
                 .prefetch_related(Prefetch("filed_occupations",
                                            queryset=FiledOccupation.objects.select_related("occupation")))
                 .order_by("-updated_at")[:4])
    items = []
    for case in cases:
        url = reverse("track_b:detail", args=[case.pk])
        if case.state == FilingState.FILED:
            items.append(Item(label=_("已备案的职业技能等级评价机构 · 备案编号 %(code)s") % {"code": case.filing_code},
                              url=url, status=case.get_state_display(), meta=_filed_meta(case)))
        else:
            items.append(Item(label=_("职业技能等级认定备案申请"), url=url, status=case.get_state_display(),
                              meta=_("更新于 %(d)s") % {"d": _date(case.updated_at)}))
    filed = any(c.state == FilingState.FILED for c in cases)
    open_case = any(c.state not in (FilingState.FILED, FilingState.NOT_FILED, FilingState.WITHDRAWN) for c in cases)
    actions = []
    if not open_case:
        actions.append((_("新建备案申请"), reverse("track_b:create")))
    if not filed:
        actions.append((_("委托认定报备"), reverse("track_b:entrustment_list")))
    actions.append((_("报送“1+X”免试科目申请"), reverse("track_b:exemption_batch")))
    actions.append((_("备案机构名录"), reverse("track_b:registry")))
    return Panel(title=gettext_lazy("职业技能等级认定备案"), order=15, items=items, actions=actions,
                 empty=gettext_lazy("本校尚未申请职业技能等级认定机构备案（附件3/4）。"))


def _office_items(role, city_code, *, exemptions=False):
    """What awaits an office — cases, entrustment reports (and, for the province, 1+X requests) — in ONE query
    (a UNION), so that the dashboard's query count does not depend on how many kinds of work there are."""
    text = CharField()

    def rows(qs, kind, when):
        return qs.annotate(kind=Value(kind, output_field=text), when=F(when), who=F("institution__name")) \
            .values_list("kind", "pk", "who", "state", "when").order_by()

    cases = FilingApplication.objects.filter(authority_role=role, state__in=OFFICE_TODO, revision__gt=0)
    entrustments = Entrustment.objects.filter(authority_role=role, state=EntrustmentState.REPORTED)
    if city_code is not None:
        cases = cases.filter(authority_city_id=city_code)
        entrustments = entrustments.filter(authority_city_id=city_code)
    union = rows(cases, "case", "submitted_at").union(rows(entrustments, "entrustment", "reported_at"), all=True)
    if exemptions:
        union = union.union(rows(pending_exemptions(role), "exemption", "batch__submitted_at"), all=True)
    labels = {"case": dict(FilingState.choices), "entrustment": dict(EntrustmentState.choices),
              "exemption": dict(ExemptionState.choices)}
    items = []
    for kind, pk, who, state, when in union.order_by("when")[:SHOWN * 2]:
        if kind == "case":
            items.append(Item(label=who, url=reverse("track_b:detail", args=[pk]), status=labels[kind][state],
                              meta=_("提交于 %(d)s") % {"d": _date(when)}))
        elif kind == "entrustment":
            items.append(Item(label=_("委托认定报备：%(inst)s") % {"inst": who},
                              url=reverse("track_b:entrustment_detail", args=[pk]), status=labels[kind][state]))
        else:
            items.append(Item(label=_("“1+X”免试科目申请：%(inst)s") % {"inst": who},
                              url=reverse("track_b:exemption_detail", args=[pk]), status=labels[kind][state]))
    return items


@panel(Role.CITY_HRSS, 10, slot="track_b")
def city_hrss_panel(user, assignment):
    return Panel(title=gettext_lazy("待办审核"), order=10, items=_office_items(Role.CITY_HRSS, assignment.city_id),
                 empty=gettext_lazy("暂无待受理、待组建专家组或待备案的职业技能等级认定备案申请。"),
                 actions=[(_("全部备案申请"), reverse("track_b:index")), (_("备案机构名录"), reverse("track_b:registry")),
                          (_("登记平台外历史备案"), reverse("track_b:historical_register"))])


@panel(Role.PROVINCIAL_HRSS, 10, slot="track_b")
def provincial_hrss_panel(user, assignment):
    items = _office_items(Role.PROVINCIAL_HRSS, None, exemptions=True)
    return Panel(title=gettext_lazy("待办审核"), order=10, items=items,
                 empty=gettext_lazy("暂无待办：部属及在肥省属高校的职业技能等级认定备案申请、“1+X”免试科目申请将显示在这里。"),
                 actions=[(_("全部备案申请"), reverse("track_b:index")), (_("免试科目申请"), reverse("track_b:exemption_list")),
                          (_("备案机构名录"), reverse("track_b:registry")),
                          (_("登记平台外历史备案"), reverse("track_b:historical_register"))])


@panel(Role.PROVINCIAL_EDUCATION, 20, slot="track_b")
def provincial_education_panel(user, assignment):
    pending = list(pending_exemptions(Role.PROVINCIAL_EDUCATION).order_by("batch__submitted_at", "id")[:SHOWN])
    return Panel(title=gettext_lazy("“1+X”免试科目申请"), order=20,
                 items=[Item(label=r.institution.name, url=reverse("track_b:exemption_detail", args=[r.pk]),
                             status=r.get_state_display(), meta=r.certificate_name) for r in pending],
                 empty=gettext_lazy("暂无待决定的“1+X”免试科目申请。"),
                 actions=[(_("全部免试申请"), reverse("track_b:exemption_list"))])


@panel(Role.EXPERT, 10, slot="track_b")
def expert_panel(user, assignment):
    signed = ReportSignature.objects.filter(member=OuterRef("pk"))
    memberships = list(PanelMember.objects.filter(expert=user, application__state__in=[
        FilingState.UNDER_EVALUATION, FilingState.REPORT_SIGNED]).select_related("application__institution")
        .annotate(has_signed=Exists(signed)).order_by("-application__updated_at")[:SHOWN])
    items = []
    for m in memberships:
        app = m.application
        if app.state == FilingState.UNDER_EVALUATION:
            status = _("已签字") if m.has_signed else (_("待起草并签字") if m.is_leader else _("待签字"))
        else:
            status = app.get_state_display()
        items.append(Item(label=_("评估论证：%(inst)s") % {"inst": app.institution.name},
                          url=reverse("track_b:report", args=[app.pk]), status=status,
                          meta=_("组长") if m.is_leader else ""))
    return Panel(title=gettext_lazy("我的评审任务"), order=10, items=items,
                 empty=gettext_lazy("分配给您的评估论证和评审任务将显示在这里；本人工作单位的申请不会分配给您（回避）。"),
                 actions=[(_("我参加的评估论证"), reverse("track_b:index"))])


@panel(Role.STUDENT, 30, slot="track_b")
def student_panel(user, assignment):
    requests = list(ExemptionRequest.objects.filter(student=user).select_related("occupation")[:SHOWN])
    return Panel(title=gettext_lazy("“1+X”免试科目申请"), order=30,
                 items=[Item(label=f"{r.occupation.name} · {r.certificate_name}",
                             url=reverse("track_b:exemption_detail", args=[r.pk]), status=r.get_state_display())
                        for r in requests],
                 empty=gettext_lazy("已取得对应职业（工种）“1+X”职业技能等级证书的，可申请相应职业（工种）及等级的免试科目。"),
                 actions=[(_("申请免试科目"), reverse("track_b:exemption_create"))])
