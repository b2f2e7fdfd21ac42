"""Sign-in: one lockout for every authentication path, one message for every failure, and the audit.

Every login form (the portal's and the admin's) calls ``django.contrib.auth.authenticate``; the first
authentication backend is django-axes' ``AxesStandaloneBackend``, which refuses a locked client before any
password is checked, and axes records each failure. So a future login path (an API, a password reset, a
second factor) is covered as soon as it authenticates through Django. What this module adds:

- ``LockoutHandler``: a lock per (username, client address) — a stranger cannot lock an officer out from
  elsewhere — plus a throttle per client address across usernames (``LOGIN_IP_FAILURE_LIMIT``).
- ``SerializedLoginMixin``: attempts at one (username, address) run one at a time (a database lock), so the
  limit holds under parallel requests: the N+1st parallel guess is refused, not checked.
- One message for a wrong password, an unknown user and a lock, so nothing tells whether an account exists.
- Audit rows (DOMAIN §8) for logins, failures, locks and logouts; the unlock page is in ``portal.views``.
- The second step (``portal.twofactor``): a wrong code is a failed login for axes (``SECOND_STEP`` in its
  credentials), and the password's success leaves earlier failures standing while that step is due.
"""

import hashlib

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_credentials
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connection, transaction
from django.db.models import Sum
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.twofactor import policy as second_step

FAILURE_MESSAGE = _("用户名或密码错误。连续失败次数过多时，将暂停从本设备登录该账号%(minutes)d分钟；"
                    "如需立即恢复，请联系系统管理员解锁。")
# In the credentials of a failed login reported by the second step (a wrong code, not a wrong password).
SECOND_STEP = "second_step"


def failure_limit(request=None, credentials=None):
    return settings.LOGIN_FAILURE_LIMIT


def cool_off(request=None):
    return settings.LOGIN_LOCKOUT


def lockout_window_start():
    return timezone.now() - settings.LOGIN_LOCKOUT


def address_failures(ip_address):
    """Failed logins from one client address, all usernames, within the lockout window."""
    if not ip_address:
        return 0
    return AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=lockout_window_start()) \
        .aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler, plus the per-address throttle across usernames."""

    def get_failures(self, request, credentials=None):
        failures = super().get_failures(request, credentials)  # this (username, address)
        if address_failures(getattr(request, "axes_ip_address", None)) >= settings.LOGIN_IP_FAILURE_LIMIT:
            return max(failures, settings.LOGIN_FAILURE_LIMIT)
        return failures

    def user_logged_in(self, sender, request, user, **kwargs):
        """axes clears the (user, address) failures on success; with a second step due, only its success does
        (``portal.twofactor.signin``) — else each right password would buy a fresh round of code guesses."""
        if second_step.needs_second_step(request, user):
            self.clean_expired_user_attempts(request, get_credentials(user.get_username()))
            return
        super().user_logged_in(sender, request, user, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """A locked client sees the login page with the same message as any other failure (axes' hook)."""
    if original_response is not None:
        return original_response
    return HttpResponse(failure_message(), status=429)


def _minutes():
    return int(settings.LOGIN_LOCKOUT.total_seconds() // 60)


def failure_message():
    return str(FAILURE_MESSAGE % {"minutes": _minutes()})


def serialize_attempts(username, ip_address):
    """Holds a transaction-scoped lock on (username, address) until the attempt has been recorded."""
    if connection.vendor != "postgresql":
        return  # SQLite (the laptop demo) runs write transactions one at a time anyway
    digest = hashlib.sha256(f"login\0{username}\0{ip_address}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


class SerializedLoginMixin:
    """For every login form: check, authenticate and record one attempt per (username, address) at a time."""

    error_messages = {
        "invalid_login": FAILURE_MESSAGE,
        "inactive": FAILURE_MESSAGE,
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if len(username) > (self.fields["username"].max_length or 150):
            # No account has a longer name (Django sets the field's max_length after the form is built, so nothing
            # refused it and the lockout's 255-character record failed): the same message as any failure.
            raise self.get_invalid_login_error()
        error = None
        with transaction.atomic():
            serialize_attempts(username, audit.client_ip(self.request) if self.request else "")
            try:
                result = super().clean()
            except forms.ValidationError as exc:  # keep the recorded failure: leave the block normally
                error = exc
        if error is not None:
            raise error
        return result

    def get_invalid_login_error(self):
        return forms.ValidationError(FAILURE_MESSAGE, code="invalid_login", params={"minutes": _minutes()})

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise self.get_invalid_login_error()


class PortalAuthenticationForm(SerializedLoginMixin, AuthenticationForm):
    pass


class PortalAdminAuthenticationForm(SerializedLoginMixin, AdminAuthenticationForm):
    """The admin's login: same lockout, same message (a non-admin's valid login still gets the admin's own)."""

    error_messages = {**AdminAuthenticationForm.error_messages, **SerializedLoginMixin.error_messages}

    def confirm_login_allowed(self, user):
        SerializedLoginMixin.confirm_login_allowed(self, user)
        AdminAuthenticationForm.confirm_login_allowed(self, user)


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    audit.record(actor=user, action="login")
    second_step.begin(request, user)


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs):
    # Refused by the lock (no password checked): axes flags the request but records no new failure.
    refused = bool(request is not None and getattr(request, "axes_locked_out", False)
                   and getattr(request, "axes_failures_since_start", None) is None)
    failed = "otp_failed" if credentials.get(SECOND_STEP) else "login_failed"
    audit.record(actor=None, actor_name=str(credentials.get("username", ""))[:150],
                 action="login_refused_locked" if refused else failed,
                 outcome="refused" if refused else "failed")


@receiver(user_locked_out)
def _on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    if request is not None and getattr(request, "axes_failures_since_start", None) is None:
        return  # axes also signals each refused attempt during a lock: that one is logged as refused
    audit.record(actor=None, actor_name=str(username or "")[:150], action="account_locked", outcome="locked",
                 changes={"ip": ip_address or ""})


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action=getattr(request, "_portal_logout_reason", "logout"))
