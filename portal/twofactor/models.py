"""The demo device: how the demo accounts pass the second step without an authenticator app.

A django-otp device like the others (``devices_for_user`` finds it), whose code is the fixed ``DEMO_CODE``
written in the README — and which accepts nothing unless the demo settings switch it on
(``settings.TWO_FACTOR_DEMO``, which production refuses). ``manage.py load_demo`` gives one to each demo
account that must pass the second step.

``EnrolmentRequired`` marks an account whose second factor an administrator reset (``reset``).
"""

from django.conf import settings
from django.db import models
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

DEMO_CODE = "280280"  # after 皖人社秘〔2023〕280号; documented in the README's demo accounts table


def demo_enabled():
    return bool(getattr(settings, "TWO_FACTOR_DEMO", False)) and not getattr(settings, "PRODUCTION", False)


class DemoDevice(Device):
    class Meta:
        verbose_name = _("演示用验证设备")
        verbose_name_plural = _("演示用验证设备")

    def verify_token(self, token):
        return demo_enabled() and constant_time_compare(str(token), DEMO_CODE)


class EnrolmentRequired(models.Model):
    """After an administrator reset the account's second factor (a lost or replaced phone): the next sign-in must
    enrol an authenticator again, whatever the account's roles (a student or an expert too). Removed when an
    authenticator is confirmed (``services.confirm_authenticator``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("账号"))
    since = models.DateTimeField(_("重置时间"))
    reason = models.CharField(_("重置原因"), max_length=500)

    class Meta:
        verbose_name = _("待重新绑定的两步验证")
        verbose_name_plural = _("待重新绑定的两步验证")

    def __str__(self):
        return f"{self.user}：{self.reason}"
