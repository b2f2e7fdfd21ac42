"""List pages and panels run a bounded number of queries whatever the number of applications (two sizes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.rounds.models import Objection, PublicNotice, RoundState, TitleApplication
from tests.rounds import factories as f

SIZES = [2, 12]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _finalised_with_objections(world, n):
    rnd = f.round_in(world, RoundState.FINALISED, n=n)
    for notice in PublicNotice.objects.filter(round=rnd):
        for entry in notice.entries.all():
            Objection.objects.create(notice=notice, entry=entry, content="请核实", state="dismissed",
                                     answer="经核查，属实。", answered_by=world.staff, answered_at=timezone.now())
    return rnd


PAGES = {
    "rounds:detail": (30, lambda rnd: [rnd.pk]),
    "rounds:report": (20, lambda rnd: [rnd.pk]),
    "rounds:decisions": (20, lambda rnd: [rnd.pk]),
    "rounds:objections": (20, lambda rnd: [rnd.pk]),
    "rounds:session": (25, lambda rnd: [rnd.pk]),
    "rounds:index": (15, lambda rnd: []),
    "rounds:report_xlsx": (20, lambda rnd: [rnd.pk]),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_round_pages_are_bounded(name, size, world, client, django_assert_max_num_queries):
    rnd = _finalised_with_objections(world, size)
    cap, args = PAGES[name]
    client.force_login(world.staff)
    with django_assert_max_num_queries(cap):
        assert client.get(reverse(name, args=args(rnd))).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_public_notice_is_bounded(size, world, client, django_assert_max_num_queries):
    rnd = _finalised_with_objections(world, size)
    notice = PublicNotice.objects.filter(round=rnd).first()
    client.force_login(world.student)  # 单位内部公示: read by a member of the school (session, user, roles: +3)
    with django_assert_max_num_queries(11):
        assert client.get(reverse("rounds:public_notice", args=[notice.pk])).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("rounds:public_index")).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_session_page_while_voting_is_bounded(size, world, client, django_assert_max_num_queries):
    rnd = f.round_in(world, RoundState.AWAITING_SESSION, n=size)
    meeting = f.convene(world, rnd)
    users = f.check_in(meeting)
    for app in f.eligible(rnd)[: size // 2]:
        f.vote(meeting, app, users, ["yes"] * len(users))
    client.force_login(world.staff)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("rounds:session", args=[rnd.pk])).status_code == 200
    client.force_login(f.chair(meeting))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("rounds:meeting", args=[meeting.pk])).status_code == 200


def test_query_counts_do_not_grow_with_the_round(world, client):
    """The same pages at 2 and at 12 candidates: exactly the same number of queries."""
    rnd = _finalised_with_objections(world, 2)
    client.force_login(world.staff)
    for name, (_cap, args) in PAGES.items():  # warm the per-process caches (content types, sessions)
        _count(client, reverse(name, args=args(rnd)))
    small = {name: _count(client, reverse(name, args=args(rnd))) for name, (_cap, args) in PAGES.items()}
    for i in range(10):  # ten more candidates, decided the same way, in the same round
        g = f.graduate(world, f"Q{i:04d}")
        TitleApplication.objects.create(round=rnd, graduate=g, level="technician", major=g.major,
                                        created_by=world.staff, submission_count=1)
    large = {name: _count(client, reverse(name, args=args(rnd))) for name, (_cap, args) in PAGES.items()}
    assert large == small


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("who", ["staff", "city_hrss", "city_edu", "prov_hrss", "prov_edu", "student"])
def test_dashboard_panels_are_bounded(who, size, world, client, django_assert_max_num_queries):
    f.round_in(world, RoundState.FINALISED, n=size)
    f.graduate(world, "D0001", user=world.student)
    client.force_login(getattr(world, who))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "职称评审" in response.content.decode()
