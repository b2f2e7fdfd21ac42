"""Cached hits of ``/v/<id>`` answered before the session and sign-in layers (``certificates.middleware``,
issue 16 item 3): with Redis, a hit costs one round trip (rate-limit counters and the page in one pipeline) and
no SQL; its headers are those of a miss (CSP, X-Frame-Options, HSTS, Referrer-Policy, no-store, the CSRF
cookie); revocation shows at once; the 429 page and unknown ids are unchanged; every request is counted once."""

import os

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from redis.connection import Connection

from certificates import keys, middleware, services
from tests.certificates.conftest import ric

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)")


@pytest.fixture
def cert(make_result, filed):
    return services.issue_from_result(make_result(name="张小明", id_number=ric(11)), issued_by=filed.staff,
                                      render=False)


@pytest.fixture(autouse=True)
def _redis_cache(settings):
    """The production cache backend on Redis, under keys of this module's own (cleared before each test)."""
    settings.CACHES = {"default": {"BACKEND": "portal.cache.FailOpenRedisCache", "LOCATION": os.environ["REDIS_URL"],
                                   "KEY_PREFIX": f"fastpath{os.environ.get('PYTEST_XDIST_WORKER', '')}"}}
    settings.SECURE_HSTS_SECONDS = 31536000  # as in production: the hit must carry it too
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def round_trips(monkeypatch):
    """Counts the commands (a pipeline is one) sent to Redis."""
    sent = []
    original = Connection.send_packed_command
    monkeypatch.setattr(Connection, "send_packed_command",
                        lambda self, *a, **k: (sent.append(1), original(self, *a, **k))[1])
    return sent


def link(cert):
    return reverse("certificate_verify_link", args=[cert.verification_id])


def visit(url, client=None, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = (client or Client()).get(url, secure=True, **extra)
    return response, len(queries)


def test_middleware_sits_after_security_and_skips_only_the_session_layers(settings):
    chain = settings.MIDDLEWARE
    mine = chain.index("certificates.middleware.PublicPageCacheMiddleware")
    # before it only the security headers, static files and the refusal of a NUL query (a 400 before any Redis)
    assert chain[:mine] == ["django.middleware.security.SecurityMiddleware",
                            "whitenoise.middleware.WhiteNoiseMiddleware", "portal.middleware.NulQueryMiddleware"]
    served = [m for m in chain[mine + 1:] if m not in middleware.SKIPPED]
    assert served == ["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware",
                      "django.middleware.clickjacking.XFrameOptionsMiddleware", "csp.middleware.CSPMiddleware"]


def test_a_hit_costs_one_redis_round_trip_and_no_sql(cert, round_trips):
    miss, miss_queries = visit(link(cert))
    assert miss.status_code == 200 and miss_queries >= 1
    round_trips.clear()
    hit, hit_queries = visit(link(cert))
    assert hit.status_code == 200 and hit_queries == 0
    assert len(round_trips) == 1  # counters of both buckets and the page: one pipeline
    assert "有效" in hit.content.decode() and cert.number in hit.content.decode()


def test_a_hit_reads_the_key_ring_once(cert, monkeypatch):
    visit(link(cert))
    reads = []
    ring = keys.ring
    monkeypatch.setattr(keys, "ring", lambda: (reads.append(1), ring())[1])
    hit, queries = visit(link(cert))
    assert hit.status_code == 200 and queries == 0
    assert len(reads) == 1  # is the page fresh: checked by the middleware, not again when served


def _headers(response):
    cookies = {name: {k: v for k, v in morsel.items() if v} for name, morsel in response.cookies.items()}
    return dict(response.headers), cookies


def test_a_hit_has_the_headers_of_a_miss(cert):
    miss, _ = visit(link(cert))
    hit, queries = visit(link(cert))
    assert queries == 0  # served by the middleware
    assert _headers(hit) == _headers(miss)
    headers = dict(hit.headers)
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["Referrer-Policy"] == "same-origin"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["Cache-Control"] == "no-store" and headers["X-Robots-Tag"] == "noindex"
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Vary"] == "Cookie"
    assert set(hit.cookies) == {"csrftoken"}  # the visitor's CSRF cookie, no session
    assert int(headers["Content-Length"]) == len(hit.content)


def test_the_token_of_a_hit_passes_the_csrf_check(cert):
    visit(link(cert))
    visitor = Client(enforce_csrf_checks=True)
    page, queries = visit(link(cert), visitor)
    assert queries == 0
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    answer = visitor.post(reverse("certificates:id_check", args=[cert.verification_id]),
                          {"id_number": cert.holder_id_number, "csrfmiddlewaretoken": token}, secure=True,
                          HTTP_REFERER=f"https://testserver{link(cert)}")  # over https Django checks it
    assert answer.status_code == 200 and "一致" in answer.content.decode()


def test_revocation_changes_a_cached_page_at_once(cert, filed):
    visit(link(cert))
    hit, queries = visit(link(cert))
    assert queries == 0 and "cert-valid" in hit.content.decode()
    services.revoke_certificate(cert, actor=filed.staff, reason="fraud", note="作弊")
    after, _ = visit(link(cert))
    body = after.content.decode()
    assert "已撤销" in body and "cert-revoked" in body and "cert-valid" not in body


def test_each_request_is_counted_once_and_the_limit_answers_in_chinese(cert, settings):
    settings.CERTIFICATE_RATE_LIMITS = {"ip": (3, 60)}
    statuses = [visit(link(cert), REMOTE_ADDR="10.9.0.1")[0].status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]  # the miss and two hits, then refused: never counted twice
    blocked, _ = visit(link(cert), REMOTE_ADDR="10.9.0.1")
    assert blocked["Retry-After"] == "60" and "查询过于频繁" in blocked.content.decode()
    assert "Content-Security-Policy" in blocked and blocked["X-Frame-Options"] == "DENY"
    assert visit(link(cert), REMOTE_ADDR="10.9.0.2")[0].status_code == 200  # another address


def test_unknown_id_is_404(cert):
    response, _ = visit(reverse("certificate_verify_link", args=["0" * 26]))
    assert response.status_code == 404


def test_a_visitor_with_a_session_cookie_goes_down_the_whole_stack(cert, world, round_trips):
    visit(link(cert))
    staff = Client()
    staff.force_login(world.staff)
    page, queries = visit(link(cert), staff)
    assert queries >= 1 and world.staff.display_name in page.content.decode()  # their own page, not the shared one
