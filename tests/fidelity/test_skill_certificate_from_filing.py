"""A skill certificate comes only from a real filing, a reported session and the school's 应届 graduates
(issue #12 item 4).

通知 三(二)1: "相关高校经评估论证并正式备案后，可向本校相关专业应届毕业生开展职业技能等级认定"; 正文 一: "离校2年内未就业高校
毕业生视同应届毕业生"; 三(二)2(4): "…做好年度计划报告、考务管理、质量督导和认定计划、认定结果报备等工作".

So: no certificate without a Track-B filing (or a historical filing registered by the filing office, marked as such)
for that occupation and level; no assessment before the filing date; candidates are the school's (or the entrusting
school's) 应届 graduates in related majors; only results reported from a session (not suspended) become certificates.

This module fails on the code before this change: there ``certificates.FiledInstitution`` could be created by a site
admin with no 评估论证 or 备案 and ``filing_of`` fell back to it; ``AssessmentResult`` rows were typed or imported with any
name, ID number and exam date (even before the filing date) and ``issue_from_result`` issued them.
"""

import datetime
from decimal import Decimal

import pytest

from certificates import filing as filing_module
from certificates import models as certificate_models
from certificates import services as certificates
from certificates.models import AssessmentResult
from tests.assessment import builders as b
from tests.certificates.chain import filed_application, reported_result, session_for
from tests.track_b.factories import occ


def test_there_is_no_stand_in_filing():
    assert not hasattr(certificate_models, "FiledInstitution")
    assert not hasattr(certificates, "save_result")  # results are never typed or imported


def test_an_institution_without_a_track_b_filing_is_not_filed(world):
    assert filing_module.filing_of(world.inst) is None


def test_a_result_outside_a_session_is_never_certified(world):
    b.ensure_reference_data()
    app = filed_application(world.inst, "Y000034000017", [occ(b.NEV)], staff=world.staff)
    typed = AssessmentResult.objects.create(
        institution=world.inst, institution_code=app.filing_code, name="张明", gender="M",
        id_number="340504199801010017", occupation=occ(b.NEV), level=3, exam_date=datetime.date(2026, 6, 20),
        theory_score=Decimal(90), practical_score=Decimal(90), theory_pass_mark=Decimal(60),
        practical_pass_mark=Decimal(60), recorded_by=world.staff)
    assert not typed.passed
    with pytest.raises(certificates.IssuanceError, match="不是经考务场次产生并报备的认定结果"):
        certificates.issue_from_result(typed, issued_by=world.staff, render=False)


def test_an_assessment_before_the_filing_date_is_never_certified(world):
    b.ensure_reference_data()
    app = filed_application(world.inst, "Y000034000017", [occ(b.NEV)], staff=world.staff)
    early = session_for(app, occ(b.NEV), 3, staff=world.staff, exam_date=datetime.date(2025, 8, 1))  # filed 1 Sep
    result = reported_result(early, name="张明", id_number="340504199801010017", staff=world.staff)
    with pytest.raises(certificates.IssuanceError, match="早于备案日期"):
        certificates.issue_from_result(result, issued_by=world.staff, render=False)


def test_an_occupation_or_level_not_filed_is_never_certified(world):
    b.ensure_reference_data()
    app = filed_application(world.inst, "Y000034000017", [occ(b.NEV)], staff=world.staff, level=4)
    above = session_for(app, occ(b.NEV), 3, staff=world.staff)
    result = reported_result(above, name="张明", id_number="340504199801010017", staff=world.staff)
    with pytest.raises(certificates.IssuanceError, match="未备案该职业和等级"):
        certificates.issue_from_result(result, issued_by=world.staff, render=False)


@pytest.mark.parametrize("state", ["published", "suspended"])
def test_only_reported_unsuspended_results_become_certificates(world, state):
    b.ensure_reference_data()
    app = filed_application(world.inst, "Y000034000017", [occ(b.NEV)], staff=world.staff)
    session = session_for(app, occ(b.NEV), 3, staff=world.staff, state=state)
    result = reported_result(session, name="张明", id_number="340504199801010017", staff=world.staff)
    with pytest.raises(certificates.IssuanceError):
        certificates.issue_from_result(result, issued_by=world.staff, render=False)


def test_candidates_are_the_schools_fresh_graduates_in_related_majors(world):
    from assessment.services import candidates
    from assessment.services.common import AssessmentError

    app = b.quick_filed(world)
    b.reported_plan(world, app)
    b.map_major(world, world.inst)
    session = b.planned_session(world, app)
    refused = {"another school": b.graduate(world.other_inst, 1), "unrelated major": b.graduate(world.inst, 2,
                                                                                                  major="英语"),
               "left 3 years ago": b.graduate(world.inst, 3, year=2023)}
    for graduate in refused.values():
        with b.at(b.FILED_ON), pytest.raises(AssessmentError):
            candidates.register(session, user=world.staff, graduates=[graduate])
    with b.at(b.FILED_ON):
        assert candidates.register(session, user=world.staff, graduates=[b.graduate(world.inst, 4)])
