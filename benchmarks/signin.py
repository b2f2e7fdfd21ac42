"""A client signed in as a user who has passed the second step, for benchmarks and tests (import after Django is
set up). It marks the session as ``portal.twofactor.signin`` does after a right code: django-otp's session key
names a device of the user — here a code-less static device made for the purpose, never one a person uses."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from portal.twofactor.policy import PENDING_KEY

SECOND_STEP_DEVICE = "测试：force_login 视同已通过两步验证"


def pass_second_step(client, user):
    """Marks ``client``'s session as past the second step (nothing to do when none is due)."""
    session = client.session
    if not session.pop(PENDING_KEY, False):
        return  # no second step due (a student or an expert without an authenticator)
    device, _ = StaticDevice.objects.get_or_create(user=user, name=SECOND_STEP_DEVICE)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def signed_in(user, **client_kwargs):
    client = Client(**client_kwargs)
    client.force_login(user)
    pass_second_step(client, user)
    return client
