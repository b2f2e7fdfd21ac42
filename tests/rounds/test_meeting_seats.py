"""Who sits and presides at a committee meeting (DOMAIN §7, 附件2 二(二)1; the procedure audit of 2026-12-07).

The meeting's committee is the one the quorum counts, so it keeps the committee's own rules: an odd number, at
least five (a meeting of three let two members award titles); at a 中级 committee more than half 副高级 or above
(the draw fills those seats first, and stays reproducible from its seed). The chair presides in person: a chair
who has not checked in cannot close the vote. Attendance is on the meeting day, and nothing reaches a meeting the
chair has closed, even from a page read before it closed."""

import random
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from applications.track_a.rules import is_senior
from evaluation.rounds import rules, services
from evaluation.rounds.models import Conflict, Meeting, MeetingMember, SecretBallot, VoteCast
from portal.models import AuditLog, ExpertProfile
from tests.rounds import factories as f
from tests.rounds.meeting_world import awaiting


def test_a_meeting_of_three_is_refused_five_is_the_least(world):
    rnd = awaiting(world, members=9, candidates=1)
    with pytest.raises(ValidationError, match="不少于5的单数"):
        f.convene(world, rnd, size=3)
    assert not Meeting.objects.exists()
    assert f.convene(world, rnd, size=5).size == 5


def _intermediate_except_chair_and(w, seniors):
    """The committee's members other than the chair: ``seniors`` of them 副高级, the rest 中级."""
    seats = list(w.committee.members.filter(is_chair=False).select_related("expert").order_by("id"))
    for i, member in enumerate(seats):
        ExpertProfile.objects.filter(pk=member.expert_id).update(
            title_level="deputy_senior" if i < seniors else "intermediate")
    return [m.pk for m in seats[:seniors]]


def test_a_draw_that_cannot_seat_a_senior_majority_is_refused(world):
    rnd = awaiting(world, members=9, candidates=1)
    _intermediate_except_chair_and(world, 3)  # chair + 3 of 9 are 副高级 or above
    with pytest.raises(ValidationError, match="过半数.*至少5人.*只有4人"):
        f.convene(world, rnd, size=9)
    assert not Meeting.objects.exists()


def test_the_draw_seats_the_senior_majority_first_and_stays_reproducible(world):
    rnd = awaiting(world, members=9, candidates=1)
    seniors = _intermediate_except_chair_and(world, 3)
    meeting = f.convene(world, rnd, size=7)  # 4 of 7 must be senior: the chair and the three others
    assert meeting.draw_senior_seats == 3 and sorted(meeting.draw_senior_pool) == sorted(seniors)
    seated = MeetingMember.objects.filter(meeting=meeting).select_related("member__expert")
    assert sum(is_senior(s.member.expert.title_level) for s in seated) >= 4
    assert set(seniors) <= set(meeting.draw_result)
    assert services.verify_draw(meeting)
    changes = AuditLog.objects.get(action="rounds.convene_meeting").changes
    assert changes["draw_senior_seats"] == 3 and sorted(changes["draw_senior_pool"]) == sorted(seniors)


def test_the_reserved_draw_always_holds_its_reserved_seats_and_is_the_plain_draw_without_them():
    pool, reserved = list(range(1, 21)), [3, 7, 11, 15]
    for i in range(200):
        seed = f"seed{i}"
        drawn = rules.draw(pool, 8, seed, reserved, 3)
        assert len(drawn) == 8 == len(set(drawn)) and set(drawn) <= set(pool)
        assert len(set(drawn) & set(reserved)) >= 3
        assert drawn == rules.draw(pool, 8, seed, reserved, 3)  # reproducible
        assert rules.draw(pool, 8, seed) == sorted(random.Random(seed).sample(pool, 8))


def test_the_chair_who_has_not_checked_in_cannot_close_the_vote(world):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd, size=5)
    seats = f.seats(meeting)
    chair, others = seats[0].user, [s.user for s in seats[1:]]
    for user in others:  # four of five: a quorum without the chair
        services.check_in(meeting=meeting, actor=user, today=meeting.held_on)
    app = f.eligible(rnd)[0]
    f.vote(meeting, app, others, ["yes"] * 4)
    with pytest.raises(ValidationError, match="主任委员尚未签到"):
        services.close_vote(meeting=meeting, actor=chair, today=meeting.held_on)
    assert Meeting.objects.get(pk=meeting.pk).state == "convened"
    services.check_in(meeting=meeting, actor=chair, today=meeting.held_on)
    assert services.close_vote(meeting=meeting, actor=chair, today=meeting.held_on).state == "closed"


def test_check_in_only_on_the_meeting_day(world):
    rnd = awaiting(world, members=5, candidates=1)
    meeting = f.convene(world, rnd, size=5)
    member = f.seats(meeting)[1].user
    for day in (meeting.held_on - timedelta(days=1), meeting.held_on + timedelta(days=1)):
        with pytest.raises(ValidationError, match="只能在当天签到"):
            services.check_in(meeting=meeting, actor=member, today=day)
    assert not MeetingMember.objects.filter(meeting=meeting, checked_in_at__isnull=False).exists()
    assert services.check_in(meeting=meeting, actor=member, today=meeting.held_on).checked_in_at is not None


def test_nothing_reaches_a_meeting_closed_after_the_page_was_read(world):
    rnd = awaiting(world, members=9, candidates=1)
    meeting = f.convene(world, rnd, size=9)
    users = f.check_in(meeting, 6)
    app = f.eligible(rnd)[0]
    services.declare_conflict(meeting=meeting, application=app, actor=users[0], kind="supervised")
    stale = Meeting.objects.get(pk=meeting.pk)  # a member's page, read while the vote was open
    f.close(meeting)  # five who may vote of nine: 暂缓
    before = (SecretBallot.objects.count(), VoteCast.objects.count(), Conflict.objects.count())
    with pytest.raises(ValidationError, match="表决已结束"):
        services.cast_vote(meeting=stale, application=app, actor=users[1], choice="yes")
    with pytest.raises(ValidationError, match="表决已结束"):
        services.declare_conflict(meeting=stale, application=app, actor=users[2], kind="relative")
    assert (SecretBallot.objects.count(), VoteCast.objects.count(), Conflict.objects.count()) == before
