"""Dashboard panels of 评价实施: the filed school's sessions, the office's queue, the examiner's and supervisor's work,
the student's own results. Each panel runs a bounded number of queries."""

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.dashboard import Item, Panel, panel
from portal.models import Role

from . import selectors
from .models import PlanState, SessionState


@panel(Role.UNIVERSITY_STAFF, order=45, slot="assessment")
def school_panel(user, assignment):
    sessions = list(selectors.own_sessions(user).exclude(state=SessionState.CANCELLED).order_by("-start_date")[:5])
    return Panel(title=_("评价实施（考务场次）"), empty=_("尚无考务场次。"),
                 items=[Item(f"{s.occupation.name} {s.get_level_display()}", reverse("assessment:session", args=[s.pk]),
                             s.start_date.isoformat(), s.get_state_display()) for s in sessions],
                 actions=[(_("评价实施"), reverse("assessment:index"))])


def _office_panel(user, assignment):
    # Only the columns the items show: the visible-to querysets join and select the whole filing (~60
    # columns), which cost more to compile than the two queries take to run (issue 16).
    plans = list(selectors.plans_visible_to(user).filter(state=PlanState.REPORTED)
                 .select_related(None).select_related("institution").only("year", "state", "institution__name")[:5])
    sessions = list(selectors.sessions_visible_to(user)
                    .filter(state__in=[SessionState.REPORTED, SessionState.RESULTS_REPORTED])
                    .select_related(None).select_related("institution", "occupation")
                    .only("start_date", "state", "institution__name", "occupation__name")
                    .order_by("-start_date")[:5])
    items = [Item(_("年度计划：%(inst)s %(y)d") % {"inst": p.institution.name, "y": p.year},
                  reverse("assessment:plan", args=[p.pk]), "", p.get_state_display()) for p in plans]
    items += [Item(f"{s.institution.name} · {s.occupation.name}", reverse("assessment:session", args=[s.pk]),
                   s.start_date.isoformat(), s.get_state_display()) for s in sessions]
    return Panel(title=_("评价实施监督"), empty=_("暂无待查阅的报告。"), items=items,
                 actions=[(_("评价实施"), reverse("assessment:index")), (_("监督统计"), reverse("assessment:oversight"))])


panel(Role.CITY_HRSS, order=45, slot="assessment")(_office_panel)
panel(Role.PROVINCIAL_HRSS, order=45, slot="assessment")(_office_panel)


@panel(Role.EXPERT, order=45, slot="assessment")
def work_panel(user, assignment):
    sessions = list(selectors.work_sessions(user).order_by("-start_date")[:5])
    if not sessions:
        return None
    return Panel(title=_("考评与督导"), empty="",
                 items=[Item(f"{s.institution.name} · {s.occupation.name}", reverse("assessment:session", args=[s.pk]),
                             s.start_date.isoformat(), s.get_state_display()) for s in sessions])


@panel(Role.STUDENT, order=45, slot="assessment")
def student_panel(user, assignment):
    return Panel(title=_("职业技能等级认定"), empty=_("查看报名、成绩和证书；离校未就业可申报视同应届。"),
                 actions=[(_("我的职业技能等级认定"), reverse("assessment:mine"))])
