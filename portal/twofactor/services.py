"""Enrolling an authenticator, recovery codes, checking a code, the demo device. Each change is audited."""

import re
from base64 import b32encode

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import audit
from portal.twofactor import policy
from portal.twofactor.models import DemoDevice, EnrolmentRequired

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"
DEMO_NAME = "演示设备"
_TOTP_CODE = re.compile(r"\d{6}")


def normalize_code(code):
    """Spaces and hyphens dropped, lower case: ``123 456`` and ``ABCD-EFGH`` are read as typed on paper."""
    return re.sub(r"[\s-]+", "", str(code or "")).lower()


def pending_authenticator(user):
    """The authenticator being enrolled (not yet confirmed by a code), made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def secret_text(device):
    """The key as an authenticator app asks for it when typed by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm_authenticator(*, user, device_id, code):
    """Confirms the pending authenticator with its first code; replaces any earlier one and issues new
    recovery codes. Returns ``(device, recovery codes)``, or ``None`` when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
    code = normalize_code(code)
    if device is None or not _TOTP_CODE.fullmatch(code) or not device.verify_token(code):
        return None
    replaced, _ = TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    after_reset, _ = EnrolmentRequired.objects.filter(user=user).delete()
    audit.record(actor=user, action="otp_enrolled", changes={"replaced": bool(replaced),
                                                             "after_reset": bool(after_reset)})
    return device, codes


@transaction.atomic
def renew_recovery_codes(*, user):
    """New recovery codes; the old ones stop working."""
    codes = _new_recovery_codes(user)
    audit.record(actor=user, action="otp_recovery_renewed")
    return codes


def _new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def turn_off(*, user):
    """An optional user (a student, an expert) stops using two-factor sign-in."""
    if policy.required_for(user):
        raise PermissionError("two-factor sign-in is required for this account")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(actor=user, action="otp_turned_off")


def check_code(user, code):
    """The device that accepts ``code`` — consumed: a TOTP code or a recovery code works once — or ``None``.

    Six digits go to the authenticator (and, in the demo, the demo device); anything else to the recovery
    codes. Failures are limited by the sign-in lockout (``signin``; django-otp's per-device throttle is off).
    """
    code = normalize_code(code)
    if _TOTP_CODE.fullmatch(code):
        candidates = [policy.authenticators(user), policy.demo_devices(user)]
    else:
        candidates = [policy.recovery_devices(user)]
    with transaction.atomic():
        for queryset in candidates:
            for device in queryset.select_for_update():
                if device.verify_token(code):
                    return device
    return None


def method_of(device):
    return {TOTPDevice: "authenticator", StaticDevice: "recovery", DemoDevice: "demo"}.get(type(device), "")


def add_demo_device(user):
    """The demo device for a demo account (``load_demo``); it accepts the demo code only in the demo."""
    device, _ = DemoDevice.objects.get_or_create(user=user, defaults={"name": DEMO_NAME})
    return device
