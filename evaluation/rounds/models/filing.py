"""评审结果备案: a finalised round's results go on record with the office that filed the committee.

National rules ask units holding evaluation authority to file their results (评审结果备案) with that office (附件2
二(三): the HRSS office the committee filed with). Our decision (DOMAIN §7): certificates issue only after the office
has recorded them; the office may refuse to record a candidate's result, with a reason, and then no certificate
issues for that candidate. A decision made later (复查) needs the results to be filed again.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from portal.fields import StateField

from .base import may
from .decisions import Decision
from .rounds import EvaluationRound


class FilingState(models.TextChoices):
    SUBMITTED = "submitted", _("已报送，待人社部门备案")
    RECORDED = "recorded", _("人社部门已备案")


class ResultsFiling(ConcurrentTransitionMixin, models.Model):
    round = models.OneToOneField(EvaluationRound, on_delete=models.PROTECT, related_name="results_filing",
                                 verbose_name=_("职称评审工作"))
    state = StateField(_("状态"), max_length=10, choices=FilingState.choices, default=FilingState.SUBMITTED,
                     protected=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("报送人"))
    submitted_at = models.DateTimeField(_("报送时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("备案人"))
    recorded_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    comment = models.TextField(_("备案意见"), blank=True)

    class Meta:
        verbose_name = _("评审结果备案")
        verbose_name_plural = _("评审结果备案")

    def __str__(self):
        return f"{self.round}·{self.get_state_display()}"

    @transition(field=state, source=FilingState.SUBMITTED, target=FilingState.RECORDED,
                permission=may("rounds.record_results"))
    def record(self, *, by, at, note):
        """The office records the results (those it refused are listed in ``ResultRefusal``)."""
        self.recorded_by, self.recorded_at, self.comment = by, at, note

    @transition(field=state, source=FilingState.RECORDED, target=FilingState.SUBMITTED,
                permission=may("rounds.manage_round"))
    def resubmit(self, *, by, at):
        """Filed again after a 复查 changed a decision."""
        self.submitted_by, self.submitted_at = by, at


class ResultRefusal(models.Model):
    """不予备案 of one candidate's result, with the office's reason: no certificate issues from that decision."""

    filing = models.ForeignKey(ResultsFiling, on_delete=models.PROTECT, related_name="refusals",
                               verbose_name=_("评审结果备案"))
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="filing_refusal",
                                    verbose_name=_("评审结果决定"))
    reason = models.TextField(_("不予备案理由"))
    refused_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("办理人"))
    refused_at = models.DateTimeField(_("办理时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("不予备案的评审结果")
        verbose_name_plural = _("不予备案的评审结果")
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="rounds_refusal_has_reason")]

    def __str__(self):
        return f"{self.decision}·不予备案"
