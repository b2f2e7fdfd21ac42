"""What a phone's authenticator app would show: the TOTP code a device accepts next (tests only)."""

import time
from binascii import unhexlify

from django_otp.oath import hotp


def code_for(key_hex, *, last_t=-1, drift=0, t0=0, step=30, digits=6):
    """A code works once per time step: this is the current step's, or the next one's when the current step's was
    used already (within the device's tolerance of one step)."""
    t = max((int(time.time()) - t0) // step + drift, last_t + 1)
    return f"{hotp(unhexlify(key_hex), t, digits=digits):0{digits}d}"


def next_code(device):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    d = TOTPDevice.objects.get(pk=device.pk)
    return code_for(d.key, last_t=d.last_t, drift=d.drift, t0=d.t0, step=d.step, digits=d.digits)


def enrolled_authenticator(user):
    """An authenticator confirmed for ``user`` through the enrolment service (its first code used)."""
    from portal.twofactor import services

    device = services.pending_authenticator(user)
    device, codes = services.confirm_authenticator(user=user, device_id=device.pk, code=next_code(device))
    return device, codes
