"""Issue 14, findings 1 and 2: one lockout on every login path, per (user, address), a per-address throttle,
one message for every failure, a limit that holds under parallel requests, and a logged way back."""

import threading

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import check_password as real_check_password
from django.db import connection
from django.test import Client
from django.urls import reverse

from portal.models import AuditLog, User
from tests.conftest import PASSWORD, make_user

STRANGER = "203.0.113.7"
OFFICE = "10.20.30.40"


def login(client, username, password, ip=OFFICE, admin=False):
    url = reverse("admin:login") if admin else reverse("login")
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def limit(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_IP_FAILURE_LIMIT = 20
    return 5


def test_admin_login_is_locked_like_the_portal_login(world, client, limit):
    for _ in range(limit):
        login(client, "admin", "wrong", admin=True)
    login(client, "admin", PASSWORD, admin=True)
    assert not signed_in(client), "the admin login must refuse a locked account"
    assert AuditLog.objects.filter(action="account_locked", actor_name="admin").exists()


def test_admin_login_does_not_clear_a_portal_lock(world, client, limit):
    for _ in range(limit):
        login(client, "admin", "wrong")
    login(client, "admin", PASSWORD, admin=True)
    assert not signed_in(client)
    login(client, "admin", PASSWORD)
    assert not signed_in(client)


def test_a_stranger_cannot_lock_an_officer_out(world, client, limit):
    for _ in range(limit + 3):
        login(Client(), "city_hrss", "wrong", ip=STRANGER)
    assert login(client, "city_hrss", PASSWORD, ip=OFFICE).status_code == 302
    assert signed_in(client)
    # ... while the stranger's own address stays locked even with the right password.
    other = Client()
    login(other, "city_hrss", PASSWORD, ip=STRANGER)
    assert not signed_in(other)


def test_one_address_guessing_over_many_accounts_is_throttled(world, limit, settings):
    victims = ["staff", "other_staff", "city_hrss", "city_edu", "other_city_hrss", "prov_hrss", "prov_edu",
               "expert"]
    for i in range(settings.LOGIN_IP_FAILURE_LIMIT):
        login(Client(), victims[i % len(victims)], "wrong", ip=STRANGER)
    # No single (user, address) pair reached the per-user limit, yet the address is now refused.
    assert max(AccessAttempt.objects.values_list("failures_since_start", flat=True)) < limit
    client = Client()
    login(client, "student", PASSWORD, ip=STRANGER)
    assert not signed_in(client)
    other = Client()
    login(other, "student", PASSWORD, ip=OFFICE)
    assert signed_in(other)


def test_known_and_unknown_usernames_and_a_lock_get_the_same_message(world, limit):
    def message(username, password):
        response = login(Client(), username, password, ip=STRANGER)
        assert response.status_code == 200
        return response.context["form"].non_field_errors()

    known, unknown = message("staff", "wrong"), message("no_such_person", "wrong")
    assert known == unknown
    for _ in range(limit):
        login(Client(), "staff", "wrong", ip=STRANGER)
    assert message("staff", PASSWORD) == known  # locked: the same words


def test_inactive_account_gets_the_same_message(world, limit):
    User.objects.filter(username="staff").update(is_active=False)
    inactive = login(Client(), "staff", PASSWORD).context["form"].non_field_errors()
    wrong = login(Client(), "other_staff", "wrong").context["form"].non_field_errors()
    assert inactive == wrong


@pytest.mark.django_db(transaction=True)
def test_limit_holds_under_parallel_requests(settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("twelve sign-ins at once need a database that takes concurrent writers: PostgreSQL "
                    "(SQLite locks the table and answers some of them with an error instead)")
    settings.LOGIN_FAILURE_LIMIT = 5
    make_user("target")
    checked = []
    guard = threading.Lock()

    def counting_check_password(self, raw_password):
        with guard:
            checked.append(raw_password)
        return real_check_password(raw_password, self.password)

    monkeypatch.setattr(User, "check_password", counting_check_password)
    start = threading.Barrier(12)

    def guess(n):
        try:
            start.wait()
            login(Client(), "target", f"guess-{n}", ip=STRANGER)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checked) == 5, f"{len(checked)} passwords were checked for a limit of 5"


def test_site_admin_unlocks_a_locked_officer_and_it_is_logged(world, client, limit):
    for _ in range(limit):
        login(Client(), "city_hrss", "wrong", ip=OFFICE)
    client.force_login(world.admin)
    page = client.get(reverse("login_locks"))
    assert page.status_code == 200 and "city_hrss" in page.content.decode()
    response = client.post(reverse("login_locks"), {"username": "city_hrss", "ip_address": OFFICE})
    assert response.status_code == 302
    entry = AuditLog.objects.get(action="login_unlocked")
    assert entry.actor == world.admin and entry.changes["username"] == "city_hrss"
    officer = Client()
    login(officer, "city_hrss", PASSWORD, ip=OFFICE)
    assert signed_in(officer)


def test_only_site_admins_reach_the_unlock_page(world, client):
    client.force_login(world.prov_hrss)
    assert client.get(reverse("login_locks")).status_code == 403
    assert client.post(reverse("login_locks"), {"username": "x", "ip_address": OFFICE}).status_code == 403
    assert not AuditLog.objects.filter(action="login_unlocked").exists()
