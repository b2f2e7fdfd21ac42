"""考务管理 and 质量督导: one assessment session (场次) of one occupation and level.

The state machine (every transition written out, run through ``applications.workflow.run_transition``):

    draft ──report──▶ reported ──publish_results──▶ published ──report_results──▶ results_reported
                       │  ▲                                                      │  ▲
        raise_objection│  │lift_objection                                suspend│  │lift_suspension
                       ▼  │                                                      ▼  │
                      objected                                                  suspended
    draft / reported / objected ──cancel──▶ cancelled

Pass marks are copied from the filing's 附件4 plan when the session is created (``services.sessions``) and are not
editable (issue #12 item 5).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from portal import access
from portal.choicelabels import ChoiceLabels
from portal.fields import StateField
from portal.models import Institution, Occupation


class SessionState(models.TextChoices):
    DRAFT = "draft", _("草稿（考务计划编制中）")
    REPORTED = "reported", _("考务计划已报备")
    OBJECTED = "objected", _("备案部门提出异议，暂停举行")
    PUBLISHED = "published", _("成绩已公布")
    RESULTS_REPORTED = "results_reported", _("认定结果已报备")
    SUSPENDED = "suspended", _("备案部门暂停发证")
    CANCELLED = "cancelled", _("已取消")


PLANNING_STATES = (SessionState.DRAFT, SessionState.REPORTED, SessionState.OBJECTED)


def _may_edit(session, user):
    return access.can(user, "assessment.session_edit", session)


def _may_oversee(session, user):
    return access.can(user, "assessment.session_oversee", session)


class Session(ChoiceLabels, ConcurrentTransitionMixin, models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="assessment_sessions",
                                    verbose_name=_("评价机构（院校）"))
    filing = models.ForeignKey("track_b.FilingApplication", on_delete=models.PROTECT, related_name="sessions",
                               verbose_name=_("备案"))
    plan_line = models.ForeignKey("assessment.PlanLine", on_delete=models.PROTECT, related_name="sessions",
                                  verbose_name=_("所列年度计划"))
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("职业名称"))
    job_type = models.CharField(_("工种/职业方向"), max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(_("职业技能等级"), choices=[(3, _("三级/高级工")), (4, _("四级/中级工")),
                                                                       (5, _("五级/初级工"))])
    start_date = models.DateField(_("考核开始日期"))
    end_date = models.DateField(_("考核结束日期"))
    site = models.CharField(_("考核场地"), max_length=200)
    theory_pass_mark = models.DecimalField(_("理论知识考试合格标准"), max_digits=4, decimal_places=1, null=True,
                                           blank=True, editable=False)
    practical_pass_mark = models.DecimalField(_("操作技能考核合格标准"), max_digits=4, decimal_places=1, null=True,
                                              blank=True, editable=False)
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="supervised_sessions", verbose_name=_("质量督导员"))
    state = StateField(_("状态"), max_length=20, choices=SessionState.choices, default=SessionState.DRAFT,
                     protected=True, db_index=True)
    objection = models.TextField(_("备案部门异议"), blank=True)
    answer = models.TextField(_("评价机构答复"), blank=True)
    suspension_reason = models.TextField(_("暂停发证理由"), blank=True)
    reported_at = models.DateTimeField(_("考务计划报备时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("成绩公布时间"), null=True, blank=True)
    results_reported_at = models.DateTimeField(_("认定结果报备时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("编制人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考务场次")
        verbose_name_plural = _("考务场次")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["institution", "start_date"], name="assessment_session_inst_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="assessment_session_dates_ordered"),
            models.CheckConstraint(condition=models.Q(level__gte=3, level__lte=5),
                                   name="assessment_session_level_at_most_3"),
        ]

    def __str__(self):
        return f"{self.occupation.name} {self.get_level_display()} {self.start_date:%Y-%m-%d}"

    @property
    def subjects(self):
        """[(key, label, pass mark)] of the subjects the plan sets."""
        out = []
        if self.theory_pass_mark is not None:
            out.append(("theory", _("理论知识"), self.theory_pass_mark))
        if self.practical_pass_mark is not None:
            out.append(("practical", _("操作技能"), self.practical_pass_mark))
        return out

    @property
    def is_planning(self):
        return self.state in PLANNING_STATES

    # --- transitions ----------------------------------------------------------------------------
    @transition(field=state, source=SessionState.DRAFT, target=SessionState.REPORTED, permission=_may_edit)
    def report(self, *, at):
        """The session plan reaches the filing office (≥ N working days before it is held)."""
        self.reported_at = at

    @transition(field=state, source=SessionState.REPORTED, target=SessionState.OBJECTED, permission=_may_oversee)
    def raise_objection(self, *, reason):
        """The office objects: the session is held until it lifts the objection."""
        self.objection = reason
        self.answer = ""

    @transition(field=state, source=SessionState.OBJECTED, target=SessionState.REPORTED, permission=_may_oversee)
    def lift_objection(self):
        """The institution has answered; the office lifts the objection."""

    @transition(field=state, source=[SessionState.DRAFT, SessionState.REPORTED, SessionState.OBJECTED],
                target=SessionState.CANCELLED, permission=_may_edit)
    def cancel(self):
        """The institution cancels the session (e.g. after an objection)."""

    @transition(field=state, source=SessionState.REPORTED, target=SessionState.PUBLISHED, permission=_may_edit)
    def publish_results(self, *, at):
        """Every present candidate's scores confirmed and the supervisor's report filed: results go to candidates."""
        self.published_at = at

    @transition(field=state, source=SessionState.PUBLISHED, target=SessionState.RESULTS_REPORTED,
                permission=_may_edit)
    def report_results(self, *, at):
        """认定结果报备 to the filing office — a report, no approval (谁评价、谁发证、谁负责)."""
        self.results_reported_at = at

    @transition(field=state, source=SessionState.RESULTS_REPORTED, target=SessionState.SUSPENDED,
                permission=_may_oversee)
    def suspend(self, *, reason):
        """The office suspends issuance from this session, with a reason."""
        self.suspension_reason = reason

    @transition(field=state, source=SessionState.SUSPENDED, target=SessionState.RESULTS_REPORTED,
                permission=_may_oversee)
    def lift_suspension(self):
        """The office lifts the suspension; issuance may go on."""


class SessionExaminer(models.Model):
    """A filed 考评员 (附件3 六(三)) sitting on a session, with the account they sign in with."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="examiners")
    examiner = models.ForeignKey("track_b.Examiner", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("考评人员"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="examiner_sessions",
                             verbose_name=_("平台账号"))

    class Meta:
        verbose_name = _("场次考评人员")
        verbose_name_plural = _("场次考评人员")
        constraints = [models.UniqueConstraint(fields=["session", "examiner"], name="assessment_examiner_unique"),
                       models.UniqueConstraint(fields=["session", "user"], name="assessment_examiner_user_unique")]

    def __str__(self):
        return self.examiner.name


class SupervisionReport(models.Model):
    """督导报告 of the quality supervisor named by the filing office."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="supervision")
    checked = models.TextField(_("督导内容"), help_text=_("检查了什么：考场、身份核验、试卷保密、评分过程等。"))
    anomalies = models.TextField(_("发现的问题"), blank=True)
    has_anomalies = models.BooleanField(_("发现异常"), default=False)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("督导员"))
    filed_at = models.DateTimeField(_("提交时间"), auto_now=True)

    class Meta:
        verbose_name = _("督导报告")
        verbose_name_plural = _("督导报告")

    def __str__(self):
        return str(_("督导报告：%(s)s") % {"s": self.session})
