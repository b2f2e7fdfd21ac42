"""The expert group of the provincial review (通知 三(一)2(3): "省教育厅会同省人社厅组织专家进行论证和实地评估").

Our reading of 会同 (DOMAIN §3.2): the provincial education department leads — it proposes the group from the expert
pool and runs the review; the provincial HRSS takes part — it confirms the group (and may add experts) before the
review starts, and sees everything the experts see. The experts then act in the portal themselves: each reads the
附件1 application and its attachments, scores it and writes an opinion (论证意见); the leader drafts the group's
report — the document review (专家论证) and, after the visit, the on-site evaluation (实地评估: date, what was seen,
opinion) — and every member signs it. Changing a report after a signature clears every signature (as Track B's
附件5). The office then acts on the signed report: ``DocumentReview``/``SiteEvaluation`` rows are written from it, so
the conclusion is the experts', never typed by a clerk.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from applications.track_a.models.application import PilotApplication
from portal.access import permission as may
from portal.fields import StateField


class GroupState(models.TextChoices):
    PROPOSED = "proposed", _("省教育厅已提出，待省人社厅确认")
    CONFIRMED = "confirmed", _("省人社厅已确认，专家论证中")


class ExpertGroup(ConcurrentTransitionMixin, models.Model):
    """The expert group for one submitted version of an application (a resubmission gets a new group)."""

    application = models.ForeignKey(PilotApplication, on_delete=models.CASCADE, related_name="expert_groups",
                                    verbose_name=_("试点立项申请"))
    submission_number = models.PositiveSmallIntegerField(_("论证的提交版本"))
    state = StateField(_("状态"), max_length=12, choices=GroupState.choices, default=GroupState.PROPOSED,
                     protected=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("提出人（省教育厅）"))
    proposed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                     blank=True, verbose_name=_("确认人（省人社厅）"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("论证专家组")
        verbose_name_plural = _("论证专家组")
        ordering = ["application", "-submission_number"]
        constraints = [models.UniqueConstraint(fields=["application", "submission_number"],
                                               name="track_a_one_group_per_submission")]

    def __str__(self):
        return f"{self.application.unit_name}·{_('论证专家组')}"

    @transition(field=state, source=GroupState.PROPOSED, target=GroupState.CONFIRMED,
                permission=may("track_a.confirm_group"))
    def confirm(self):
        """省人社厅确认专家组 (it may add experts first)."""

    @transition(field=state, source=GroupState.CONFIRMED, target=GroupState.PROPOSED,
                permission=may("track_a.declare_group_conflict"))
    def reopen(self):
        """A member declared 回避 and the group lost its leader or fell below the minimum: back to 省教育厅 to adjust it,
        then 省人社厅 confirms it again."""


class GroupMember(models.Model):
    group = models.ForeignKey(ExpertGroup, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey("portal.ExpertProfile", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("专家"))
    is_leader = models.BooleanField(_("组长"), default=False)
    added_by_role = models.CharField(_("选入部门"), max_length=24)

    class Meta:
        verbose_name = _("论证专家组成员")
        verbose_name_plural = _("论证专家组成员")
        ordering = ["group", "-is_leader", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "expert"], name="track_a_group_member_once"),
            models.UniqueConstraint(fields=["group"], condition=Q(is_leader=True), name="track_a_group_one_leader"),
        ]

    def __str__(self):
        return str(self.expert)


class GroupConflict(models.Model):
    """An expert's own 回避 declaration (DOMAIN §2: an expert withdraws on a declared conflict): they leave the group
    at once — their opinion and their signatures with them, every signature on the group's reports cleared — and
    are not proposed for this application again."""

    group = models.ForeignKey(ExpertGroup, on_delete=models.CASCADE, related_name="conflicts")
    expert = models.ForeignKey("portal.ExpertProfile", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("专家"))
    reason = models.CharField(_("回避事由"), max_length=200)
    declared_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("论证专家回避")
        verbose_name_plural = _("论证专家回避")
        constraints = [models.UniqueConstraint(fields=["group", "expert"], name="track_a_group_conflict_once")]

    def __str__(self):
        return f"{self.expert}：{self.reason}"


class ExpertOpinion(models.Model):
    """One expert's own reading of the application: a score (百分制) and an opinion (论证意见)."""

    member = models.OneToOneField(GroupMember, on_delete=models.CASCADE, related_name="opinion")
    score = models.PositiveSmallIntegerField(_("评分（百分制）"))
    opinion = models.TextField(_("论证意见"))
    updated_at = models.DateTimeField(_("填写时间"), auto_now=True)

    class Meta:
        verbose_name = _("专家个人论证意见")
        verbose_name_plural = _("专家个人论证意见")
        constraints = [models.CheckConstraint(condition=Q(score__lte=100), name="track_a_score_at_most_100")]

    def __str__(self):
        return f"{self.member}：{self.score}"


class GroupReport(models.Model):
    """The group's report, drafted by the leader: the document review (论证) or the on-site evaluation (实地评估)."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("专家论证报告")
        SITE = "site", _("实地评估报告")

    class Conclusion(models.TextChoices):
        PASS = "pass", _("论证通过")
        REVISE = "revise", _("需修改完善")
        RECOMMEND = "recommend", _("建议认定为试点单位")
        NOT_RECOMMEND = "not_recommend", _("不建议认定")

    group = models.ForeignKey(ExpertGroup, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("报告类别"), max_length=8, choices=Kind.choices)
    held_on = models.DateField(_("论证（评估）日期"), null=True, blank=True)
    summary = models.TextField(_("专家组意见（组长汇总）"), blank=True)
    training_model = models.TextField(_("人才培养模式"), blank=True)
    foundations = models.TextField(_("建设基础"), blank=True)
    policy_support = models.TextField(_("政策支持"), blank=True)
    guarantees = models.TextField(_("保障条件"), blank=True)
    seen = models.TextField(_("实地查看情况"), blank=True, help_text=_("查看的场所、设施、资料，座谈情况等。"))
    conclusion = models.CharField(_("结论"), max_length=16, choices=Conclusion.choices, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("最后修改人"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    REVIEW_FIELDS = ("held_on", "summary", "conclusion")
    SITE_FIELDS = ("held_on", "seen", "training_model", "foundations", "policy_support", "guarantees", "summary",
                   "conclusion")

    class Meta:
        verbose_name = _("专家组报告")
        verbose_name_plural = _("专家组报告")
        constraints = [models.UniqueConstraint(fields=["group", "kind"], name="track_a_one_report_per_kind")]

    def __str__(self):
        return f"{self.group}·{self.get_kind_display()}"

    @property
    def fields(self):
        return self.SITE_FIELDS if self.kind == self.Kind.SITE else self.REVIEW_FIELDS

    def content_hash(self):
        """SHA-256 of what a signature attests."""
        payload = {f: str(getattr(self, f) or "") for f in self.fields}
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


class GroupSignature(models.Model):
    """One member's confirmation (签字) of one version of a report."""

    report = models.ForeignKey(GroupReport, on_delete=models.CASCADE, related_name="signatures")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="signatures")
    content_sha256 = models.CharField(_("所签内容摘要"), max_length=64)
    version = models.PositiveIntegerField(_("所签版本"))
    signed_at = models.DateTimeField(_("签字时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家签字")
        verbose_name_plural = _("专家签字")
        ordering = ["signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "member"], name="track_a_group_signature_unique")]

    def __str__(self):
        return f"{self.member} @ {self.signed_at:%Y-%m-%d %H:%M}"
