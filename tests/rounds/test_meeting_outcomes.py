"""After the vote: a deferred candidate ends the stage or goes to a second meeting; the minutes carry the
school's seal."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from evaluation.rounds import services
from evaluation.rounds.models import ApplicationState, EvaluationRound, RoundState, TitleApplication
from evaluation.rounds.tasks import render_minutes
from tests.rounds import factories as f
from tests.rounds.meeting_world import awaiting
from tests.sealing import seals_of


def test_the_secretary_ends_the_stage_after_a_deferral(world):
    rnd = awaiting(world, members=9, candidates=2)
    meeting = f.convene(world, rnd, size=9)
    users = f.check_in(meeting, 6)
    a, b = f.eligible(rnd)
    services.declare_conflict(meeting=meeting, application=a, actor=users[5], kind="relative")
    f.vote(meeting, b, users, ["yes"] * 6)
    f.close(meeting)
    with pytest.raises(PermissionDenied):
        services.end_committee_review(round=EvaluationRound.objects.get(pk=rnd.pk), actor=world.city_hrss)
    rnd = services.end_committee_review(round=EvaluationRound.objects.get(pk=rnd.pk), actor=world.staff)
    assert rnd.state == RoundState.VOTED
    assert TitleApplication.objects.get(pk=a.pk).state == ApplicationState.ELIGIBLE


def test_a_second_meeting_decides_the_deferred(world):
    rnd = awaiting(world, members=9, candidates=2)
    meeting = f.convene(world, rnd, size=9)
    users = f.check_in(meeting, 6)
    a, b = f.eligible(rnd)
    services.declare_conflict(meeting=meeting, application=a, actor=users[5], kind="relative")
    f.vote(meeting, b, users, ["yes"] * 6)
    services.sign_minutes(meeting=f.close(meeting), actor=f.chair(meeting))
    second = f.convene(world, EvaluationRound.objects.get(pk=rnd.pk), size=9, held_on=date(2025, 9, 30),
                       today=date(2025, 9, 30))
    users = f.check_in(second)
    f.vote(second, TitleApplication.objects.get(pk=a.pk), users, ["yes"] * 9)
    f.close(second)
    assert TitleApplication.objects.get(pk=a.pk).state == ApplicationState.PASSED
    assert EvaluationRound.objects.get(pk=rnd.pk).state == RoundState.VOTED


def test_minutes_are_sealed_by_the_school(world):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd)
    users = f.check_in(meeting)
    f.vote(meeting, f.eligible(rnd)[0], users, ["yes"] * 5)
    meeting = f.close(meeting)
    render_minutes(meeting.pk)
    meeting.refresh_from_db()
    (seal,) = seals_of(meeting.minutes.read())
    assert seal.signer == world.inst.name and seal.intact and seal.valid and seal.trusted and seal.whole_file
