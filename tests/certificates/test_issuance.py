"""Numbering, frozen data, idempotent issuance and batches, revocation and correction, title issuance."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.urls import reverse

from applications.models import TransitionLog
from applications.workflow import WorkflowError
from certificates import qr, services, tasks
from certificates.models import AssessmentResult, Certificate, IssuanceBatch, SerialCounter
from portal.models import AuditLog
from tests.certificates.conftest import INST_CODE, ric


def test_skill_number_layout_and_consecutive_serials(make_result, filed):
    numbers = [services.issue_from_result(make_result(name=f"学生{i}", id_number=ric(i)), issued_by=filed.staff,
                                          issue_date=date(2026, 7, 1), render=False).number for i in range(3)]
    assert numbers == [f"{INST_CODE}263{n:06d}" for n in (1, 2, 3)]
    assert all(len(n) == 22 for n in numbers)
    # Another level, another year: their own serials.
    four = services.issue_from_result(make_result(name="四级", id_number=ric(50), level=4), issued_by=filed.staff,
                                      issue_date=date(2026, 7, 1), render=False)
    assert four.number == f"{INST_CODE}264000001"
    next_year = services.issue_from_result(make_result(name="明年", id_number=ric(51)), issued_by=filed.staff,
                                           issue_date=date(2027, 1, 5), render=False)
    assert next_year.number == f"{INST_CODE}273000001"


def test_numbers_never_reused_after_revocation(make_result, filed):
    first = services.issue_from_result(make_result(id_number=ric(1)), issued_by=filed.staff, render=False)
    services.revoke_certificate(first, actor=filed.staff, reason="fraud", note="测试")
    second = services.issue_from_result(make_result(id_number=ric(2)), issued_by=filed.staff, render=False)
    assert second.number[-6:] == "000002"
    with pytest.raises(PermissionError):
        first.delete()


def test_a_rolled_back_issuance_leaves_no_gap(make_result, filed, monkeypatch):
    result = make_result(id_number=ric(1))

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.audit, "record", boom)
    with pytest.raises(RuntimeError):
        services.issue_from_result(result, issued_by=filed.staff, render=False)
    monkeypatch.undo()
    cert = services.issue_from_result(result, issued_by=filed.staff, render=False)
    assert cert.number.endswith("000001")


def test_title_numbers(filed):
    fields = services.title_fields(name="周子淇", gender="男", birth_date=date(2001, 9, 30), id_number=ric(7),
                                   employer="江淮汽车", major="车辆工程", qualification="工程师", committee="评委会",
                                   approval_no="文号", obtained_on=date(2025, 12, 20), issuer=filed.inst)
    cert = services.issue_certificate(kind="title", frozen_fields=fields, issuer=filed.inst, source_key="t:1",
                                      issued_by=filed.staff, issue_date=date(2025, 12, 28), render=False)
    org = filed.inst.uscc[8:17]
    assert cert.number == f"GC34{org}251000001" and len(cert.number) == 22
    assert cert.data["grade"] == "中级" and cert.data["series"] == "工程系列" and cert.data["method"] == "评审"
    payload = qr.verify_qr_text(qr.qr_text(cert), services.keys.public_key_set()).payload
    assert (payload["kind"], payload["level"], payload["field"], payload["org"]) == (
        "title", "工程师", "车辆工程", filed.inst.uscc)
    with pytest.raises(services.IssuanceError):
        services.title_fields(name="x", gender="男", birth_date=date(2001, 1, 1), id_number=ric(8), employer="",
                              major="", qualification="高级工程师", committee="", approval_no="",
                              obtained_on=date(2025, 1, 1), issuer=filed.inst)


def test_issue_certificate_refuses_missing_fields_and_bad_id(filed):
    with pytest.raises(services.IssuanceError, match="缺失"):
        services.issue_certificate(kind="title", frozen_fields={"name": "x"}, issuer=filed.inst, source_key="t:2",
                                   issued_by=filed.staff)
    fields = services.title_fields(name="x", gender="男", birth_date=date(2001, 1, 1), id_number="340104199901010000",
                                   employer="e", major="m", qualification="技术员", committee="c", approval_no="a",
                                   obtained_on=date(2025, 1, 1), issuer=filed.inst)
    with pytest.raises(services.IssuanceError, match="证件号码"):
        services.issue_certificate(kind="title", frozen_fields=fields, issuer=filed.inst, source_key="t:3",
                                   issued_by=filed.staff)


def test_certificate_is_frozen(make_result, filed):
    result = make_result(name="张明", id_number=ric(3))
    cert = services.issue_from_result(result, issued_by=filed.staff, render=False)
    before = dict(cert.data)
    AssessmentResult.objects.filter(pk=result.pk).update(name="张明明", job_type="电力电工")
    filed.inst.name = "改名后的大学"
    filed.inst.save()
    filed.filing = None
    cert.refresh_from_db()
    assert cert.data == before and cert.data["name"] == "张明" and cert.data["institution_name"] == "安徽工业大学"
    assert cert.data_hash == qr.data_hash(cert.data)
    html = __import__("certificates.render", fromlist=["x"]).context_for(cert)
    assert ("姓　　名", "张明") in html["rows"]


def test_issuing_twice_returns_the_same_certificate(make_result, filed):
    result = make_result()
    a = services.issue_from_result(result, issued_by=filed.staff, render=False)
    b = services.issue_from_result(result, issued_by=filed.staff, render=False)
    assert a.pk == b.pk and Certificate.objects.count() == 1
    assert SerialCounter.objects.get().last == 1


def test_failed_results_and_unfiled_institutions_get_no_certificate(make_result, filed):
    failed = make_result(theory=Decimal("59.9"))
    with pytest.raises(services.IssuanceError, match="合格标准"):
        services.issue_from_result(failed, issued_by=filed.staff)
    exempt = make_result(id_number=ric(9), theory=None, exempt_theory=True)
    assert exempt.passed
    assert services.issue_from_result(exempt, issued_by=filed.staff, render=False).number


def test_batch_is_idempotent_and_renders_pdfs(make_result, filed):
    results = [make_result(name=f"批量{i}", id_number=ric(i)) for i in range(4)]
    results.append(make_result(name="不合格", id_number=ric(20), practical=Decimal("10")))
    batch = services.start_batch(institution=filed.inst, results=results, issued_by=filed.staff)
    batch.refresh_from_db()  # tests run tasks in-process, on commit
    assert batch.total == 4
    tasks.run_batch(batch.pk)  # on_commit does not fire inside the test transaction: run it as the worker would
    batch.refresh_from_db()
    assert (batch.status, batch.done) == ("done", 4)
    certs = list(Certificate.objects.order_by("number"))
    assert [c.number[-6:] for c in certs] == ["000001", "000002", "000003", "000004"]
    assert all(c.pdf and len(c.pdf_sha256) == 64 for c in certs)
    # Re-running the batch (as after a redelivery) creates nothing and renders nothing again.
    IssuanceBatch.objects.filter(pk=batch.pk).update(status="running")
    shas = {c.pk: c.pdf.name for c in certs}
    tasks.run_batch(batch.pk)
    assert Certificate.objects.count() == 4
    assert {c.pk: c.pdf.name for c in Certificate.objects.all()} == shas
    # A second batch over the same results: no duplicates either.
    again = services.start_batch(institution=filed.inst, results=results, issued_by=filed.staff)
    tasks.run_batch(again.pk)
    assert Certificate.objects.count() == 4 and SerialCounter.objects.get(scope__startswith="skill").last == 4


def test_a_killed_worker_is_redone_without_duplicates(make_result, filed, monkeypatch):
    """The worker dies after issuing two certificates (before acknowledging); the redelivered task finishes."""
    results = [make_result(name=f"中断{i}", id_number=ric(i)) for i in range(5)]
    batch = services.start_batch(institution=filed.inst, results=results, issued_by=filed.staff)
    real = tasks.ensure_pdf
    calls = {"n": 0}

    class WorkerLost(BaseException):  # like SIGKILL: not an Exception the task could catch
        pass

    def dying(certificate, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise WorkerLost
        return real(certificate, **kwargs)

    monkeypatch.setattr(tasks, "ensure_pdf", dying)
    with pytest.raises(WorkerLost):
        tasks.run_batch(batch.pk)
    assert Certificate.objects.count() == 3  # the third was issued, its PDF not yet rendered
    monkeypatch.setattr(tasks, "ensure_pdf", real)
    tasks.run_batch(batch.pk)  # redelivered (acks_late + reject_on_worker_lost)
    certs = list(Certificate.objects.order_by("number"))
    assert len(certs) == 5 and len({c.number for c in certs}) == 5
    assert [c.number[-6:] for c in certs] == [f"{n:06d}" for n in range(1, 6)]
    assert all(c.pdf_sha256 for c in certs)
    assert tasks.run_batch.acks_late and tasks.run_batch.reject_on_worker_lost


def test_revocation_is_logged_and_irreversible(make_result, filed):
    cert = services.issue_from_result(make_result(), issued_by=filed.staff, render=False)
    services.revoke_certificate(cert, actor=filed.staff, reason="fraud", note="考试作弊")
    cert.refresh_from_db()
    assert cert.status == "revoked" and cert.revocation_reason == "fraud" and cert.revoked_at
    log = TransitionLog.objects.get(transition="revoke")
    assert (log.source, log.target, log.comment, log.data) == ("valid", "revoked", "考试作弊", {"reason": "fraud"})
    assert AuditLog.objects.filter(action="certificates.certificate.revoke").exists()
    with pytest.raises(WorkflowError):
        services.revoke_certificate(cert, actor=filed.staff, reason="other", note="再次")
    with pytest.raises(WorkflowError):
        services.revoke_certificate(cert, actor=filed.staff, reason="other", note="x", expected_status=None)


def test_correction_issues_a_new_version(make_result, filed):
    cert = services.issue_from_result(make_result(name="张明", id_number=ric(1)), issued_by=filed.staff,
                                      render=False)
    new = services.correct_certificate(cert, actor=filed.staff, changes={"name": "张鸣"}, note="姓名录入错误")
    cert.refresh_from_db()
    assert cert.status == "superseded" and cert.replacement == new
    assert new.version == 2 and new.replaces == cert and new.status == "valid"
    assert new.number != cert.number and new.verification_id != cert.verification_id
    assert new.data["name"] == "张鸣" and new.data["replaces"] == cert.number
    assert new.data["occupation"] == cert.data["occupation"]
    with pytest.raises(Exception, match="有效"):
        services.correct_certificate(cert, actor=filed.staff, changes={"name": "张三"}, note="x")
    with pytest.raises(Exception, match="不能更正"):
        services.correct_certificate(new, actor=filed.staff, changes={"level": "一级"}, note="x")


def test_revoke_and_correct_views(make_result, filed, login):
    cert = services.issue_from_result(make_result(), issued_by=filed.staff, render=False)
    client = login(filed.staff)
    response = client.get(reverse("certificates:correct", args=[cert.pk]))
    assert response.status_code == 200
    response = client.post(reverse("certificates:correct", args=[cert.pk]),
                           {"name": "张鸣", "id_number": cert.holder_id_number, "job_type": "维修电工",
                            "note": "更正姓名"})
    new = Certificate.objects.get(version=2)
    assert response.status_code == 302 and response["Location"] == reverse("certificates:detail", args=[new.pk])
    response = client.post(reverse("certificates:revoke", args=[new.pk]),
                           {"reason": "issued_in_error", "note": "误发", "expected_status": "valid", "confirm": "on"})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.status == "revoked"
    # Another school's staff: not even visible.
    assert login(filed.other_staff).post(reverse("certificates:revoke", args=[cert.pk]), {}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_issuances_get_twenty_consecutive_serials(django_db_blocker):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer (transaction_mode IMMEDIATE): run with DATABASE_URL=postgres://…")
    from django.core.management import call_command

    from tests.certificates.chain import reported_result
    from tests.certificates.world import certificate_world
    from tests.conftest import make_institution, make_user

    call_command("loaddata", "cities", verbosity=0)  # an earlier transactional test may have flushed them
    class W:
        pass

    w = W()
    w.inst = make_institution("并发大学", city="3405", uscc_body="12340000485960999")
    w.staff = make_user("conc_staff", "university_staff", institution=w.inst)
    w.student = make_user("conc_student", "student", institution=w.inst)
    certificate_world(w)  # filing + two certificates issued already (serials 1 and 2)
    session = w.result.candidate.session
    results = [reported_result(session, name=f"并发{i}", gender="F", id_number=ric(100 + i), theory=Decimal(70),
                               practical=Decimal(70), staff=w.staff) for i in range(20)]
    barrier = threading.Barrier(20)
    numbers, errors = [], []

    def issue(result):
        try:
            barrier.wait()
            numbers.append(services.issue_from_result(result, issued_by=w.staff, issue_date=w.cert.issue_date,
                                                      render=False).number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(r,)) for r in results]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    prefix = w.cert.number[:16]
    assert sorted(numbers) == [f"{prefix}{n:06d}" for n in range(3, 23)]


def test_a_batch_reads_shared_data_once_not_per_certificate(make_result, filed, monkeypatch):
    """Issue 16 item 1: the queries of a batch grow by a fixed few per certificate (number, certificate, audit),
    the holders' accounts and the results' sessions are read once for the whole batch, and progress is not
    written per certificate."""
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(tasks, "ensure_pdf", lambda certificate, **kwargs: False)  # issuance only
    counts = []
    for size, offset in ((2, 0), (6, 10)):
        results = [make_result(name=f"计数{i}", id_number=ric(offset + i)) for i in range(size)]
        batch = services.start_batch(institution=filed.inst, results=results, issued_by=filed.staff)
        with CaptureQueriesContext(connection) as queries:
            tasks.run_batch(batch.pk)
        sql = [q["sql"] for q in queries.captured_queries]
        assert sum('FROM "evaluation_graduate"' in s for s in sql) == 1
        assert sum('FROM "assessment_session"' in s for s in sql) <= 1
        assert sum(s.startswith('UPDATE "certificates_issuancebatch"') for s in sql) <= 3  # running, (1/s), done
        counts.append(len(sql))
    assert Certificate.objects.count() == 8
    per_certificate = (counts[1] - counts[0]) / 4
    # The serial's UPDATE … RETURNING, the certificate's INSERT, the audit row's INSERT, and the transaction
    # around them (a savepoint and its release inside the test's transaction; BEGIN/COMMIT in a worker): 5, where
    # it was ~15 (measured in benchmarks/bench_certificates.py --profile).
    assert per_certificate <= 5, counts
