"""Issue 14, findings 4 and 5: Redis or the broker down must not take the portal down, and work left behind
by a dead worker or an unreachable broker is sent again by the sweeper — once, with nothing missing.

Redis "down" here is a fail-open cache pointed at a port where nothing listens; the broker "down" is
Celery's publish raising kombu's OperationalError (tests/deploy does both for real)."""

import logging
from datetime import timedelta

import pytest
from django.conf import settings as live_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certificates import leases, services, tasks
from certificates.models import Certificate, IssuanceBatch
from portal.celery import app
from tests.conftest import PASSWORD
from tests.otp import enrolled_authenticator, next_code

DEAD_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing answers


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {"BACKEND": "portal.cache.FailOpenRedisCache", "LOCATION": DEAD_REDIS,
                                   "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}


class Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def warnings_logged():
    handler = Warnings()
    loggers = [logging.getLogger(name) for name in ("portal.cache", "certificates.ratelimit", "portal.queue")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.messages
    for logger in loggers:
        logger.removeHandler(handler)


def test_sessions_do_not_live_in_redis():
    assert live_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_login_signed_in_pages_and_verification_work_with_redis_down(world, client, redis_down, filed, make_result,
                                                                      warnings_logged):
    cert = services.issue_from_result(make_result(), issued_by=filed.staff, render=False)
    device, _ = enrolled_authenticator(filed.staff)
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    assert client.post(reverse("twofactor_verify"), {"otp_token": next_code(device)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("certificates:results")).status_code == 200
    anonymous = client.__class__()
    assert anonymous.get(f"/v/{cert.verification_id}").status_code == 200
    assert any("failing open" in m or "fails open" in m for m in warnings_logged), warnings_logged


@pytest.fixture
def cities(transactional_db):
    """Committed transactions (the page sends its task after commit): reference data loaded again."""
    call_command("loaddata", "cities", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_batch_started_with_the_broker_down_is_kept_and_sent_later(cities, filed, make_result, client, broker):
    results = [make_result(name=f"学员{i}") for i in range(3)]
    broker.down()
    client.force_login(filed.staff)
    response = client.post(reverse("certificates:batch_start"), {"result": [r.pk for r in results]}, follow=True)
    assert response.status_code == 200
    assert "系统将自动重试" in response.content.decode()
    batch = IssuanceBatch.objects.get()
    assert batch.status == IssuanceBatch.Status.QUEUED and batch.total == 3
    assert not Certificate.objects.exists()  # nothing half-done
    # The broker is back; the sweeper finds the batch queued past the grace period and sends it once.
    broker.up()
    later = timezone.now() + timedelta(seconds=live_settings.WORK_SWEEP_GRACE_SECONDS + 1)
    sent = tasks.sweep_stale_work(now=later)
    assert sent["batches"] == 1
    batch.refresh_from_db()
    assert batch.status == IssuanceBatch.Status.DONE
    assert Certificate.objects.count() == 3
    # Idempotent: sweeping again sends nothing; a duplicate message for the batch does nothing.
    assert tasks.sweep_stale_work(now=later)["batches"] == 0
    assert tasks.run_batch(batch.pk) == 0
    assert Certificate.objects.count() == 3


def test_a_dead_workers_batch_is_resent_but_a_live_one_is_not(filed, make_result, monkeypatch):
    results = [make_result(name=f"学员{i}") for i in range(2)]
    batch = IssuanceBatch.objects.create(institution=filed.inst, result_ids=[r.pk for r in results], total=2,
                                         issue_date=timezone.localdate(), created_by=filed.staff,
                                         status=IssuanceBatch.Status.RUNNING)
    later = timezone.now() + timedelta(seconds=live_settings.WORK_SWEEP_GRACE_SECONDS + 1)
    monkeypatch.setattr(leases, "is_running", lambda pk: True)  # a live worker holds it: leave it alone
    assert tasks.sweep_stale_work(now=later)["batches"] == 0
    monkeypatch.setattr(leases, "is_running", lambda pk: False)  # its worker died: resend
    assert tasks.sweep_stale_work(now=later)["batches"] == 1
    assert IssuanceBatch.objects.get(pk=batch.pk).status == IssuanceBatch.Status.DONE
    assert sorted(Certificate.objects.values_list("source_key", flat=True)) == sorted(
        f"skill-result:{r.pk}" for r in results)


def test_certificates_without_a_pdf_are_rendered_by_the_sweeper(filed, make_result, monkeypatch):
    cert = services.issue_from_result(make_result(), issued_by=filed.staff, render=False)
    assert not cert.pdf_sha256
    rendered = []
    monkeypatch.setattr(tasks, "ensure_pdf", lambda c, force=False: rendered.append(c.pk) or True)
    later = timezone.now() + timedelta(seconds=live_settings.WORK_SWEEP_GRACE_SECONDS + 1)
    assert tasks.sweep_stale_work(now=later)["renders"] == 1
    assert rendered == [cert.pk]


def test_visibility_timeout_and_beat_schedule_are_set_deliberately():
    timeout = live_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert 600 <= timeout < 3600  # kombu's default (3,600 s) stalled a killed worker's batch for an hour
    assert app.conf.broker_transport_options["visibility_timeout"] == timeout
    entry = live_settings.CELERY_BEAT_SCHEDULE["sweep-stale-work"]
    assert entry["task"] == tasks.sweep_stale_work.name and entry["schedule"] <= 120
