"""What the offices decided, each as its own recorded fact (the transition log says when the state moved;
these rows say who decided what, with which reasons, experts and scope)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.track_a import rules
from applications.track_a.models.application import PilotApplication
from portal.uploads import UploadValidator


class Office(models.TextChoices):
    CITY_HRSS = "city_hrss", _("市人社局")
    CITY_EDUCATION = "city_education", _("市教育局")
    PROVINCIAL_EDUCATION = "provincial_education", _("省教育厅")
    PROVINCIAL_HRSS = "provincial_hrss", _("省人社厅")


class Decision(models.TextChoices):
    APPROVE = "approve", _("同意")
    RETURN = "return", _("退回修改")
    RECOGNISE = "recognise", _("认定为试点单位")
    REFUSE = "refuse", _("不予认定")


class _Decided(models.Model):
    application = models.ForeignKey(PilotApplication, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("经办人"))
    decided_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        abstract = True


class CityReview(_Decided):
    """One city office's decision on one submitted version (审定): the two offices' approvals are separate facts."""

    application = models.ForeignKey(PilotApplication, on_delete=models.CASCADE, related_name="city_reviews")
    office = models.CharField(_("审核部门"), max_length=24, choices=Office.choices[:2])
    decision = models.CharField(_("审核结论"), max_length=12, choices=Decision.choices[:2])
    reasons = models.TextField(_("审核意见"), blank=True)
    submission_number = models.PositiveSmallIntegerField(_("审核的提交版本"))

    class Meta:
        verbose_name = _("市级审核意见")
        verbose_name_plural = _("市级审核意见")
        ordering = ["application", "decided_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "office", "submission_number"],
                                    name="track_a_one_city_decision_per_office_and_version"),
            models.CheckConstraint(condition=~models.Q(decision="return", reasons=""),
                                   name="track_a_city_return_has_reasons"),
        ]

    def __str__(self):
        return f"{self.get_office_display()}：{self.get_decision_display()}"


class CoConstructionAgreement(_Decided):
    """共建协议: each party's duties and the signed copy (通知 三(一)2(2))."""

    application = models.OneToOneField(PilotApplication, on_delete=models.CASCADE, related_name="agreement")
    school_duties = models.TextField(_("试点学校职责"))
    city_hrss_duties = models.TextField(_("市人社局职责"))
    city_education_duties = models.TextField(_("市教育局职责"))
    enterprise_duties = models.TextField(_("合作企业职责"), blank=True)
    signed_on = models.DateField(_("签订日期"))
    signed_copy = models.FileField(_("协议签署件"), upload_to="track_a/agreements/%Y/",
                                   validators=[UploadValidator(kinds=("pdf", "jpg", "jpeg", "png"), max_mb=20)])

    class Meta:
        verbose_name = _("共建协议")
        verbose_name_plural = _("共建协议")

    def __str__(self):
        return f"{self.application.unit_name}·{_('共建协议')}"


class DocumentReview(_Decided):
    """专家论证 of the submitted materials, organised by the provincial education department."""

    class Conclusion(models.TextChoices):
        PASS = "pass", _("论证通过")
        REVISE = "revise", _("需修改完善")

    application = models.ForeignKey(PilotApplication, on_delete=models.CASCADE, related_name="document_reviews")
    held_on = models.DateField(_("论证日期"))
    experts = models.ManyToManyField("portal.ExpertProfile", related_name="+", verbose_name=_("论证专家"))
    conclusion = models.CharField(_("论证结论"), max_length=8, choices=Conclusion.choices)
    opinion = models.TextField(_("专家论证意见"))
    submission_number = models.PositiveSmallIntegerField(_("论证的提交版本"))

    class Meta:
        verbose_name = _("专家论证")
        verbose_name_plural = _("专家论证")
        ordering = ["application", "decided_at", "id"]

    def __str__(self):
        return f"{self.application}·{self.get_conclusion_display()}"


class SiteEvaluation(_Decided):
    """实地评估: 人才培养模式、建设基础、政策支持和保障条件 (通知 三(一)2(3))."""

    class Recommendation(models.TextChoices):
        RECOMMEND = "recommend", _("建议认定为试点单位")
        NOT_RECOMMEND = "not_recommend", _("不建议认定")

    application = models.ForeignKey(PilotApplication, on_delete=models.CASCADE, related_name="site_evaluations")
    visited_on = models.DateField(_("评估日期"))
    experts = models.ManyToManyField("portal.ExpertProfile", related_name="+", verbose_name=_("评估专家"))
    training_model = models.TextField(_("人才培养模式"))
    foundations = models.TextField(_("建设基础"))
    policy_support = models.TextField(_("政策支持"))
    guarantees = models.TextField(_("保障条件"))
    recommendation = models.CharField(_("评估结论"), max_length=16, choices=Recommendation.choices)

    class Meta:
        verbose_name = _("实地评估")
        verbose_name_plural = _("实地评估")
        ordering = ["application", "decided_at", "id"]

    def __str__(self):
        return f"{self.application}·{self.get_recommendation_display()}"


class Recognition(_Decided):
    """One provincial office's recognition decision (认定试点单位): both must recognise."""

    application = models.ForeignKey(PilotApplication, on_delete=models.CASCADE, related_name="recognitions")
    office = models.CharField(_("认定部门"), max_length=24, choices=Office.choices[2:])
    decision = models.CharField(_("认定结论"), max_length=12, choices=Decision.choices[2:])
    reasons = models.TextField(_("认定意见"), blank=True)

    class Meta:
        verbose_name = _("试点单位认定")
        verbose_name_plural = _("试点单位认定")
        ordering = ["application", "decided_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "office"], name="track_a_one_recognition_per_office"),
            models.CheckConstraint(condition=~models.Q(decision="refuse", reasons=""),
                                   name="track_a_refusal_has_reasons"),
        ]

    def __str__(self):
        return f"{self.get_office_display()}：{self.get_decision_display()}"


class GrantedAuthority(_Decided):
    """授予中初级职称自主评审权: which pilot majors, which levels, from which year (通知 三(一)2(4)).

    ``majors`` holds the names of pilot majors as granted (a decision's scope does not follow later edits);
    ``levels`` holds codes of ``rules.TITLE_LEVELS``. ``covers(major, level)`` is what the evaluation round asks.
    """

    application = models.OneToOneField(PilotApplication, on_delete=models.PROTECT, related_name="authority")
    institution = models.ForeignKey("portal.Institution", on_delete=models.PROTECT, related_name="pilot_authorities",
                                    verbose_name=_("试点学校"))
    number = models.CharField(_("授权编号"), max_length=32, unique=True)
    majors = models.JSONField(_("试点专业"))
    levels = models.JSONField(_("评审级别"))
    from_year = models.PositiveSmallIntegerField(_("起始年度"))
    letter = models.FileField(_("授权决定书"), upload_to="track_a/authority/%Y/", blank=True)
    letter_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("职称自主评审权")
        verbose_name_plural = _("职称自主评审权")
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"{self.institution}·{self.number}"

    @property
    def level_labels(self):
        names = dict(rules.TITLE_LEVELS)
        return [names[code] for code, _label in rules.TITLE_LEVELS if code in self.levels]

    def covers(self, major_name, level, year=None):
        """Whether a graduate of ``major_name`` may be evaluated here at ``level`` (in ``year``)."""
        return (major_name in self.majors and level in self.levels
                and (year is None or year >= self.from_year))
