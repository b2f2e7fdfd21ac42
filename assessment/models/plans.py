"""年度计划报告: each filed institution reports its plan for the year to its filing office, which acknowledges or
comments — a report, not an approval (通知 三(二)2(4)). An amendment is simply another report (a new version)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from portal import access
from portal.choicelabels import ChoiceLabels
from portal.fields import StateField
from portal.models import City, Institution, Occupation


class PlanState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REPORTED = "reported", _("已报告，待备案部门查阅")
    ACKNOWLEDGED = "acknowledged", _("备案部门已知悉")
    COMMENTED = "commented", _("备案部门已提出意见")


REPORTED_STATES = (PlanState.REPORTED, PlanState.ACKNOWLEDGED, PlanState.COMMENTED)


class PlanDeadline(models.Model):
    """The date by which the institutions an office filed report their plan for ``year``."""

    authority_role = models.CharField(_("备案部门"), max_length=24)
    authority_city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("备案部门所在市"))
    year = models.PositiveSmallIntegerField(_("年度"))
    due_on = models.DateField(_("报告截止日期"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("设定人"))
    set_at = models.DateTimeField(_("设定时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度计划报告截止日期")
        verbose_name_plural = _("年度计划报告截止日期")
        constraints = [models.UniqueConstraint(fields=["authority_role", "authority_city", "year"],
                                               name="assessment_plan_deadline_unique",
                                               nulls_distinct=False)]

    def __str__(self):
        return f"{self.year} ≤ {self.due_on}"


def _may_report(plan, user):
    return access.can(user, "assessment.plan_edit", plan)


def _may_answer(plan, user):
    return access.can(user, "assessment.plan_answer", plan)


class AnnualPlan(ChoiceLabels, ConcurrentTransitionMixin, models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="assessment_plans",
                                    verbose_name=_("评价机构（院校）"))
    filing = models.ForeignKey("track_b.FilingApplication", on_delete=models.PROTECT, related_name="annual_plans",
                               verbose_name=_("备案"))
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("第几次报告"), default=1)
    state = StateField(_("状态"), max_length=16, choices=PlanState.choices, default=PlanState.DRAFT, protected=True)
    note = models.TextField(_("说明"), blank=True)
    office_comment = models.TextField(_("备案部门意见"), blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("查阅时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("填报人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度计划报告")
        verbose_name_plural = _("年度计划报告")
        ordering = ["-year", "-version", "-id"]
        constraints = [models.UniqueConstraint(fields=["institution", "year", "version"],
                                               name="assessment_plan_version_unique")]

    def __str__(self):
        return str(_("%(inst)s %(year)d年度计划（第%(v)d次报告）") % {
            "inst": self.institution.name, "year": self.year, "v": self.version})

    @property
    def is_reported(self):
        return self.state in REPORTED_STATES

    @transition(field=state, source=PlanState.DRAFT, target=PlanState.REPORTED, permission=_may_report)
    def report(self, *, at):
        self.reported_at = at

    @transition(field=state, source=PlanState.REPORTED, target=PlanState.ACKNOWLEDGED, permission=_may_answer)
    def acknowledge(self, *, text, at):
        self.office_comment = text
        self.answered_at = at

    @transition(field=state, source=PlanState.REPORTED, target=PlanState.COMMENTED, permission=_may_answer)
    def comment(self, *, text, at):
        self.office_comment = text
        self.answered_at = at


def parse_months(text):
    """"3,6, 11" -> (3, 6, 11); raises ValidationError with a Chinese message."""
    months = []
    for part in str(text or "").replace("，", ",").replace("、", ",").split(","):
        part = part.strip().removesuffix("月")
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 12:
            raise ValidationError(_("月份应为1到12的数字，用逗号分隔，如 6,12。"))
        months.append(int(part))
    if not months:
        raise ValidationError(_("请填写计划开展认定的月份，如 6,12。"))
    return tuple(sorted(set(months)))


def validate_months(text):
    parse_months(text)


class PlanLine(models.Model):
    """One occupation and level of the plan: in which months sessions are planned, candidates, examiners."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="lines")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("职业（工种）"))
    level = models.PositiveSmallIntegerField(_("等级"), choices=[(3, _("三级/高级工")), (4, _("四级/中级工")),
                                                                 (5, _("五级/初级工"))])
    months = models.CharField(_("计划场次月份"), max_length=40, validators=[validate_months],
                              help_text=_("如 6,12 表示6月、12月各一批。"))
    expected_candidates = models.PositiveIntegerField(_("预计认定人数"), validators=[MinValueValidator(1)])
    examiners = models.PositiveSmallIntegerField(_("每场考评人员人数"), validators=[MinValueValidator(2)],
                                                 help_text=_("每场至少2人（成绩须由第二名考评员复核）。"))

    class Meta:
        verbose_name = _("年度计划明细")
        verbose_name_plural = _("年度计划明细")
        ordering = ["occupation__code", "level"]
        constraints = [models.UniqueConstraint(fields=["plan", "occupation", "level"],
                                               name="assessment_plan_line_unique")]

    def __str__(self):
        return f"{self.occupation.name} {self.get_level_display()}"

    @property
    def month_list(self):
        try:
            return parse_months(self.months)
        except ValidationError:
            return ()
