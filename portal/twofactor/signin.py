"""The second step as part of signing in: the lockout, the audit and the session.

A wrong code is a failed sign-in like a wrong password: it is reported through Django's ``user_login_failed``
signal, so django-axes counts it against the same (username, address) lock, and the portal's handler writes
the audit row (``otp_failed``). A locked pair is refused before any code is checked. Attempts at one
(username, address) run one at a time, as passwords do (``portal.auth.serialize_attempts``). The password's
success does not clear earlier failures while the second step is due (``portal.auth.LockoutHandler``): the
passed second step does.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import login as otp_login

from portal import audit
from portal.auth import SECOND_STEP, serialize_attempts
from portal.twofactor import policy, services

OK, WRONG, LOCKED = "ok", "wrong", "locked"


def attempt(request, code):
    """Checks a code for ``request.user``; on success the session has passed the second step."""
    user = request.user
    username = user.get_username()
    credentials = {"username": username}
    with transaction.atomic():
        serialize_attempts(username, audit.client_ip(request))
        if AxesProxyHandler.is_locked(request, credentials):
            audit.record(actor=None, actor_name=username, action="login_refused_locked", outcome="refused")
            return LOCKED
        device = services.check_code(user, code)
        if device is None:
            user_login_failed.send(sender=__name__, credentials={**credentials, SECOND_STEP: True},
                                   request=request)
            return LOCKED if getattr(request, "axes_locked_out", False) else WRONG
        AxesProxyHandler.reset_attempts(ip_address=request.axes_ip_address, username=username)
        changes = {"method": services.method_of(device)}
        if changes["method"] == "recovery":
            changes["recovery_codes_left"] = services.recovery_codes_left(user)
        audit.record(actor=user, action="otp_verified", changes=changes)
    pass_step(request, device)
    return OK


def pass_step(request, device):
    """Marks the session as having passed the second step with ``device`` (also after enrolment)."""
    request.session.cycle_key()  # a new session id for the raised privilege
    otp_login(request, device)
    request.session.pop(policy.PENDING_KEY, None)
