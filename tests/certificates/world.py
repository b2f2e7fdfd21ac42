"""The certificate objects the access matrix needs, added to the shared ``world`` once per test."""

from datetime import date
from decimal import Decimal

from certificates import services
from certificates.models import IssuanceBatch
from portal.models import Occupation

from .chain import filed_application, reported_result, session_for

CODE = "Y000034000017"


def certificate_world(w):
    """Adds w.filing, w.result, w.cert (valid skill certificate of w.inst held by w.student), w.revoked,
    w.title (title certificate), w.batch. Idempotent per world."""
    if hasattr(w, "cert"):
        return w
    occupation, _ = Occupation.objects.get_or_create(code="6-31-01-03", defaults={"name": "电工",
                                                                                   "job_types": "维修电工"})
    w.filing = filed_application(w.inst, CODE, [occupation], staff=w.staff)
    session = session_for(w.filing, occupation, 3, staff=w.staff)

    def result(name, ric):
        return reported_result(session, name=name, id_number=ric, job_type="维修电工", theory=Decimal(80),
                               practical=Decimal(80), staff=w.staff)

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
    return w
