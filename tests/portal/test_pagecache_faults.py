"""portal.pagecache under faults: a role revoked while a request begins, Redis refusing or not answering (no
request waits on it, every page is rendered, and after the outage no page kept before it is served)."""

import contextlib
import socket
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from portal import datagen, pagecache
from portal.models import Notification
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _page_cache_on():
    datagen._breaker.update(open_until=0.0, lost=False)
    with override_settings(PAGE_CACHE_SECONDS=60):
        yield
    datagen._breaker.update(open_until=0.0, lost=False)


def _signed_in(user):
    client = Client()
    client.force_login(user)
    client.get(reverse("twofactor_account"))  # sets the CSRF cookie, a part of the key
    return client


def _redis_caches(port):
    """Both caches at a Redis on ``port``, with the timeouts of portal/settings.py."""
    location = f"redis://127.0.0.1:{port}/0"
    return {"default": {"BACKEND": "portal.cache.FailOpenRedisCache", "LOCATION": location, "KEY_PREFIX": "fault",
                        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2}},
            "pages": {"BACKEND": "portal.cache.PagesRedisCache", "LOCATION": location,
                      "KEY_PREFIX": "fault", "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1}}}


@contextlib.contextmanager
def _hung_redis():
    """A Redis that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.2)
    accepted, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        with override_settings(CACHES=_redis_caches(server.getsockname()[1])):
            yield
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        server.close()


@contextlib.contextmanager
def _refused_redis():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    with override_settings(CACHES=_redis_caches(port)):
        yield


def _timed(action):
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def test_a_revocation_committed_while_a_request_begins_is_not_kept():
    """The generation is read before the session and the user: a role revoked after the read is seen by the view,
    and a page rendered before a bump is never stored under the generation after it."""
    boss = make_user("boss")
    boss.is_staff = boss.is_superuser = True
    boss.save()
    client = _signed_in(boss)
    real_current, fired = datagen.current, []

    def current_then_a_concurrent_revocation():
        value = real_current()
        if not fired:  # another request revokes the account's admin rights, commits and bumps: just now
            fired.append(True)
            get_user_model().objects.filter(pk=boss.pk).update(is_superuser=False, is_staff=False)
        return value

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pagecache.datagen, "current", current_then_a_concurrent_revocation)
        assert client.get(reverse("audit_log")).status_code == 403  # the view sees the revoked account
    assert client.get(reverse("audit_log")).status_code == 403


@pytest.mark.parametrize("page_cache_seconds", [60, 0])
@pytest.mark.parametrize("outage", [_hung_redis, _refused_redis])
def test_no_write_and_no_page_waits_on_redis(outage, page_cache_seconds):
    user = make_user("someone")
    client = _signed_in(user)
    with outage(), override_settings(PAGE_CACHE_SECONDS=page_cache_seconds):
        _, first_write = _timed(lambda: Notification.objects.create(recipient=user, title="一"))
        _, second_write = _timed(lambda: Notification.objects.create(recipient=user, title="二"))
        for _ in range(2):
            page, took = _timed(lambda: client.get(reverse("inbox")))
            assert page.status_code == 200 and "二" in page.content.decode() and took < 1.0
    assert first_write < 0.5 and second_write < 0.05  # one 0.1 s timeout, then the breaker skips Redis


def test_after_an_outage_no_page_kept_before_it_is_served():
    user = make_user("someone")
    client = _signed_in(user)
    client.get(reverse("inbox"))  # kept under the generation of now
    with _refused_redis():
        Notification.objects.create(recipient=user, title="停机期间的通知")  # its bump is lost
    datagen._breaker["open_until"] = 0.0  # the breaker's time is up; Redis is back
    page = client.get(reverse("inbox")).content.decode()
    assert "停机期间的通知" in page  # the generation was given a new value: the old page is not served
