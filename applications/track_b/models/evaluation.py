"""The evaluation (评估论证, 通知 三(二)2(2)): an expert panel picked by the receiving office from the
expert pool, at least two thirds of it external, and its report 附件5 signed by every member."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Occupation

from .application import FilingApplication


class TrainingTarget(models.IntegerChoices):
    """五、评估结果意见: the conclusion per occupation (附件5)."""

    SENIOR = 3, _("以高级工为培养目标")
    INTERMEDIATE = 4, _("以中级工为培养目标")
    JUNIOR = 5, _("以初级工为培养目标")
    NONE = 0, _("暂不具备开展认定的条件")


class PanelMember(models.Model):
    """An expert of the pool on one case's panel. External = not of the applicant (see services.panel)."""

    application = models.ForeignKey(FilingApplication, on_delete=models.CASCADE, related_name="panel",
                                    verbose_name=_("备案申请"))
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="track_b_panels",
                               verbose_name=_("专家"))
    is_leader = models.BooleanField(_("组长"), default=False)
    is_external = models.BooleanField(_("校外专家"), default=True)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    title = models.CharField(_("职务/职称/技能等级"), max_length=100, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("指派人"))
    assigned_at = models.DateTimeField(_("指派时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评估论证专家组成员")
        verbose_name_plural = _("评估论证专家组成员")
        ordering = ["-is_leader", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="track_b_panel_member_unique"),
            models.UniqueConstraint(fields=["application"], condition=Q(is_leader=True),
                                    name="track_b_panel_one_leader"),
        ]

    def __str__(self):
        return f"{self.expert}（{self.employer}）"


class EvaluationReport(models.Model):
    """附件5 高校职业技能等级认定评估论证报告 (模板): five sections; drafted by the panel leader."""

    application = models.OneToOneField(FilingApplication, on_delete=models.CASCADE, related_name="report",
                                       verbose_name=_("备案申请"))
    evaluated_on = models.DateField(_("评估论证时间"), null=True, blank=True)
    organisation = models.TextField(_("一、评估论证组织实施情况"), blank=True,
                                    help_text=_("包括评估论证小组的建立、专家情况，评估的时间、内容、方式等。"))
    basic = models.TextField(_("二、单位基本情况"), blank=True,
                             help_text=_("含学校人才培养概况，应用型学院及专业设置情况，应用型专业在校生人数，"
                                         "评价认定工作职责落实安排等。"))
    courses = models.TextField(_("三、简述应用型学院及应用型专业课程设置情况，教学目标、实习实践要求和成绩合格标准等"),
                               blank=True)
    occupations_text = models.TextField(_("四、简述拟开展职业技能等级认定的应用型专业所对应的评价职业（工种）情况"),
                                        blank=True)
    opinion = models.TextField(_("五、评估结果意见"), blank=True,
                               help_text=_("提出“以高级工为培养目标”或“以中级工为培养目标”等的结论性意见。"))
    version = models.PositiveIntegerField(_("版本"), default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("最后修改人"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    TEXT_FIELDS = ("evaluated_on", "organisation", "basic", "courses", "occupations_text", "opinion")

    class Meta:
        verbose_name = _("评估论证报告")
        verbose_name_plural = _("评估论证报告")

    def __str__(self):
        return str(_("评估论证报告：%(unit)s") % {"unit": self.application.unit_name})

    def content_hash(self, conclusions=None):
        """SHA-256 of what a signature attests: the five sections, the date and every conclusion."""
        if conclusions is None:
            conclusions = [(c.occupation_id, c.target) for c in self.conclusions.all()]
        payload = {f: str(getattr(self, f) or "") for f in self.TEXT_FIELDS}
        payload["conclusions"] = sorted([list(c) for c in conclusions])
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


class ReportConclusion(models.Model):
    """The panel's conclusion for one occupation applied for: 以高级工/中级工/初级工为培养目标."""

    report = models.ForeignKey(EvaluationReport, on_delete=models.CASCADE, related_name="conclusions")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("评价职业"))
    target = models.PositiveSmallIntegerField(_("结论"), choices=TrainingTarget.choices)

    class Meta:
        verbose_name = _("评估结论")
        verbose_name_plural = _("评估结论")
        ordering = ["occupation__code"]
        constraints = [models.UniqueConstraint(fields=["report", "occupation"], name="track_b_conclusion_unique")]

    def __str__(self):
        return f"{self.occupation}: {self.get_target_display()}"


class ReportSignature(models.Model):
    """One panel member's confirmation (签字) of one version of the report."""

    report = models.ForeignKey(EvaluationReport, on_delete=models.CASCADE, related_name="signatures")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="signatures")
    content_sha256 = models.CharField(_("所签内容摘要"), max_length=64)
    version = models.PositiveIntegerField(_("所签版本"))
    signed_at = models.DateTimeField(_("签字时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家签字")
        verbose_name_plural = _("专家签字")
        ordering = ["signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "member"], name="track_b_signature_unique")]

    def __str__(self):
        return f"{self.member.expert} @ {timezone.localtime(self.signed_at):%Y-%m-%d %H:%M}"


class PanelConflict(models.Model):
    """A declared conflict of interest (回避) of a pool expert for one case: the only thing that keeps an expert off
    the panel. Employment by the applicant is not a conflict: such a 校内专家 may sit, within the third of the panel
    the notice leaves to them (校外专家不少于三分之二, 通知 三(二)2(2))."""

    application = models.ForeignKey(FilingApplication, on_delete=models.CASCADE, related_name="panel_conflicts",
                                    verbose_name=_("备案申请"))
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("专家"))
    reason = models.CharField(_("回避事由"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家回避声明")
        verbose_name_plural = _("专家回避声明")
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="track_b_conflict_once")]

    def __str__(self):
        return f"{self.expert} 回避 {self.application}"
