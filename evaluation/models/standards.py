"""A school's own evaluation standard (自主评审标准条件), kept as immutable numbered versions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluation.rules.standard import SchoolStandard as RuleStandard
from portal.models import Institution


class SchoolStandard(models.Model):
    """The standard an institution publishes; what it says lives in its versions (latest = in force)."""

    institution = models.OneToOneField(Institution, on_delete=models.PROTECT, related_name="school_standard",
                                       verbose_name=_("院校"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("自主评审标准条件")
        verbose_name_plural = _("自主评审标准条件")

    def __str__(self):
        return f"{self.institution}自主评审标准条件"


class StandardVersion(models.Model):
    """One published version. Never edited: a change is a new version, so that every stored verdict
    keeps pointing at the exact rules it was decided by. ``data`` is ``rules.SchoolStandard.to_dict()``
    and was checked against the baseline when published (通知 四(四))."""

    standard = models.ForeignKey(SchoolStandard, on_delete=models.PROTECT, related_name="versions",
                                 verbose_name=_("标准"))
    number = models.PositiveIntegerField(_("版本号"))
    name = models.CharField(_("名称"), max_length=100)
    data = models.JSONField(_("标准内容"))
    note = models.CharField(_("修订说明"), max_length=300, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("发布人"))
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("标准版本")
        verbose_name_plural = _("标准版本")
        ordering = ["standard_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="standard_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="standard_version_number_positive"),
        ]

    def __str__(self):
        return f"{self.name}（第{self.number}版）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("已发布的标准版本不可修改，请发布新版本。")
        super().save(*args, **kwargs)

    def rules(self):
        """The engine's ``SchoolStandard`` (parsed once per instance)."""
        cached = getattr(self, "_rules", None)
        if cached is None:
            cached = self._rules = RuleStandard.from_dict(self.data)
        return cached


class StandardComment(models.Model):
    """The 属地 city HRSS guides the school's standard (正文 三(一)2(4): "属地市人社局…指导学校…制定…自主评审标准条件"):
    it sees each version the school drafts and may comment on it; the school sees the comments. A comment is a
    record of guidance, not an approval — the standard reaches HRSS formally inside the committee's filing."""

    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="comments",
                                verbose_name=_("标准版本"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("提出人"))
    text = models.TextField(_("指导意见"))
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评审标准指导意见")
        verbose_name_plural = _("评审标准指导意见")
        ordering = ["version_id", "created_at", "id"]

    def __str__(self):
        return f"{self.version}：{self.text[:20]}"
