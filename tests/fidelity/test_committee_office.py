"""The committee's filing office follows 附件2 二(三), and the school does not choose it (issue #12 item 8).

附件2 二(三): "组建评委会实行核准备案制度。…… 1. 组建中级职称评委会，由省辖市部门（单位）、县（市、区）级人力资源社会保障
部门向省辖市级人力资源社会保障部门提出申请，省直主管部门（单位）向省级人力资源社会保障部门提出申请；2. 组建初级职称评委会，
由省、省辖市和县（市、区）部门（单位）分别向同级人力资源社会保障部门提出申请。"

So a 省属 school (a 省直 unit) files with the provincial HRSS wherever it is; a 部属 school too (our decision); a 市属
school with its city's HRSS; a 民办 school by the level of the education authority that approved it (a setting on the
school) — and while that is not recorded the office is unknown, and unknown is never met: nothing can be filed.

This module fails on the code before this change: there the school ticked "由省直主管部门（单位）组建"
(``by_provincial_department``, default off), so the committee of 安徽工业大学 — a 省属 school in 马鞍山 — was filed with,
and approved by, the 马鞍山 HRSS, and the provincial HRSS could not decide on it.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications.track_a import routing, services
from applications.track_a.models import CommitteeState, EvaluationCommittee, GrantedAuthority
from applications.workflow import run_transition
from portal.models import Institution, Notification, Role
from tests.conftest import make_institution
from tests.track_a import factories as f


def _office(affiliation, city="3405", approver=""):
    institution = Institution(name="x", affiliation=affiliation, city_id=city, private_approver_level=approver)
    return routing.filing_office_for(institution)


def test_the_office_is_derived_from_the_schools_level():
    assert _office("provincial") == routing.Authority(Role.PROVINCIAL_HRSS)           # 省直 unit, in 马鞍山
    assert _office("provincial", city="3401") == routing.Authority(Role.PROVINCIAL_HRSS)
    assert _office("ministry", city="3401") == routing.Authority(Role.PROVINCIAL_HRSS)  # 部属: our decision
    assert _office("municipal", city="3402") == routing.Authority(Role.CITY_HRSS, "3402")
    assert _office("private", approver="provincial") == routing.Authority(Role.PROVINCIAL_HRSS)
    assert _office("private", city="3408", approver="city") == routing.Authority(Role.CITY_HRSS, "3408")
    assert _office("private") is None  # not recorded: unknown


def test_a_provincial_schools_committee_goes_to_the_provincial_hrss_not_its_city(world, login):
    committee = f.committee(world, "draft")
    assert world.inst.affiliation == "provincial" and world.inst.city_id == "3405"
    f.standard(world)
    committee = services.file_committee(committee=committee, actor=world.staff)
    told = set(Notification.objects.filter(title__contains="核准备案").values_list("recipient__username", flat=True))
    assert told == {"prov_hrss"}
    # the city HRSS where the school is may not decide; the provincial HRSS does
    with pytest.raises(PermissionDenied):
        run_transition(committee, "approve_filing", actor=world.city_hrss, role=Role.CITY_HRSS)
    assert login(world.city_hrss).get(reverse("track_a:committee_review", args=[committee.pk])).status_code == 403
    committee = services.review_committee(committee=committee, actor=world.prov_hrss, decision="approve")
    assert committee.state == CommitteeState.APPROVED


def test_the_school_cannot_choose_the_office(world, login):
    f.authorised(world)
    login(world.staff).post(reverse("track_a:committee_start"), {
        "name": "评委会", "level": "intermediate", "talent_pool": "x", "method": "x", "standard": "x",
        "by_provincial_department": "", "office": "city_hrss"})
    committee = EvaluationCommittee.objects.get()
    assert not hasattr(committee, "by_provincial_department")
    assert routing.committee_filing_office(committee) == routing.Authority(Role.PROVINCIAL_HRSS)


def test_a_private_school_without_its_approver_recorded_cannot_file(world):
    private = make_institution("安徽某民办学院", city="3405", affiliation="private", uscc_body="52340000485960311")
    committee = EvaluationCommittee(institution=private, level="intermediate")
    assert routing.committee_filing_office(committee) is None
    assert not routing.is_filing_office(world.prov_hrss, committee)
    assert not routing.is_filing_office(world.city_hrss, committee)
    committee.authority = GrantedAuthority(levels=["technician", "assistant_engineer", "engineer"])
    assert str(routing.UNKNOWN_OFFICE) in services.committee_problems(committee, members=[])
    private.private_approver_level = "city"
    assert routing.committee_filing_office(committee) == routing.Authority(Role.CITY_HRSS, "3405")
    assert routing.is_filing_office(world.city_hrss, committee)
