"""Title certificates come from the final decisions of a round (issue 7 §2): one per passed graduate, idempotent,
and only once the office that filed the committee has recorded the results (评审结果备案)."""

import pytest
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import IssuanceError
from certificates.titles import issue_round_titles
from evaluation.rounds.models import RoundState
from evaluation.rounds.selectors import final_passed_decisions
from tests.rounds import factories as f


def test_a_finalised_round_issues_one_title_certificate_per_passed_graduate(world):
    rnd = f.round_in(world, RoundState.FINALISED, n=3)
    decisions = list(final_passed_decisions(rnd))
    assert len(decisions) == 3
    with pytest.raises(IssuanceError, match="尚未报送人社部门备案"):
        issue_round_titles(rnd, actor=world.staff, render=False)
    f.record_results(world, rnd)
    first = issue_round_titles(rnd, actor=world.staff, render=False)
    again = issue_round_titles(rnd, actor=world.staff, render=False)
    assert [c.pk for c in first] == [c.pk for c in again]
    assert Certificate.objects.filter(kind="title").count() == 3
    cert = first[0]
    fields = cert.data
    assert fields["qualification"] == decisions[0].get_level_display()
    assert fields["approval_no"] == rnd.document_number
    assert fields["issuer_uscc"] == world.inst.uscc
    assert cert.number.startswith("GC34")


def test_the_button_is_refused_before_the_round_is_final(world, client):
    rnd = f.round_in(world, RoundState.RESULTS_NOTICE, n=2)
    client.force_login(world.staff)
    response = client.post(reverse("certificates:issue_round_titles", args=[rnd.pk]), follow=True)
    assert "评审结果尚未最终确定" in response.content.decode()
    assert not Certificate.objects.filter(kind="title").exists()


def test_another_school_cannot_issue(world, client):
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    client.force_login(world.other_staff)
    # 404, not 403: another school's round is not revealed to exist (issue 14 #10).
    assert client.post(reverse("certificates:issue_round_titles", args=[rnd.pk])).status_code == 404
    assert not Certificate.objects.filter(kind="title").exists()
