"""Tasks run in-process by default; with REDIS_URL a real worker runs them through Redis."""

import os

import pytest

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
