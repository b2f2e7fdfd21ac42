"""The committee session (评审会议): who of the committee was present, and for each candidate who withdrew
(回避) and how many voted yes, no, abstain — never who voted how (无记名投票, DOMAIN §7)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from evaluation.rounds import rules
from evaluation.storage import private_storage

from .applications import TitleApplication
from .rounds import EvaluationRound


class CommitteeSession(models.Model):
    round = models.OneToOneField(EvaluationRound, on_delete=models.PROTECT, related_name="session",
                                 verbose_name=_("职称评审工作"))
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=100)
    members_total = models.PositiveSmallIntegerField(_("评委会委员人数"))
    present_count = models.PositiveSmallIntegerField(_("出席委员人数"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("记录人"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("会议结束时间"), null=True, blank=True)
    minutes = models.FileField(_("会议纪要"), upload_to="rounds/minutes/%Y/", blank=True, storage=private_storage,
                               help_text=_("含评审对象姓名：只经由核验权限的页面提供，不在公开媒体地址下。"))
    minutes_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("评审会议")
        verbose_name_plural = _("评审会议")
        constraints = [
            # 出席评审会议的专家人数应当不少于评委会人数的2/3, in integers.
            models.CheckConstraint(condition=Q(present_count__lte=F("members_total")) & Q(present_count__gt=0),
                                   name="rounds_session_present_within_members"),
            models.CheckConstraint(condition=GreaterThanOrEqual(F("present_count") * 3, F("members_total") * 2),
                                   name="rounds_session_quorum",
                                   violation_error_message=_("出席委员不足评委会委员人数的2/3，不能举行评审会议。")),
        ]

    def __str__(self):
        return f"{self.round}·评审会议（{self.held_on:%Y-%m-%d}）"

    @property
    def quorum_met(self):
        return rules.quorum_met(self.present_count, self.members_total)

    @property
    def is_closed(self):
        return self.closed_at is not None


class SessionMember(models.Model):
    """A committee member at the session, as they were then (name and employer frozen for the minutes)."""

    session = models.ForeignKey(CommitteeSession, on_delete=models.CASCADE, related_name="members",
                                verbose_name=_("评审会议"))
    member = models.ForeignKey("track_a.CommitteeMember", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("委员"))
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务/职称"), max_length=100, blank=True)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    is_chair = models.BooleanField(_("主任委员"), default=False)
    present = models.BooleanField(_("出席"))

    class Meta:
        verbose_name = _("会议委员")
        verbose_name_plural = _("会议委员")
        ordering = ["session_id", "-is_chair", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="rounds_session_member_once")]

    def __str__(self):
        return self.name


class Ballot(models.Model):
    """The secret ballot on one candidate: counts only. ``voters`` = present members less those recused."""

    session = models.ForeignKey(CommitteeSession, on_delete=models.CASCADE, related_name="ballots",
                                verbose_name=_("评审会议"))
    application = models.OneToOneField(TitleApplication, on_delete=models.PROTECT, related_name="ballot",
                                       verbose_name=_("职称申报"))
    voters = models.PositiveSmallIntegerField(_("参加表决人数"))
    yes = models.PositiveSmallIntegerField(_("同意"))
    no = models.PositiveSmallIntegerField(_("不同意"))
    abstain = models.PositiveSmallIntegerField(_("弃权"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)

    class Meta:
        verbose_name = _("表决结果")
        verbose_name_plural = _("表决结果")
        ordering = ["session_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(yes__gte=0, no__gte=0, abstain__gte=0)
                                   & Q(voters=F("yes") + F("no") + F("abstain")) & Q(voters__gt=0),
                                   name="rounds_ballot_counts_add_up",
                                   violation_error_message=_("同意、不同意、弃权票数之和须等于参加表决人数。")),
        ]

    def __str__(self):
        return f"{self.application}：{self.yes}/{self.voters}"

    @property
    def passed(self):
        return rules.passes(self.yes, self.voters)

    @property
    def needed(self):
        return rules.min_yes(self.voters)


class Recusal(models.Model):
    """回避: a member who takes no part in one candidate's vote — declared, or detected from employer data."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="recusals",
                               verbose_name=_("表决结果"))
    member = models.ForeignKey(SessionMember, on_delete=models.PROTECT, related_name="recusals",
                               verbose_name=_("回避委员"))
    reason = models.CharField(_("回避事由"), max_length=200)
    detected = models.BooleanField(_("系统比对发现"), default=False)

    class Meta:
        verbose_name = _("回避")
        verbose_name_plural = _("回避")
        ordering = ["ballot_id", "member_id"]
        constraints = [models.UniqueConstraint(fields=["ballot", "member"], name="rounds_recusal_once")]

    def __str__(self):
        return f"{self.member}：{self.reason}"
