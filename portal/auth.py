"""Login with lockout after repeated failures, and the audit of logins and logouts (DOMAIN §8)."""

import math

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import audit


class PortalAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。连续失败%(limit)d次后账号将被锁定%(minutes)d分钟。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
        "locked": _("登录失败次数过多，账号已被锁定，请在%(minutes)d分钟后再试。"),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        user = get_user_model().objects.filter(username=username).only("pk", "locked_until").first()
        now = timezone.now()
        if user is not None and user.locked_until and user.locked_until > now:
            minutes = max(1, math.ceil((user.locked_until - now).total_seconds() / 60))
            audit.record(actor=None, actor_name=username or "", action="login_refused_locked", outcome="refused")
            raise forms.ValidationError(self.error_messages["locked"], code="locked", params={"minutes": minutes})
        try:
            return super().clean()
        except forms.ValidationError:
            if user is not None:
                register_failure(user.pk)
            raise

    def get_invalid_login_error(self):
        return forms.ValidationError(
            self.error_messages["invalid_login"], code="invalid_login",
            params={"limit": settings.LOGIN_FAILURE_LIMIT,
                    "minutes": int(settings.LOGIN_LOCKOUT.total_seconds() // 60)},
        )


def register_failure(user_pk):
    """Counts a failed login; at the limit, locks the account and starts counting again."""
    User = get_user_model()
    User.objects.filter(pk=user_pk).update(failed_logins=F("failed_logins") + 1)
    locked = User.objects.filter(pk=user_pk, failed_logins__gte=settings.LOGIN_FAILURE_LIMIT).update(
        failed_logins=0, locked_until=timezone.now() + settings.LOGIN_LOCKOUT)
    if locked:
        user = User.objects.get(pk=user_pk)
        audit.record(actor=None, actor_name=user.get_username(), action="account_locked", obj=user,
                     outcome="locked")


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    if user.failed_logins or user.locked_until:
        type(user).objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    audit.record(actor=user, action="login")


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs):
    audit.record(actor=None, actor_name=str(credentials.get("username", ""))[:150], action="login_failed",
                 outcome="failed")


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action=getattr(request, "_portal_logout_reason", "logout"))
