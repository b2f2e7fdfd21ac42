"""The annual evaluation round (职称评审工作) of one pilot school for one graduation year (附件2 一(五)).

The round's own workflow is one ``FSMField``; every transition is a method below, run only through
``applications.workflow.run_transition`` from ``evaluation.rounds.services`` — which also checks the dates
(公示 periods, 31 December) and the objections before it calls them.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from portal.choicelabels import ChoiceLabels
from portal.fields import StateField

from .base import may


class RoundState(models.TextChoices):
    OPEN = "open", _("申报和资格审查中")
    CANDIDATES_NOTICE = "candidates_notice", _("评审对象公示中")
    AWAITING_SESSION = "awaiting_session", _("待评委会评审")
    VOTED = "voted", _("评审会议已结束，待公示评审结果")
    RESULTS_NOTICE = "results_notice", _("评审结果公示中")
    FINALISED = "finalised", _("评审结果已确定")


#: The steps in order, for the page's progress line.
ROUND_STEPS = [RoundState.OPEN, RoundState.CANDIDATES_NOTICE, RoundState.AWAITING_SESSION, RoundState.VOTED,
               RoundState.RESULTS_NOTICE, RoundState.FINALISED]


class EvaluationRound(ChoiceLabels, ConcurrentTransitionMixin, models.Model):
    """One school, one graduation year, within its granted authority (majors, levels) and under its
    published standard; evaluated by its approved committee; finished by 31 December of that year."""

    institution = models.ForeignKey("portal.Institution", on_delete=models.PROTECT, related_name="title_rounds",
                                    verbose_name=_("试点学校"))
    graduation_year = models.PositiveSmallIntegerField(_("毕业年份"))
    name = models.CharField(_("名称"), max_length=120)
    authority = models.ForeignKey("track_a.GrantedAuthority", on_delete=models.PROTECT, related_name="rounds",
                                  verbose_name=_("职称自主评审权"))
    committee = models.ForeignKey("track_a.EvaluationCommittee", on_delete=models.PROTECT, related_name="rounds",
                                  verbose_name=_("职称评审委员会"))
    standard_version = models.ForeignKey("evaluation.StandardVersion", on_delete=models.PROTECT,
                                         related_name="rounds", verbose_name=_("自主评审标准条件（版本）"))
    majors = models.JSONField(_("评审专业"))
    levels = models.JSONField(_("评审级别"))
    application_deadline = models.DateField(_("申报截止日期"), null=True, blank=True)
    state = StateField(_("状态"), max_length=20, choices=RoundState.choices, default=RoundState.OPEN,
                     protected=True, db_index=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("发起人"))
    opened_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    document_number = models.CharField(_("批准文号"), max_length=60, blank=True)
    finalised_on = models.DateField(_("评审结果确定日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("职称评审工作")
        verbose_name_plural = _("职称评审工作")
        ordering = ["-graduation_year", "institution_id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "graduation_year"], name="rounds_one_round_per_year",
                                    violation_error_message=_("该校本年度的职称评审工作已经发起。")),
            models.CheckConstraint(condition=Q(graduation_year__gte=2000, graduation_year__lte=2100),
                                   name="rounds_round_year_range"),
            models.CheckConstraint(condition=Q(state__in=RoundState.values), name="rounds_round_state_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def year_end(self):
        """附件2 一(五): 在学生毕业当年12月31日前完成评审."""
        return datetime.date(self.graduation_year, 12, 31)

    @property
    def level_labels(self):
        from evaluation.rounds.rules import LEVEL_NAMES

        return [LEVEL_NAMES[code] for code in ("technician", "assistant_engineer", "engineer") if code in self.levels]

    @property
    def step_index(self):
        return ROUND_STEPS.index(self.state)

    # --- the workflow -----------------------------------------------------------------------------------------------
    @transition(field=state, source=RoundState.OPEN, target=RoundState.CANDIDATES_NOTICE,
                permission=may("rounds.manage_round"))
    def publish_candidates(self):
        """公示评审对象 (the ``PublicNotice`` of stage “candidates” is created in the same transaction)."""

    @transition(field=state, source=RoundState.CANDIDATES_NOTICE, target=RoundState.AWAITING_SESSION,
                permission=may("rounds.manage_round"))
    def close_candidates_notice(self):
        """公示期满且异议均已书面答复: the candidates go to the committee."""

    @transition(field=state, source=RoundState.AWAITING_SESSION, target=RoundState.VOTED,
                permission=may("rounds.end_committee_review"))
    def close_session(self):
        """评委会评审结束: the chair's closing of a meeting decided every candidate — or the secretary ends the
        stage after a meeting deferred (暂缓) some, who then stay undecided this year."""

    @transition(field=state, source=RoundState.VOTED, target=RoundState.RESULTS_NOTICE,
                permission=may("rounds.manage_round"))
    def publish_results(self):
        """公示评审结果."""

    @transition(field=state, source=RoundState.RESULTS_NOTICE, target=RoundState.FINALISED,
                permission=may("rounds.manage_round"))
    def finalise(self, *, document_number, on):
        """公示期满、异议处理完毕: the decisions are issued under the round's 批准文号 and become final."""
        self.document_number = document_number
        self.finalised_on = on
