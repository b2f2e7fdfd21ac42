"""The school's evaluation committee: formed from the expert pool, checked, filed with the right office, approved
or returned — and what the evaluation round reads (``granted_authority_for``, ``filed_committee_for``)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.track_a import routing, selectors, services
from applications.track_a.models import CommitteeState, EvaluationCommittee
from portal.models import Role
from tests.track_a import factories as f


def _member_rows(experts, chair=0, end="2027-12-31", initial=0):
    data = {"members-TOTAL_FORMS": str(len(experts)), "members-INITIAL_FORMS": str(initial), "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "1000"}
    for i, e in enumerate(experts):
        data.update({f"members-{i}-expert": e.pk, f"members-{i}-term_start": "2025-01-01",
                     f"members-{i}-term_end": end})
        if i == chair:
            data[f"members-{i}-is_chair"] = "on"
    return data


def test_no_committee_before_the_authority(world, login):
    f.application_in(world, State := "recognised")  # noqa: F841  (recognised, not yet granted)
    response = login(world.staff).get(reverse("track_a:committee_start"))
    assert response.status_code == 302
    with pytest.raises(ValidationError, match="授予职称自主评审权后"):
        services.create_committee(institution=world.inst, actor=world.staff, values={"level": "intermediate"})


def test_the_school_forms_files_and_the_province_approves(world, login):
    """安徽工业大学 is 省属: its committee files with the provincial HRSS (附件2 二(三)), not its city's."""
    f.authorised(world)
    pool = f.expert_pool(world)
    client = login(world.staff)
    page = client.get(reverse("track_a:committee_start")).content.decode()
    assert "中级职称评审委员会" in page  # the authority includes 工程师
    response = client.post(reverse("track_a:committee_start"), {
        "name": "安徽工业大学产业工程师中级职称评审委员会", "level": "intermediate", "talent_pool": "约1000人",
        "method": "评定", "standard": "安徽工业大学产业工程师评审标准"})
    committee = EvaluationCommittee.objects.get()
    assert response["Location"] == reverse("track_a:committee_members", args=[committee.pk])
    # an even number, a too-long term: refused with reasons
    page = client.post(reverse("track_a:committee_members", args=[committee.pk]),
                       _member_rows(pool[:4], end="2028-06-30")).content.decode()
    assert "任期不超过3年" in page
    client.post(reverse("track_a:committee_members", args=[committee.pk]), _member_rows(pool[:4]))
    detail = client.get(reverse("track_a:committee_detail", args=[committee.pk])).content.decode()
    assert "评委会委员人数应为单数，当前4人" in detail and 'data-testid="file-committee"' not in detail
    client.post(reverse("track_a:committee_members", args=[committee.pk]), _member_rows(pool[:5], initial=4))
    detail = client.get(reverse("track_a:committee_detail", args=[committee.pk])).content.decode()
    assert "尚未发布自主评审标准条件" in detail and 'data-testid="file-committee"' not in detail
    f.standard(world)  # the standard is part of the filing materials (附件2 二(三))
    detail = client.get(reverse("track_a:committee_detail", args=[committee.pk])).content.decode()
    assert "符合组建条件" in detail and "安徽省人力资源和社会保障厅" in detail
    client.post(reverse("track_a:committee_file", args=[committee.pk]), {"expected_state": "draft"})
    committee.refresh_from_db()
    assert committee.state == CommitteeState.FILED
    # the 芜湖 HRSS cannot see it; the 马鞍山 HRSS sees it but does not decide; the provincial HRSS approves it
    assert login(world.other_city_hrss).get(reverse("track_a:committee_detail", args=[committee.pk])).status_code \
        == 404
    assert "核准备案审核" not in login(world.city_hrss).get(
        reverse("track_a:committee_detail", args=[committee.pk])).content.decode()
    assert login(world.city_hrss).get(reverse("track_a:committee_review", args=[committee.pk])).status_code == 403
    client = login(world.prov_hrss)
    assert "核准备案审核" in client.get(reverse("track_a:committee_detail", args=[committee.pk])).content.decode()
    client.post(reverse("track_a:committee_review", args=[committee.pk]),
                {"expected_state": "filed", "decision": "approve"})
    committee.refresh_from_db()
    assert committee.state == CommitteeState.APPROVED and committee.approved_at
    assert committee.standard_version == f.standard(world) and committee.valid_until > committee.valid_from
    filed = selectors.filed_committee_for(world.inst)
    assert filed == committee and len(filed.members.all()) == 5
    assert [m.is_chair for m in filed.members.all()].count(True) == 1


def test_a_returned_committee_is_corrected_and_refiled_with_its_changes(world):
    committee = f.committee(world, "returned")
    assert selectors.filed_committee_for(world.inst) is None
    pool = f.expert_pool(world)
    services.set_members(committee=committee, actor=world.staff, members=[
        {"expert": e, "is_chair": i == 0, "term_start": date(2025, 1, 1), "term_end": date(2027, 12, 31)}
        for i, e in enumerate([pool[0], pool[1], pool[2], pool[3], pool[5]])])
    committee = services.file_committee(committee=EvaluationCommittee.objects.get(pk=committee.pk),
                                        actor=world.staff, today=f.APPROVED_ON)
    filings = services.filings_with_changes(committee)
    assert [fl.number for fl, _c in filings] == [2, 1]
    assert filings[1][0].decision == "return" and filings[1][0].reasons == "请补充评审办法"
    changed = {where for where, _old, _new in filings[0][1]}
    assert "委员 › 陈中级" in changed and "委员 › 冯中级" in changed


def test_filing_refused_while_the_committee_does_not_qualify(world):
    f.authorised(world)
    pool = f.expert_pool(world)
    committee = services.create_committee(institution=world.inst, actor=world.staff, values={
        "name": "评委会", "level": "intermediate", "talent_pool": "x", "method": "x", "standard": "x"})
    services.set_members(committee=committee, actor=world.staff, members=[
        {"expert": e, "is_chair": i == 0, "term_start": date(2025, 1, 1), "term_end": date(2027, 12, 31)}
        for i, e in enumerate([pool[0], pool[4], pool[5], pool[6], pool[1]])])
    with pytest.raises(ValidationError) as exc:
        services.file_committee(committee=committee, actor=world.staff)
    messages = " ".join(exc.value.messages)
    assert "过半数委员具有副高级及以上职称" in messages and "褚初级不符合" in messages


def test_a_junior_committee_cannot_cover_an_engineer_authority(world):
    f.authorised(world)
    committee = services.create_committee(institution=world.inst, actor=world.staff, values={
        "name": "初级评委会", "level": "junior", "talent_pool": "x", "method": "x", "standard": "x"})
    assert "应组建中级职称评委会" in " ".join(services.committee_problems(committee))


def test_filing_office_routing(world):
    committee = f.committee(world, "draft")
    assert routing.committee_filing_office(committee).role == Role.PROVINCIAL_HRSS  # 省属
    committee.institution = world.other_inst  # 市属, 芜湖
    assert routing.committee_filing_office(committee) == routing.Authority(Role.CITY_HRSS, "3402")


def test_services_for_the_evaluation_round(world):
    assert services.granted_authority_for(world.inst) is None
    assert services.filed_committee_for(world.inst) is None
    f.committee(world, "approved")
    authority = services.granted_authority_for(world.inst)
    assert authority.covers("车辆工程", "engineer", 2024)
    assert services.filed_committee_for(world.inst, level="intermediate").authority == authority
    assert services.filed_committee_for(world.inst, level="junior") is None
    assert services.granted_authority_for(world.other_inst) is None


def test_the_dashboard_shows_the_authority_scope_and_committee(world, login, django_assert_max_num_queries):
    f.committee(world, "approved")
    client = login(world.staff)
    with django_assert_max_num_queries(16):  # every app adds its panel
        page = client.get(reverse("home")).content.decode()
    assert "职称自主评审权" in page and "车辆工程" in page and "工程师" in page and "自2024年度起" in page
    assert "已核准备案" in page
