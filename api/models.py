"""Institution and office tokens of the open API (``/api/v1/``).

A token is shown once, when it is made; only its SHA-256 is stored (a leaked database does not leak working
tokens). It acts for the person who made it, narrowed to the one role it was made for — a school's staff
role at that school, or a provincial office — and to its scopes; it stops working when revoked, or when that
person no longer holds that role.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Institution, Role


class TokenScope(models.TextChoices):
    READ = "read", _("只读")
    WRITE = "read write", _("读写（含上传成绩单、确认导入）")


class ApiToken(models.Model):
    name = models.CharField(_("用途说明"), max_length=60)
    prefix = models.CharField(_("令牌前缀"), max_length=12, unique=True,
                              help_text=_("令牌的前几位，用于辨认，不足以使用令牌。"))
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    role = models.CharField(_("代表的角色"), max_length=24, choices=Role.choices)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="api_tokens", verbose_name=_("院校"))
    scope = models.CharField(_("权限范围"), max_length=12, choices=TokenScope.choices, default=TokenScope.READ)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens",
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("吊销人"))

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(role="university_staff") | Q(institution__isnull=False),
                                   name="api_token_school_has_institution"),
            models.CheckConstraint(condition=Q(role__in=["university_staff", "provincial_hrss"]),
                                   name="api_token_role_valid"),
            models.CheckConstraint(condition=Q(scope__in=["read", "read write"]), name="api_token_scope_valid"),
        ]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_school(self):
        return self.role == Role.UNIVERSITY_STAFF

    @property
    def can_write(self):
        return self.scope == TokenScope.WRITE

    @property
    def active(self):
        return self.revoked_at is None
