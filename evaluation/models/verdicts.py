"""Cohort evaluation runs and the verdict stored for each graduate (one per graduate: a re-run replaces it)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.choicelabels import ChoiceLabels
from portal.models import Institution

from .graduates import Graduate
from .standards import StandardVersion


class TitleLevel(models.TextChoices):
    ENGINEER = "engineer", _("工程师")
    ASSISTANT_ENGINEER = "assistant_engineer", _("助理工程师")
    TECHNICIAN = "technician", _("技术员")
    NONE = "none", _("未达到技术员条件")


class EvaluationRun(ChoiceLabels, models.Model):
    """One cohort evaluation (a graduation year, optionally one major), run as a Celery task.

    Progress (``done`` of ``total``) is written as the task goes, outside the transaction that
    stores the verdicts, so the page's progress bar can poll it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("评价中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="evaluation_runs",
                                    verbose_name=_("院校"))
    graduation_year = models.PositiveSmallIntegerField(_("毕业年份"))
    major = models.CharField(_("专业"), max_length=100, blank=True, help_text=_("留空表示全部专业。"))
    standard_version = models.ForeignKey(StandardVersion, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("所用标准版本"),
                                         help_text=_("空表示默认标准（附件2 基本条件）。"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("总人数"), default=0)
    done = models.PositiveIntegerField(_("已评价"), default=0)
    counts = models.JSONField(_("各级别人数"), default=dict, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("发起人"))
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("资格评价批次")
        verbose_name_plural = _("资格评价批次")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="evaluation_run_done_le_total"),
        ]

    def __str__(self):
        major = f" {self.major}" if self.major else ""
        return f"{self.graduation_year}届{major}资格评价（{self.get_status_display()}）"

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


class StoredVerdict(ChoiceLabels, models.Model):
    """The engine's verdict for one graduate, with the standard version it was decided by.

    ``result`` is the verdict contract (eligibility-verdict.schema.json) as the engine returned it.
    """

    graduate = models.OneToOneField(Graduate, on_delete=models.CASCADE, related_name="verdict",
                                    verbose_name=_("毕业生"))
    # No index on these two: verdicts are read by graduate, and 10^5 rows are written at a time.
    run = models.ForeignKey(EvaluationRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                            verbose_name=_("评价批次"), db_index=False)
    standard_version = models.ForeignKey(StandardVersion, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("所用标准版本"), db_index=False)
    level = models.CharField(_("可评定级别"), max_length=20, choices=TitleLevel.choices)
    path = models.CharField(_("依据条款"), max_length=8, blank=True)
    may_apply = models.BooleanField(_("可以参评"))
    result = models.JSONField(_("评价结果"))
    evaluated_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("资格评价结果")
        verbose_name_plural = _("资格评价结果")
        constraints = [
            models.CheckConstraint(condition=Q(level__in=TitleLevel.values), name="stored_verdict_level_valid"),
        ]

    def __str__(self):
        return f"{self.graduate}：{self.get_level_display()}"


class CohortSummary(models.Model):
    """How many graduates of a school's graduation year stand at each level: kept by the evaluation (rewritten
    at the end of every run of that year, in the run's transaction) so that dashboards read one row instead of
    counting 100,000 verdicts per page view (issue 16 item 2)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("院校"))
    graduation_year = models.PositiveSmallIntegerField(_("毕业年份"))
    counts = models.JSONField(_("各级别人数"), default=dict, blank=True)
    evaluated = models.PositiveIntegerField(_("已评价人数"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("资格评价汇总")
        verbose_name_plural = _("资格评价汇总")
        constraints = [models.UniqueConstraint(fields=["institution", "graduation_year"],
                                               name="cohort_summary_unique")]

    def __str__(self):
        return f"{self.institution} {self.graduation_year}"
