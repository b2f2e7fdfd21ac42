"""The shared cache of public verification pages (issue 16 item 3): an anonymous visitor's ``/v/<id>`` is
rendered once and served from the cache (no SQL) until the certificate changes; revocation and superseding
show at once; each visitor gets a CSRF token of their own; signed-in visitors are not served the cached page;
the rate limiter counts every bucket of a request in one Redis round trip."""

import os
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates import pagecache, ratelimit, services
from tests.certificates.conftest import ric

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def cert(make_result, filed):
    return services.issue_from_result(make_result(name="张小明", id_number=ric(11)), issued_by=filed.staff,
                                      render=False)


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "certificates-page-cache-tests"}}
    from django.core.cache import cache

    cache.clear()


def link(cert):
    return reverse("certificate_verify_link", args=[cert.verification_id])


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_second_anonymous_visit_is_served_from_the_cache(cert):
    first, first_queries = _get(Client(), link(cert))
    second, second_queries = _get(Client(), link(cert))
    assert first.status_code == second.status_code == 200
    assert first_queries >= 1 and second_queries == 0
    strip = [TOKEN.sub("", r.content.decode()) for r in (first, second)]
    assert strip[0] == strip[1] and "有效" in strip[1] and cert.number in strip[1]
    assert second["Cache-Control"] == "no-store" and second["X-Robots-Tag"] == "noindex"
    assert pagecache.PLACEHOLDER not in second.content.decode()


def test_revocation_shows_at_once(cert, filed):
    assert "cert-valid" in Client().get(link(cert)).content.decode()  # cached as valid
    services.revoke_certificate(cert, actor=filed.staff, reason="fraud", note="作弊")
    body = Client().get(link(cert)).content.decode()
    assert "已撤销" in body and "cert-revoked" in body and "cert-valid" not in body


def test_superseding_shows_at_once(cert, filed):
    Client().get(link(cert))
    new = services.correct_certificate(cert, actor=filed.staff, changes={"job_type": "电力电工"}, note="工种有误")
    body = Client().get(link(cert)).content.decode()
    assert "已更正" in body and link(new) in body


def test_each_visitor_gets_a_working_csrf_token_of_their_own(cert):
    Client().get(link(cert))  # rendered for someone else, now cached
    visitor = Client(enforce_csrf_checks=True)
    page, queries = _get(visitor, link(cert))
    assert queries == 0
    token = TOKEN.search(page.content.decode()).group(1)
    assert token != pagecache.PLACEHOLDER and "csrftoken" in page.cookies
    answer = visitor.post(reverse("certificates:id_check", args=[cert.verification_id]),
                          {"id_number": cert.holder_id_number, "csrfmiddlewaretoken": token})
    assert answer.status_code == 200 and "一致" in answer.content.decode()


def test_signed_in_visitors_are_not_served_the_shared_page(cert, world):
    Client().get(link(cert))
    staff = Client()
    staff.force_login(world.staff)
    body = staff.get(link(cert)).content.decode()
    assert world.staff.display_name in body  # their own header, rendered for them


def test_key_set_is_served_from_one_serialisation(client):
    first = client.get("/.well-known/certificate-keys.json")
    assert first.status_code == 200 and first.json()["keys"][0]["crv"] == "Ed25519"
    assert pagecache.key_set_json()[0] == first.content


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)")
def test_rate_limiter_costs_one_redis_round_trip(settings, monkeypatch):
    from redis.connection import Connection

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": os.environ["REDIS_URL"], "KEY_PREFIX": "ratelimit-test"}}
    settings.CERTIFICATE_RATE_LIMITS = {"ip": (3, 60), "certificate": (100, 60)}
    from django.core.cache import cache

    cache.delete_many([ratelimit._key("ip", "203.0.113.9"), ratelimit._key("certificate", "abc")])
    ratelimit.allow(ip="203.0.113.9", certificate="abc")  # connects
    sent = []
    original = Connection.send_packed_command
    monkeypatch.setattr(Connection, "send_packed_command",
                        lambda self, *a, **k: (sent.append(1), original(self, *a, **k))[1])
    results = [ratelimit.allow(ip="203.0.113.9", certificate="abc") for _ in range(3)]
    assert len(sent) == 3  # one round trip per request, two buckets each
    assert results == [True, True, False]  # the 4th request from that IP within the window is refused
