"""Tasks run in-process by default; with REDIS_URL a real worker runs them through Redis."""

import os
import re
from pathlib import Path

import pytest
from celery.backends.redis import RedisBackend
from django.conf import settings

from portal import queue
from portal.celery import app
from portal.tasks import ping


def test_tests_run_tasks_in_process():
    assert app.conf.task_always_eager
    assert ping.delay("你好").get(timeout=5) == "你好"


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)")
def test_real_worker_through_redis():
    from celery.contrib.testing.worker import start_worker

    app.loader.import_module("celery.contrib.testing.tasks")  # the worker's own ping check
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=True, loglevel="WARNING"):
            result = ping.delay("来自真实的 worker")
            assert result.get(timeout=30) == "来自真实的 worker"
    finally:
        app.conf.task_always_eager = True


def test_every_task_a_service_sends_by_name_is_registered():
    """Services send tasks by name (portal.queue) so that they need not import the tasks modules; a typo in a
    name would only show when the work is sent, so every name in the code base is resolved here."""
    root = Path(settings.BASE_DIR)
    pattern = re.compile(r"""send(?:_on_commit)?\(\s*["']([a-z_.]+)["']""")
    names = {name for base in ("applications", "assessment", "certificates", "evaluation", "portal")
             for path in (root / base).rglob("*.py") for name in pattern.findall(path.read_text(encoding="utf-8"))}
    assert "certificates.tasks.run_batch" in names  # the scan finds them
    for name in names:
        assert queue.task_named(name).name == name


def test_with_redis_down_a_task_send_fails_at_once_not_after_twenty_retries():
    """Sending a task subscribes to its result in Redis; Celery's result store retried 20 times a second apart,
    so with Redis down each task sent held the request ~20 s (a page sending two passed gunicorn's timeout). The
    store now tries once: the send fails, PortalTask logs it, the sweeper resends (measured: 19.0 s → 0.7 s)."""
    backend = RedisBackend(app=app, url="redis://127.0.0.1:6399/0")
    assert backend.retry_policy["max_retries"] == 0
    attempts = []

    def refused(*args, **kwargs):
        attempts.append(1)
        raise backend.connection_errors[0]("connection refused")

    with pytest.raises(backend.connection_errors):
        backend.ensure(refused, ())
    assert len(attempts) == 1
