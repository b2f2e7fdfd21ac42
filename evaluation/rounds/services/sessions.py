"""The committee session: attendance and quorum, conflicts of interest (回避), the secret-ballot counts of
each candidate, and closing the session (which decides each candidate and renders the minutes)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.track_a.models import CommitteeMember
from evaluation.rounds import clock, deadlines, rules
from evaluation.rounds.models import (
    ApplicationState,
    Ballot,
    CommitteeSession,
    PublicNotice,
    Recusal,
    RoundState,
    SessionMember,
    Stage,
    TitleApplication,
)
from portal import access, audit
from portal.models import Role, RoleAssignment

from .common import transition
from .rounds import require_state

STAFF = Role.UNIVERSITY_STAFF


def _refuse(message, code="invalid"):
    raise ValidationError(message, code=code)


def committee_members(rnd):
    """The members of the round's committee with their expert profile and user (one query)."""
    return list(CommitteeMember.objects.filter(committee_id=rnd.committee_id)
                .select_related("expert__user").order_by("-is_chair", "id"))


def employers_of(users):
    """{user id: employer name} from the experts' role assignments (an institution or an organisation)."""
    rows = (RoleAssignment.objects.filter(user__in=users, role=Role.EXPERT).select_related("institution")
            .order_by("id"))
    out = {}
    for a in rows:
        out.setdefault(a.user_id, a.employer_name or "")
    return out


def start_session(*, round, actor, held_on, place, present, today=None):
    """Records the session's date, place and who of the committee was present; refuses without a quorum.

    ``present``: the ``CommitteeMember`` ids present. May be recorded again until a ballot is entered.
    """
    rnd = round
    access.require(actor, "rounds.manage_round", rnd)
    today = today or clock.today()
    if rnd.state != RoundState.AWAITING_SESSION:
        _refuse(_("当前阶段不能记录评审会议。"), "state")
    notice = PublicNotice.objects.get(round=rnd, stage=Stage.CANDIDATES)
    if held_on <= notice.ends_on:
        _refuse(_("评审会议应在评审对象公示期满（%(end)s）之后举行。") % {"end": notice.ends_on}, "date")
    if held_on > today:
        _refuse(_("请在会议举行后记录（会议日期不能晚于今天）。"), "date")
    if held_on > rnd.year_end:
        _refuse(_("会议日期不能晚于%(year)d年12月31日。") % {"year": rnd.graduation_year}, "date")
    deadlines.refuse_if_late(rnd, deadlines.finish_from_results_notice(today, limit=rnd.year_end))
    members = committee_members(rnd)
    ids = {m.pk for m in members}
    present = {int(p) for p in present}
    if not present <= ids:
        _refuse(_("出席委员须是本评委会的委员。"), "members")
    total = len(members)
    if not rules.quorum_met(len(present), total):
        _refuse(_("出席委员%(present)d人，不足评委会委员%(total)d人的三分之二（至少%(min)d人），不能举行评审会议。")
                % {"present": len(present), "total": total, "min": rules.min_present(total)}, "quorum")
    place = (place or "").strip()
    if not place:
        _refuse(_("请填写会议地点。"), "place")
    employers = employers_of([m.expert.user_id for m in members])
    with transaction.atomic():
        session = CommitteeSession.objects.select_for_update().filter(round=rnd).first()
        if session is not None:
            if session.ballots.exists():
                _refuse(_("已录入表决结果，不能再修改出席情况。"), "ballots")
            session.members.all().delete()
            session.held_on, session.place = held_on, place
            session.members_total, session.present_count, session.recorded_by = total, len(present), actor
            session.save()
        else:
            session = CommitteeSession.objects.create(round=rnd, held_on=held_on, place=place, members_total=total,
                                                      present_count=len(present), recorded_by=actor)
        SessionMember.objects.bulk_create([
            SessionMember(session=session, member=m, name=m.expert.user.display_name, title=m.expert.title,
                          employer=employers.get(m.expert.user_id, ""), is_chair=m.is_chair, present=m.pk in present)
            for m in members])
        audit.record(actor=actor, action="rounds.session_attendance", obj=session, role=STAFF,
                     changes={"held_on": held_on.isoformat(), "members": total, "present": len(present)})
    return session


def detected_conflicts(session_members, application):
    """{SessionMember id: reason} for present members whose employer is the candidate's (回避, detected)."""
    employer = application.employer or application.graduate.employer
    return {m.pk: _("与申报人就业单位相同：%(org)s") % {"org": m.employer}
            for m in session_members if m.present and rules.same_employer(m.employer, employer)}


def record_ballot(*, session, application, actor, yes, no, abstain, declared=None):
    """The counts of one candidate's secret ballot. ``declared``: {SessionMember id: reason} for members who
    declared a conflict; detected conflicts are added whatever the form says. Editable until the session closes."""
    access.require(actor, "rounds.record_votes", application)
    if session.is_closed:
        _refuse(_("评审会议已结束，表决结果不能再修改。"), "closed")
    if application.round_id != session.round_id or application.state != ApplicationState.ELIGIBLE:
        _refuse(_("该申报不是本次会议的评审对象。"), "candidate")
    members = list(session.members.all())
    present = {m.pk: m for m in members if m.present}
    recused = dict(detected_conflicts(members, application))
    detected = set(recused)
    for member_id, reason in (declared or {}).items():
        member_id = int(member_id)
        if member_id not in present:
            _refuse(_("回避委员须是出席会议的委员。"), "recusal")
        if member_id not in recused:
            reason = (reason or "").strip()
            if not reason:
                _refuse(_("请写明%(name)s的回避事由。") % {"name": present[member_id].name}, "recusal")
            recused[member_id] = reason
    voters = len(present) - len(recused)
    if voters < 1:
        _refuse(_("回避后已无委员参加表决，不能对该申报人表决。"), "voters")
    counts = [yes, no, abstain]
    if any(c is None or c < 0 for c in counts):
        _refuse(_("请填写同意、不同意、弃权票数。"), "counts")
    if sum(counts) != voters:
        _refuse(_("同意、不同意、弃权票数之和（%(sum)d）应等于参加表决的委员人数（出席%(present)d人，回避%(recused)d人，"
                  "应为%(voters)d）。") % {"sum": sum(counts), "present": len(present), "recused": len(recused),
                                      "voters": voters}, "counts")
    with transaction.atomic():
        ballot, _created = Ballot.objects.update_or_create(
            application=application,
            defaults={"session": session, "voters": voters, "yes": yes, "no": no, "abstain": abstain,
                      "recorded_by": actor})
        ballot.recusals.all().delete()
        Recusal.objects.bulk_create([Recusal(ballot=ballot, member_id=mid, reason=reason[:200],
                                             detected=mid in detected) for mid, reason in recused.items()])
        audit.record(actor=actor, action="rounds.record_ballot", obj=application, role=STAFF,
                     changes={"voters": voters, "yes": yes, "no": no, "abstain": abstain, "recused": len(recused),
                              "passed": rules.passes(yes, voters)})
    return ballot


def close_session(*, round, actor, expected_state=None, today=None):
    """Every candidate voted on: each is decided (≥ 2/3 yes of those voting), the round moves on, and the
    minutes are rendered after commit."""
    from evaluation.rounds import tasks

    rnd = round
    access.require(actor, "rounds.manage_round", rnd)
    require_state(rnd, RoundState.AWAITING_SESSION)
    today = today or clock.today()
    session = CommitteeSession.objects.filter(round=rnd).first()
    if session is None:
        _refuse(_("请先记录评审会议的出席情况。"), "no_session")
    candidates = list(TitleApplication.objects.filter(round=rnd, state=ApplicationState.ELIGIBLE)
                      .select_related("ballot", "graduate"))
    missing = [a for a in candidates if not hasattr(a, "ballot")]
    if missing:
        _refuse(_("尚有%(n)d名评审对象未录入表决结果。") % {"n": len(missing)}, "ballots_missing")
    deadlines.refuse_if_late(rnd, deadlines.finish_from_results_notice(today, limit=rnd.year_end))
    with transaction.atomic():
        for a in candidates:
            name = "record_pass" if a.ballot.passed else "record_fail"
            transition(a, name, actor=actor, role=STAFF,
                       data={"yes": a.ballot.yes, "no": a.ballot.no, "abstain": a.ballot.abstain,
                             "voters": a.ballot.voters})
        rnd = transition(rnd, "close_session", actor=actor, role=STAFF, expected_state=expected_state,
                         data={"session": session.pk, "candidates": len(candidates),
                               "passed": sum(a.ballot.passed for a in candidates)})
        CommitteeSession.objects.filter(pk=session.pk).update(closed_at=timezone.now())
        transaction.on_commit(lambda: tasks.render_minutes.delay(session.pk))
    return rnd
