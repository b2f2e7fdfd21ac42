"""Issue 14, finding 10: round pages must not over-share, and a 403 must not reveal what exists.

- ``/rounds/<id>/`` listed applicants' names to supervising offices, although ``rounds.view_personal`` gives
  them counts only;
- ``/certificates/rounds/<pk>/issue-titles/`` answered 403 to another school's staff (the round exists);
- ``/rounds/<id>/apply/`` answered 403 to anyone for any round id (the same leak).
"""

from django.urls import reverse

from evaluation.rounds.models import RoundState, TitleApplication
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
