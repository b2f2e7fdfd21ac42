"""工作地: the graduate's own choice to apply at the place of work instead of the pilot school.

正文 四(二)：“学生毕业离校当年度，在省内企业就业并签订三方就业协议，可自愿选择在工作地或试点学校申报工程系列职称、职业技能等级
认定”; 附件2 一(四)：“可在……所在学校或工作地申报工程系列职称”. The choice is the graduate's right, made by the graduate in
the portal (never a clerk for them); it takes them out of the school's round for that year (and, for skill
certification, out of the school's sessions) and leaves a record; they take an export of their records (verdict,
evidence list) to the body at the place of work.

The employer's kind is recorded: “在省内企业就业” means an enterprise (企业) in Anhui — a graduate employed by a
机关 or 事业单位 may not apply for a title through the pilot, nor choose the place of work — for a title nor for skill
certification (DOMAIN §7); the school's own skill assessment (Track B) stays open to every 应届 graduate of it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EmployerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    GOVERNMENT = "government", _("机关")
    PUBLIC_INSTITUTION = "public", _("事业单位")
    OTHER = "other", _("其他")


class WorkplaceChoice(models.Model):
    graduate = models.OneToOneField("evaluation.Graduate", on_delete=models.PROTECT, related_name="workplace_choice",
                                    verbose_name=_("毕业生"))
    employer = models.CharField(_("工作单位"), max_length=100)
    employer_kind = models.CharField(_("单位性质"), max_length=12, choices=EmployerKind.choices)
    for_title = models.BooleanField(_("在工作地申报工程系列职称"), default=True)
    for_skill = models.BooleanField(_("在工作地申报职业技能等级认定"), default=False)
    note = models.TextField(_("说明"), blank=True)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("选择人"))
    chosen_at = models.DateTimeField(_("选择时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("选择在工作地申报")
        verbose_name_plural = _("选择在工作地申报")
        constraints = [
            models.CheckConstraint(condition=Q(for_title=True) | Q(for_skill=True), name="rounds_workplace_for_something",
                                   violation_error_message=_("请至少选择一项在工作地申报的评价。")),
            # The title choice is held by the database too; the skill choice by ``services.workplace.choose_workplace``
            # (choices recorded before DOMAIN §7 was read this way stay as they were made).
            models.CheckConstraint(condition=Q(for_title=False) | Q(employer_kind="enterprise"),
                                   name="rounds_workplace_title_needs_enterprise",
                                   violation_error_message=_("在机关、事业单位就业的，不能在工作地申报工程系列职称。")),
        ]

    def __str__(self):
        return f"{self.graduate.masked_name}·{self.employer}"
