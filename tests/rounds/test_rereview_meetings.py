"""复查 by the committee itself (issues 11 and 12 item 2): a candidate with a re-review request goes onto a 复查
meeting's agenda, the members sitting vote again by secret ballot under the same rule, the chair's closing records
the count, the school publishes it (≥ 5 working days) and only then the new decision is made — from the count;
nobody types the outcome. Each boundary and each role."""

import inspect
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from applications.models import TransitionLog
from applications.workflow import run_transition
from evaluation.rounds import selectors, services
from evaluation.rounds.models import (
    ApplicationState,
    Decision,
    EvaluationRound,
    Meeting,
    MeetingPurpose,
    RereviewRequest,
    RereviewState,
    RoundState,
    Tally,
    TitleApplication,
)
from portal.models import AuditLog
from tests.rounds import factories as f

HELD = date(2025, 11, 3)  # a Monday, three weeks after the round was finalised
PUBLISHED = date(2025, 11, 4)  # the 复查 result's 公示: Tuesday 4 to Monday 10 November (5 working days)
NOTICE_END = date(2025, 11, 10)


def _requested(w, *, n=2, which=0):
    rnd = f.round_in(w, RoundState.FINALISED, n=n)
    decision = list(selectors.final_passed_decisions(rnd))[which]
    request = services.request_rereview(decision=decision, actor=w.staff, grounds="complaint",
                                        reason="申请人对毕业设计成绩的认定提出申诉。")
    return rnd, decision, request


def _convene(w, rnd, *, size=None):
    return services.convene_rereview_meeting(round=rnd, actor=w.staff, held_on=HELD, place="学校会议室", size=size,
                                             today=HELD)


def _voted(w, choices, *, n=2):
    """A 复查 meeting where every member checks in and casts ``choices`` (chair first) on the one candidate."""
    rnd, decision, request = _requested(w, n=n)
    meeting = _convene(w, rnd)
    users = f.check_in(meeting)
    f.vote(meeting, decision.application, users, choices)
    return rnd, decision, meeting, users


def test_the_candidate_goes_onto_the_rereview_meetings_agenda_and_only_they(world):
    rnd, decision, request = _requested(world)
    meeting = _convene(world, rnd)
    assert meeting.purpose == MeetingPurpose.REREVIEW and meeting.round == rnd
    request.refresh_from_db()
    assert request.state == RereviewState.SCHEDULED and request.meeting == meeting
    assert list(services.meetings.agenda(meeting)) == [decision.application]
    assert TransitionLog.objects.filter(object_id=str(request.pk), transition="schedule").exists()
    other = TitleApplication.objects.filter(round=rnd).exclude(pk=decision.application_id).first()
    users = f.check_in(meeting)
    with pytest.raises(ValidationError, match="不是本次会议的评审对象"):
        services.cast_vote(meeting=meeting, application=other, actor=users[0], choice="yes")


@pytest.mark.parametrize(("choices", "outcome"), [
    (["yes", "yes", "yes", "yes", "no"], "passed"),        # 4 of 5: 3×4 ≥ 2×5
    (["yes", "yes", "yes", "no", "no"], "failed"),         # 3 of 5 falls short
    (["yes", "yes", "yes", "abstain", None], "failed"),    # 弃权 and not voting count against
])
def test_the_same_two_thirds_rule_decides_the_rereview(world, choices, outcome):
    rnd, decision, meeting, users = _voted(world, choices)
    f.close(meeting)
    tally = Tally.objects.get(meeting=meeting)
    assert (tally.voters, tally.outcome) == (5, outcome)
    request = RereviewRequest.objects.get()
    assert request.state == RereviewState.VOTED and request.tally == tally
    # Nothing changes yet: the old decision stands until the new result has been publicly notified.
    assert Decision.objects.filter(application=decision.application).count() == 1
    assert TitleApplication.objects.get(pk=decision.application_id).state == ApplicationState.PASSED
    assert EvaluationRound.objects.get(pk=rnd.pk).state == RoundState.FINALISED  # the round does not move


def test_after_the_notice_the_new_decision_is_made_from_the_count(world):
    rnd, decision, meeting, users = _voted(world, ["yes", "no", "no", "abstain", None])
    meeting = f.close(meeting)
    request = RereviewRequest.objects.get()
    with pytest.raises(ValidationError, match="纪要尚未"):
        services.publish_rereview_result(request=request, actor=world.staff, today=PUBLISHED)
    services.sign_minutes(meeting=meeting, actor=f.chair(meeting))
    request = services.publish_rereview_result(request=request, actor=world.staff, today=PUBLISHED)
    assert (request.state, request.notice_starts_on, request.notice_ends_on) == (
        RereviewState.NOTICE, PUBLISHED, NOTICE_END)
    with pytest.raises(ValidationError, match="期满后"):
        services.conclude_rereview(request=request, actor=world.staff, approval_number="安工大职评〔2025〕9号",
                                   today=NOTICE_END)
    with pytest.raises(ValidationError, match="批准文号"):
        services.conclude_rereview(request=request, actor=world.staff, approval_number=" ", today=date(2025, 11, 11))
    request = services.conclude_rereview(request=request, actor=world.staff, approval_number="安工大职评〔2025〕9号",
                                         today=date(2025, 11, 11))
    new = request.outcome
    assert request.state == RereviewState.CONCLUDED
    assert (new.passed, new.supersedes, new.level, new.committee_id) == (False, decision, decision.level,
                                                                        decision.committee_id)
    assert "同意1票/应参加表决5人" in new.reason
    assert Decision.objects.get(pk=decision.pk).passed  # the old one as it was
    assert selectors.final_passed_decision_for(decision.graduate) is None
    assert TitleApplication.objects.get(pk=decision.application_id).state == ApplicationState.FAILED
    for name in ("record_revote", "publish_result", "conclude"):
        assert TransitionLog.objects.filter(object_id=str(request.pk), transition=name).exists()
    assert AuditLog.objects.filter(action="rounds.titleapplication.rereview_fail").exists()


def test_nobody_can_type_the_outcome(world):
    """conclude_rereview takes a 文号, never an outcome; the count is recorded only by the chair's closing."""
    params = set(inspect.signature(services.conclude_rereview).parameters)
    assert not params & {"outcome", "passed", "result", "level"}
    rnd, decision, meeting, users = _voted(world, ["yes"] * 5)
    request = RereviewRequest.objects.get()
    for clerk in (world.staff, world.admin, world.city_hrss):
        with pytest.raises(PermissionDenied):
            services.close_vote(meeting=meeting, actor=clerk, today=HELD)
        with transaction.atomic(), pytest.raises(PermissionDenied):
            run_transition(request, "record_revote", actor=clerk, role="university_staff",
                           tally=Tally(meeting=meeting, application=decision.application))
    assert not Tally.objects.filter(meeting=meeting).exists()


def test_a_clerk_cannot_close_the_rereview_vote_in_the_browser(world, client):
    rnd, decision, meeting, users = _voted(world, ["yes"] * 5)
    client.force_login(world.staff)
    assert client.post(reverse("rounds:close_vote", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("rounds:meeting", args=[meeting.pk])).status_code == 404
    assert Meeting.objects.get(pk=meeting.pk).is_open and not Tally.objects.filter(meeting=meeting).exists()


def test_a_member_of_another_committee_gets_404_on_the_rereview_meeting(world, client):
    rnd, decision, request = _requested(world)
    meeting = _convene(world, rnd)
    app = decision.application
    client.force_login(world.expert)  # an expert who sits on no meeting of this committee
    for name, args in (("rounds:meeting", [meeting.pk]), ("rounds:meeting_candidate", [meeting.pk, app.pk])):
        assert client.get(reverse(name, args=args)).status_code == 404
    assert client.post(reverse("rounds:vote", args=[meeting.pk, app.pk]), {f"a{app.pk}-choice": "no"}).status_code == 404
    member = f.seats(meeting)[1].user
    client.force_login(member)
    body = client.get(reverse("rounds:meeting", args=[meeting.pk])).content.decode()
    assert 'data-testid="rereview-meeting"' in body and "申请人对毕业设计成绩的认定提出申诉" in body


def test_the_school_convenes_and_outsiders_get_404(world, client, clock):
    rnd, decision, request = _requested(world)
    clock.set(date(2025, 10, 13))
    url = reverse("rounds:session", args=[rnd.pk])
    client.force_login(world.staff)
    body = client.get(url).content.decode()
    assert 'data-testid="convene"' in body and "召集复查会议" in body
    response = client.post(url, {"held_on": "2025-10-13", "place": "学校会议室", "size": "5"})
    assert response.status_code == 302
    assert Meeting.objects.filter(round=rnd, purpose="rereview").count() == 1
    for outsider in (world.other_staff, world.student):
        client.force_login(outsider)
        assert client.post(reverse("rounds:publish_rereview_result", args=[request.pk])).status_code == 404
        assert client.post(reverse("rounds:conclude_rereview", args=[request.pk]),
                           {"approval_number": "x"}).status_code == 404


def test_a_rereview_deferred_after_recusals_waits_for_the_next_meeting(world):
    rnd, decision, request = _requested(world)
    meeting = _convene(world, rnd)
    users = f.check_in(meeting)
    app = decision.application
    for user in users[1:3]:  # two of five leave: 3 < 2/3 of 5
        services.declare_conflict(meeting=meeting, application=app, actor=user, kind="relative")
    f.vote(meeting, app, [users[0], users[3], users[4]], ["yes", "yes", "yes"])
    f.close(meeting)
    request.refresh_from_db()
    assert request.state == RereviewState.PENDING and request.meeting is None and request.tally is None
    assert Tally.objects.get(meeting=meeting).outcome == "deferred"
    assert list(services.meetings.rereviews_waiting(rnd)) == [request]


def test_a_rereview_meeting_needs_a_finalised_round_and_a_request(world):
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    with pytest.raises(ValidationError, match="没有待复查"):
        _convene(world, rnd)
    decision = selectors.final_passed_decisions(rnd).first()
    services.request_rereview(decision=decision, actor=world.staff, grounds="error", reason="材料有误。")
    with pytest.raises(PermissionDenied):
        services.convene_rereview_meeting(round=rnd, actor=world.other_staff, held_on=HELD, place="会议室",
                                          today=HELD)
    _convene(world, rnd)
    with pytest.raises(ValidationError, match="进行中的评审会议"):
        _convene(world, rnd)


def test_no_31_december_lock_on_the_rereview_meeting(world):
    rnd, decision, request = _requested(world)
    held = date(2026, 3, 2)
    meeting = services.convene_rereview_meeting(round=rnd, actor=world.staff, held_on=held, place="会议室",
                                                today=held)
    users = f.check_in(meeting)
    f.vote(meeting, decision.application, users, ["yes"] * 5)
    meeting = f.close(meeting)
    assert RereviewRequest.objects.get().state == RereviewState.VOTED


def test_the_school_publishes_and_concludes_in_the_browser_giving_only_the_number(world, client, clock):
    rnd, decision, meeting, users = _voted(world, ["yes"] * 5)
    meeting = f.close(meeting)
    services.sign_minutes(meeting=meeting, actor=f.chair(meeting))
    request = RereviewRequest.objects.get()
    client.force_login(world.staff)
    clock.set(PUBLISHED)
    body = client.get(reverse("rounds:session", args=[rnd.pk])).content.decode()
    assert 'data-testid="rereview-outcome"' in body and 'data-testid="rereview-publish"' in body
    client.post(reverse("rounds:publish_rereview_result", args=[request.pk]), {"expected_state": "voted"})
    assert RereviewRequest.objects.get().state == RereviewState.NOTICE
    clock.set(date(2025, 11, 11))
    url = reverse("rounds:conclude_rereview", args=[request.pk])
    client.post(url, {"approval_number": "安工大职评〔2025〕9号", "expected_state": "notice", "passed": "false"})
    new = RereviewRequest.objects.get().outcome
    assert new.passed and new.approval_number == "安工大职评〔2025〕9号"  # as counted; a "passed" field is ignored
    assert new.supersedes == decision
