"""A smaller procedure of 通知 三(二):

- 委托 (三(二)2(4)): a university that is not filed writes a plan, has it evaluated, reports it (报备) to
  its receiving HRSS office and entrusts a filed university, technical school or social evaluation
  organisation; the office acknowledges the report.
- 1+X 免试 (三(二)1) is in ``exemptions``.
"""

import re
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from portal import access
from portal.fields import StateField
from portal.models import City, Institution, Occupation
from portal.uploads import DOCUMENTS, UploadValidator

from .application import FilingApplication, SkillLevel

_INSTITUTION_CODE = re.compile(r"^[YS]\d{12}$")


def validate_institution_code(value):
    if value and not _INSTITUTION_CODE.match(value):
        raise ValidationError(_("评价机构代码应为13位：首位Y或S，后接12位数字，如 Y000034000001。"),
                              code="invalid_institution_code")


def _upload_path(instance, filename):
    return f"track_b/requests/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:8]}"


class EntrustmentState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REPORTED = "reported", _("已报备，待确认")
    ACKNOWLEDGED = "acknowledged", _("已确认报备")
    RETURNED = "returned", _("退回补充")


ENTRUSTMENT_EDITABLE = (EntrustmentState.DRAFT, EntrustmentState.RETURNED)


class Entrustment(ConcurrentTransitionMixin, models.Model):
    """委托报备: an unfiled university's plan and the filed institution it entrusts."""

    class EntrustedKind(models.TextChoices):
        UNIVERSITY = "university", _("经备案的其他高校")
        TECHNICAL_SCHOOL = "technical_school", _("技工院校")
        SOCIAL = "social", _("社会评价组织")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="track_b_entrustments",
                                    verbose_name=_("报备单位"))
    state = StateField(_("状态"), max_length=16, choices=EntrustmentState.choices, default=EntrustmentState.DRAFT,
                     protected=True)
    authority_role = models.CharField(_("受理部门"), max_length=24)
    authority_city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("受理部门所在市"))
    plan = models.TextField(_("实施方案"), blank=True,
                            help_text=_("开展职业技能等级认定的专业、职业（工种）、等级、组织方式和质量保障措施。"))
    plan_file = models.FileField(_("实施方案文件"), upload_to=_upload_path, blank=True,
                                 validators=[UploadValidator(kinds=DOCUMENTS, max_mb=10)])
    evaluation = models.TextField(_("评估论证情况"), blank=True,
                                  help_text=_("实施方案经过的评估论证：组织方、专家、时间和结论。"))
    occupations = models.ManyToManyField(Occupation, blank=True, related_name="+",
                                         verbose_name=_("委托认定的职业（工种）"))
    level = models.PositiveSmallIntegerField(_("最高等级"), choices=SkillLevel.choices, null=True, blank=True)
    expected_students = models.PositiveIntegerField(_("预计参加认定学生人数"), null=True, blank=True)
    entrusted_kind = models.CharField(_("受委托机构类型"), max_length=20, choices=EntrustedKind.choices,
                                      default=EntrustedKind.UNIVERSITY)
    entrusted_filing = models.ForeignKey(FilingApplication, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="entrusted_by", verbose_name=_("受委托的备案高校"))
    entrusted_name = models.CharField(_("受委托机构名称"), max_length=100, blank=True)
    entrusted_code = models.CharField(_("受委托机构备案编号"), max_length=13, blank=True,
                                      validators=[validate_institution_code])
    voluntary = models.BooleanField(_("按学校自愿、学生自愿原则统一委托"), default=False)
    office_comment = models.TextField(_("受理部门意见"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("填报人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    reported_at = models.DateTimeField(_("报备时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("委托认定报备")
        verbose_name_plural = _("委托认定报备")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return str(_("委托报备：%(inst)s → %(to)s") % {"inst": self.institution.name,
                                                     "to": self.entrusted_display or "—"})

    @property
    def entrusted_display(self):
        if self.entrusted_kind == self.EntrustedKind.UNIVERSITY and self.entrusted_filing_id:
            f = self.entrusted_filing
            return f"{f.unit_name or f.institution.name}（{f.filing_code}）"
        if self.entrusted_name:
            return f"{self.entrusted_name}（{self.entrusted_code}）" if self.entrusted_code else self.entrusted_name
        return ""

    def _may_report(self, user):
        return access.can(user, "track_b.entrustment_edit", self)

    def _may_acknowledge(self, user):
        return access.can(user, "track_b.entrustment_acknowledge", self)

    @transition(field=state, source=[EntrustmentState.DRAFT, EntrustmentState.RETURNED],
                target=EntrustmentState.REPORTED, permission=_may_report)
    def report(self):
        """The university reports (报备) its plan and the entrusted institution to its receiving office."""

    @transition(field=state, source=EntrustmentState.REPORTED, target=EntrustmentState.ACKNOWLEDGED,
                permission=_may_acknowledge)
    def acknowledge(self):
        """The office confirms it has received the report."""

    @transition(field=state, source=EntrustmentState.REPORTED, target=EntrustmentState.RETURNED,
                permission=_may_acknowledge)
    def return_report(self):
        """The office asks the university to complete the report."""
