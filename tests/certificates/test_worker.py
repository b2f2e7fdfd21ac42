"""A real Celery worker (Redis broker, PostgreSQL) whose pool process is killed with SIGKILL mid-batch — held
at a gate in PostgreSQL (tests/gate.py) after three certificates, so the kill cannot come too late: the batch
task is redelivered (late acknowledgement, reject on worker lost) and finishes with no duplicate certificate
and no gap in the serials. Needs REDIS_URL and PostgreSQL (CI has both)."""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from certificates import tasks
from certificates.models import Certificate, IssuanceBatch
from portal.celery import app
from tests.certificates.conftest import ric
from tests.gate import certificate_gate

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.redis,
              pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)")]


def _database_url():
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def cities(transactional_db):
    """A transactional test before this one flushed the tables, reference data included: load it again."""
    from django.core.management import call_command

    call_command("loaddata", "cities", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_killed_worker_redoes_the_batch_without_duplicates(cities, filed, make_result, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share: PostgreSQL")
    results = [make_result(name=f"进程{i}", id_number=ric(300 + i), theory=Decimal(80), practical=Decimal(80))
               for i in range(12)]
    batch = IssuanceBatch.objects.create(institution=filed.inst, result_ids=[r.pk for r in results],
                                         total=len(results), issue_date=date(2026, 7, 1), created_by=filed.staff)
    queue = f"certificates-kill-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "CELERY_BROKER_URL": os.environ["REDIS_URL"], "PYTHONPATH": str(ROOT)}
    env.pop("PORTAL_TESTING", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-P", "prefork", "-c", "1", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    app.conf.task_always_eager = False
    try:
        with certificate_gate(_database_url(), after=3) as gate:
            tasks.run_batch.apply_async((batch.pk,), queue=queue)
            gate.wait_until_held(120)
            children = _children(worker.pid)
            assert children, "no pool process"
            for pid in children:
                os.kill(pid, signal.SIGKILL)  # the pool process dies mid-task, before acknowledging
            killed_at = Certificate.objects.filter(batch=batch).count()
            gate.release()
            _wait(lambda: IssuanceBatch.objects.get(pk=batch.pk).status == "done", 180, "the redelivered batch")
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    certificates = list(Certificate.objects.order_by("number"))
    assert killed_at == 3, "the worker was not killed at the gate"
    assert len(certificates) == len(results)
    assert len({c.source_key for c in certificates}) == len(results)
    assert [c.number[-6:] for c in certificates] == [f"{n:06d}" for n in range(1, len(results) + 1)]
    assert all(c.pdf_sha256 for c in certificates)
