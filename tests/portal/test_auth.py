"""等保 level-2 duties (DOMAIN §8): lockout after failed logins, idle timeout, audit of every login event."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditLog
from tests.conftest import PASSWORD


def post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_logout_are_audited(world, client):
    response = post_login(client, "staff", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    client.post(reverse("logout"))
    actions = list(AuditLog.objects.filter(actor_name="staff").order_by("id").values_list("action", flat=True))
    assert actions == ["login", "logout"]
    assert AuditLog.objects.get(action="login").ip == "127.0.0.1"


def test_wrong_password_shows_chinese_error_and_is_audited(world, client):
    response = post_login(client, "staff", "wrong")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    entry = AuditLog.objects.get(action="login_failed")
    assert entry.actor_name == "staff" and entry.outcome == "failed"


def test_lockout_after_limit_then_unlock_after_timeout(world, client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        post_login(client, "staff", "wrong")
    # Even the right password is refused while locked, with the same message as any failure.
    response = post_login(client, "staff", PASSWORD)
    assert "用户名或密码错误" in response.content.decode() and "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(action="account_locked", actor_name="staff").count() == 1
    assert AuditLog.objects.filter(action="login_refused_locked", actor_name="staff").count() == 1
    # When the cool-off has passed, the right password works and the failures are cleared.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.LOGIN_LOCKOUT - timedelta(seconds=1))
    assert post_login(client, "staff", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="staff").exists()


def test_failures_below_limit_do_not_lock(world, client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    post_login(client, "staff", "wrong")
    post_login(client, "staff", "wrong")
    assert post_login(client, "staff", PASSWORD).status_code == 302


def test_unknown_user_failures_are_audited_without_error(world, client):
    response = post_login(client, "nobody", "x")
    assert response.status_code == 200
    assert AuditLog.objects.filter(action="login_failed", actor_name="nobody").exists()


def test_idle_session_times_out_with_message(world, client, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    client.force_login(world.staff)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["_last_seen"] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "由于长时间未操作，您已自动退出登录" in response.content.decode()
    assert AuditLog.objects.filter(action="session_timeout", actor_name="staff").exists()


def test_activity_within_timeout_keeps_session(world, client):
    client.force_login(world.staff)
    client.get(reverse("home"))
    session = client.session
    session["_last_seen"] = time.time() - 29 * 60
    session.save()
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("password, ok", [
    ("short1!", False), ("alllowercaseletters", False), ("Abcdefghij1", True), ("abcdefgh1!", True),
])
def test_password_complexity(password, ok):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password)
        assert ok
    except ValidationError:
        assert not ok
