"""A graduate's application in a round (职称申报), with the evidence of 附件2 一(四), and its workflow."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from applications.track_a.rules import TITLE_LEVELS
from evaluation.storage import private_storage
from portal.fields import StateField
from portal.uploads import UploadValidator

from .base import may
from .rounds import EvaluationRound
from .workplace import EmployerKind

EVIDENCE_KINDS = ("pdf", "jpg", "jpeg", "png")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待资格审查")
    RETURNED = "returned", _("退回修改")
    REFUSED = "refused", _("资格审查未通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    ELIGIBLE = "eligible", _("资格审查通过（评审对象）")
    DISQUALIFIED = "disqualified", _("经公示异议核实，已取消")
    PASSED = "passed", _("评委会评审通过")
    FAILED = "failed", _("评委会评审未通过")


EDITABLE = (ApplicationState.DRAFT, ApplicationState.RETURNED)
#: Applications that reached the committee's list (资格审查通过), whatever happened after.
CANDIDATE_STATES = (ApplicationState.ELIGIBLE, ApplicationState.PASSED, ApplicationState.FAILED,
                    ApplicationState.DISQUALIFIED)


class TitleApplication(ConcurrentTransitionMixin, models.Model):
    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="applications",
                              verbose_name=_("职称评审工作"))
    graduate = models.ForeignKey("evaluation.Graduate", on_delete=models.PROTECT, related_name="title_applications",
                                 verbose_name=_("毕业生"))
    level = models.CharField(_("申报级别"), max_length=20, choices=TITLE_LEVELS)
    major = models.CharField(_("专业"), max_length=100)
    # 附件2 一(四) 在省内企业就业: the applicant states the employer's kind; only 企业 may be submitted. (Applying at the
    # place of work is not a variant of this application: it is the graduate's WorkplaceChoice, outside the round.)
    employer_kind = models.CharField(_("就业单位性质"), max_length=12, choices=EmployerKind.choices, blank=True)
    employer = models.CharField(_("就业单位"), max_length=100, blank=True)
    # The engine's verdict under the round's standard, as it stood when last submitted or reviewed.
    verdict_level = models.CharField(_("资格评价结果"), max_length=20, blank=True)
    verdict_path = models.CharField(_("依据条款"), max_length=8, blank=True)
    verdict_may_apply = models.BooleanField(_("可以参评"), default=False)
    verdict = models.JSONField(_("资格评价详情"), default=dict, blank=True)
    public_summary = models.CharField(_("公示材料摘要"), max_length=400, blank=True)
    state = StateField(_("状态"), max_length=16, choices=ApplicationState.choices, default=ApplicationState.DRAFT,
                     protected=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("填报人"))
    enrolled_by_school = models.BooleanField(_("由学校代为申报"), default=False)
    submission_count = models.PositiveSmallIntegerField(_("提交次数"), default=0)
    submitted_at = models.DateTimeField(_("最近提交时间"), null=True, blank=True)
    review_reasons = models.TextField(_("资格审查意见"), blank=True)
    reviewed_at = models.DateTimeField(_("资格审查时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("职称申报")
        verbose_name_plural = _("职称申报")
        ordering = ["round_id", "graduate__student_number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "graduate"], condition=~Q(state="withdrawn"),
                                    name="rounds_one_application_per_graduate",
                                    violation_error_message=_("该毕业生在本轮评审中已有申报。")),
            models.CheckConstraint(condition=Q(level__in=["technician", "assistant_engineer", "engineer"]),
                                   name="rounds_application_level_valid"),
            models.CheckConstraint(condition=Q(state__in=ApplicationState.values),
                                   name="rounds_application_state_valid"),
        ]
        indexes = [models.Index(fields=["round", "state"], name="rounds_app_round_state_idx")]

    def __str__(self):
        return f"{self.graduate.masked_name}·{self.get_level_display()}"

    @property
    def is_editable(self):
        return self.state in EDITABLE

    @property
    def verdict_level_name(self):
        from evaluation.rounds.rules import LEVEL_NAMES

        return LEVEL_NAMES.get(self.verdict_level, _("未达到技术员条件") if self.verdict_level else "")

    # --- the workflow -----------------------------------------------------------------------------------------------
    @transition(field=state, source=[ApplicationState.DRAFT, ApplicationState.RETURNED],
                target=ApplicationState.SUBMITTED, permission=may("rounds.submit_application"))
    def submit(self, *, snapshot):
        """提交申报 (or resubmit after a return); ``snapshot``: the verdict and employer as of now."""
        from django.utils import timezone

        self._set(snapshot)
        self.submission_count += 1
        self.submitted_at = timezone.now()

    @transition(field=state, source=[ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.RETURNED],
                target=ApplicationState.WITHDRAWN, permission=may("rounds.withdraw_application"))
    def withdraw(self):
        """撤回申报."""

    @transition(field=state, source=ApplicationState.SUBMITTED, target=ApplicationState.ELIGIBLE,
                permission=may("rounds.review_application"))
    def pass_review(self, *, snapshot, reasons=""):
        """资格审查通过: the graduate becomes a candidate (评审对象); the verdict is read again."""
        self._set(snapshot)
        self._reviewed(reasons)

    @transition(field=state, source=ApplicationState.SUBMITTED, target=ApplicationState.RETURNED,
                permission=may("rounds.review_application"))
    def return_for_correction(self, *, reasons):
        """退回修改 (with reasons)."""
        self._reviewed(reasons)

    @transition(field=state, source=ApplicationState.SUBMITTED, target=ApplicationState.REFUSED,
                permission=may("rounds.review_application"))
    def refuse(self, *, reasons):
        """资格审查不通过 (with reasons)."""
        self._reviewed(reasons)

    @transition(field=state, source=[ApplicationState.ELIGIBLE, ApplicationState.PASSED],
                target=ApplicationState.DISQUALIFIED, permission=may("rounds.answer_objection"))
    def disqualify(self):
        """An objection found true (异议成立) takes the candidate, or the result, out of the round."""

    @transition(field=state, source=ApplicationState.ELIGIBLE, target=ApplicationState.PASSED,
                permission=may("rounds.record_votes"))
    def record_pass(self):
        """评委会表决通过 (counts in the ``Ballot``)."""

    @transition(field=state, source=ApplicationState.ELIGIBLE, target=ApplicationState.FAILED,
                permission=may("rounds.record_votes"))
    def record_fail(self):
        """评委会表决未通过."""

    @transition(field=state, source=[ApplicationState.PASSED, ApplicationState.FAILED],
                target=ApplicationState.PASSED, permission=may("rounds.conclude_rereview"))
    def rereview_pass(self):
        """复查: the committee's new vote passed, and after its 公示 stands in place of the first."""

    @transition(field=state, source=[ApplicationState.PASSED, ApplicationState.FAILED],
                target=ApplicationState.FAILED, permission=may("rounds.conclude_rereview"))
    def rereview_fail(self):
        """复查: the committee's new vote did not pass, and after its 公示 stands in place of the first."""

    def _set(self, values):
        for name, value in values.items():
            setattr(self, name, value)

    def _reviewed(self, reasons):
        from django.utils import timezone

        self.review_reasons = reasons
        self.reviewed_at = timezone.now()


class EvidenceKind(models.TextChoices):
    EMPLOYMENT = "employment", _("省内企业就业证明（劳动合同或录用证明）")
    TRIPARTITE = "tripartite", _("三方就业协议")
    ON_DUTY = "on_duty", _("到岗证明")
    OTHER = "other", _("其他材料")


#: 附件2 一(四): each fact needs its own evidence before the application can be submitted.
REQUIRED_EVIDENCE = (EvidenceKind.EMPLOYMENT, EvidenceKind.TRIPARTITE, EvidenceKind.ON_DUTY)


class ApplicationEvidence(models.Model):
    application = models.ForeignKey(TitleApplication, on_delete=models.CASCADE, related_name="evidence",
                                    verbose_name=_("职称申报"))
    kind = models.CharField(_("材料类别"), max_length=12, choices=EvidenceKind.choices)
    file = models.FileField(_("文件"), upload_to="rounds/evidence/%Y/%m/", storage=private_storage,
                            validators=[UploadValidator(kinds=EVIDENCE_KINDS, max_mb=10)])
    original_name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报证明材料")
        verbose_name_plural = _("申报证明材料")
        ordering = ["application_id", "kind", "id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=EvidenceKind.values),
                                              name="rounds_evidence_kind_valid")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.original_name}"
