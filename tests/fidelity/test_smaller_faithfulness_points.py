"""Issue 12 item 8 — the smaller faithfulness points (except the committee's filing office: test_committee_office.py).

- 评审结果备案 (national rule for units holding evaluation authority; 附件2 二(三): the committee is 核准备案 with an
  HRSS office): the results go on record with the office that filed the committee; our decision (DOMAIN §7):
  certificates issue only after that office has recorded them; it may refuse a candidate's result with a reason,
  and then no certificate issues for that candidate.

Each test names the code before this change (commit 53e2aa0) on which it fails.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certificates.models import Certificate
from certificates.services import IssuanceError
from certificates.titles import issue_round_titles
from evaluation.rounds import selectors, services
from evaluation.rounds.models import FilingState, RoundState
from tests.rounds import factories as f


# --- 评审结果备案 ----------------------------------------------------------------------------------------------------

def test_no_title_certificate_before_the_office_recorded_the_results(world):
    """Before: ``issue_round_titles`` issued from every passed decision of a finalised round."""
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    with pytest.raises(IssuanceError, match="尚未报送"):
        issue_round_titles(rnd, actor=world.staff, render=False)
    filing = services.submit_results(round=rnd, actor=world.staff)
    with pytest.raises(IssuanceError, match="人社部门备案后才能发证"):
        issue_round_titles(rnd, actor=world.staff, render=False)
    assert not Certificate.objects.filter(kind="title").exists()
    filing = services.record_results(filing=filing, actor=world.city_hrss)
    assert filing.state == FilingState.RECORDED
    assert len(issue_round_titles(rnd, actor=world.staff, render=False)) == 2


def test_only_the_office_that_filed_the_committee_records_them(world):
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    filing = services.submit_results(round=rnd, actor=world.staff)
    for outsider in (world.staff, world.other_city_hrss, world.prov_hrss, world.city_edu):
        with pytest.raises(PermissionDenied):
            services.record_results(filing=filing, actor=outsider)


def test_a_refused_result_gets_no_certificate_and_the_refusal_needs_a_reason(world):
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    refused, kept = selectors.final_passed_decisions(rnd)[:2]
    filing = services.submit_results(round=rnd, actor=world.staff)
    with pytest.raises(ValidationError, match="写明理由"):
        services.record_results(filing=filing, actor=world.city_hrss, refusals={refused.pk: " "})
    services.record_results(filing=filing, actor=world.city_hrss,
                            refusals={refused.pk: "该人员毕业设计成绩材料与存档不符，不予备案。"})
    issued = issue_round_titles(rnd, actor=world.staff, render=False)
    assert [c.source_key for c in issued] == [kept.source_key]
