"""Two officials acting on one case at once: exactly one succeeds, the other is told clearly.
Codes: 20 concurrent filings across cities get 20 distinct consecutive codes (PostgreSQL)."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from applications.models import TransitionLog
from applications.track_b import codes, services
from applications.track_b.models import (
    EvaluationReport,
    FilingApplication,
    FilingCodeCounter,
    FilingState,
    ReportConclusion,
)
from applications.workflow import WorkflowError
from portal.models import Role
from tests.conftest import make_institution, make_user
from tests.track_b.factories import case_in, ensure_reference_data, occ


@pytest.fixture
def no_documents(monkeypatch):
    """Threads must not render PDFs: Celery's eager mode keeps a process-wide (not per-thread) "inside a task"
    flag, which concurrent eager tasks would leave set for the rest of the test session."""
    from celery._state import _set_task_join_will_block

    for module in (services.cases, services.report, services.filing):
        monkeypatch.setattr(module, "schedule_documents", lambda *args, **kwargs: None)
    yield
    _set_task_join_will_block(False)


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrency needs row locks (SELECT … FOR UPDATE) across connections: run with "
           "DATABASE_URL=postgres://… (SQLite serialises every write and cannot show the race)")


def test_second_official_gets_a_clear_message(world, client):
    """Both opened the page while the case was 已提交; A accepts, then B (same city) tries to return it."""
    colleague = make_user("maanshan_b", Role.CITY_HRSS, city_id="3405")
    app = case_in(world, FilingState.SUBMITTED)
    client.force_login(world.city_hrss)
    client.post(reverse("track_b:accept", args=[app.pk]), {"expected_state": "submitted"})
    client.force_login(colleague)
    response = client.post(reverse("track_b:return", args=[app.pk]),
                           {"expected_state": "submitted", "reasons": "材料不全"}, follow=True)
    app.refresh_from_db()
    assert app.state == FilingState.ACCEPTED
    body = response.content.decode()
    assert "该事项已由他人处理，当前状态为“已受理”，请刷新页面后再操作。" in body
    assert TransitionLog.objects.filter(object_id=str(app.pk), transition="return_for_revision").count() == 0


def test_stale_accept_by_the_same_transition_is_refused(world):
    app = case_in(world, FilingState.SUBMITTED)
    services.accept(app, user=world.city_hrss, expected_state="submitted")
    with pytest.raises(WorkflowError, match="已由他人处理"):
        services.accept(app, user=world.city_hrss, expected_state="submitted")


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_officials_at_the_same_moment(world, no_documents):
    ensure_reference_data()
    colleague = make_user("maanshan_c", Role.CITY_HRSS, city_id="3405")
    app = case_in(world, FilingState.SUBMITTED)
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(name, func, **kwargs):
        try:
            barrier.wait(timeout=10)
            func(app, expected_state="submitted", **kwargs)
            outcomes[name] = "ok"
        except WorkflowError as exc:
            outcomes[name] = str(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=act, args=("accept", services.accept), kwargs={"user": world.city_hrss}),
               threading.Thread(target=act, args=("return", services.return_for_revision),
                                kwargs={"user": colleague, "reasons": "材料不全"})]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes.values()).count("ok") == 1, outcomes
    loser = next(v for v in outcomes.values() if v != "ok")
    assert "已由他人处理" in loser
    assert TransitionLog.objects.filter(object_id=str(app.pk)).exclude(transition="submit").count() == 1


def _report_signed_case(index, city, staff):
    """A case whose report the panel has signed (built directly: the race under test is the filing)."""
    inst = make_institution(f"并发学院{index}", city=city, affiliation="municipal")
    app = FilingApplication.objects.create(institution=inst, state=FilingState.REPORT_SIGNED, revision=1,
                                           authority_role=Role.CITY_HRSS, authority_city_id=city,
                                           unit_name=inst.name, created_by=staff)
    report = EvaluationReport.objects.create(application=app, version=1)
    ReportConclusion.objects.create(report=report, occupation=occ("6-31-01-03"), target=3)
    return app


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_filings_get_twenty_consecutive_codes(world, no_documents):
    ensure_reference_data()
    cities = ["3401", "3402", "3403", "3404", "3405"]
    officials = {c: make_user(f"hrss_{c}", Role.CITY_HRSS, city_id=c) for c in cities}
    cases = [(_report_signed_case(i, cities[i % 5], world.staff), officials[cities[i % 5]]) for i in range(20)]
    start = FilingCodeCounter.objects.get(pk="34").last_sequence
    barrier = threading.Barrier(20)
    results, errors = [], []

    def file(app, official):
        try:
            barrier.wait(timeout=30)
            result = services.file_application(app, user=official, levels={occ("6-31-01-03").pk: 3},
                                               opinion="同意备案", expected_state="report_signed")
            results.append(result.filing_code)
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(repr(exc))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=file, args=case) for case in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(set(results)) == 20
    assert sorted(results) == [codes.format_code(start + i) for i in range(1, 21)]
    assert FilingCodeCounter.objects.get(pk="34").last_sequence == start + 20


def test_a_failed_filing_gives_its_number_back(world):
    """Gap-free: a filing that rolls back (e.g. refused validation after the number was drawn) leaves no hole."""
    from django.db import transaction

    app = case_in(world, FilingState.REPORT_SIGNED)
    before = FilingCodeCounter.objects.get(pk="34").last_sequence
    with pytest.raises(RuntimeError), transaction.atomic():
        codes.allocate()
        raise RuntimeError("the filing failed after drawing a number")
    assert FilingCodeCounter.objects.get(pk="34").last_sequence == before
    filed = services.file_application(app, user=world.city_hrss, levels={o.pk: 3 for o in
                                                                         services.applied_occupations(app)},
                                      opinion="同意")
    assert filed.filing_code == codes.format_code(before + 1)


@pytest.mark.django_db(transaction=True)
def test_allocate_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        codes.allocate()
