"""回避 at a committee meeting (issue 11): conflicts the portal finds (same employer) and those members declare
themselves; declaring after voting withdraws that ballot; a member may withdraw their own declaration while the
vote is open and only if it was made before they voted on that candidate — logged."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation.rounds import services
from evaluation.rounds.models import Conflict, SecretBallot, Tally, VoteCast
from portal.models import AuditLog
from tests.rounds import factories as f
from tests.rounds.meeting_world import awaiting


def test_an_employer_match_is_a_detected_conflict(world):
    """吴副高 works for 奇瑞汽车股份有限公司, so does the first candidate."""
    rnd = awaiting(world, members=5, candidates=2, employers=["奇瑞汽车股份有限公司", None])
    meeting = f.convene(world, rnd)
    conflicts = list(Conflict.objects.filter(meeting=meeting))
    assert len(conflicts) == 1 and conflicts[0].detected and conflicts[0].member.name == "吴副高"
    assert conflicts[0].application.graduate.employer == "奇瑞汽车股份有限公司"


def test_declaring_a_conflict_after_voting_withdraws_that_ballot(world):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd)
    users = f.check_in(meeting)
    app = f.eligible(rnd)[0]
    token = services.cast_vote(meeting=meeting, application=app, actor=users[2], choice="yes")
    with pytest.raises(ValidationError, match="投票所用的设备"):
        services.declare_conflict(meeting=meeting, application=app, actor=users[2], kind="relative")
    services.declare_conflict(meeting=meeting, application=app, actor=users[2], kind="other", reason="曾共同承担项目",
                              token=token)
    assert not SecretBallot.objects.exists() and not VoteCast.objects.exists()
    with pytest.raises(ValidationError, match="写明回避事由"):
        services.declare_conflict(meeting=meeting, application=app, actor=users[3], kind="other")


def _declared(world):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd)
    users = f.check_in(meeting)
    app = f.eligible(rnd)[0]
    services.declare_conflict(meeting=meeting, application=app, actor=users[1], kind="supervised")
    return meeting, users, app


def test_a_member_withdraws_their_own_declaration_before_voting_and_then_votes(world):
    meeting, users, app = _declared(world)
    with pytest.raises(ValidationError, match="回避，不能投票"):
        services.cast_vote(meeting=meeting, application=app, actor=users[1], choice="yes")
    with pytest.raises(ValidationError, match="未就该评审对象申请回避"):  # nobody withdraws another's
        services.withdraw_conflict(meeting=meeting, application=app, actor=users[2])
    services.withdraw_conflict(meeting=meeting, application=app, actor=users[1])
    assert not Conflict.objects.filter(meeting=meeting).exists()
    log = AuditLog.objects.get(action="rounds.withdraw_conflict")
    assert log.actor == users[1] and log.changes == {"meeting": meeting.pk, "kind": "supervised"}
    services.cast_vote(meeting=meeting, application=app, actor=users[1], choice="yes")
    assert VoteCast.objects.filter(meeting=meeting, application=app).count() == 1


def test_a_declaration_made_after_voting_cannot_be_withdrawn(world):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd)
    users = f.check_in(meeting)
    app = f.eligible(rnd)[0]
    token = services.cast_vote(meeting=meeting, application=app, actor=users[2], choice="no")
    services.declare_conflict(meeting=meeting, application=app, actor=users[2], kind="relative", token=token)
    with pytest.raises(ValidationError, match="投票后申请的回避不能撤回"):
        services.withdraw_conflict(meeting=meeting, application=app, actor=users[2])
    assert Conflict.objects.filter(meeting=meeting, after_vote=True).count() == 1


def test_no_withdrawal_after_the_vote_is_closed(world):
    meeting, users, app = _declared(world)
    f.vote(meeting, app, [users[0], users[2], users[3], users[4]], ["yes"] * 4)
    f.close(meeting)
    with pytest.raises(ValidationError, match="表决已结束"):
        services.withdraw_conflict(meeting=meeting, application=app, actor=users[1])
    assert Tally.objects.get(meeting=meeting).recused == 1


def test_a_conflict_the_portal_found_cannot_be_withdrawn(world):
    rnd = awaiting(world, members=5, candidates=1, employers=["奇瑞汽车股份有限公司"])
    meeting = f.convene(world, rnd)
    conflict = Conflict.objects.get(meeting=meeting)
    with pytest.raises(ValidationError, match="系统比对"):
        services.withdraw_conflict(meeting=meeting, application=conflict.application, actor=conflict.member.user)


def test_withdrawing_in_the_browser_only_for_the_member_themself(world, client):
    meeting, users, app = _declared(world)
    url = reverse("rounds:withdraw_conflict", args=[meeting.pk, app.pk])
    for outsider in (world.staff, world.expert):
        client.force_login(outsider)
        assert client.post(url).status_code == 404
    client.force_login(users[1])
    body = client.get(reverse("rounds:meeting", args=[meeting.pk])).content.decode()
    assert 'data-testid="withdraw-conflict"' in body
    assert client.post(url).status_code == 302
    assert not Conflict.objects.filter(meeting=meeting).exists()
