"""Grows the access-matrix world's evaluation rounds (issue 16 item 2): per unit, in every round of ``w.inst``,
``PER_UNIT`` more title applications carried as far as the round has gone — submitted/eligible while it is open;
candidates (资格审查通过) on its 评审对象公示 and before its meeting; 表决结果 (tallies) of its closed meetings; entries
of its 评审结果公示; 评审结果决定 of a finalised round, each with a 复查 request — and an objection on each new
notice entry (every other one answered). So the lists of every rounds page (applications, the meeting's candidates, tallies, notice
entries, decisions, objections, rereviews) grow with the data.

The rows are written directly, as ``tests/rounds/test_queries.py`` does (the services would take a minute per unit):
what the pages list, not how it got there. No ballot is written (a convened meeting's new candidates are simply not
voted on yet), so the secret ballot's tables are left as the services made them (docs/ballot_secrecy.md).
"""

from django.db.models import Max
from django.utils import timezone

from evaluation.rounds.models import (
    ApplicationState,
    Decision,
    EvaluationRound,
    Meeting,
    MeetingPurpose,
    MeetingState,
    NoticeEntry,
    Objection,
    PublicNotice,
    RereviewRequest,
    RoundState,
    Tally,
    TitleApplication,
)
from evaluation.rounds.models.notices import Stage, new_receipt
from tests.rounds import factories as f

PER_UNIT = 12  # ten units: 120 applications, more than any page may list at once (MAX_ROWS = 100)
PAST_OPEN = (RoundState.CANDIDATES_NOTICE, RoundState.AWAITING_SESSION, RoundState.VOTED, RoundState.RESULTS_NOTICE,
             RoundState.FINALISED)
DECIDED = (RoundState.VOTED, RoundState.RESULTS_NOTICE, RoundState.FINALISED)


def grow_rounds(w, n, start=0):
    for rnd in EvaluationRound.objects.filter(institution=w.inst).order_by("id"):
        for i in range(start, start + n):
            _grow(w, rnd, i)


def _state(rnd, k):
    if rnd.state == RoundState.OPEN:
        return ApplicationState.SUBMITTED if k % 3 == 0 else ApplicationState.ELIGIBLE
    return ApplicationState.PASSED if rnd.state in DECIDED else ApplicationState.ELIGIBLE


def _grow(w, rnd, i):
    now = timezone.now()
    apps = []
    for k in range(PER_UNIT):
        g = f.graduate(w, f"P{rnd.pk}-{i:02d}-{k:02d}")
        apps.append(TitleApplication.objects.create(
            round=rnd, graduate=g, level="technician", major=g.major, employer_kind="enterprise", employer="增长企业",
            verdict_level="technician", verdict_may_apply=True, public_summary="校级竞赛一等奖", state=_state(rnd, k),
            created_by=w.staff, submission_count=1, submitted_at=now,
            reviewed_at=None if rnd.state == RoundState.OPEN and k % 3 == 0 else now))
    if rnd.state in PAST_OPEN:
        _entries(rnd, Stage.CANDIDATES, apps)
    for meeting in Meeting.objects.filter(round=rnd, purpose=MeetingPurpose.EVALUATION).exclude(
            state=MeetingState.CONVENED):
        Tally.objects.bulk_create([Tally(meeting=meeting, application=a, size=meeting.size, present=meeting.size,
                                         recused=0, voters=meeting.size, yes=meeting.size, no=0, abstain=0,
                                         not_voted=0, outcome="passed") for a in apps])
    if rnd.state in (RoundState.RESULTS_NOTICE, RoundState.FINALISED):
        _entries(rnd, Stage.RESULTS, apps)
    if rnd.state == RoundState.FINALISED:
        decision = Decision.objects.filter(round=rnd).first()
        decisions = [Decision.objects.create(
            round=rnd, application=a, graduate=a.graduate, committee=rnd.committee, level=a.level, major=a.major,
            passed=True, decided_on=decision.decided_on, approval_number=decision.approval_number, created_by=w.staff)
            for a in apps]
        RereviewRequest.objects.bulk_create([
            RereviewRequest(decision=d, committee=rnd.committee, grounds="complaint", reason=f"申诉{i}-{k}",
                            requested_by=w.staff, requested_role="university_staff")
            for k, d in enumerate(decisions)])


def _entries(rnd, stage, apps):
    notice = PublicNotice.objects.filter(round=rnd, stage=stage).first()
    if notice is None:
        return
    last = notice.entries.aggregate(m=Max("position"))["m"] or 0
    entries = NoticeEntry.objects.bulk_create([
        NoticeEntry(notice=notice, application=a, position=last + j + 1, masked_name=a.graduate.masked_name,
                    major=a.major, level=a.level, summary=a.public_summary) for j, a in enumerate(apps)])
    now = timezone.now()
    Objection.objects.bulk_create([  # one per new entry, every other one still to be answered
        Objection(notice=notice, entry=e, content="请核实获奖情况。", receipt=new_receipt(),
                  **({"state": "dismissed", "answer": "经核查，属实。", "answered_by": rnd.opened_by, "answered_at": now}
                     if j % 2 else {}))
        for j, e in enumerate(entries)])
