"""复查: how a final decision's outcome changes — never by school staff rewriting it.

A decision, once made, is not edited (``Decision`` is append-only). Two things may follow it:

- a clerical error in printed data (姓名, 证件号码 …) is corrected on the certificate, at any time, and the old
  certificate is superseded (``certificates.services.correct_certificate``) — the decision itself is untouched;
- a change of outcome needs a re-review by the committee (复查), after a complaint or an error found: a request
  (reason, who asked) waits for the committee (``selectors.pending_rereviews``); the secretary convenes a 复查
  meeting, which puts it on the agenda (``schedule``); the members sitting vote on that candidate again by secret
  ballot under the same rule and the chair's closing records the count (``record_revote``, or ``defer`` back to
  waiting when too few remain after 回避); the school publishes that result (``publish_result``, ≥ 5 working days);
  after it, ``conclude`` makes the new ``Decision`` from the count — passed or not as the members voted, nobody
  types it — naming the one it supersedes.

31 December of the graduation year (附件2 一(五)) is when the evaluation must be finished; it does not lock
either path. Revocation of a certificate stays possible with a reason, and shows on verification.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from portal.fields import StateField

from .base import may
from .decisions import Decision


class RereviewGrounds(models.TextChoices):
    COMPLAINT = "complaint", _("申请人或他人申诉、投诉")
    ERROR = "error", _("发现评审材料或评审过程有误")


class RereviewState(models.TextChoices):
    """Until ``concluded`` a request is open: the decision waits (no certificate), and no second request is taken."""

    PENDING = "pending", _("待评委会复查（列入下次评审会议）")
    SCHEDULED = "scheduled", _("已列入复查会议议程，待委员表决")
    VOTED = "voted", _("评委会已重新表决，待公示复查结果")
    NOTICE = "notice", _("复查结果公示中")
    CONCLUDED = "concluded", _("已复查，作出新的决定")


class RereviewRequest(ConcurrentTransitionMixin, models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="rereview_requests",
                                 verbose_name=_("原评审结果决定"))
    committee = models.ForeignKey("track_a.EvaluationCommittee", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("复查的评审委员会"))
    grounds = models.CharField(_("复查事由"), max_length=10, choices=RereviewGrounds.choices)
    reason = models.TextField(_("复查理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("提出人"))
    requested_role = models.CharField(_("提出人身份"), max_length=32)
    requested_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    state = StateField(_("状态"), max_length=10, choices=RereviewState.choices, default=RereviewState.PENDING,
                     protected=True, db_index=True)
    meeting = models.ForeignKey("rounds.Meeting", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="rereviews", verbose_name=_("复查会议"))
    tally = models.OneToOneField("rounds.Tally", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="rereview", verbose_name=_("复查表决结果"))
    notice_starts_on = models.DateField(_("复查结果公示开始日期"), null=True, blank=True)
    notice_ends_on = models.DateField(_("复查结果公示截止日期"), null=True, blank=True)
    outcome = models.OneToOneField(Decision, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="rereview", verbose_name=_("复查后的决定"))

    class Meta:
        verbose_name = _("复查申请")
        verbose_name_plural = _("复查申请")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision"], condition=~Q(state="concluded"),
                                    name="rounds_one_pending_rereview_per_decision",
                                    violation_error_message=_("该决定已在等待评委会复查。")),
            models.CheckConstraint(condition=~Q(reason=""), name="rounds_rereview_has_reason"),
            models.CheckConstraint(condition=~Q(state="concluded") | Q(outcome__isnull=False),
                                   name="rounds_rereview_concluded_by_a_decision"),
            models.CheckConstraint(condition=Q(state__in=["pending", "scheduled"]) | Q(tally__isnull=False),
                                   name="rounds_rereview_outcome_from_a_vote"),
            models.CheckConstraint(condition=~Q(state="scheduled") | Q(meeting__isnull=False),
                                   name="rounds_rereview_scheduled_on_a_meeting"),
        ]

    def __str__(self):
        return f"{self.decision.graduate.masked_name}·{self.get_state_display()}"

    @property
    def is_open(self):
        return self.state != RereviewState.CONCLUDED

    @property
    def round(self):
        return self.decision.round

    @property
    def application(self):
        return self.decision.application

    @transition(field=state, source=RereviewState.PENDING, target=RereviewState.SCHEDULED,
                permission=may("rounds.manage_round"))
    def schedule(self, *, meeting):
        """The secretary convenes a 复查 meeting: the candidate is on its agenda."""
        self.meeting = meeting

    @transition(field=state, source=RereviewState.SCHEDULED, target=RereviewState.VOTED,
                permission=may("rounds.record_revote"))
    def record_revote(self, *, tally):
        """The chair closes the vote: the members' count (同意 ≥ 2/3 of those present and not recused) is recorded."""
        self.tally = tally

    @transition(field=state, source=RereviewState.SCHEDULED, target=RereviewState.PENDING,
                permission=may("rounds.record_revote"))
    def defer(self):
        """Too few members left after 回避 (暂缓): the request waits for the committee's next 复查 meeting."""
        self.meeting = None

    @transition(field=state, source=RereviewState.VOTED, target=RereviewState.NOTICE,
                permission=may("rounds.manage_round"))
    def publish_result(self, *, starts_on, ends_on):
        """公示复查结果 (at least 5 working days)."""
        self.notice_starts_on = starts_on
        self.notice_ends_on = ends_on

    @transition(field=state, source=RereviewState.NOTICE, target=RereviewState.CONCLUDED,
                permission=may("rounds.conclude_rereview"))
    def conclude(self, *, outcome):
        """The 公示 is over: the new decision, made from the members' count, supersedes the old one."""
        self.outcome = outcome
