"""portal.pagecache and portal.datagen: a signed-in page is served from the cache only to the session that was
shown it, and never after a committed write; a rolled-back write, a session save or Redis down change nothing
that a user sees. Transactional: the bump runs when a transaction commits, as it does in production. Redis out
of reach and a change committed while a request begins: test_pagecache_faults.py."""

from datetime import date
from unittest import mock

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import datagen, pagecache
from portal.models import Notification, RoleAssignment
from tests.conftest import build_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("_page_cache_on")]


@pytest.fixture
def _page_cache_on():
    datagen._breaker.update(open_until=0.0, lost=False)
    with override_settings(PAGE_CACHE_SECONDS=60):
        yield
    datagen._breaker.update(open_until=0.0, lost=False)


@pytest.fixture
def w():
    return build_world()


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries.captured_queries)


def _signed_in(user):
    """A signed-in client that has been shown one page (which set its CSRF cookie, a part of the key)."""
    client = Client()
    client.force_login(user)
    client.get(reverse("twofactor_account"))
    return client


def _notify(user, title):
    Notification.objects.create(recipient=user, title=title)


def test_second_view_is_served_from_the_cache_until_a_write(w):
    client = _signed_in(w.staff)
    first, rendered = _get(client, reverse("inbox"))
    second, cached = _get(client, reverse("inbox"))
    assert second.content == first.content
    assert cached < rendered and cached <= 3  # the session, the user, the second-step device: not the page's
    _notify(w.staff, "评审结果已公示")  # autocommit: the generation moves at once
    third, again = _get(client, reverse("inbox"))
    assert "评审结果已公示" in third.content.decode() and again > 3


def test_a_write_inside_a_transaction_invalidates_when_it_commits_and_not_before(w):
    client = _signed_in(w.staff)
    _get(client, reverse("home"))
    before = datagen.current()
    with transaction.atomic():
        _notify(w.staff, "第一条")
        with transaction.atomic():
            _notify(w.staff, "第二条")
        assert datagen.current() == before  # nothing is visible to others yet
    assert datagen.current() == before + 1  # one bump for the transaction
    response, _ = _get(client, reverse("home"))
    assert '<span class="badge" data-testid="unread">2</span>' in response.content.decode()


def test_a_rolled_back_write_leaves_the_cache_alone(w):
    client = _signed_in(w.staff)
    _get(client, reverse("home"))
    before = datagen.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify(w.staff, "撤回")
        raise RuntimeError
    with transaction.atomic():
        try:
            with transaction.atomic():
                _notify(w.staff, "撤回的保存点")
                raise RuntimeError
        except RuntimeError:
            pass
    assert datagen.current() == before
    _, queries = _get(client, reverse("home"))
    assert queries <= 3


def test_raw_sql_and_bulk_updates_invalidate(w):
    client = _signed_in(w.staff)
    _notify(w.staff, "原标题")
    _get(client, reverse("inbox"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE portal_notification SET title = %s", ["改过的标题"])
    response, _ = _get(client, reverse("inbox"))
    assert "改过的标题" in response.content.decode()
    Notification.objects.update(title="批量改过")
    response, _ = _get(client, reverse("inbox"))
    assert "批量改过" in response.content.decode()


def test_session_and_sign_in_attempt_writes_do_not_invalidate():
    assert not datagen.writes('UPDATE "django_session" SET "session_data" = %s')
    assert not datagen.writes('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)')
    assert datagen.writes('INSERT INTO "portal_auditlog" ("action") VALUES (%s)')
    assert datagen.writes("WITH changed AS (SELECT 1) UPDATE evaluation_verdict SET ok = true")
    assert not datagen.writes("SELECT id FROM portal_notification FOR UPDATE")


def test_each_session_and_user_gets_its_own_page(w):
    staff = _signed_in(w.staff)
    own, _ = _get(staff, reverse("home"))
    again = _signed_in(w.staff)  # the same person in another browser: rendered for that session
    _, queries = _get(again, reverse("home"))
    assert queries > 3
    city, _ = _get(_signed_in(w.city_hrss), reverse("home"))
    assert city.content != own.content and w.city_hrss.display_name in city.content.decode()


def test_a_revoked_role_is_refused_at_once(w):
    client = _signed_in(w.staff)
    _get(client, reverse("evaluation:graduate_list"))
    RoleAssignment.objects.filter(user=w.staff).delete()
    assert client.get(reverse("evaluation:graduate_list")).status_code in (403, 404)


def test_a_page_shown_with_a_message_is_not_kept(w):
    client = _signed_in(w.staff)
    _get(client, reverse("inbox"))  # kept, without a message
    request = RequestFactory().get("/")
    request._messages = storage = CookieStorage(request)
    messages.success(request, "已全部标为已读")  # waiting in the messages cookie, as after a redirect
    storage.update(carrier := HttpResponse())
    client.cookies.update(carrier.cookies)
    shown, _ = _get(client, reverse("inbox"))
    assert "已全部标为已读" in shown.content.decode()  # a waiting message: rendered, not the kept page
    after, _ = _get(client, reverse("inbox"))
    assert "已全部标为已读" not in after.content.decode()


def test_only_plain_pages_are_kept(w):
    request = RequestFactory().get("/")
    request.session = Client().session
    request.session.modified = False  # as loaded for a request
    request._messages = FallbackStorage(request)
    assert pagecache._keepable(request, HttpResponse("ok"), False)
    with_cookie = HttpResponse("ok")
    with_cookie.set_cookie("ballot", "1")
    assert not pagecache._keepable(request, with_cookie, False)
    with_header = HttpResponse("ok")
    with_header["Content-Disposition"] = "attachment"
    assert not pagecache._keepable(request, with_header, False)
    assert not pagecache._keepable(request, HttpResponse("no", status=404), False)
    request.session["filter"] = "x"  # the view changed the session
    assert not pagecache._keepable(request, HttpResponse("ok"), False)
    messages.info(request, "已保存")
    assert not pagecache._keepable(request, HttpResponse("ok"), True)


def test_another_day_is_another_page(w):
    client = _signed_in(w.staff)
    _get(client, reverse("home"))
    with mock.patch("portal.pagecache.timezone.localdate", return_value=date(2099, 1, 1)):
        _, queries = _get(client, reverse("home"))
    assert queries > 3


def test_off_when_set_to_zero(w):
    client = _signed_in(w.staff)
    with override_settings(PAGE_CACHE_SECONDS=0):
        _, first = _get(client, reverse("home"))
        _, second = _get(client, reverse("home"))
    assert second == first > 3


CACHED_PAGES = [  # every dashboard and list that carries @cached_page, as the role that uses it
    ("home", "staff"), ("inbox", "staff"), ("evaluation:graduate_list", "staff"), ("evaluation:run_list", "staff"),
    ("certificates:list", "staff"), ("track_a:index", "staff"), ("track_b:index", "city_hrss"),
    ("rounds:index", "staff"), ("assessment:index", "staff"), ("audit_log", "admin"),
    ("institution_list", "prov_hrss"),
]


@pytest.mark.parametrize("name, who", CACHED_PAGES)
def test_every_dashboard_and_list_is_kept(w, name, who):
    client = _signed_in(getattr(w, who))
    first, rendered = _get(client, reverse(name))
    second, kept = _get(client, reverse(name))
    assert second.content == first.content and kept <= 3 < rendered
