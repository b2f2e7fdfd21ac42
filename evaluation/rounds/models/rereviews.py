"""复查: how a final decision's outcome changes — never by school staff rewriting it.

A decision, once made, is not edited (``Decision`` is append-only). Two things may follow it:

- a clerical error in printed data (姓名, 证件号码 …) is corrected on the certificate, at any time, and the old
  certificate is superseded (``certificates.services.correct_certificate``) — the decision itself is untouched;
- a change of outcome needs a re-review by the committee (复查), after a complaint or an error found: a request
  (reason, who asked) puts the candidate onto the committee's next meeting (``selectors.pending_rereviews``); the
  meeting votes on that candidate again and, with a new 公示 of that result, makes a new ``Decision`` that names the
  one it supersedes; ``services.rereviews.conclude_rereview`` then closes the request with that decision.

31 December of the graduation year (附件2 一(五)) is when the evaluation must be finished; it does not lock
either path. Revocation of a certificate stays possible with a reason, and shows on verification.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .base import may
from .decisions import Decision


class RereviewGrounds(models.TextChoices):
    COMPLAINT = "complaint", _("申请人或他人申诉、投诉")
    ERROR = "error", _("发现评审材料或评审过程有误")


class RereviewState(models.TextChoices):
    PENDING = "pending", _("待评委会复查（列入下次评审会议）")
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
    state = FSMField(_("状态"), max_length=10, choices=RereviewState.choices, default=RereviewState.PENDING,
                     protected=True, db_index=True)
    outcome = models.OneToOneField(Decision, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="rereview", verbose_name=_("复查后的决定"))

    class Meta:
        verbose_name = _("复查申请")
        verbose_name_plural = _("复查申请")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision"], condition=Q(state="pending"),
                                    name="rounds_one_pending_rereview_per_decision",
                                    violation_error_message=_("该决定已在等待评委会复查。")),
            models.CheckConstraint(condition=~Q(reason=""), name="rounds_rereview_has_reason"),
            models.CheckConstraint(condition=Q(state="pending") | Q(outcome__isnull=False),
                                   name="rounds_rereview_concluded_by_a_decision"),
        ]

    def __str__(self):
        return f"{self.decision.graduate.masked_name}·{self.get_state_display()}"

    @transition(field=state, source=RereviewState.PENDING, target=RereviewState.CONCLUDED,
                permission=may("rounds.conclude_rereview"))
    def conclude(self, *, outcome):
        """The committee voted again and a new decision (after its 公示) supersedes the old one."""
        self.outcome = outcome
