"""Issue 14, finding 11: the public ID check could be exhausted by strangers, and behind a proxy every
visitor shared one bucket. Limits are per requester; the requester's address is taken from X-Forwarded-For
only when the request comes from a configured trusted proxy (``TRUSTED_PROXIES``)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from certificates import services
from portal import audit
from portal.models import AuditLog
from tests.conftest import PASSWORD

PROXY = "127.0.0.1"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_forwarded_address_is_read_only_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.1.0.0/16"]
    assert audit.client_ip(request_from(PROXY, "198.51.100.7")) == "198.51.100.7"
    # Two proxies (both trusted): the first address no trusted hop vouches for, read from the right.
    assert audit.client_ip(request_from(PROXY, "6.6.6.6, 198.51.100.7, 10.1.2.3")) == "198.51.100.7"
    # A client connecting directly cannot choose its address with the header.
    assert audit.client_ip(request_from("203.0.113.9", "198.51.100.7")) == "203.0.113.9"
    assert audit.client_ip(request_from(PROXY, "not-an-address")) == PROXY


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert audit.client_ip(request_from(PROXY, "198.51.100.7")) == PROXY


def test_the_audit_log_records_the_visitor_behind_the_proxy(world, client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD}, REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert AuditLog.objects.get(action="login").ip == "198.51.100.7"


def test_strangers_cannot_use_up_the_holders_id_check(filed, make_result, client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    cert = services.issue_from_result(make_result(), issued_by=filed.staff, render=False)
    url = reverse("certificates:id_check", args=[cert.verification_id])
    for i in range(20):  # twenty strangers behind the same proxy, each guessing
        client.post(url, {"id_number": "340104199905050011"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    holder = client.post(url, {"id_number": cert.holder_id_number}, REMOTE_ADDR=PROXY,
                         HTTP_X_FORWARDED_FOR="198.51.100.50")
    assert holder.status_code == 200 and "一致" in holder.content.decode()
    # ... while one stranger guessing on is stopped.
    statuses = [client.post(url, {"id_number": "340104199905050011"}, REMOTE_ADDR=PROXY,
                            HTTP_X_FORWARDED_FOR="192.0.2.200").status_code for _ in range(7)]
    assert statuses[-1] == 429 and statuses[0] == 200
