"""Committees live and change (附件2 二(二): "评委会可以常设，如因特殊情况，经相应级别人力资源社会保障部门同意，也可以临时
组建或随时调整、撤销"): adjustments, renewals and revocations take effect only with the filing office's consent; the
核准备案 is valid for COMMITTEE_FILING_VALID_YEARS (≤ 3); members serve terms; what the round asks
(``committee_in_force``, ``active_members``, ``filed_committee_for``) at the exact boundaries."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.urls import reverse

from applications.track_a import services
from applications.track_a.models import CommitteeFiling, CommitteeState, EvaluationCommittee
from tests.track_a import factories as f

VALID_UNTIL = date(2028, 1, 1)  # approved 2025-01-02 for 3 years


def _names(members):
    return [m.expert.user.full_name for m in members]


def test_validity_is_three_years_to_the_day(world):
    committee = f.committee(world, "approved")
    assert (committee.valid_from, committee.valid_until) == (f.APPROVED_ON, VALID_UNTIL)
    assert services.committee_in_force(committee, on=VALID_UNTIL)
    assert not services.committee_in_force(committee, on=VALID_UNTIL + timedelta(days=1))
    assert not services.committee_in_force(committee, on=f.APPROVED_ON - timedelta(days=1))
    assert services.filed_committee_for(world.inst, on=VALID_UNTIL) == committee
    assert services.filed_committee_for(world.inst, on=VALID_UNTIL + timedelta(days=1)) is None


def test_the_period_is_a_setting_of_at_most_three_years(world, settings):
    settings.COMMITTEE_FILING_VALID_YEARS = 4
    with pytest.raises(ImproperlyConfigured):
        services.filing_period_years()
    settings.COMMITTEE_FILING_VALID_YEARS = 1
    committee = f.committee(world, "approved")
    assert committee.valid_until == date(2026, 1, 1)


def test_expired_members_are_never_called(world):
    committee = f.committee(world, "approved")  # terms 2025-01-01 — 2027-12-31
    assert len(services.active_members(committee, on=date(2027, 12, 31))) == 5
    assert services.active_members(committee, on=date(2028, 1, 1)) == []
    assert services.active_members(committee, on=date(2024, 12, 31)) == []


def test_an_adjustment_takes_effect_only_with_the_offices_consent(world):
    committee = f.committee(world, "approved")
    pool = f.expert_pool(world)
    leaving = next(m for m in services.active_members(committee, on=f.APPROVED_ON) if m.expert == pool[4])
    committee = services.file_adjustment(
        committee=committee, actor=world.staff, reason="冯中级工作调动", remove=[leaving.pk],
        add=[{"expert": pool[5], "term_start": date(2025, 3, 1), "term_end": date(2027, 12, 31)}],
        today=date(2025, 3, 1))
    assert committee.state == CommitteeState.CHANGE_FILED
    assert services.committee_in_force(committee, on=date(2025, 3, 1))  # the approved composition stays
    assert "冯中级" in _names(services.active_members(committee, on=date(2025, 3, 2)))
    # the school cannot decide for the office; the city HRSS is not this 省属 school's office either
    for user in (world.staff, world.city_hrss):
        with pytest.raises(PermissionDenied):
            services.review_committee(committee=committee, actor=user, decision="approve")
    with pytest.raises(ValidationError, match="写明理由"):
        services.review_committee(committee=committee, actor=world.prov_hrss, decision="refuse")
    committee = services.review_committee(committee=committee, actor=world.prov_hrss, decision="approve",
                                          today=date(2025, 3, 10))
    assert committee.state == CommitteeState.APPROVED
    active = _names(services.active_members(committee, on=date(2025, 3, 10)))
    assert "冯中级" not in active and "陈中级" in active and len(active) == 5
    assert "冯中级" in _names(services.active_members(committee, on=date(2025, 3, 9)))  # history is kept
    filing = committee.filings.get(number=2)
    assert (filing.kind, filing.decision, filing.decided_by) == ("adjustment", "approve", world.prov_hrss)
    assert committee.valid_until == VALID_UNTIL  # an adjustment without renewal keeps the period


def test_a_refused_adjustment_changes_nothing(world):
    committee = f.committee(world, "change_filed")  # a renewal was filed
    committee = services.review_committee(committee=committee, actor=world.prov_hrss, decision="refuse",
                                          reasons="未到续期时间")
    assert committee.state == CommitteeState.APPROVED and committee.valid_until == VALID_UNTIL
    assert committee.filings.get(number=2).decision == CommitteeFiling.Decision.REFUSE


def test_a_renewal_restarts_the_period_from_the_consent(world):
    committee = f.committee(world, "change_filed")
    committee = services.review_committee(committee=committee, actor=world.prov_hrss, decision="approve",
                                          today=date(2027, 11, 1))
    assert (committee.valid_from, committee.valid_until) == (date(2027, 11, 1), date(2030, 10, 31))


def test_an_adjustment_must_leave_a_qualifying_committee(world):
    committee = f.committee(world, "approved")
    members = services.active_members(committee, on=f.APPROVED_ON)
    with pytest.raises(ValidationError, match="单数"):
        services.file_adjustment(committee=committee, actor=world.staff, reason="x", remove=[members[-1].pk],
                                 today=f.APPROVED_ON)
    with pytest.raises(ValidationError, match="没有需要报送的调整"):
        services.file_adjustment(committee=committee, actor=world.staff, reason="x", today=f.APPROVED_ON)
    with pytest.raises(ValidationError, match="理由"):
        services.file_adjustment(committee=committee, actor=world.staff, reason=" ", renew=True)
    assert EvaluationCommittee.objects.get(pk=committee.pk).state == CommitteeState.APPROVED


def test_a_revoked_committee_holds_no_meeting(world):
    committee = f.committee(world, "revocation_filed")
    assert services.filed_committee_for(world.inst, on=date(2025, 6, 1)) == committee  # pending: still in force
    committee = services.review_committee(committee=committee, actor=world.prov_hrss, decision="approve")
    assert committee.state == CommitteeState.REVOKED and committee.revoked_at
    assert not services.committee_in_force(committee, on=date(2025, 6, 1))
    assert services.filed_committee_for(world.inst, on=date(2025, 6, 1)) is None
    # a new committee of the same level may then be formed
    services.create_committee(institution=world.inst, actor=world.staff, values={
        "name": "新评委会", "level": "intermediate", "talent_pool": "x", "method": "x", "standard": "x"})


def test_a_temporary_committee_needs_a_reason_and_ends_when_it_said(world):
    f.authorised(world)
    with pytest.raises(ValidationError, match="特殊情况"):
        services.create_committee(institution=world.inst, actor=world.staff, values={
            "name": "临时评委会", "level": "intermediate", "kind": "temporary", "talent_pool": "x", "method": "x",
            "standard": "x"})
    committee = services.create_committee(institution=world.inst, actor=world.staff, values={
        "name": "临时评委会", "level": "intermediate", "kind": "temporary", "temporary_reason": "首届毕业生集中评审",
        "temporary_until": date(2025, 12, 31), "talent_pool": "x", "method": "x", "standard": "x"})
    pool = f.expert_pool(world)
    services.set_members(committee=committee, actor=world.staff, members=[
        {"expert": e, "is_chair": i == 0, "term_start": date(2025, 1, 1), "term_end": date(2025, 12, 31)}
        for i, e in enumerate(pool[:5])])
    f.standard(world)
    committee = services.file_committee(committee=committee, actor=world.staff, today=f.APPROVED_ON)
    committee = services.review_committee(committee=committee, actor=world.prov_hrss, decision="approve",
                                          today=f.APPROVED_ON)
    assert committee.valid_until == date(2025, 12, 31)


def test_the_pages_adjust_and_review(world, login):
    committee = f.committee(world, "approved")
    pool = f.expert_pool(world)
    members = services.active_members(committee)
    client = login(world.staff)
    detail = client.get(reverse("track_a:committee_detail", args=[committee.pk])).content.decode()
    assert 'data-testid="adjust"' in detail and 'data-testid="in-force"' in detail
    assert "安徽省人力资源和社会保障厅" in detail
    response = client.post(reverse("track_a:committee_adjust", args=[committee.pk]), {
        "expected_state": "approved", "reason": "冯中级工作调动", "remove": [members[-1].pk],
        "add-TOTAL_FORMS": "1", "add-INITIAL_FORMS": "0", "add-MIN_NUM_FORMS": "0", "add-MAX_NUM_FORMS": "1000",
        "add-0-expert": pool[5].pk, "add-0-term_start": "2025-03-01", "add-0-term_end": "2027-12-31"})
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.state == CommitteeState.CHANGE_FILED
    review = login(world.prov_hrss).get(reverse("track_a:committee_review", args=[committee.pk])).content.decode()
    assert "不同意" in review and "冯中级工作调动" in review
    login(world.prov_hrss).post(reverse("track_a:committee_review", args=[committee.pk]),
                                {"expected_state": "change_filed", "decision": "approve"})
    committee.refresh_from_db()
    assert committee.state == CommitteeState.APPROVED
    assert "陈中级" in _names(services.active_members(committee))
