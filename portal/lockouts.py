"""Locked sign-ins as a site administrator sees and lifts them (issue 14, #2: an officer locked out has a
way back). The locks themselves are django-axes' ``AccessAttempt`` rows, counted by ``portal.auth``."""

from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum

from portal import audit
from portal.auth import lockout_window_start


@dataclass(frozen=True)
class Lock:
    username: str
    ip_address: str
    failures: int
    last_attempt: object
    whole_address: bool  # the address is throttled for every username


def active_locks():
    """Current locks: (username, address) pairs at the limit, and addresses over the per-address limit."""
    recent = AccessAttempt.objects.filter(attempt_time__gte=lockout_window_start())
    pairs = (recent.values("username", "ip_address")
             .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
             .order_by("-last"))
    addresses = (recent.values("ip_address")
                 .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
                 .filter(failures__gte=settings.LOGIN_IP_FAILURE_LIMIT).order_by("-last"))
    locks = [Lock("", row["ip_address"] or "", row["failures"], row["last"], True) for row in addresses]
    locks += [Lock(row["username"] or "", row["ip_address"] or "", row["failures"], row["last"], False)
              for row in pairs if row["failures"] >= settings.LOGIN_FAILURE_LIMIT]
    return locks


def unlock(*, actor, username, ip_address):
    """Lifts a lock: the failures of ``username`` from ``ip_address`` (every username when ``username`` is
    empty, i.e. the address throttle). Logged in the audit log; returns how many attempt rows were cleared."""
    with transaction.atomic():
        attempts = AccessAttempt.objects.filter(ip_address=ip_address or None)
        if username:
            attempts = attempts.filter(username=username)
        count, _ = attempts.delete()
        audit.record(actor=actor, action="login_unlocked", outcome="ok",
                     changes={"username": username, "ip": ip_address, "cleared": count})
    return count
