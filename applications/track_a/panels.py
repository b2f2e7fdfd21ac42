"""Dashboard panels of Track A. Each runs a fixed number of queries (at most two), whatever the data volume."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from applications.track_a import selectors, services
from applications.track_a.models import EvaluationCommittee, PilotApplication, State
from portal.dashboard import Item, Panel, panel
from portal.models import Role
from portal.timefmt import local_day


def _app_item(app):
    when = app.submitted_at or app.updated_at
    return Item(label=app.unit_name, url=reverse("track_a:detail", args=[app.pk]), status=app.get_state_display(),
                meta=_("%s 提交") % local_day(when) if app.submitted_at else "")


def _committee_item(committee):
    return Item(label=committee.name, url=reverse("track_a:committee_detail", args=[committee.pk]),
                status=committee.get_state_display(), meta=committee.institution.name)


def standard_list_url():
    """The school standards page of the evaluation app, if it exists yet."""
    try:
        return reverse("evaluation:standard_list")
    except NoReverseMatch:
        return ""


@panel(Role.UNIVERSITY_STAFF, 10, slot="track_a")
def school_panel(user, assignment):
    institution = assignment.institution
    apps = list(PilotApplication.objects.filter(institution=institution).select_related("authority")
                .order_by("-updated_at")[:3])
    committees = list(EvaluationCommittee.objects.filter(institution=institution).order_by("level")[:2])
    items, actions = [], []
    for app in apps:
        items.append(_app_item(app))
        if app.state == State.AUTHORISED:
            authority = app.authority
            items.append(Item(
                label=_("职称自主评审权（%s）") % authority.number, status=_("已授予"),
                url=reverse("track_a:authority_pdf", args=[app.pk]),
                meta=_("试点专业：%(majors)s；评审级别：%(levels)s；自%(year)s年度起") % {
                    "majors": "、".join(authority.majors), "levels": "、".join(authority.level_labels),
                    "year": authority.from_year}))
    for committee in committees:
        items.append(Item(label=committee.name, url=reverse("track_a:committee_detail", args=[committee.pk]),
                          status=committee.get_state_display()))
    open_apps = [a for a in apps if a.state != State.NOT_RECOGNISED]
    if not open_apps:
        verdict = services.eligibility_of(institution)
        if verdict.ok:
            actions.append((_("填报立项申请表（附件1）"), reverse("track_a:index")))
        else:  # never offer a form the next page refuses: say why here (issue 15 §2)
            items.extend(Item(label=_("本校暂不能申请试点：%s") % reason, status=_("不符合申报条件"))
                         for reason in verdict.reasons)
    if any(a.state == State.AUTHORISED for a in apps):
        if not committees:
            actions.append((_("组建评委会"), reverse("track_a:committee_start")))
        std_url = standard_list_url()
        if std_url:
            actions.append((_("发布自主评审标准"), std_url))
    return Panel(title=_("本校申请（职称自主评审试点）"), order=10, items=items, actions=actions,
                 empty=_("本校尚未填报“产业工程师职称自主评审”立项申请表（附件1）。"))


def _queue(user, role, city_code=None):
    return [_app_item(a) for a in selectors.awaiting(user, role, city_code=city_code)]


@panel(Role.CITY_HRSS, 20, slot="track_a")
def city_hrss_panel(user, assignment):
    items = _queue(user, Role.CITY_HRSS, assignment.city_id)
    items += [_committee_item(c) for c in selectors.committees_awaiting(user, Role.CITY_HRSS,
                                                                         city_code=assignment.city_id)]
    return Panel(title=_("试点申请与评委会备案"), order=20, items=items,
                 actions=[(_("全部试点申请"), reverse("track_a:index"))],
                 empty=_("暂无待市人社局办理的试点立项申请或评委会核准备案。"))


@panel(Role.CITY_EDUCATION, 10, slot="track_a")
def city_education_panel(user, assignment):
    return Panel(title=_("待会审的试点申请"), order=10, items=_queue(user, Role.CITY_EDUCATION, assignment.city_id),
                 actions=[(_("全部试点申请"), reverse("track_a:index"))],
                 empty=_("暂无待市教育局会同审核的试点立项申请（附件1）。"))


@panel(Role.PROVINCIAL_EDUCATION, 10, slot="track_a")
def provincial_education_panel(user, assignment):
    return Panel(title=_("待论证的试点申请"), order=10, items=_queue(user, Role.PROVINCIAL_EDUCATION),
                 actions=[(_("全部试点申请"), reverse("track_a:index"))],
                 empty=_("暂无经市级审核转报、待组织专家论证、实地评估或认定的试点申请。"))


def _group_item(group, status=""):
    return Item(label=group.application.unit_name, url=reverse("track_a:expert_group", args=[group.application_id]),
                status=status or group.get_state_display(), meta=_("试点立项申请·论证专家组"))


@panel(Role.EXPERT, 10, slot="track_a")
def expert_panel(user, assignment):
    """The confirmed expert groups this expert sits on (通知 三(一)2(3))."""
    items = [_group_item(g, g.application.get_state_display()) for g in selectors.groups_of_expert(user)]
    return Panel(title=_("试点立项论证和实地评估"), order=10, items=items,
                 empty=_("暂无需要您参加的试点立项论证。"))


@panel(Role.PROVINCIAL_HRSS, 20, slot="track_a")
def provincial_hrss_panel(user, assignment):
    items = [_group_item(g) for g in selectors.groups_awaiting_confirmation()]
    items += _queue(user, Role.PROVINCIAL_HRSS)
    items += [_committee_item(c) for c in selectors.committees_awaiting(user, Role.PROVINCIAL_HRSS)]
    return Panel(title=_("待认定的试点单位"), order=20, items=items,
                 actions=[(_("全部试点申请"), reverse("track_a:index"))],
                 empty=_("暂无待省人社厅认定的试点单位或待核准备案的评委会。"))


