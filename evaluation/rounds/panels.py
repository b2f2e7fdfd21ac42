"""Dashboard panels of the evaluation round. Each runs a fixed number of queries (at most three)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.dashboard import Item, Panel, panel
from portal.models import Role

from . import clock, selectors
from .models import Decision, EvaluationRound, RoundState


def outcome(application, decision=None):
    """The application's state, or — once decided — the decision in force (a correction included)."""
    if decision is not None:
        return _("%(level)s：评审通过（已确定）") % {"level": decision.get_level_display()} if decision.passed \
            else _("未通过（已确定）")
    return application.get_state_display()


def _round_item(rnd, today):
    meta = []
    if rnd.state == RoundState.FINALISED:
        meta.append(_("通过 %(n)d 人") % {"n": rnd.n_passed})
    else:
        if rnd.n_pending:
            meta.append(_("待审查 %(n)d") % {"n": rnd.n_pending})
        left = (rnd.year_end - today).days
        meta.append(_("距12月31日 %(n)d 天") % {"n": left} if left >= 0 else _("已逾期"))
    return Item(label=rnd.name, url=reverse("rounds:detail", args=[rnd.pk]), status=rnd.get_state_display(),
                meta=" · ".join(meta))


@panel(Role.UNIVERSITY_STAFF, 40, slot="rounds")
def school_panel(user, assignment):
    today = clock.today()
    rounds = list(selectors.with_counts(EvaluationRound.objects.filter(institution=assignment.institution))
                  .order_by("-graduation_year")[:2])
    actions = [(_("职称评审工作"), reverse("rounds:index"))]
    if not any(r.graduation_year == today.year for r in rounds):
        actions.append((_("发起年度职称评审"), reverse("rounds:open")))
    return Panel(title=gettext_lazy("职称评审"), order=40, items=[_round_item(r, today) for r in rounds],
                 actions=actions,
                 empty=gettext_lazy("取得职称自主评审权、评委会核准备案并发布评审标准后，可发起本校毕业生的年度职称评审。"))


def _supervision_panel(user, order):
    today = clock.today()
    rounds = list(selectors.with_counts(selectors.rounds_visible_to(user))
                  .order_by("-graduation_year", "-updated_at")[:5])
    return Panel(title=gettext_lazy("试点学校职称评审"), order=order, items=[_round_item(r, today) for r in rounds],
                 actions=[(_("全部评审工作"), reverse("rounds:index")), (_("公示信息"), reverse("rounds:public_index"))],
                 empty=gettext_lazy("辖区内试点学校的年度职称评审及其统计将显示在这里。"))


@panel(Role.CITY_HRSS, 40, slot="rounds")
def city_hrss_panel(user, assignment):
    return _supervision_panel(user, 40)


@panel(Role.CITY_EDUCATION, 40, slot="rounds")
def city_education_panel(user, assignment):
    return _supervision_panel(user, 40)


@panel(Role.PROVINCIAL_HRSS, 40, slot="rounds")
def provincial_hrss_panel(user, assignment):
    return _supervision_panel(user, 40)


@panel(Role.PROVINCIAL_EDUCATION, 40, slot="rounds")
def provincial_education_panel(user, assignment):
    return _supervision_panel(user, 40)


@panel(Role.EXPERT, 5, slot="meetings")
def member_panel(user, assignment):
    """A committee member's meetings: those running first (two queries)."""
    seats = list(selectors.seats_of(user)[:5])
    items = [Item(label=_("%(round)s（%(day)s）") % {"round": s.meeting.round.name, "day": s.meeting.held_on},
                  url=reverse("rounds:meeting", args=[s.meeting_id]), status=s.meeting.get_state_display(),
                  meta=(_("主任委员") if s.is_chair else "") + (" · " if s.is_chair else "")
                  + (_("已签到") if s.present else _("未签到")))
             for s in seats]
    return Panel(title=gettext_lazy("评委会评审会议"), order=5, items=items,
                 actions=[(_("我的评审会议"), reverse("rounds:meetings"))],
                 empty=gettext_lazy("您作为评委会委员被召集参加评审会议时，会议将显示在这里。"))


@panel(Role.STUDENT, 15, slot="title_application")
def student_panel(user, assignment):
    graduates = list(selectors.own_graduates(user))
    apps = list(selectors.my_applications(user)[:3])
    decided = {d.application_id: d for d in Decision.objects.filter(application__in=apps, superseded_by__isnull=True)}
    items = [Item(label=_("%(round)s：%(level)s") % {"round": a.round.name, "level": a.get_level_display()},
                  url=reverse("rounds:application", args=[a.pk]), status=outcome(a, decided.get(a.pk)))
             for a in apps]
    actions = [(_("我的职称申报"), reverse("rounds:my"))]
    applied = {a.round_id for a in apps}
    for r in selectors.open_rounds_for(graduates) if graduates else []:
        if r.pk not in applied:
            items.insert(0, Item(label=_("%(round)s 正在受理申报") % {"round": r.name},
                                 url=reverse("rounds:apply", args=[r.pk]), status=_("可申报")))
    return Panel(title=gettext_lazy("我的职称申报"), order=15, items=items, actions=actions,
                 empty=gettext_lazy("学校发起年度职称评审后，您可以在这里申报并查看办理进度。"))
