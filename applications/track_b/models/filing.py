"""Filing (机构备案): the province-wide code sequence, what was filed, and the generated PDFs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Occupation

from .application import FilingApplication, SkillLevel


class FilingCodeCounter(models.Model):
    """The provincial HRSS's sequence of evaluation-institution codes (DOMAIN §6): one row per province.

    ``codes.allocate`` locks the row with ``select_for_update`` inside the filing transaction, so two
    offices filing at the same moment queue on it; a rolled-back filing rolls back its number too,
    so the sequence has no gaps and no number is ever given twice.
    """

    province = models.CharField(_("省级行政区划代码"), max_length=2, primary_key=True)
    last_sequence = models.PositiveIntegerField(_("已分配的最大顺序号"), default=0)

    class Meta:
        verbose_name = _("备案编号计数器")
        verbose_name_plural = _("备案编号计数器")

    def __str__(self):
        return f"{self.province}: {self.last_sequence:06d}"


class FiledOccupation(models.Model):
    """An occupation the institution is filed for, with the highest level it may certify."""

    application = models.ForeignKey(FilingApplication, on_delete=models.CASCADE, related_name="filed_occupations")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("备案职业（工种）"))
    job_types = models.CharField(_("工种"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("最高等级"), choices=SkillLevel.choices)

    class Meta:
        verbose_name = _("备案职业")
        verbose_name_plural = _("备案职业")
        ordering = ["occupation__code"]
        constraints = [
            models.UniqueConstraint(fields=["application", "occupation"], name="track_b_filed_occupation_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=3, level__lte=5), name="track_b_level_at_most_3"),
        ]

    def __str__(self):
        return f"{self.occupation} {self.get_level_display()}"


class GeneratedDocument(models.Model):
    """A rendered PDF (附件3, 附件4, 附件5, 备案回执) with its SHA-256; re-rendering replaces it."""

    class Kind(models.TextChoices):
        ANNEX3 = "annex3", _("附件3 申报单位基本情况表")
        ANNEX4 = "annex4", _("附件4 职业技能等级认定实施方案")
        ANNEX5 = "annex5", _("附件5 评估论证报告")
        RECEIPT = "receipt", _("备案回执")

    application = models.ForeignKey(FilingApplication, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("文件"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("PDF"), upload_to="track_b/documents/")
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    generated_at = models.DateTimeField(_("生成时间"), auto_now=True)

    class Meta:
        verbose_name = _("生成的文件")
        verbose_name_plural = _("生成的文件")
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="track_b_document_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.application_id}"
