"""The committee meeting (评审会议), run by the people the rules name (DOMAIN §7). This module: who may sit, and
convening; ``ballots`` has what members and the chair do there.


- the school's secretary convenes it: date, place, and this meeting's committee — the chair and members drawn at
  random from the committee's unexpired members, the seed and the result logged (``convene_meeting``);
- each member checks in (``check_in``), declares conflicts (``declare_conflict``) and votes (``cast_vote``) from
  their own account; the quorum is computed from check-ins, never typed;
- the chair closes the vote (``close_vote``): each candidate's ballots are counted, the pass rule applied, the
  minutes rendered; and signs the minutes (``sign_minutes``);
- if candidates were deferred (暂缓), the secretary convenes another meeting for them, or ends the committee
  stage leaving them undecided (``end_committee_review``);
- 复查: for a finalised round with re-review requests waiting, the secretary convenes a 复查 meeting
  (``convene_rereview_meeting``) — same draw, check-in, 回避 and secret ballot; its agenda (``agenda``) is those
  candidates, and its closing records each new count on the request (``services.rereviews``).
"""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.track_a import rules as track_a_rules
from applications.track_a.models.committee import IN_FORCE_STATES
from applications.track_a.selectors import active_members, committee_in_force
from evaluation.rounds import clock, deadlines, rules
from evaluation.rounds.models import (
    ApplicationState,
    Conflict,
    ConflictKind,
    Meeting,
    MeetingMember,
    MeetingPurpose,
    MeetingState,
    PublicNotice,
    RereviewRequest,
    RereviewState,
    RoundState,
    Stage,
    TitleApplication,
)
from evaluation.rounds.selectors import pending_rereviews
from portal import access, audit
from portal.models import Role, RoleAssignment
from portal.notify import notify

from .common import transition
from .rounds import require_state

STAFF = Role.UNIVERSITY_STAFF


def _refuse(message, code="invalid"):
    raise ValidationError(message, code=code)


def meeting_link(meeting):
    return reverse("rounds:meeting", args=[meeting.pk])


# --- who may sit ----------------------------------------------------------------------------------------------------

def filing_problems(committee, on):
    """Why ``committee`` may not hold a meeting on ``on`` (empty when it may): its 核准备案 in force on that day —
    approved, not revoked, not lapsed (``track_a.selectors.committee_in_force``)."""
    if committee_in_force(committee, on):
        return []
    if committee.state not in IN_FORCE_STATES or committee.valid_until is None:
        return [_("评委会未核准备案或已撤销，不能召开评审会议。")]
    if on > committee.valid_until:
        return [_("评委会核准备案已于%(day)s期满，须续期（重新核准备案）后方可召开评审会议。")
                % {"day": committee.valid_until}]
    return [_("会议日期早于评委会核准备案生效日期（%(day)s）。") % {"day": committee.valid_from}]


def pool_for(committee, on):
    """The committee's members serving on ``on`` (within their term, not adjusted out; ``active_members``) whose
    account is active: an expired member is never called, nor counted."""
    return [m for m in active_members(committee, on) if m.expert.user.is_active]


def employers_of(users):
    """{user id: employer name} from the experts' role assignments (an institution or an organisation)."""
    out = {}
    for a in (RoleAssignment.objects.filter(user__in=users, role=Role.EXPERT).select_related("institution")
              .order_by("id")):
        out.setdefault(a.user_id, a.employer_name or "")
    return out


def candidates_of(rnd):
    """The round's candidates not yet decided (资格审查通过, awaiting the committee)."""
    return (TitleApplication.objects.filter(round=rnd, state=ApplicationState.ELIGIBLE)
            .select_related("graduate").order_by("major", "level", "graduate__student_number"))


def verify_draw(meeting):
    """Re-runs the logged draw: True when the seed and pool give exactly the members recorded."""
    if not meeting.draw_seed:
        return sorted(meeting.draw_pool) == sorted(meeting.draw_result)
    return rules.draw(meeting.draw_pool, len(meeting.draw_result), meeting.draw_seed, meeting.draw_senior_pool,
                      meeting.draw_senior_seats) == sorted(meeting.draw_result)


def _employer_of(application):
    return application.employer or application.graduate.employer


# --- convening ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Seating:
    """A meeting's committee: ``seated`` (the chair first), drawn from ``others`` with ``seed`` (blank: no draw),
    ``senior_seats`` of the drawn filled first from ``senior_pool``."""

    size: int
    chair: object
    others: list
    seed: str
    drawn: list
    seated: list
    senior_pool: list
    senior_seats: int


def _seating(committee, held_on, size):
    """This meeting's committee (``Seating``): the chair and ``size - 1`` members drawn at random from the other
    serving members when there are more of them than seats.

    The meeting's committee is the one the quorum counts (DOMAIN §7), so it meets the committee's own rules
    (``track_a.rules.committee_problems``): an odd number, at least ``COMMITTEE_MIN_MEMBERS``; at a 中级 committee
    more than half 副高级 or above — the draw fills the seats that majority needs from those members first."""
    pool = pool_for(committee, held_on)
    chairs = [m for m in pool if m.is_chair]
    if not chairs:
        _refuse(_("评委会主任委员未设或任期已满，不能召开评审会议。"), "chair")
    chair = chairs[0]
    if size is None:
        size = len(pool) if len(pool) % 2 else len(pool) - 1
    if size < track_a_rules.COMMITTEE_MIN_MEMBERS or size % 2 == 0:
        _refuse(_("本次会议评委会人数应为不少于%(min)d的单数。") % {"min": track_a_rules.COMMITTEE_MIN_MEMBERS},
                "size")
    if size > len(pool):
        _refuse(_("评委会在任委员只有%(n)d人，不足本次会议所需的%(size)d人。") % {"n": len(pool), "size": size},
                "size")
    others = sorted(m.pk for m in pool if m.pk != chair.pk)
    senior_pool = sorted(m.pk for m in pool if m.pk != chair.pk and track_a_rules.is_senior(m.expert.title_level))
    needed = track_a_rules.seniors_needed(committee.level, size)
    senior_seats = max(0, needed - track_a_rules.is_senior(chair.expert.title_level))
    if senior_seats > len(senior_pool):
        _refuse(_("中级评委会的评审会议应有过半数委员具有副高级及以上职称（本次%(size)d人中至少%(need)d人），"
                  "在任的只有%(n)d人。") % {"size": size, "need": needed,
                                           "n": len(senior_pool) + track_a_rules.is_senior(chair.expert.title_level)},
                "seniors")
    seed = ""
    if len(others) > size - 1:
        seed = secrets.token_hex(16)
        drawn = rules.draw(others, size - 1, seed, senior_pool, senior_seats)
    else:
        drawn, senior_pool, senior_seats = others, [], 0
    return Seating(size, chair, others, seed, drawn, [chair] + [m for m in pool if m.pk in set(drawn)], senior_pool,
                   senior_seats)


def _check_common(rnd, held_on, place, today):
    if Meeting.objects.filter(round=rnd, state=MeetingState.CONVENED).exists():
        _refuse(_("该评审工作已有一场进行中的评审会议。"), "open_meeting")
    if held_on < today:
        _refuse(_("会议日期不能早于今天。"), "date")
    problems = filing_problems(rnd.committee, held_on)
    if problems:
        _refuse(problems[0], "filing")
    place = (place or "").strip()
    if not place:
        _refuse(_("请填写会议地点。"), "place")
    return place


def _create(*, rnd, actor, held_on, place, size, purpose, candidates, extra=None):
    """The meeting, its seats (as the members are today) and the conflicts the portal finds (same employer);
    logged with the draw, the members told. Inside the caller's transaction."""
    seating = _seating(rnd.committee, held_on, size)
    size, seated = seating.size, seating.seated
    employers = employers_of([m.expert.user_id for m in seated])
    meeting = Meeting.objects.create(round=rnd, held_on=held_on, place=place, size=size, convened_by=actor,
                                     purpose=purpose, draw_seed=seating.seed, draw_pool=seating.others,
                                     draw_result=seating.drawn, draw_senior_pool=seating.senior_pool,
                                     draw_senior_seats=seating.senior_seats)
    seats = MeetingMember.objects.bulk_create([
        MeetingMember(meeting=meeting, member=m, user=m.expert.user, name=m.expert.user.display_name,
                      title=m.expert.title, employer=employers.get(m.expert.user_id, ""), is_chair=m.is_chair)
        for m in seated])
    Conflict.objects.bulk_create([
        Conflict(meeting=meeting, application=a, member=s, kind=ConflictKind.EMPLOYER, detected=True,
                 reason=(_("与评审对象就业单位相同：%(org)s") % {"org": s.employer})[:200])
        for a in candidates for s in seats if rules.same_employer(s.employer, _employer_of(a))])
    audit.record(actor=actor, action="rounds.convene_meeting", obj=meeting, role=STAFF, changes={
        "held_on": held_on.isoformat(), "size": size, "chair": seating.chair.pk, "draw_seed": seating.seed,
        "purpose": purpose, "draw_pool": seating.others, "draw_result": seating.drawn,
        "draw_senior_pool": seating.senior_pool, "draw_senior_seats": seating.senior_seats,
        "candidates": len(candidates), **(extra or {})})
    what = _("复查会议通知") if purpose == MeetingPurpose.REREVIEW else _("评审会议通知")
    notify([s.user for s in seats], title=_("%(what)s：%(round)s，%(day)s，%(place)s")
           % {"what": what, "round": rnd.name, "day": held_on, "place": place}, link=meeting_link(meeting))
    return meeting


def convene_meeting(*, round, actor, held_on, place, size=None, today=None):
    """The secretary (the school's staff) convenes a meeting of the round's committee.

    ``size`` (odd): how many sit — the chair and ``size - 1`` drawn from the other unexpired members; when the
    pool is larger than that, the draw's seed, pool and result are kept on the meeting and in the audit log."""
    rnd = round
    access.require(actor, "rounds.manage_round", rnd)
    require_state(rnd, RoundState.AWAITING_SESSION)
    today = today or clock.today()
    place = _check_common(rnd, held_on, place, today)
    notice = PublicNotice.objects.get(round=rnd, stage=Stage.CANDIDATES)
    if held_on <= notice.ends_on:
        _refuse(_("评审会议应在评审对象公示期满（%(end)s）之后举行。") % {"end": notice.ends_on}, "date")
    if held_on > rnd.year_end:
        _refuse(_("会议日期不能晚于%(year)d年12月31日。") % {"year": rnd.graduation_year}, "date")
    deadlines.refuse_if_late(rnd, deadlines.finish_from_results_notice(held_on, limit=rnd.year_end))
    candidates = list(candidates_of(rnd))
    if not candidates:
        _refuse(_("没有待评审的评审对象。"), "no_candidates")
    with transaction.atomic():
        return _create(rnd=rnd, actor=actor, held_on=held_on, place=place, size=size,
                       purpose=MeetingPurpose.EVALUATION, candidates=candidates)


def rereviews_waiting(rnd):
    """The round's 复查 requests waiting for its committee (oldest first)."""
    return pending_rereviews(rnd.committee).filter(decision__round=rnd)


def convene_rereview_meeting(*, round, actor, held_on, place, size=None, today=None):
    """复查: the secretary convenes a meeting of the committee that decided the finalised round; every request
    waiting for it goes onto the agenda (``RereviewRequest.schedule``), and the members vote on those candidates
    again by secret ballot under the same rule. No 31 December lock: correcting is not evaluating late."""
    rnd = round
    access.require(actor, "rounds.manage_round", rnd)
    require_state(rnd, RoundState.FINALISED)
    today = today or clock.today()
    place = _check_common(rnd, held_on, place, today)
    waiting = list(rereviews_waiting(rnd))
    if not waiting:
        _refuse(_("没有待复查的评审结果。"), "no_candidates")
    with transaction.atomic():
        meeting = _create(rnd=rnd, actor=actor, held_on=held_on, place=place, size=size,
                          purpose=MeetingPurpose.REREVIEW, candidates=[r.decision.application for r in waiting],
                          extra={"rereviews": [r.pk for r in waiting]})
        for r in waiting:
            transition(r, "schedule", actor=actor, role=STAFF, expected_state=RereviewState.PENDING, meeting=meeting,
                       data={"meeting": meeting.pk})
    return meeting


def agenda(meeting):
    """The candidates the meeting votes on: the round's candidates awaiting the committee, or — at a 复查
    meeting — the applications of the requests scheduled on it."""
    if meeting.is_rereview:
        scheduled = RereviewRequest.objects.filter(meeting=meeting, state=RereviewState.SCHEDULED)
        return (TitleApplication.objects.filter(pk__in=scheduled.values("decision__application_id"))
                .select_related("graduate").order_by("major", "level", "graduate__student_number"))
    return candidates_of(meeting.round)
