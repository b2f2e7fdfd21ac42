"""A lost or replaced phone: an administrator resets an account's second factor.

Who: site administrators only (``portal.reset_second_factor``), never on their own account (a second
administrator does it: whoever lost the phone cannot prove who they are with it). The province's offices do
not: they have no duty to check the identity of a school's staff, and the brief says to keep it to administrators
when unsure. What happens, in one transaction: every authenticator, recovery code and demo device of the account
is deleted; the account must enrol again at its next sign-in (``EnrolmentRequired``, whatever its roles); its open
sessions end (one may be on the lost phone); the portal's audit log records who, whom, why and what was removed
(``otp_reset``); the account's owner is notified (inbox, and e-mail when on). Deleting devices in the Django
admin goes through ``devices_deleted_in_admin``: the same except that the admin form asks no reason
(``otp_devices_deleted_admin``).
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import audit
from portal.models import AuditLog
from portal.notify import notify
from portal.twofactor.models import DemoDevice, EnrolmentRequired

REASON_MAX = 500
ADMIN_REASON = "在后台管理中删除设备（未填写原因）"


class ResetRefused(Exception):
    pass


def end_sessions(user):
    """Ends every open session of ``user`` (database sessions); returns how many."""
    keys = [s.session_key for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
            if s.get_decoded().get(SESSION_KEY) == str(user.pk)]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def _require_enrolment(user, reason):
    EnrolmentRequired.objects.update_or_create(user=user, defaults={"since": timezone.now(),
                                                                    "reason": reason[:REASON_MAX]})


def _notify(user, reason):
    notify([user], title=_("您的两步验证已被管理员重置"),
           body=_("原因：%(reason)s。您原来绑定的身份验证器和恢复码已失效，下次登录时须重新绑定身份验证器。"
                  "如果这不是您申请的，请立即联系系统管理员。") % {"reason": reason},
           link=reverse("twofactor_setup"))


@transaction.atomic
def reset_second_factor(*, user, actor, reason):
    """Removes ``user``'s second factors; see the module's docstring. Returns the audit row."""
    reason = " ".join(str(reason or "").split())[:REASON_MAX]
    if not reason:
        raise ResetRefused(_("请填写重置原因。"))
    if user.pk == actor.pk:
        raise ResetRefused(_("不能重置自己的两步验证，请由另一位系统管理员办理。"))
    removed = {"authenticators": TOTPDevice.objects.filter(user=user).delete()[0],
               "recovery_devices": StaticDevice.objects.filter(user=user).delete()[0],
               "demo_devices": DemoDevice.objects.filter(user=user).delete()[0]}
    _require_enrolment(user, reason)
    sessions = end_sessions(user)
    entry = audit.record(actor=actor, action="otp_reset", obj=user,
                         changes={"reason": reason, **removed, "sessions_ended": sessions})
    _notify(user, reason)
    return entry


def devices_deleted_in_admin(*, actor, devices):
    """The Django admin deleted ``devices`` (already gone): per account, the portal's audit row, the enrolment
    required again, its sessions ended and the owner notified — as for a reset in the portal."""
    by_user = {}
    for device in devices:
        by_user.setdefault(device.user_id, (device.user, []))[1].append(f"{type(device).__name__}:{device.name}")
    for user, names in by_user.values():
        _require_enrolment(user, ADMIN_REASON)
        # An administrator who deletes their own device is signed in now: their session goes on (to the second step).
        sessions = end_sessions(user) if user.pk != actor.pk else 0
        audit.record(actor=actor, action="otp_devices_deleted_admin", obj=user,
                     changes={"devices": names, "reason": ADMIN_REASON, "sessions_ended": sessions})
        _notify(user, ADMIN_REASON)


def recent_resets(limit=20):
    return (AuditLog.objects.filter(action__in=("otp_reset", "otp_devices_deleted_admin"))
            .order_by("-at")[:limit])
