"""The committee meeting (评审会议) run in the portal, and its secret ballot (无记名投票).

DOMAIN §7 (人社部令第40号《职称评审管理暂行规定》; 附件2 二): the school's secretary convenes a meeting; its
committee (this meeting's 评审委员会) is drawn from the committee's pool by a recorded random draw; members check in
themselves (the quorum is computed from check-ins), declare their own conflicts (回避), and vote themselves;
the chair closes the vote and signs the minutes. Nobody can see who voted how:

- ``VoteCast`` is the "has voted" set: (meeting, candidate, member) — never the choice;
- ``SecretBallot`` holds the choice under a key derived from a random token that only the member's browser
  keeps (a signed cookie, never stored against the member): no column of it names, or leads to, a person, and it
  has neither a timestamp nor an ordered id (its primary key is a random UUID);
- ``Tally`` is what the chair's closing counts per candidate: the only numbers anyone sees.

``docs/ballot_secrecy.md`` says what this protects against, and what it does not.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from evaluation.rounds import rules
from evaluation.storage import private_storage
from portal.fields import StateField

from .applications import TitleApplication
from .base import may
from .rounds import EvaluationRound


class MeetingState(models.TextChoices):
    CONVENED = "convened", _("已召集，表决进行中")
    CLOSED = "closed", _("表决已结束，待主任委员签署纪要")
    SIGNED = "signed", _("会议纪要已签署")


class MeetingPurpose(models.TextChoices):
    EVALUATION = "evaluation", _("评审（本年度评审对象）")
    REREVIEW = "rereview", _("复查（已作出决定的复查对象）")


class Meeting(ConcurrentTransitionMixin, models.Model):
    """One 评审会议 of a round's committee. ``size`` members sit (odd): the chair and those drawn.

    ``purpose``: a meeting of the round's candidates (待评委会评审), or a 复查 meeting of a finalised round whose agenda
    is the pending re-review requests scheduled onto it (``RereviewRequest.meeting``)."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="meetings",
                              verbose_name=_("职称评审工作"))
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=100)
    size = models.PositiveSmallIntegerField(_("本次会议评委会人数"))
    purpose = models.CharField(_("会议事项"), max_length=10, choices=MeetingPurpose.choices,
                               default=MeetingPurpose.EVALUATION)
    state = StateField(_("状态"), max_length=10, choices=MeetingState.choices, default=MeetingState.CONVENED,
                     protected=True, db_index=True)
    # The draw (随机抽取), kept so that anyone may re-run it (``rules.draw``): the seats a 中级 committee reserves
    # for its 副高级 and above members first, then random.Random(seed).sample of the rest of the pool.
    draw_seed = models.CharField(_("抽取随机种子"), max_length=64, blank=True)
    draw_pool = models.JSONField(_("抽取范围（委员编号）"), default=list)
    draw_result = models.JSONField(_("抽取结果（委员编号）"), default=list)
    draw_senior_pool = models.JSONField(_("抽取范围中副高级及以上职称的委员（编号）"), default=list)
    draw_senior_seats = models.PositiveSmallIntegerField(_("须由副高级及以上职称委员担任的抽取席位"), default=0)
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("召集人（评委会秘书）"))
    convened_at = models.DateTimeField(_("召集时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("表决结束时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("主任委员签署时间"), null=True, blank=True)
    minutes = models.FileField(_("会议纪要"), upload_to="rounds/minutes/%Y/", blank=True, storage=private_storage,
                               help_text=_("含评审对象姓名：只经由核验权限的页面提供，不在公开媒体地址下。"))
    minutes_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("评审会议")
        verbose_name_plural = _("评审会议")
        ordering = ["round_id", "held_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=3) & Q(size__lte=99), name="rounds_meeting_size_range"),
            # 评审委员会组成人数应当为单数.
            models.CheckConstraint(condition=Q(size__in=list(range(3, 100, 2))), name="rounds_meeting_size_odd",
                                   violation_error_message=_("本次会议评委会人数应为单数。")),
            models.CheckConstraint(condition=Q(purpose__in=MeetingPurpose.values), name="rounds_meeting_purpose"),
            models.UniqueConstraint(fields=["round"], condition=Q(state="convened"),
                                    name="rounds_one_open_meeting_per_round",
                                    violation_error_message=_("该评审工作已有一场进行中的评审会议。")),
        ]

    def __str__(self):
        return f"{self.round}·评审会议（{self.held_on:%Y-%m-%d}）"

    @property
    def is_open(self):
        return self.state == MeetingState.CONVENED

    @property
    def is_rereview(self):
        return self.purpose == MeetingPurpose.REREVIEW

    @property
    def min_present(self):
        return rules.min_present(self.size)

    # --- the workflow ---------------------------------------------------------------------------------------------
    @transition(field=state, source=MeetingState.CONVENED, target=MeetingState.CLOSED,
                permission=may("rounds.chair_meeting"))
    def close_vote(self, *, at):
        """主任委员宣布表决结束: the ballots are counted, each candidate decided (or 暂缓)."""
        self.closed_at = at

    @transition(field=state, source=MeetingState.CLOSED, target=MeetingState.SIGNED,
                permission=may("rounds.chair_meeting"))
    def sign_minutes(self, *, at):
        """主任委员签署会议纪要."""
        self.signed_at = at


class MeetingMember(models.Model):
    """A member called to the meeting (the chair, or drawn), as they were then; present once checked in."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members", verbose_name=_("评审会议"))
    member = models.ForeignKey("track_a.CommitteeMember", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("评委会委员"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_seats",
                             verbose_name=_("委员账号"))
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务/职称"), max_length=100, blank=True)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    is_chair = models.BooleanField(_("主任委员"), default=False)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议委员")
        verbose_name_plural = _("会议委员")
        ordering = ["meeting_id", "-is_chair", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="rounds_meeting_member_once"),
            models.UniqueConstraint(fields=["meeting", "user"], name="rounds_meeting_user_once"),
            models.UniqueConstraint(fields=["meeting"], condition=Q(is_chair=True), name="rounds_meeting_one_chair"),
        ]

    def __str__(self):
        return self.name

    @property
    def present(self):
        return self.checked_in_at is not None


class ConflictKind(models.TextChoices):
    RELATIVE = "relative", _("评审对象是本人近亲属")
    SUPERVISED = "supervised", _("本人指导过评审对象的毕业设计或论文")
    EMPLOYER = "employer", _("本人在评审对象现就业单位工作")
    OTHER = "other", _("其他应当回避的情形")


class Conflict(models.Model):
    """回避: a member takes no part in one candidate's vote — declared by the member, or found by the portal
    (the member's employer is the candidate's). Working at the school, or having taught the candidate a course,
    is not a conflict (DOMAIN §7)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conflicts",
                                verbose_name=_("评审会议"))
    application = models.ForeignKey(TitleApplication, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("评审对象"))
    member = models.ForeignKey(MeetingMember, on_delete=models.CASCADE, related_name="conflicts",
                               verbose_name=_("回避委员"))
    kind = models.CharField(_("回避情形"), max_length=10, choices=ConflictKind.choices)
    reason = models.CharField(_("回避事由"), max_length=200)
    detected = models.BooleanField(_("系统比对发现"), default=False)
    after_vote = models.BooleanField(_("投票后申请（已撤回其选票）"), default=False,
                                     help_text=_("投票后才申请的回避不能撤回：撤回只在对该评审对象投票之前。"))

    class Meta:
        verbose_name = _("回避")
        verbose_name_plural = _("回避")
        ordering = ["meeting_id", "application_id", "member_id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "application", "member"],
                                               name="rounds_conflict_once")]

    def __str__(self):
        return f"{self.member}：{self.reason}"


class VoteCast(models.Model):
    """The "has voted" set: this member has cast a ballot on this candidate — not which. No timestamp."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+", verbose_name=_("评审会议"))
    application = models.ForeignKey(TitleApplication, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("评审对象"))
    member = models.ForeignKey(MeetingMember, on_delete=models.CASCADE, related_name="+", verbose_name=_("委员"))

    class Meta:
        verbose_name = _("已投票记录")
        verbose_name_plural = _("已投票记录")
        constraints = [models.UniqueConstraint(fields=["meeting", "application", "member"],
                                               name="rounds_vote_cast_once")]

    def __str__(self):
        return str(_("已投票"))


class Choice(models.TextChoices):
    YES = "yes", _("同意")
    NO = "no", _("不同意")
    ABSTAIN = "abstain", _("弃权")


class SecretBallot(models.Model):
    """One anonymous ballot: the choice under ``key`` = SHA-256(member's secret token, candidate). A random UUID
    for its id and no timestamp, so that neither order nor time ties it to a ``VoteCast``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+", verbose_name=_("评审会议"))
    application = models.ForeignKey(TitleApplication, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("评审对象"))
    key = models.CharField(_("选票密钥摘要"), max_length=64, unique=True)
    choice = models.CharField(_("表决意见"), max_length=8, choices=Choice.choices)

    class Meta:
        verbose_name = _("无记名选票")
        verbose_name_plural = _("无记名选票")
        constraints = [models.CheckConstraint(condition=Q(choice__in=Choice.values), name="rounds_ballot_choice")]

    def __str__(self):
        return str(_("无记名选票"))


class Outcome(models.TextChoices):
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")
    DEFERRED = "deferred", _("暂缓（本次会议不作决定）")


class Tally(models.Model):
    """What closing the vote counted for one candidate: attendance, recusals and the three counts — never who.

    ``voters`` = members present less those recused for this candidate (the denominator); ``not_voted`` of them
    cast nothing and count against, like 不同意 and 弃权 (同意票数达到出席评审会议的评审专家总数2/3以上)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="tallies", verbose_name=_("评审会议"))
    application = models.ForeignKey(TitleApplication, on_delete=models.PROTECT, related_name="tallies",
                                    verbose_name=_("评审对象"))
    size = models.PositiveSmallIntegerField(_("本次会议评委会人数"))
    present = models.PositiveSmallIntegerField(_("出席人数"))
    recused = models.PositiveSmallIntegerField(_("回避人数"))
    voters = models.PositiveSmallIntegerField(_("应参加表决人数"))
    yes = models.PositiveSmallIntegerField(_("同意"))
    no = models.PositiveSmallIntegerField(_("不同意"))
    abstain = models.PositiveSmallIntegerField(_("弃权"))
    not_voted = models.PositiveSmallIntegerField(_("未投票"))
    outcome = models.CharField(_("结果"), max_length=8, choices=Outcome.choices)
    reason = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("表决结果")
        verbose_name_plural = _("表决结果")
        ordering = ["meeting_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "application"], name="rounds_tally_once"),
            models.CheckConstraint(condition=Q(voters=F("present") - F("recused"))
                                   & Q(voters=F("yes") + F("no") + F("abstain") + F("not_voted")),
                                   name="rounds_tally_adds_up"),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="rounds_tally_outcome"),
        ]

    def __str__(self):
        return f"{self.application}：{self.yes}/{self.voters}"

    @property
    def passed(self):
        return self.outcome == Outcome.PASSED

    @property
    def needed(self):
        return rules.min_yes(self.voters)
