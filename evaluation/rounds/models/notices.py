"""The public notices (公示) of a round and the objections (异议) lodged against them (DOMAIN §7).

Each round has one 评审对象公示 and one 评审结果公示; each 复查 (re-review, ``RereviewRequest``) after the round has its
own 复查结果公示 — "a change of outcome needs a re-review by the committee — a new vote and a new 公示" — with the same
page, the same objection form and the same rule: every objection answered in writing before the step that follows.
A notice's list is frozen into ``NoticeEntry`` rows when it is published: the public page shows what was
published (masked names), never a live join to personal records.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from applications.track_a.rules import TITLE_LEVELS
from portal.fields import StateField

from .applications import TitleApplication
from .base import may
from .rounds import EvaluationRound

NOTICE_WORKING_DAYS = 5  # 公示期不少于5个工作日 (DOMAIN §7)


class Stage(models.TextChoices):
    CANDIDATES = "candidates", _("评审对象公示")
    RESULTS = "results", _("评审结果公示")
    REREVIEW = "rereview", _("复查结果公示")


class PublicNotice(models.Model):
    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="notices",
                              verbose_name=_("职称评审工作"))
    stage = models.CharField(_("公示类别"), max_length=12, choices=Stage.choices)
    rereview = models.OneToOneField("rounds.RereviewRequest", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="notice", verbose_name=_("复查"),
                                    help_text=_("复查结果公示所公示的复查（每次复查一个公示）。"))
    title = models.CharField(_("标题"), max_length=150)
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示截止日期"))
    working_days = models.PositiveSmallIntegerField(_("公示工作日数"), default=NOTICE_WORKING_DAYS)
    contact = models.CharField(_("异议受理联系方式"), max_length=200, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("发布人"))
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "stage"], condition=~Q(stage="rereview"),
                                    name="rounds_one_notice_per_stage"),
            models.CheckConstraint(condition=Q(stage="rereview", rereview__isnull=False)
                                   | (~Q(stage="rereview") & Q(rereview__isnull=True)),
                                   name="rounds_notice_rereview_iff_stage"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="rounds_notice_dates"),
            models.CheckConstraint(condition=Q(working_days__gte=NOTICE_WORKING_DAYS),
                                   name="rounds_notice_five_working_days"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="rounds_notice_stage_valid"),
        ]

    def __str__(self):
        return self.title

    def is_running(self, today):
        return self.starts_on <= today <= self.ends_on

    def has_ended(self, today):
        return today > self.ends_on

    @property
    def is_public_results(self):
        """The results and 复查 results notices follow the setting ``ROUNDS_RESULTS_NOTICE_VISIBILITY``."""
        return self.stage in (Stage.RESULTS, Stage.REREVIEW)


class NoticeEntry(models.Model):
    """One person on a notice, as published: masked name, major, level, and the evidence summary."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="entries",
                               verbose_name=_("公示"))
    application = models.ForeignKey(TitleApplication, on_delete=models.PROTECT, related_name="notice_entries",
                                    verbose_name=_("职称申报"))
    position = models.PositiveIntegerField(_("序号"))
    masked_name = models.CharField(_("姓名"), max_length=50)
    major = models.CharField(_("专业"), max_length=100)
    level = models.CharField(_("申报级别"), max_length=20, choices=TITLE_LEVELS)
    summary = models.CharField(_("主要材料摘要"), max_length=400, blank=True)
    # 复查结果公示 only: the committee's new count, as the chair's closing recorded it (never typed).
    passed = models.BooleanField(_("复查结果"), null=True, blank=True)
    yes = models.PositiveSmallIntegerField(_("同意票数"), null=True, blank=True)
    voters = models.PositiveSmallIntegerField(_("应参加表决人数"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示人员")
        verbose_name_plural = _("公示人员")
        ordering = ["notice_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "position"], name="rounds_notice_entry_position"),
            models.UniqueConstraint(fields=["notice", "application"], name="rounds_notice_entry_once"),
        ]

    def __str__(self):
        return f"{self.position}. {self.masked_name}"


class ObjectionState(models.TextChoices):
    OPEN = "open", _("待答复")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I/l: read out on the phone, typed from paper


def new_receipt():
    """A receipt number for the objector (60 bits): whoever holds it may read the written answer."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))


class Objection(ConcurrentTransitionMixin, models.Model):
    """An objection by anyone (contact optional), answered in writing before the round proceeds."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections",
                               verbose_name=_("公示"))
    entry = models.ForeignKey(NoticeEntry, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="objections", verbose_name=_("所涉人员"),
                              help_text=_("留空表示针对评审工作本身。"))
    content = models.TextField(_("异议内容"))
    name = models.CharField(_("反映人（可不填）"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式（可不填）"), max_length=100, blank=True)
    receipt = models.CharField(_("受理编号"), max_length=16, unique=True, default=new_receipt)
    lodged_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    state = StateField(_("处理状态"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.OPEN,
                     protected=True, db_index=True)
    answer = models.TextField(_("书面答复"), blank=True)
    revoked = models.BooleanField(_("已取消所涉人员的评审资格或结果"), default=False)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("答复人"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["notice_id", "lodged_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(state="open") | ~Q(answer=""),
                                              name="rounds_objection_answered_in_writing")]

    def __str__(self):
        return f"{self.notice} 异议 {self.receipt}"

    @transition(field=state, source=ObjectionState.OPEN, target=ObjectionState.UPHELD,
                permission=may("rounds.answer_objection"))
    def uphold(self, *, answer, answered_by, revoked=False):
        """异议成立 (written reasons; may take the person out of the round)."""
        self._answer(answer, answered_by)
        self.revoked = revoked

    @transition(field=state, source=ObjectionState.OPEN, target=ObjectionState.DISMISSED,
                permission=may("rounds.answer_objection"))
    def dismiss(self, *, answer, answered_by):
        """异议不成立 (written reasons)."""
        self._answer(answer, answered_by)

    def _answer(self, answer, answered_by):
        from django.utils import timezone

        self.answer = answer
        self.answered_by = answered_by
        self.answered_at = timezone.now()
