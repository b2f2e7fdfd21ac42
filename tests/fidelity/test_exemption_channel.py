"""1+X exemptions (issue #12 item 6, issue #14 item 12 first part) — what is enforced so far.

通知 三(二)1: "对已取得相应职业（工种）“1+X”证书的学生，相关高校可组织其向省人社厅、省教育厅申请免试相应科目，具体细则另行
发布。" Provisional rules are kept in settings (``EXEMPTION_*``) until the detailed rules are published.

Enforced and tested here: the requested ID number must be the student's own (the ID of the student's graduate record);
a refusal reads 不予免试 (not 不予备案 or 不同意免试); a session applies an exemption only where a granted request exists
for that student, occupation and level, and an exempted subject carries no score and does not count against them.

This module fails on the code before this change: a request was accepted with any valid ID number (someone else's);
the refusal read "不同意免试"; results took any "1+X免试科目" typed in the result form or import, without a request.
"""

from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.track_b.demo import fake_ric
from applications.track_b.models import ExemptionRequest, ExemptionState
from assessment.services import candidates, sessions
from tests.assessment import builders as b
from tests.track_b.access_cases import own_record
from tests.track_b.factories import occ

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _post(id_number):
    return {"name": "张明", "id_number": id_number, "major": "新能源汽车技术", "certificate_name": "智能新能源汽车",
            "certificate_level": "intermediate", "certificate_number": "X2024001", "certificate_issuer": "某组织",
            "occupation": occ(b.NEV).pk, "level": "3", "subjects": "theory", "reason": "已取得证书。",
            "certificate_file": SimpleUploadedFile("cert.pdf", PDF, "application/pdf")}


def test_a_request_for_someone_elses_id_number_is_refused(world, client):
    b.ensure_reference_data()
    own_record(world)
    client.force_login(world.student)
    someone_else = fake_ric("340104", "20020202", "044")
    response = client.post(reverse("track_b:exemption_create"), _post(someone_else))
    assert response.status_code == 200 and "须为申请学生本人的" in response.content.decode()
    assert not ExemptionRequest.objects.exists()
    response = client.post(reverse("track_b:exemption_create"), _post(fake_ric("340503", "20030506", "012")))
    assert response.status_code == 302 and ExemptionRequest.objects.count() == 1


def test_a_refusal_reads_buyu_mianshi():
    assert str(ExemptionState.REFUSED.label) == "不予免试" == settings.EXEMPTION_REFUSAL_LABEL


def test_only_a_granted_request_exempts_and_the_subject_carries_no_score(world):
    app = b.quick_filed(world)
    b.reported_plan(world, app)
    b.map_major(world, world.inst)
    session = b.planned_session(world, app)
    granted, pending = b.graduate(world.inst, 1), b.graduate(world.inst, 2)
    for graduate, state in ((granted, ExemptionState.GRANTED), (pending, ExemptionState.SUBMITTED)):
        ExemptionRequest.objects.create(
            student=world.student, institution=world.inst, name=graduate.name, id_number=graduate.id_number,
            major=graduate.major, certificate_name="c", certificate_level="senior", certificate_number="n",
            certificate_issuer="i", certificate_file="x.pdf", occupation=occ(b.NEV), level=3, subjects="theory",
            state=state)
    with b.at(b.FILED_ON):
        exempt, plain = candidates.register(session, user=world.staff, graduates=[granted, pending])
        session = sessions.report_session(session, user=world.staff)
        session = sessions.name_supervisor(session, user=world.city_hrss, supervisor=b.supervisor(world))
    assert exempt.exempt_theory and not plain.exempt_theory
    session = b.scored(world, app, session, marks=((None, Decimal("80")), (Decimal("40"), Decimal("80"))))
    exempt.refresh_from_db()
    plain.refresh_from_db()
    assert exempt.theory_score is None and exempt.passed  # exempted: no score, does not count against
    assert not plain.passed
