"""Who must pass the second step, and whether this session has.

Required for every role that approves, files, issues, revokes or administers: the school's staff (经办人 —
who file, confirm imports, issue certificates and act as the committee's secretary), the city and provincial
offices, site administrators (and any account that reaches the Django admin). Optional for students and
experts: once they enrol an authenticator, their sign-in asks for it too.
"""

from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import access
from portal.models import Role
from portal.twofactor.models import DemoDevice, EnrolmentRequired, demo_enabled

REQUIRED_ROLES = frozenset({Role.UNIVERSITY_STAFF, Role.CITY_HRSS, Role.CITY_EDUCATION, Role.PROVINCIAL_HRSS,
                            Role.PROVINCIAL_EDUCATION, Role.SITE_ADMIN})
# Set at the password step when the second one is due; removed when it is passed.
PENDING_KEY = "twofactor_pending"


def required_for(user):
    """Must this account pass the second step? (Its roles are loaded once per request: ``access.roles_of``.)"""
    return user.is_staff or user.is_superuser or access.has_role(user, *REQUIRED_ROLES)


def authenticators(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def recovery_devices(user):
    """Recovery-code devices with codes left."""
    codes_left = StaticToken.objects.filter(device=OuterRef("pk"))
    return StaticDevice.objects.filter(Exists(codes_left), user=user, confirmed=True)


def demo_devices(user):
    return DemoDevice.objects.filter(user=user, confirmed=True) if demo_enabled() else DemoDevice.objects.none()


def has_second_factor(user):
    """An authenticator, recovery codes left, or (in the demo) the demo device."""
    return authenticators(user).exists() or recovery_devices(user).exists() or demo_devices(user).exists()


def must_enrol_again(user):
    """An administrator reset this account's second factor (``reset``) and it has not enrolled since."""
    return EnrolmentRequired.objects.filter(user=user).exists()


def needs_second_step(request, user):
    """At the password step: is a second one due? Asked by the audit and the lockout handler; answered once."""
    cached = getattr(request, "_twofactor_needed", None)
    if cached is None:
        cached = request._twofactor_needed = (required_for(user) or has_second_factor(user)
                                              or must_enrol_again(user))
    return cached


def is_verified(request):
    """The session passed the second step (django-otp's middleware loaded the device that verified it)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def is_due(request):
    """A signed-in session that must pass the second step before anything else."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return False
    return bool(request.session.get(PENDING_KEY)) or required_for(user)


def begin(request, user):
    """At the password step (``user_logged_in``): note in the session that a second step is due."""
    if needs_second_step(request, user):
        request.session[PENDING_KEY] = True
