"""The committee meeting run by its members (issue 11): quorum and the two-thirds rule at their exact boundaries,
回避 taking a member out of one candidate's denominator (and 暂缓 when too few remain), the recorded random draw,
expired members and a lapsed filing, who may vote, changing a vote, and the secrecy of the ballot."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse

from applications.track_a.models import CommitteeMember, EvaluationCommittee
from evaluation.rounds import rules, services
from evaluation.rounds.minutes import minutes_context
from evaluation.rounds.models import (
    ApplicationState,
    EvaluationRound,
    Meeting,
    MeetingMember,
    RoundState,
    SecretBallot,
    Tally,
    TitleApplication,
    VoteCast,
)
from portal.models import AuditLog
from tests.rounds import factories as f
from tests.rounds.meeting_world import awaiting, committee_of


def _tally(meeting, app):
    return Tally.objects.get(meeting=meeting, application=app)


# --- quorum (出席 ≥ 2/3 of this meeting's committee) ----------------------------------------------------------------

def test_nine_members_five_present_is_no_quorum_six_is(world):
    rnd = awaiting(world, members=9, candidates=1)
    meeting = f.convene(world, rnd, size=9)
    users = f.check_in(meeting, 5)
    app = f.eligible(rnd)[0]
    with pytest.raises(ValidationError, match="签到委员不足本次会议评委会9人的三分之二（至少6人），尚不能表决"):
        services.cast_vote(meeting=meeting, application=app, actor=users[0], choice="yes")
    with pytest.raises(ValidationError, match="签到委员5人，不足本次会议评委会9人的三分之二"):
        f.close(meeting)
    users = f.check_in(meeting, 6)  # the sixth checks in (the first five again: no change)
    assert services.ballots.present_count(meeting) == 6
    f.vote(meeting, app, users, ["yes"] * 6)
    meeting = f.close(meeting)
    t = _tally(meeting, app)
    assert (t.size, t.present, t.recused, t.voters, t.yes, t.outcome) == (9, 6, 0, 6, 6, "passed")


def test_nine_six_present_one_recused_that_candidate_is_deferred(world):
    """9 members, 6 present: quorum met. One recuses for candidate A: 5 present non-recused < 6 → A 暂缓 with the
    reason; candidate B is decided by the 6."""
    rnd = awaiting(world, members=9, candidates=2)
    meeting = f.convene(world, rnd, size=9)
    users = f.check_in(meeting, 6)
    a, b = f.eligible(rnd)
    services.declare_conflict(meeting=meeting, application=a, actor=users[3], kind="supervised")
    f.vote(meeting, a, users[:3] + users[4:], ["yes"] * 5)
    with pytest.raises(ValidationError, match="您已就该评审对象回避"):
        services.cast_vote(meeting=meeting, application=a, actor=users[3], choice="yes")
    f.vote(meeting, b, users, ["yes"] * 4 + ["no"] * 2)
    meeting = f.close(meeting)
    ta, tb = _tally(meeting, a), _tally(meeting, b)
    assert (ta.present, ta.recused, ta.voters, ta.yes, ta.outcome) == (6, 1, 5, 5, "deferred")
    assert "回避后参加表决的委员5人，不足本次会议评委会9人的三分之二（至少6人）" in ta.reason
    assert (tb.voters, tb.yes, tb.outcome) == (6, 4, "passed")
    assert TitleApplication.objects.get(pk=a.pk).state == ApplicationState.ELIGIBLE  # undecided
    assert TitleApplication.objects.get(pk=b.pk).state == ApplicationState.PASSED
    rnd = EvaluationRound.objects.get(pk=rnd.pk)
    assert rnd.state == RoundState.AWAITING_SESSION  # waits: another meeting, or the secretary ends the stage


@pytest.mark.parametrize(("choices", "outcome"), [
    (["yes"] * 6 + ["no"] * 2, "passed"),                 # 6 of 8: 18 ≥ 16
    (["yes"] * 5 + ["abstain"] * 3, "failed"),            # 5 of 8: 15 < 16 — abstentions count against
    (["yes"] * 5 + [None] * 3, "failed"),                 # 5 of 8: present but not voting counts against
])
def test_eleven_members_eight_present(world, choices, outcome):
    rnd = awaiting(world, members=11, candidates=1)
    meeting = f.convene(world, rnd, size=11)
    users = f.check_in(meeting, 8)
    app = f.eligible(rnd)[0]
    f.vote(meeting, app, users, choices)
    meeting = f.close(meeting)
    t = _tally(meeting, app)
    assert (t.size, t.present, t.voters, t.yes) == (11, 8, 8, 5 if outcome == "failed" else 6)
    assert t.outcome == outcome
    assert t.not_voted == choices.count(None) and t.abstain == choices.count("abstain")
    assert TitleApplication.objects.get(pk=app.pk).state == (ApplicationState.PASSED if outcome == "passed"
                                                              else ApplicationState.FAILED)
    assert EvaluationRound.objects.get(pk=rnd.pk).state == RoundState.VOTED


def test_rules_decide_at_the_boundaries():
    assert rules.decide(size=9, present=6, recused=0, yes=4) == ("passed", 6)
    assert rules.decide(size=9, present=6, recused=1, yes=5) == ("deferred", 5)
    assert rules.decide(size=11, present=8, recused=0, yes=6) == ("passed", 8)
    assert rules.decide(size=11, present=8, recused=0, yes=5) == ("failed", 8)
    assert rules.decide(size=11, present=9, recused=1, yes=6) == ("passed", 8)


# --- the draw ------------------------------------------------------------------------------------------------------

def test_the_draw_is_recorded_and_reproducible_from_its_seed(world):
    rnd = awaiting(world, members=11, candidates=1)
    meeting = f.convene(world, rnd, size=7)
    assert meeting.draw_seed and len(meeting.draw_pool) == 10 and len(meeting.draw_result) == 6
    assert rules.draw(meeting.draw_pool, 6, meeting.draw_seed, meeting.draw_senior_pool,
                      meeting.draw_senior_seats) == meeting.draw_result
    assert services.verify_draw(meeting)
    seats = f.seats(meeting)
    assert len(seats) == 7 and seats[0].is_chair
    assert sorted(s.member_id for s in seats[1:]) == meeting.draw_result
    log = AuditLog.objects.get(action="rounds.convene_meeting")
    assert log.changes["draw_seed"] == meeting.draw_seed and log.changes["draw_result"] == meeting.draw_result
    outside = sorted(set(meeting.draw_pool) - set(meeting.draw_result))[0]
    Meeting.objects.filter(pk=meeting.pk).update(draw_result=sorted([outside, *meeting.draw_result[1:]]))
    assert not services.verify_draw(Meeting.objects.get(pk=meeting.pk))  # a result edited afterwards shows


def test_no_draw_when_the_pool_is_the_meeting(world):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd)
    assert meeting.size == 5 and meeting.draw_seed == "" and services.verify_draw(meeting)


def test_an_even_or_too_large_meeting_is_refused(world):
    rnd = awaiting(world, members=5, candidates=1)
    with pytest.raises(ValidationError, match="单数"):
        f.convene(world, rnd, size=4)
    with pytest.raises(ValidationError, match="在任委员只有5人"):
        f.convene(world, rnd, size=7)
    assert not Meeting.objects.exists()


def test_an_expired_member_is_never_called(world):
    committee = committee_of(world, 6)
    last = CommitteeMember.objects.filter(committee=committee).order_by("-id").first()
    CommitteeMember.objects.filter(pk=last.pk).update(term_end=f.SESSION - timedelta(days=1))
    rnd = awaiting(world, members=6, candidates=1)
    meeting = f.convene(world, rnd)
    assert meeting.size == 5 and last.pk not in [s.member_id for s in f.seats(meeting)]
    assert last.pk not in meeting.draw_pool


def test_a_lapsed_filing_holds_no_meeting(world):
    """A committee whose 核准备案 has lapsed (track_a's ``valid_until``) holds no meeting until it is renewed."""
    rnd = awaiting(world, members=5, candidates=1)
    EvaluationCommittee.objects.filter(pk=rnd.committee_id).update(valid_until=f.SESSION - timedelta(days=1))
    with pytest.raises(ValidationError, match="核准备案已于2025-09-28期满"):
        f.convene(world, EvaluationRound.objects.get(pk=rnd.pk))
    assert not Meeting.objects.exists()
    EvaluationCommittee.objects.filter(pk=rnd.committee_id).update(valid_until=f.SESSION)
    assert f.convene(world, EvaluationRound.objects.get(pk=rnd.pk)).size == 5


# --- who may vote, and when ------------------------------------------------------------------------------------------

def test_an_absent_a_recused_and_a_non_member_cannot_vote(world):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd)
    users = f.check_in(meeting, 4)
    absent = f.seats(meeting)[4].user
    app = f.eligible(rnd)[0]
    with pytest.raises(ValidationError, match="您尚未签到"):
        services.cast_vote(meeting=meeting, application=app, actor=absent, choice="yes")
    with pytest.raises(PermissionDenied):
        services.cast_vote(meeting=meeting, application=app, actor=world.expert, choice="yes")
    with pytest.raises(PermissionDenied):
        services.cast_vote(meeting=meeting, application=app, actor=world.staff, choice="yes")
    services.declare_conflict(meeting=meeting, application=app, actor=users[1], kind="relative")
    with pytest.raises(ValidationError, match="回避"):
        services.cast_vote(meeting=meeting, application=app, actor=users[1], choice="yes")
    assert not SecretBallot.objects.exists() and not VoteCast.objects.exists()


def test_a_vote_after_closing_is_refused_and_the_absent_cannot_vote_afterwards(world):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd)
    users = f.check_in(meeting, 4)
    app = f.eligible(rnd)[0]
    f.vote(meeting, app, users, ["yes"] * 4)
    meeting = f.close(meeting)
    late = f.seats(meeting)[4].user
    with pytest.raises(ValidationError, match="表决已结束"):
        services.check_in(meeting=meeting, actor=late, today=f.SESSION)
    with pytest.raises(ValidationError, match="表决已结束"):
        services.cast_vote(meeting=meeting, application=app, actor=users[0], choice="no")
    assert _tally(meeting, app).yes == 4


def test_only_the_chair_closes_and_signs(world):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd)
    users = f.check_in(meeting)
    f.vote(meeting, f.eligible(rnd)[0], users, ["yes"] * 5)
    for someone in (users[1], world.staff):
        with pytest.raises(PermissionDenied):
            services.close_vote(meeting=meeting, actor=someone, today=f.SESSION)
    meeting = f.close(meeting)
    with pytest.raises(PermissionDenied):
        services.sign_minutes(meeting=meeting, actor=world.staff)
    with pytest.raises(ValidationError, match="尚未由主任委员签署"):
        services.publish_results(round=EvaluationRound.objects.get(pk=rnd.pk), actor=world.staff,
                                 starts_on=f.RESULTS_FROM, today=f.SESSION)
    meeting = services.sign_minutes(meeting=meeting, actor=f.chair(meeting))
    assert meeting.signed_at is not None


def test_check_in_only_from_the_meeting_day(world):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd, held_on=f.SESSION + timedelta(days=1))
    with pytest.raises(ValidationError, match="只能在当天签到"):
        services.check_in(meeting=meeting, actor=f.chair(meeting), today=f.SESSION)


def test_a_vote_changes_with_its_token_and_only_with_it(world):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd)
    users = f.check_in(meeting)
    app = f.eligible(rnd)[0]
    token = services.cast_vote(meeting=meeting, application=app, actor=users[0], choice="no")
    assert services.cast_vote(meeting=meeting, application=app, actor=users[0], choice="yes", token=token) == token
    assert SecretBallot.objects.count() == 1 and SecretBallot.objects.get().choice == "yes"
    with pytest.raises(ValidationError, match="其他设备"):
        services.cast_vote(meeting=meeting, application=app, actor=users[0], choice="no")
    assert services.ballots.my_choices(meeting, token, [app]) == {app.pk: "yes"}
    assert services.ballots.my_choices(meeting, "another", [app]) == {}


# --- secrecy -------------------------------------------------------------------------------------------------------

def test_no_column_or_admin_page_joins_a_member_to_a_ballot():
    """SecretBallot: no relation but the meeting and the candidate, no time, a random id. VoteCast: no choice.
    Neither is in the admin."""
    relations = {fl.name: fl.related_model for fl in SecretBallot._meta.get_fields() if fl.is_relation}
    assert set(relations) == {"meeting", "application"}
    assert not any(isinstance(fl, models.DateTimeField | models.DateField) for fl in SecretBallot._meta.fields)
    assert isinstance(SecretBallot._meta.pk, models.UUIDField)
    assert {fl.name for fl in VoteCast._meta.fields} == {"id", "meeting", "application", "member"}
    assert not any(fl.is_relation and fl.related_model is SecretBallot for fl in VoteCast._meta.get_fields())
    for model in (SecretBallot, VoteCast, MeetingMember, Meeting):
        assert not any(fl.is_relation and fl.related_model is SecretBallot
                       for fl in model._meta.get_fields() if model is not SecretBallot)
    assert SecretBallot not in admin.site._registry and VoteCast not in admin.site._registry


def test_the_log_and_the_audit_never_hold_a_choice(world):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd)
    users = f.check_in(meeting)
    f.vote(meeting, f.eligible(rnd)[0], users, ["yes", "no", "abstain", "yes", "yes"])
    rows = list(AuditLog.objects.filter(action="rounds.vote"))
    assert len(rows) == 5
    for row in rows:
        assert set(row.changes) == {"meeting"}
        assert not any(c in str(row.changes) for c in ("yes", "no", "abstain", "同意", "弃权"))


def test_secretary_sees_progress_not_counts_before_closing(world, client):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd)
    users = f.check_in(meeting)
    app = f.eligible(rnd)[0]
    f.vote(meeting, app, users[:3], ["yes", "yes", "no"])
    client.force_login(world.staff)
    body = client.get(reverse("rounds:session", args=[rnd.pk])).content.decode()
    assert "3 / 5" in body and 'data-testid="tallies"' not in body


def test_members_see_candidates_materials_while_the_meeting_runs_only(world, client):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd)
    app = f.eligible(rnd)[0]
    member = f.seats(meeting)[2].user
    client.force_login(member)
    page = client.get(reverse("rounds:meeting_candidate", args=[meeting.pk, app.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert app.graduate.name in body and 'data-testid="verdict"' in body and "公示异议及答复" in body
    evidence = app.evidence.first()
    assert client.get(reverse("rounds:meeting_evidence", args=[meeting.pk, app.pk, evidence.pk])).status_code == 200
    users = f.check_in(meeting)
    f.vote(meeting, app, users, ["yes"] * 5)
    f.close(meeting)
    assert client.get(reverse("rounds:meeting_candidate", args=[meeting.pk, app.pk])).status_code == 404
    assert client.get(reverse("rounds:meeting", args=[meeting.pk])).status_code == 200  # the record stays


def test_a_member_votes_and_changes_it_in_the_browser(world, client):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd)
    users = f.check_in(meeting)
    app = f.eligible(rnd)[0]
    client.force_login(users[1])
    url = reverse("rounds:vote", args=[meeting.pk, app.pk])
    assert client.post(url, {f"a{app.pk}-choice": "no"}).status_code == 302
    assert f"rounds_ballot_{meeting.pk}" in client.cookies
    assert client.post(url, {f"a{app.pk}-choice": "yes"}).status_code == 302
    body = client.get(reverse("rounds:meeting", args=[meeting.pk])).content.decode()
    assert 'data-choice="yes"' in body
    assert SecretBallot.objects.get().choice == "yes" and VoteCast.objects.count() == 1


def test_a_member_of_another_committee_or_not_drawn_gets_404(world, client):
    rnd = awaiting(world, members=9, candidates=1)
    meeting = f.convene(world, rnd, size=5)
    seated = {s.member_id for s in f.seats(meeting)}
    not_drawn = CommitteeMember.objects.filter(committee=rnd.committee).exclude(pk__in=seated).first()
    app = f.eligible(rnd)[0]
    for user in (world.expert, not_drawn.expert.user, world.student):
        client.force_login(user)
        for name, args in (("rounds:meeting", [meeting.pk]), ("rounds:meeting_candidate", [meeting.pk, app.pk])):
            assert client.get(reverse(name, args=args)).status_code == 404
        assert client.post(reverse("rounds:vote", args=[meeting.pk, app.pk]),
                           {f"a{app.pk}-choice": "yes"}).status_code == 404
    assert not VoteCast.objects.exists()


def test_candidates_and_the_public_never_see_the_members_names(world, client):
    g = f.graduate(world, "S0001", user=world.student, name="王学生")
    rnd = f.open_round(world)
    app = f.application(world, rnd, g, actor=world.student)
    services.review_application(application=app, actor=world.staff, decision="pass", today=f.OPENED)
    rnd = services.publish_candidates(round=rnd, actor=world.staff, starts_on=f.CANDIDATES_FROM, today=f.OPENED)
    rnd = services.close_candidates_notice(round=rnd, actor=world.staff, today=f.SESSION)
    rnd = f.run_meeting(world, rnd)
    rnd = services.publish_results(round=rnd, actor=world.staff, starts_on=f.RESULTS_FROM, today=f.SESSION)
    rnd = services.finalise(round=rnd, actor=world.staff, document_number="安工大职评〔2025〕1号", today=f.FINALISED)
    names = [s.name for s in MeetingMember.objects.all()]
    assert names
    client.force_login(world.student)
    pages = [reverse("rounds:application", args=[app.pk]), reverse("rounds:my"), reverse("home")]
    client.logout()
    public = [reverse("rounds:public_index")] + [reverse("rounds:public_notice", args=[n.pk])
                                                 for n in rnd.notices.all()]
    client.force_login(world.student)
    for url in pages:
        body = client.get(url).content.decode()
        assert not [n for n in names if n in body], url
    client.logout()
    for url in public:
        body = client.get(url).content.decode()
        assert not [n for n in names if n in body], url


def test_minutes_give_counts_and_the_chairs_signature(world, client):
    rnd = f.round_in(world, RoundState.VOTED)
    meeting = f.meeting_of(rnd)
    html = render_to_string("pdf/rounds/minutes.html", minutes_context(Meeting.objects.get(pk=meeting.pk)))
    chair = next(s for s in f.seats(meeting) if s.is_chair)
    others = [s.name for s in f.seats(meeting) if not s.is_chair]
    assert "已于" in html and chair.name in html and not [n for n in others if n in html]
    assert "出席委员</th><td>5 人" in html
    client.force_login(world.city_hrss)
    response = client.get(reverse("rounds:minutes", args=[meeting.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
