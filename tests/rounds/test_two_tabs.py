"""The same action sent from two tabs, or by two people at once (the concurrency audit of 2026-12-07): where rows
were inserted before the transition that locks and checks the state, the second request failed on a unique
constraint (a 500). The transition now comes first, so the second waits and gets the workflow's message; a
second check-in writes no second audit row."""

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from applications.track_a import services as track_a
from applications.track_a.models import GroupMember, State
from applications.workflow import WorkflowError
from evaluation.rounds import services
from evaluation.rounds.models import (
    ApplicationState,
    ResultRefusal,
    RoundState,
    SecretBallot,
    TitleApplication,
)
from evaluation.rounds.selectors import current_decisions
from evaluation.rounds.services import applications, ballots
from evaluation.rounds.views.meetings import SALT
from portal.models import AuditLog
from tests.rounds import factories as f
from tests.rounds.meeting_world import awaiting
from tests.track_a import factories as ta


def test_recording_the_results_twice_is_refused_not_a_500(world):
    rnd = f.round_in(world, RoundState.FINALISED)
    filing = services.filing.submit_results(round=rnd, actor=world.staff)
    decision = next(d for d in current_decisions(rnd) if d.passed)
    office = f.office_user(world, rnd)
    refusals = {decision.pk: "学历证书无法核实"}
    services.filing.record_results(filing=filing, actor=office, refusals=refusals)
    with pytest.raises((WorkflowError, ValidationError)):
        services.filing.record_results(filing=filing, actor=office, refusals=refusals)  # the second tab's form
    assert ResultRefusal.objects.count() == 1
    assert AuditLog.objects.filter(action="rounds.record_results").count() == 1


def test_confirming_the_expert_group_twice_is_refused_not_a_500(world):
    app = ta.application_in(world, State.AT_PROVINCE)
    group = ta.expert_group(world, app, confirm=False)
    pool = ta.expert_pool(world)
    extra = next(e for e in pool if e.pk not in set(group.members.values_list("expert_id", flat=True)))
    stale = type(group).objects.get(pk=group.pk)
    track_a.confirm_group(group=group, actor=world.prov_hrss, add=[extra])
    with pytest.raises(WorkflowError):
        track_a.confirm_group(group=stale, actor=world.prov_hrss, add=[extra])
    assert GroupMember.objects.filter(group=group, expert=extra).count() == 1


def test_a_second_check_in_from_another_tab_writes_no_second_audit_row(world, monkeypatch):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd, size=5)
    member = f.seats(meeting)[1]
    stale = type(member).objects.get(pk=member.pk)  # read by the second tab before the first checked in
    services.check_in(meeting=meeting, actor=member.user, today=meeting.held_on)
    monkeypatch.setattr(ballots, "seat_of", lambda meeting, user: stale)
    services.check_in(meeting=meeting, actor=member.user, today=meeting.held_on)
    assert AuditLog.objects.filter(action="rounds.check_in", actor=member.user).count() == 1


def test_the_ballot_token_comes_with_the_page_so_two_quick_votes_share_it(world, client):
    """Two votes sent before the first answer (two candidates' forms, a double click) each made a token of their
    own; the browser kept one, and the other ballot could no longer be changed or withdrawn for a 回避."""
    rnd = awaiting(world, members=5, candidates=2)
    meeting = f.convene(world, rnd)
    users = f.check_in(meeting)
    one, two = f.eligible(rnd)
    client.force_login(users[1])
    assert client.get(reverse("rounds:meeting", args=[meeting.pk])).status_code == 200
    name = f"rounds_ballot_{meeting.pk}"
    cookie = client.cookies[name].value

    def token():  # the cookie is signed again with each vote (its time changes with the second), the token is kept
        request = HttpRequest()
        request.COOKIES[name] = client.cookies[name].value
        return request.get_signed_cookie(name, salt=SALT)

    first = token()
    for app in (one, two):  # both sent with the page's cookie, as two forms in flight would be
        client.cookies[name] = cookie
        assert client.post(reverse("rounds:vote", args=[meeting.pk, app.pk]), {f"a{app.pk}-choice": "yes"}).status_code == 302
    assert token() == first  # the same token throughout
    client.post(reverse("rounds:vote", args=[meeting.pk, one.pk]), {f"a{one.pk}-choice": "no"})
    client.post(reverse("rounds:vote", args=[meeting.pk, two.pk]), {f"a{two.pk}-choice": "abstain"})
    assert sorted(SecretBallot.objects.values_list("choice", flat=True)) == ["abstain", "no"]


def test_an_application_submitted_while_the_candidates_are_published_is_not_stranded(world, monkeypatch):
    """The student submits while the school publishes the 公示: the publication now locks the round first and
    counts the submitted applications under that lock; a submission that comes after finds the round closed. Here
    the submission's own check of the round passes on a stale read, then meets the lock-time check."""
    rnd = f.round_in(world, RoundState.OPEN)
    late = f.application(world, rnd, f.graduate(world, "L0001"), submit=False)
    services.publish_candidates(round=rnd, actor=world.staff, starts_on=f.CANDIDATES_FROM, today=f.OPENED)
    monkeypatch.setattr(applications, "_check_open", lambda rnd, today: None)  # read before the 公示 closed it
    with pytest.raises(ValidationError, match="申报和资格审查已结束"):
        services.submit_application(application=late, actor=world.staff, today=f.OPENED)
    assert TitleApplication.objects.get(pk=late.pk).state == ApplicationState.DRAFT
