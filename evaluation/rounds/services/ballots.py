"""A member's own acts at a meeting — check-in, conflicts (回避), the secret ballot — and the chair's closing and
signing; the secretary's ending of the committee stage after a deferral. See ``meetings`` for convening, and
``docs/ballot_secrecy.md`` for how the ballot stays secret: a vote writes a ``VoteCast`` (who has voted, not how)
and a ``SecretBallot`` (how, under a key only the voter's token opens); nothing here returns or logs a choice
together with a person — ``my_choices`` answers only the holder of the token.
"""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.rounds import clock, deadlines, rules, tasks
from evaluation.rounds.models import (
    Choice,
    Conflict,
    ConflictKind,
    Meeting,
    MeetingMember,
    MeetingState,
    Outcome,
    RereviewRequest,
    RereviewState,
    RoundState,
    SecretBallot,
    Tally,
    VoteCast,
)
from portal import access, audit
from portal.models import Role
from portal.notify import notify

from .common import round_link, school_staff, transition
from .meetings import agenda, candidates_of
from .rounds import require_state

STAFF = Role.UNIVERSITY_STAFF
MEMBER = Role.EXPERT


def _refuse(message, code="invalid"):
    raise ValidationError(message, code=code)


# --- a member's own acts ---------------------------------------------------------------------------------------------

def seat_of(meeting, user):
    """The user's seat at the meeting, or None (a member not called, or anyone else)."""
    if not user.is_authenticated:
        return None
    return MeetingMember.objects.filter(meeting=meeting, user=user).first()


def _own_seat(meeting, actor):
    seat = seat_of(meeting, actor)
    if seat is None:
        raise PermissionDenied("rounds.sit_in_meeting")
    return seat


def _require_open(meeting):
    if meeting.state != MeetingState.CONVENED:
        _refuse(_("评审会议表决已结束。"), "closed")


def present_count(meeting):
    return MeetingMember.objects.filter(meeting=meeting, checked_in_at__isnull=False).count()


def check_in(*, meeting, actor, today=None):
    """签到: the member confirms their own attendance, on the meeting day, while the vote is open. Not on a later
    day: attendance is at the meeting (DOMAIN §7: absent members may not vote afterwards)."""
    seat = _own_seat(meeting, actor)
    _require_open(meeting)
    today = today or clock.today()
    if today != meeting.held_on:
        _refuse(_("会议于%(day)s举行，只能在当天签到。") % {"day": meeting.held_on},
                "early" if today < meeting.held_on else "late")
    if seat.checked_in_at is None:
        with transaction.atomic():
            _require_open(Meeting.objects.select_for_update().get(pk=meeting.pk))  # as it is now, not as last read
            if MeetingMember.objects.filter(pk=seat.pk, checked_in_at__isnull=True).update(checked_in_at=timezone.now()):
                audit.record(actor=actor, action="rounds.check_in", obj=meeting, role=MEMBER, changes={})
    return MeetingMember.objects.get(pk=seat.pk)


def _candidate(meeting, application):
    if not agenda(meeting).filter(pk=application.pk).exists():
        _refuse(_("该申报人不是本次会议的评审对象。"), "candidate")


def ballot_key(token, meeting, application):
    """The ballot's key: SHA-256 of the voter's secret token with the meeting and the candidate — a different key
    per candidate, so that one voter's ballots cannot even be grouped together."""
    return hashlib.sha256(f"{token}:{meeting.pk}:{application.pk}".encode()).hexdigest()


def new_token():
    return secrets.token_urlsafe(32)


def declare_conflict(*, meeting, application, actor, kind, reason="", token=None):
    """回避 declared by the member. A member who already voted on this candidate withdraws that ballot — possible
    only with the token that cast it (the same browser)."""
    seat = _own_seat(meeting, actor)
    _require_open(meeting)
    _candidate(meeting, application)
    if kind not in ConflictKind.values:
        _refuse(_("请选择回避情形。"), "kind")
    reason = (reason or "").strip()
    if kind == ConflictKind.OTHER and not reason:
        _refuse(_("请写明回避事由。"), "reason")
    text = (f"{ConflictKind(kind).label}：{reason}" if reason else str(ConflictKind(kind).label))[:200]
    with transaction.atomic():
        _require_open(Meeting.objects.select_for_update().get(pk=meeting.pk))  # the chair may have closed meanwhile
        if Conflict.objects.filter(meeting=meeting, application=application, member=seat).exists():
            _refuse(_("您已对该评审对象申请回避。"), "already")
        cast = VoteCast.objects.filter(meeting=meeting, application=application, member=seat)
        voted = cast.exists()
        if voted:
            ballot = SecretBallot.objects.filter(key=ballot_key(token, meeting, application)).first() if token else None
            if ballot is None:
                _refuse(_("您已对该评审对象投票；须在投票所用的设备上申请回避（以撤回该票）。"), "voted_elsewhere")
            ballot.delete()
            cast.delete()
        Conflict.objects.create(meeting=meeting, application=application, member=seat, kind=kind, reason=text,
                                after_vote=voted)
        audit.record(actor=actor, action="rounds.declare_conflict", obj=application, role=MEMBER,
                     changes={"meeting": meeting.pk, "kind": kind})


def withdraw_conflict(*, meeting, application, actor):
    """The member withdraws their own 回避 declaration, while the vote is open, when it was made before they voted
    on that candidate (they then vote like any member present). One declared after voting (which withdrew that
    ballot) stays, as does a conflict the portal found (same employer)."""
    seat = _own_seat(meeting, actor)
    with transaction.atomic():
        _require_open(Meeting.objects.select_for_update().get(pk=meeting.pk))  # as it is now, not as last read
        _candidate(meeting, application)
        conflict = Conflict.objects.filter(meeting=meeting, application=application, member=seat).first()
        if conflict is None:
            _refuse(_("您未就该评审对象申请回避。"), "none")
        if conflict.detected:
            _refuse(_("该回避由系统比对就业单位发现，不能撤回。"), "detected")
        if conflict.after_vote or VoteCast.objects.filter(meeting=meeting, application=application,
                                                          member=seat).exists():
            _refuse(_("您在对该评审对象投票后申请的回避不能撤回。"), "voted")
        conflict.delete()
        audit.record(actor=actor, action="rounds.withdraw_conflict", obj=application, role=MEMBER,
                     changes={"meeting": meeting.pk, "kind": conflict.kind})


def cast_vote(*, meeting, application, actor, choice, token=None):
    """无记名投票. Returns the token to keep (in the voter's browser only): the same token finds and changes the
    same ballot until the chair closes the vote. Refused for a member absent, recused, or without quorum."""
    seat = _own_seat(meeting, actor)
    _require_open(meeting)
    _candidate(meeting, application)
    if choice not in Choice.values:
        _refuse(_("请选择同意、不同意或弃权。"), "choice")
    if seat.checked_in_at is None:
        _refuse(_("您尚未签到，不能投票（缺席的委员不能委托投票，也不能补投）。"), "absent")
    with transaction.atomic():
        _require_open(Meeting.objects.select_for_update().get(pk=meeting.pk))  # the chair may have closed meanwhile
        if present_count(meeting) < meeting.min_present:
            _refuse(_("签到委员不足本次会议评委会%(size)d人的三分之二（至少%(min)d人），尚不能表决。")
                    % {"size": meeting.size, "min": meeting.min_present}, "quorum")
        if Conflict.objects.filter(meeting=meeting, application=application, member=seat).exists():
            _refuse(_("您已就该评审对象回避，不能投票。"), "recused")
        token = token or new_token()
        key = ballot_key(token, meeting, application)
        updated = SecretBallot.objects.filter(key=key, meeting=meeting, application=application).update(choice=choice)
        if not updated:
            cast, created = VoteCast.objects.get_or_create(meeting=meeting, application=application, member=seat)
            if not created:
                _refuse(_("您已在其他设备上对该评审对象投票，只能在原设备上修改。"), "voted_elsewhere")
            SecretBallot.objects.create(meeting=meeting, application=application, key=key, choice=choice)
        audit.record(actor=actor, action="rounds.vote", obj=application, role=MEMBER,
                     changes={"meeting": meeting.pk})  # that a vote was cast — never which
    return token


def my_choices(meeting, token, applications):
    """{application id: choice} of the ballots this token opens — for the voter's own page only."""
    if not token:
        return {}
    keys = {ballot_key(token, meeting, a): a.pk for a in applications}
    return {keys[b.key]: b.choice for b in SecretBallot.objects.filter(key__in=list(keys))}


def progress(meeting):
    """{application id: how many have voted} — counts of the "has voted" set, never who."""
    rows = (VoteCast.objects.filter(meeting=meeting).values("application_id").annotate(n=Count("id")).order_by())
    return {r["application_id"]: r["n"] for r in rows}


def recusal_counts(meeting, *, present_only=True):
    qs = Conflict.objects.filter(meeting=meeting)
    if present_only:
        qs = qs.filter(member__checked_in_at__isnull=False)
    rows = qs.values("application_id").annotate(n=Count("id")).order_by()
    return {r["application_id"]: r["n"] for r in rows}


# --- closing, signing ----------------------------------------------------------------------------------------------

def _count(meeting, application):
    rows = (SecretBallot.objects.filter(meeting=meeting, application=application).values("choice")
            .annotate(n=Count("id")).order_by())
    return {r["choice"]: r["n"] for r in rows}


def close_vote(*, meeting, actor, expected_state=None, today=None):
    """The chair closes the vote: each candidate counted and decided by the rule (or 暂缓), the minutes rendered
    after commit. When no candidate is left undecided, the round moves on to the results notice; at a 复查
    meeting each request records its new count instead (``services.rereviews`` publishes and concludes it)."""
    rnd = meeting.round
    access.require(actor, "rounds.chair_meeting", meeting)
    _require_open(meeting)
    today = today or clock.today()
    if today < meeting.held_on:
        _refuse(_("会议于%(day)s举行，不能提前结束表决。") % {"day": meeting.held_on}, "early")
    if seat_of(meeting, actor).checked_in_at is None:  # the chair presides in person, present like the others
        _refuse(_("主任委员尚未签到，不能主持结束表决。"), "chair_absent")
    present = present_count(meeting)
    if present < meeting.min_present:
        _refuse(_("签到委员%(present)d人，不足本次会议评委会%(size)d人的三分之二（至少%(min)d人），不能结束表决。")
                % {"present": present, "size": meeting.size, "min": meeting.min_present}, "quorum")
    if not meeting.is_rereview:  # a 复查 corrects; 31 December is a deadline for evaluating only
        deadlines.refuse_if_late(rnd, deadlines.finish_from_results_notice(today, limit=rnd.year_end))
    with transaction.atomic():
        # Votes lock the meeting too: nothing is cast while the ballots are counted. The results and the round's
        # move are recorded while the meeting is still open (the chair's right to record them ends with it), then
        # the meeting closes — all or nothing.
        _require_open(Meeting.objects.select_for_update().get(pk=meeting.pk))
        tallies = _tallies(meeting, present)
        if meeting.is_rereview:
            _record_rereviews(meeting, tallies, actor)
        else:
            _record_candidates(meeting, tallies, actor)
        meeting = transition(meeting, "close_vote", actor=actor, role=MEMBER, expected_state=expected_state,
                             at=timezone.now())
        deferred = sum(t.outcome == Outcome.DEFERRED for t in tallies)
        what = _("复查会议") if meeting.is_rereview else _("评审会议")
        notify(school_staff(rnd.institution_id), title=_("%(what)s表决已结束：%(round)s（通过%(p)d人，暂缓%(d)d人）")
               % {"what": what, "round": rnd.name, "p": sum(t.passed for t in tallies), "d": deferred},
               link=round_link(rnd))
        transaction.on_commit(lambda: tasks.render_minutes.delay(meeting.pk))
    return meeting


def _tallies(meeting, present):
    """Each candidate on the agenda counted and decided by the rule (or 暂缓): the ``Tally`` rows, saved."""
    recused = recusal_counts(meeting)
    cast = progress(meeting)
    tallies = []
    for a in agenda(meeting):
        counts = _count(meeting, a)
        yes, no, abstain = (counts.get(c, 0) for c in (Choice.YES, Choice.NO, Choice.ABSTAIN))
        if yes + no + abstain != cast.get(a.pk, 0):
            raise RuntimeError("ballots and the has-voted set disagree")  # cannot happen: one transaction each
        outcome, voters = rules.decide(size=meeting.size, present=present, recused=recused.get(a.pk, 0), yes=yes)
        reason = ""
        if outcome == Outcome.DEFERRED:
            reason = (_("回避后参加表决的委员%(voters)d人，不足本次会议评委会%(size)d人的三分之二（至少%(min)d人），"
                        "本次会议不作决定。") % {"voters": voters, "size": meeting.size, "min": meeting.min_present})
        tallies.append(Tally(meeting=meeting, application=a, size=meeting.size, present=present,
                             recused=recused.get(a.pk, 0), voters=voters, yes=yes, no=no, abstain=abstain,
                             not_voted=voters - yes - no - abstain, outcome=outcome, reason=reason))
    return Tally.objects.bulk_create(tallies)


def _counts(t):
    return {"meeting": t.meeting_id, "voters": t.voters, "yes": t.yes, "no": t.no, "abstain": t.abstain,
            "not_voted": t.not_voted}


def _record_candidates(meeting, tallies, actor):
    """The round's candidates: passed or failed as counted; the round moves on when none is deferred."""
    for t in tallies:
        if t.outcome != Outcome.DEFERRED:
            transition(t.application, "record_pass" if t.passed else "record_fail", actor=actor, role=MEMBER,
                       data=_counts(t))
    if not any(t.outcome == Outcome.DEFERRED for t in tallies):
        transition(meeting.round, "close_session", actor=actor, role=MEMBER,
                   data={"meeting": meeting.pk, "candidates": len(tallies),
                         "passed": sum(t.passed for t in tallies)})


def _record_rereviews(meeting, tallies, actor):
    """复查: each request on the agenda takes its new count (or waits again when deferred)."""
    requests = {r.decision.application_id: r for r in
                RereviewRequest.objects.filter(meeting=meeting, state=RereviewState.SCHEDULED)
                .select_related("decision")}
    for t in tallies:
        request = requests[t.application_id]
        if t.outcome == Outcome.DEFERRED:
            transition(request, "defer", actor=actor, role=MEMBER, comment=t.reason, data=_counts(t))
        else:
            transition(request, "record_revote", actor=actor, role=MEMBER, tally=t, data=_counts(t))


def sign_minutes(*, meeting, actor, expected_state=None):
    """The chair signs the minutes in the portal: the PDF is rendered again with the signature."""
    with transaction.atomic():
        meeting = transition(meeting, "sign_minutes", actor=actor, role=MEMBER, expected_state=expected_state,
                             at=timezone.now())
        Meeting.objects.filter(pk=meeting.pk).update(minutes="", minutes_sha256="")
        transaction.on_commit(lambda: tasks.render_minutes.delay(meeting.pk))
    return Meeting.objects.get(pk=meeting.pk)


def end_committee_review(*, round, actor, expected_state=None, today=None):
    """The secretary ends the committee stage after a meeting deferred some candidates: they stay undecided
    this year (no decision, no certificate); the others go on to the results notice."""
    rnd = round
    access.require(actor, "rounds.manage_round", rnd)
    require_state(rnd, RoundState.AWAITING_SESSION)
    if Meeting.objects.filter(round=rnd, state=MeetingState.CONVENED).exists():
        _refuse(_("评审会议表决尚未结束。"), "open_meeting")
    if not Tally.objects.filter(meeting__round=rnd).exclude(outcome=Outcome.DEFERRED).exists():
        _refuse(_("尚无评委会表决结果，请先召开评审会议。"), "no_meeting")
    waiting = candidates_of(rnd).count()
    with transaction.atomic():
        rnd = transition(rnd, "close_session", actor=actor, role=STAFF, expected_state=expected_state,
                         comment=_("%(n)d名暂缓的评审对象本年度不作决定。") % {"n": waiting} if waiting else "",
                         data={"deferred": waiting})
    return rnd
