"""Candidates: the school's 应届 graduates (正文 一: leaving this year, or left within 2 years and not employed — the
graduate declares, the school confirms) in majors related to the occupation (a mapping the school keeps per
occupation); entrusted schools' students opt in themselves (学校自愿、学生自愿)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from portal import access
from portal.fields import StateField
from portal.models import Institution, Occupation

SCORE = {"max_digits": 4, "decimal_places": 1, "null": True, "blank": True,
         "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]}


class MajorMapping(models.Model):
    """A major of the school related to an occupation (its own or entrusted): who may sit that occupation."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("院校"))
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("职业（工种）"))
    major = models.CharField(_("相关专业"), max_length=100)

    class Meta:
        verbose_name = _("专业与职业对应关系")
        verbose_name_plural = _("专业与职业对应关系")
        ordering = ["occupation__code", "major"]
        constraints = [models.UniqueConstraint(fields=["institution", "occupation", "major"],
                                               name="assessment_major_mapping_unique")]

    def __str__(self):
        return f"{self.major} → {self.occupation.name}"


class DeclarationState(models.TextChoices):
    DECLARED = "declared", _("已申报，待学校确认")
    CONFIRMED = "confirmed", _("学校已确认")
    REJECTED = "rejected", _("学校不予确认")


def _may_decide(declaration, user):
    return access.can(user, "assessment.manage", declaration.graduate.institution)


class UnemployedDeclaration(ConcurrentTransitionMixin, models.Model):
    """离校2年内未就业 (视同应届, 正文 一): the graduate's own statement, confirmed or not by the school.

    declared ──confirm──▶ confirmed;  declared ──reject──▶ rejected (with the school's reason). Decided once,
    through ``applications.workflow.run_transition``; a new statement is a new declaration."""

    graduate = models.ForeignKey("evaluation.Graduate", on_delete=models.CASCADE, related_name="unemployed_declarations",
                                 verbose_name=_("毕业生"))
    statement = models.TextField(_("本人声明"), help_text=_("本人离校后至今未就业。"))
    state = StateField(_("状态"), max_length=10, choices=DeclarationState.choices, default=DeclarationState.DECLARED,
                       protected=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("申报人"))
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("确认人"))
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    school_note = models.TextField(_("学校意见"), blank=True)

    class Meta:
        verbose_name = _("未就业申报")
        verbose_name_plural = _("未就业申报")
        ordering = ["-declared_at", "-id"]

    def __str__(self):
        return f"{self.graduate} · {self.get_state_display()}"

    @transition(field=state, source=DeclarationState.DECLARED, target=DeclarationState.CONFIRMED,
                permission=_may_decide)
    def confirm(self, *, by, at, note=""):
        """The school confirms the graduate has not been employed since leaving: 视同应届."""
        self.decided_by, self.decided_at, self.school_note = by, at, note

    @transition(field=state, source=DeclarationState.DECLARED, target=DeclarationState.REJECTED,
                permission=_may_decide)
    def reject(self, *, by, at, note):
        """The school does not confirm, and says why."""
        self.decided_by, self.decided_at, self.school_note = by, at, note


class EntrustedOptIn(models.Model):
    """An entrusting school's student asks, themselves, to sit a session of the entrusted institution."""

    session = models.ForeignKey("assessment.Session", on_delete=models.CASCADE, related_name="opt_ins")
    graduate = models.ForeignKey("evaluation.Graduate", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("毕业生"))
    entrustment = models.ForeignKey("track_b.Entrustment", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("委托报备"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("本人账号"))
    created_at = models.DateTimeField(_("自愿报名时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("委托认定自愿报名")
        verbose_name_plural = _("委托认定自愿报名")
        constraints = [models.UniqueConstraint(fields=["session", "graduate"], name="assessment_opt_in_unique")]

    def __str__(self):
        return f"{self.graduate} → {self.session}"


class ConflictKind(models.TextChoices):
    RELATIVE = "relative", _("近亲属")
    SUPERVISED = "supervised", _("指导其毕业设计（论文）")
    EMPLOYER = "employer", _("任职于其就业单位")
    OTHER = "other", _("其他应回避的情形")


class ExaminerConflict(models.Model):
    """A conflict an examiner declared (回避, DOMAIN §7): never an examiner of that graduate."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("考评人员"))
    graduate = models.ForeignKey("evaluation.Graduate", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("考生"))
    kind = models.CharField(_("回避情形"), max_length=12, choices=ConflictKind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考评人员回避申报")
        verbose_name_plural = _("考评人员回避申报")
        constraints = [models.UniqueConstraint(fields=["user", "graduate"], name="assessment_conflict_unique")]

    def __str__(self):
        return f"{self.user} ↔ {self.graduate}"


class Attendance(models.TextChoices):
    UNKNOWN = "", _("未登记")
    PRESENT = "present", _("到考")
    ABSENT = "absent", _("缺考")


class Candidate(models.Model):
    """One graduate in one session (a candidate sits each level once per session)."""

    session = models.ForeignKey("assessment.Session", on_delete=models.CASCADE, related_name="candidates")
    graduate = models.ForeignKey("evaluation.Graduate", on_delete=models.PROTECT, related_name="assessment_entries",
                                 verbose_name=_("毕业生"))
    entrustment = models.ForeignKey("track_b.Entrustment", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("委托报备"))
    exemption = models.ForeignKey("track_b.ExemptionRequest", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("“1+X”免试决定"))
    exempt_theory = models.BooleanField(_("免试理论知识"), default=False)
    exempt_practical = models.BooleanField(_("免试操作技能"), default=False)
    attendance = models.CharField(_("考试情况"), max_length=8, choices=Attendance.choices, blank=True)
    first_theory = models.DecimalField(_("理论知识成绩（初次录入）"), **SCORE)
    first_practical = models.DecimalField(_("操作技能成绩（初次录入）"), **SCORE)
    first_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("录入考评员"))
    theory_score = models.DecimalField(_("理论知识成绩"), **SCORE)
    practical_score = models.DecimalField(_("操作技能成绩"), **SCORE)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("复核考评员"))
    confirmed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("报名登记人"))
    registered_at = models.DateTimeField(_("报名时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考生")
        verbose_name_plural = _("考生")
        ordering = ["session_id", "graduate__student_number", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "graduate"], name="assessment_candidate_once",
                                               violation_error_message=_("该毕业生已报名本场次。"))]

    def __str__(self):
        return f"{self.graduate.masked_name} · {self.session}"

    @property
    def confirmed(self):
        return self.confirmed_at is not None

    def subject_outcomes(self):
        """[(key, label, pass mark, score or None, exempted)] for each subject the plan sets."""
        out = []
        for key, label, mark in self.session.subjects:
            exempted = self.exempt_theory if key == "theory" else self.exempt_practical
            score = None if exempted else getattr(self, f"{key}_score")
            out.append((key, label, mark, score, exempted))
        return out

    @property
    def passed(self):
        """合格: present, scores confirmed, and every subject the plan sets reaches its mark — except subjects
        exempted by a granted 1+X request, which carry no score and do not count against the candidate."""
        if self.attendance != Attendance.PRESENT or not self.confirmed:
            return False
        outcomes = self.subject_outcomes()
        if not any(not exempted for *_rest, exempted in outcomes):
            return False  # at least one subject is examined: an exemption covers subjects, not the assessment
        return all(exempted or (score is not None and score >= mark) for _k, _l, mark, score, exempted in outcomes)
