"""The certificate objects the access matrix needs, added to the shared ``world`` once per test."""

from datetime import date
from decimal import Decimal

from certificates import services
from certificates.models import AssessmentResult, FiledInstitution, IssuanceBatch, ResultImport
from portal.models import Occupation

CODE = "Y000034000017"


def certificate_world(w):
    """Adds w.filing, w.result, w.cert (valid skill certificate of w.inst held by w.student), w.revoked,
    w.title (title certificate), w.batch, w.import_batch. Idempotent per world."""
    if hasattr(w, "cert"):
        return w
    occupation, _ = Occupation.objects.get_or_create(code="6-31-01-03", defaults={"name": "电工",
                                                                                   "job_types": "维修电工"})
    w.filing = FiledInstitution.objects.create(institution=w.inst, code=CODE, name_as_filed=w.inst.name,
                                               max_level=3, filed_on=date(2025, 9, 1))
    w.filing.occupations.set([occupation])

    def result(name, ric):
        return AssessmentResult.objects.create(
            institution=w.inst, institution_code=CODE, name=name, gender="M", id_number=ric, occupation=occupation,
            job_type="维修电工", level=3, exam_date=date(2026, 6, 20), theory_score=Decimal(80),
            practical_score=Decimal(80), recorded_by=w.staff)

    w.result = result("秘密甲", "340504199801010017")
    w.batch = IssuanceBatch.objects.create(institution=w.inst, result_ids=[w.result.pk], total=1, done=1,
                                           status="done", issue_date=date(2026, 7, 1), created_by=w.staff)
    w.cert = services.issue_from_result(w.result, issued_by=w.staff, batch=w.batch, render=False)
    w.cert.holder_user = w.student
    w.cert.save(update_fields=["holder_user"])
    w.revoked = services.issue_from_result(result("秘密乙", "340104199905050011"), issued_by=w.staff, render=False)
    services.revoke_certificate(w.revoked, actor=w.staff, reason="fraud", note="测试撤销")
    fields = services.title_fields(name="秘密丙", gender="女", birth_date=date(2002, 2, 2),
                                   id_number="340104200002020028", employer="某公司", major="车辆工程",
                                   qualification="技术员", committee="评委会", approval_no="文号1",
                                   obtained_on=date(2025, 12, 20), issuer=w.inst)
    w.title = services.issue_certificate(kind="title", frozen_fields=fields, issuer=w.inst,
                                         source_key="test-title:1", issued_by=w.staff, render=False)
    w.import_batch = ResultImport.objects.create(institution=w.inst, uploaded_by=w.staff, original_name="a.csv",
                                                 sha256="0" * 64, status="invalid",
                                                 errors=[{"row": 2, "column": "姓名", "message": "不能为空"}])
    return w
