"""Issue 14, finding 10: round pages must not over-share, and a 403 must not reveal what exists.

- ``/rounds/<id>/`` listed applicants' names to supervising offices, although ``rounds.view_personal`` gives
  them counts only;
- ``/certificates/rounds/<pk>/issue-titles/`` answered 403 to another school's staff (the round exists);
- ``/rounds/<id>/apply/`` answered 403 to anyone for any round id (the same leak);
- and, found in a later audit of every page for the same pattern: the decisions page and the meeting page
  (progress and tallies) named the candidates to supervising offices too.
"""

from django.urls import reverse

from evaluation.rounds.models import Decision, RoundState, TitleApplication
from tests.rounds import factories as f


def test_supervisors_see_counts_not_names(world, client):
    rnd = f.round_in(world, RoundState.OPEN, n=2)
    names = list(TitleApplication.objects.filter(round=rnd).values_list("graduate__name", flat=True))
    numbers = list(TitleApplication.objects.filter(round=rnd).values_list("graduate__student_number", flat=True))
    assert names
    for officer in (world.city_hrss, world.city_edu, world.prov_hrss, world.prov_edu):
        client.force_login(officer)
        body = client.get(reverse("rounds:detail", args=[rnd.pk])).content.decode()
        assert not [n for n in names + numbers if n in body], officer.username
        assert 'data-testid="counts-only"' in body
    client.force_login(world.staff)  # the school itself still sees its applicants
    body = client.get(reverse("rounds:detail", args=[rnd.pk])).content.decode()
    assert all(n in body for n in names)


def _personal(rnd, model):
    rows = model.objects.filter(round=rnd)
    return list(rows.values_list("graduate__name", flat=True)) + list(
        rows.values_list("graduate__student_number", flat=True))


def test_supervisors_see_the_decisions_as_counts(world, client):
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    personal = _personal(rnd, Decision)
    assert len(personal) == 4
    for officer in (world.city_hrss, world.city_edu, world.prov_hrss, world.prov_edu):
        client.force_login(officer)
        body = client.get(reverse("rounds:decisions", args=[rnd.pk])).content.decode()
        assert not [n for n in personal if n in body], officer.username
        assert 'data-testid="counts-only"' in body and "共 2 人" in body
    client.force_login(world.staff)
    body = client.get(reverse("rounds:decisions", args=[rnd.pk])).content.decode()
    assert all(n in body for n in personal) and 'data-testid="counts-only"' not in body


def _meeting_page(client, user, rnd):
    client.force_login(user)
    return client.get(reverse("rounds:session", args=[rnd.pk])).content.decode()


def test_supervisors_follow_a_meeting_without_names(world, client):
    """The vote's progress while the meeting is open, and its tallies once closed: numbered rows for the offices,
    names for the school."""
    rnd = f.round_in(world, RoundState.AWAITING_SESSION, n=2)
    meeting = f.convene(world, rnd)
    f.check_in(meeting)
    personal = _personal(rnd, TitleApplication)
    for closed in (False, True):
        for officer in (world.city_hrss, world.city_edu, world.prov_hrss, world.prov_edu):
            body = _meeting_page(client, officer, rnd)
            assert not [n for n in personal if n in body], (closed, officer.username)
            assert "第1位" in body and "第2位" in body and "第3位" not in body
        body = _meeting_page(client, world.staff, rnd)
        assert "第1位" not in body and all(n in body for n in personal[:2])
        if not closed:
            f.close(meeting)


def test_issue_titles_of_another_schools_round_is_not_found(world, client):
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    client.force_login(world.other_staff)
    assert client.post(reverse("certificates:issue_round_titles", args=[rnd.pk])).status_code == 404
    missing = client.post(reverse("certificates:issue_round_titles", args=[rnd.pk + 1000]))
    assert missing.status_code == 404  # the same answer as for a round that does not exist


def test_apply_to_a_round_one_cannot_see_is_not_found(world, client):
    rnd = f.round_in(world, RoundState.OPEN, n=1)
    client.force_login(world.other_staff)
    assert client.get(reverse("rounds:apply", args=[rnd.pk])).status_code == 404
    assert client.get(reverse("rounds:apply", args=[rnd.pk + 1000])).status_code == 404
