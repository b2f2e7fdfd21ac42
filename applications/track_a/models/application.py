"""附件1 “产业工程师职称自主评审”立项申请表 as data, and its workflow.

The form's single-valued fields live on ``PilotApplication``; its tables are row models (试点专业, 合作共建企业 —
at most 5, enforced by the database —, 专任教师简表) and the attachments of 二、合作事项或协议. Ratios and the
student–teacher ratio are computed properties, never stored from input.

The workflow (通知 三(一)2) is one ``FSMField``; every transition is a method below, run only through
``applications.workflow.run_transition`` (services.py), which checks the ``permission`` (an access rule), logs and
notifies. The two city offices and the two provincial offices approve in either order: the state records which one
has approved, and the second approval moves the application on.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from applications.track_a import rules
from portal.access import permission as may
from portal.choicelabels import ChoiceLabels
from portal.fields import StateField
from portal.uploads import UploadValidator


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待市人社局、市教育局审核")
    CITY_HRSS_APPROVED = "city_hrss_approved", _("市人社局已同意，待市教育局审核")
    CITY_EDU_APPROVED = "city_edu_approved", _("市教育局已同意，待市人社局审核")
    RETURNED_CITY = "returned_city", _("市级退回修改")
    CITY_APPROVED = "city_approved", _("市级审定通过，待拟定共建协议")
    AGREEMENT_SIGNED = "agreement_signed", _("已拟定共建协议，待报省教育厅")
    AT_PROVINCE = "at_province", _("已报省教育厅，待专家论证")
    RETURNED_PROVINCE = "returned_province", _("省级退回修改")
    DOCUMENT_REVIEWED = "document_reviewed", _("专家论证通过，待实地评估")
    SITE_EVALUATED = "site_evaluated", _("实地评估完成，待省教育厅、省人社厅认定")
    PROV_EDU_RECOGNISED = "prov_edu_recognised", _("省教育厅已认定，待省人社厅认定")
    PROV_HRSS_RECOGNISED = "prov_hrss_recognised", _("省人社厅已认定，待省教育厅认定")
    RECOGNISED = "recognised", _("已认定为试点单位，待授予自主评审权")
    NOT_RECOGNISED = "not_recognised", _("未予认定")
    AUTHORISED = "authorised", _("已授予中初级职称自主评审权")


EDITABLE_STATES = (State.DRAFT, State.RETURNED_CITY, State.RETURNED_PROVINCE)
CLOSED_STATES = (State.NOT_RECOGNISED,)


class Venue(models.TextChoices):
    SCHOOL = "school", _("学校内部")
    ENTERPRISE = "enterprise", _("企业内部")
    PARK = "park", _("产业园区")
    OTHER = "other", _("其他独立办学场所")


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


def text_field(label, **kwargs):
    return models.TextField(label, blank=True, **kwargs)


class PilotApplication(ChoiceLabels, ConcurrentTransitionMixin, models.Model):
    """One school's 立项申请表 (附件1) and where it stands in the procedure."""

    institution = models.ForeignKey("portal.Institution", on_delete=models.PROTECT, related_name="pilot_applications",
                                    verbose_name=_("申报单位"))
    state = StateField(_("状态"), max_length=24, choices=State.choices, default=State.DRAFT, protected=True,
                     db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)
    submission_count = models.PositiveSmallIntegerField(_("提交次数"), default=0)
    submitted_at = models.DateTimeField(_("最近提交时间"), null=True, blank=True)

    # 一、基本情况
    unit_name = models.CharField(_("申报单位全称"), max_length=100)
    industry_field = models.CharField(_("相关产业领域"), max_length=100, blank=True)
    founded_on = models.DateField(_("组建时间"), null=True, blank=True)
    independent = models.BooleanField(_("独立设置"), null=True, blank=True)
    venue = models.CharField(_("办学场所"), max_length=12, choices=Venue.choices, blank=True)
    management_bodies = text_field(_("共同参与的管理机构"))

    # 负责人基本信息
    leader_name = models.CharField(_("姓名"), max_length=50, blank=True)
    leader_political_status = models.CharField(_("政治面貌"), max_length=20, blank=True)
    leader_party_post = models.CharField(_("党政职务"), max_length=50, blank=True)
    leader_education = models.CharField(_("学历"), max_length=20, blank=True)
    leader_degree = models.CharField(_("学位"), max_length=20, blank=True)
    leader_title = models.CharField(_("专业职称"), max_length=50, blank=True)
    leader_years = models.PositiveSmallIntegerField(_("工作年限"), null=True, blank=True)
    leader_office_phone = models.CharField(_("办公电话"), max_length=20, blank=True)
    leader_mobile = models.CharField(_("手机号码"), max_length=20, blank=True)
    leader_duties = text_field(_("主要职责"))
    leader_experience = text_field(_("主要工作经历"))
    leader_cooperation = text_field(_("校企合作经历"))

    # 教师基本信息 (counts; ratios computed)
    teachers_total = _count(_("教师总人数"))
    teachers_senior = _count(_("正高级"))
    teachers_deputy_senior = _count(_("副高级"))
    teachers_intermediate_or_below = _count(_("中级及以下"))
    teachers_enterprise = _count(_("企业教师数"))
    teachers_school = _count(_("学校教师数"))
    teachers_enterprise_background = _count(_("具有企业背景的专任教师数"))

    # 学生基本信息
    students_total = _count(_("学生总人数"))
    students_undergraduate = _count(_("本科生"))
    students_master = _count(_("硕士生"))
    students_doctoral = _count(_("博士生"))
    students_other = _count(_("其他学历形式"))

    # 二、与企业达成的合作事项或协议
    cooperation = text_field(_("与企业达成的合作事项或协议"))

    # 三、基本条件
    basis_teaching = text_field(_("（一）现有教学基础"))
    basis_curriculum = text_field(_("（二）培育产业工程师拟开发课程体系"))
    basis_competition = text_field(_("（三）学校竞赛实训条件"))
    basis_practice = text_field(_("（四）学生参加实践教学学时"))
    basis_team = text_field(_("（五）高水平教师团队情况"))
    basis_funding = text_field(_("（六）经费支持情况"))

    # 试点建设方案 (通知 三(一)2(1), 3): the document and its key facts
    plan_file = models.FileField(_("试点建设方案"), upload_to="track_a/plans/%Y/", blank=True,
                                 validators=[UploadValidator(kinds=("pdf", "docx", "doc"), max_mb=20)])
    plan_industry = models.CharField(_("对接的地方重点产业"), max_length=100, blank=True)
    plan_start_year = models.PositiveSmallIntegerField(_("建设期起始年份"), null=True, blank=True)
    plan_end_year = models.PositiveSmallIntegerField(_("建设期结束年份"), null=True, blank=True)
    plan_bases = _count(_("生产性实习实训基地（个）"))
    plan_platforms = _count(_("技术应用和创新平台（个）"))
    plan_funding = models.DecimalField(_("年度经费投入（万元）"), max_digits=10, decimal_places=2, null=True,
                                       blank=True)
    plan_summary = text_field(_("方案要点"), help_text=_("课程体系开发改造、师资选配、实习实训基地、评审标准和考核细则等要点。"))

    # 四、审核意见
    leader_attested = models.BooleanField(_("经审核，表格所填内容属实，本人对所填内容负责。"), default=False)
    leader_signature = models.CharField(_("签名"), max_length=50, blank=True)
    leader_signed_on = models.DateField(_("日期"), null=True, blank=True)
    school_opinion = text_field(_("院校意见"))
    president_name = models.CharField(_("校长签名"), max_length=50, blank=True)
    school_signed_on = models.DateField(_("院校意见日期"), null=True, blank=True)
    partner_opinion = text_field(_("合作企业或单位意见"))

    class Meta:
        verbose_name = _("试点立项申请（附件1）")
        verbose_name_plural = _("试点立项申请（附件1）")
        ordering = ["-updated_at", "-id"]
        constraints = [
            # One open or granted application per school; a refused one may be followed by a new one.
            models.UniqueConstraint(fields=["institution"], condition=~Q(state="not_recognised"),
                                    name="track_a_one_open_application_per_institution"),
            models.CheckConstraint(
                condition=Q(plan_start_year__isnull=True) | Q(plan_end_year__isnull=True)
                | Q(plan_end_year__gte=models.F("plan_start_year")),
                name="track_a_plan_years_ordered"),
        ]

    def __str__(self):
        return f"{self.unit_name or self.institution}·{_('试点立项申请')}"

    # --- computed figures ----------------------------------------------------------------------------------------
    @property
    def teacher_ratios(self):
        """[(label, count, percent of 教师总人数)] — computed, never typed."""
        total = self.teachers_total
        return [(str(self._meta.get_field(f).verbose_name), getattr(self, f), rules.percent(getattr(self, f), total))
                for f in ("teachers_total", "teachers_senior", "teachers_deputy_senior",
                          "teachers_intermediate_or_below", "teachers_enterprise", "teachers_school",
                          "teachers_enterprise_background")]

    @property
    def student_ratios(self):
        total = self.students_total
        return [(str(self._meta.get_field(f).verbose_name), getattr(self, f), rules.percent(getattr(self, f), total))
                for f in ("students_total", "students_undergraduate", "students_master", "students_doctoral",
                          "students_other")]

    @property
    def student_teacher_ratio(self):
        return rules.student_teacher_ratio(self.students_total, self.teachers_total)

    def count_problems(self):
        return rules.count_problems({f.name: getattr(self, f.name) for f in self._meta.fields
                                     if f.name.startswith(("teachers_", "students_"))})

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    # --- the workflow (通知 三(一)2) -------------------------------------------------------------------------------
    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED, permission=may("track_a.submit"))
    @transition(field=state, source=State.RETURNED_CITY, target=State.SUBMITTED, permission=may("track_a.submit"))
    @transition(field=state, source=State.RETURNED_PROVINCE, target=State.AT_PROVINCE,
                permission=may("track_a.submit"))
    def submit(self):
        """The school submits (or resubmits) 附件1 to the local HRSS; a provincial return goes back to the province."""
        self.submission_count += 1
        self.submitted_at = timezone.now()

    @transition(field=state, source=State.SUBMITTED, target=State.CITY_HRSS_APPROVED,
                permission=may("track_a.city_hrss_review"))
    @transition(field=state, source=State.CITY_EDU_APPROVED, target=State.CITY_APPROVED,
                permission=may("track_a.city_hrss_review"))
    def city_hrss_approve(self):
        """市人社局审定同意; the second of the two city approvals moves the application on."""

    @transition(field=state, source=State.SUBMITTED, target=State.CITY_EDU_APPROVED,
                permission=may("track_a.city_edu_review"))
    @transition(field=state, source=State.CITY_HRSS_APPROVED, target=State.CITY_APPROVED,
                permission=may("track_a.city_edu_review"))
    def city_edu_approve(self):
        """市教育局审定同意."""

    @transition(field=state, source=[State.SUBMITTED, State.CITY_EDU_APPROVED], target=State.RETURNED_CITY,
                permission=may("track_a.city_hrss_review"))
    def city_hrss_return(self):
        """市人社局退回修改 (with reasons); both offices review the resubmitted version again."""

    @transition(field=state, source=[State.SUBMITTED, State.CITY_HRSS_APPROVED], target=State.RETURNED_CITY,
                permission=may("track_a.city_edu_review"))
    def city_edu_return(self):
        """市教育局退回修改 (with reasons)."""

    @transition(field=state, source=State.CITY_APPROVED, target=State.AGREEMENT_SIGNED,
                permission=may("track_a.city_act"))
    def record_agreement(self):
        """初步拟定共建协议，明确职责分工 (the agreement itself is a ``CoConstructionAgreement`` row)."""

    @transition(field=state, source=State.AGREEMENT_SIGNED, target=State.AT_PROVINCE,
                permission=may("track_a.city_act"))
    def forward_to_province(self):
        """报省教育厅."""

    @transition(field=state, source=State.AT_PROVINCE, target=State.DOCUMENT_REVIEWED,
                permission=may("track_a.province_review"))
    def pass_document_review(self):
        """专家论证通过: the expert group's signed report concludes so (a ``DocumentReview`` row copies it)."""

    @transition(field=state, source=[State.AT_PROVINCE, State.DOCUMENT_REVIEWED], target=State.RETURNED_PROVINCE,
                permission=may("track_a.province_review"))
    def province_return(self):
        """省教育厅退回修改 after the document review or before the on-site visit."""

    @transition(field=state, source=State.DOCUMENT_REVIEWED, target=State.SITE_EVALUATED,
                permission=may("track_a.province_review"))
    def record_site_evaluation(self):
        """实地评估完成: the group's signed on-site report (a ``SiteEvaluation`` row copies it)."""

    @transition(field=state, source=State.SITE_EVALUATED, target=State.PROV_EDU_RECOGNISED,
                permission=may("track_a.prov_edu_recognise"))
    @transition(field=state, source=State.PROV_HRSS_RECOGNISED, target=State.RECOGNISED,
                permission=may("track_a.prov_edu_recognise"))
    def prov_edu_recognise(self):
        """省教育厅认定试点单位."""

    @transition(field=state, source=State.SITE_EVALUATED, target=State.PROV_HRSS_RECOGNISED,
                permission=may("track_a.prov_hrss_recognise"))
    @transition(field=state, source=State.PROV_EDU_RECOGNISED, target=State.RECOGNISED,
                permission=may("track_a.prov_hrss_recognise"))
    def prov_hrss_recognise(self):
        """省人社厅认定试点单位."""

    @transition(field=state, source=[State.SITE_EVALUATED, State.PROV_HRSS_RECOGNISED], target=State.NOT_RECOGNISED,
                permission=may("track_a.prov_edu_recognise"))
    def prov_edu_refuse(self):
        """省教育厅不予认定 (with reasons)."""

    @transition(field=state, source=[State.SITE_EVALUATED, State.PROV_EDU_RECOGNISED], target=State.NOT_RECOGNISED,
                permission=may("track_a.prov_hrss_recognise"))
    def prov_hrss_refuse(self):
        """省人社厅不予认定 (with reasons)."""

    @transition(field=state, source=State.RECOGNISED, target=State.AUTHORISED, permission=may("track_a.grant"))
    def grant_authority(self):
        """属地市人社局授予产业工程师中初级职称自主评审权 (scope in ``GrantedAuthority``)."""


class Submission(models.Model):
    """What the school submitted, frozen: one snapshot per (re)submission, so reviewers see what changed."""

    application = models.ForeignKey(PilotApplication, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("第几次提交"))
    snapshot = models.JSONField(_("提交内容"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提交版本")
        verbose_name_plural = _("提交版本")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="track_a_submission_unique")]

    def __str__(self):
        return f"{self.application} #{self.number}"


class ApplicationPdf(models.Model):
    """附件1 printed (一式2份), rendered by a Celery task from the application as it was at ``source_stamp``."""

    application = models.ForeignKey(PilotApplication, on_delete=models.CASCADE, related_name="pdfs")
    source_stamp = models.DateTimeField(_("对应的修改时间"))
    submission_number = models.PositiveSmallIntegerField(_("对应的提交次数"), default=0)
    file = models.FileField(_("PDF"), upload_to="track_a/pdf/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件1 PDF")
        verbose_name_plural = _("附件1 PDF")
        ordering = ["application", "-source_stamp", "-id"]
        constraints = [models.UniqueConstraint(fields=["application", "source_stamp"], name="track_a_pdf_once")]

    def __str__(self):
        return f"{self.application} PDF"


# What each transition is called on screen, in the log and in the diagram.
TRANSITION_LABELS = {
    "submit": _("提交（重新提交）"),
    "city_hrss_approve": _("市人社局审定同意"),
    "city_edu_approve": _("市教育局审定同意"),
    "city_hrss_return": _("市人社局退回修改"),
    "city_edu_return": _("市教育局退回修改"),
    "record_agreement": _("拟定共建协议"),
    "forward_to_province": _("报省教育厅"),
    "pass_document_review": _("专家论证通过"),
    "province_return": _("省教育厅退回修改"),
    "record_site_evaluation": _("实地评估"),
    "prov_edu_recognise": _("省教育厅认定"),
    "prov_hrss_recognise": _("省人社厅认定"),
    "prov_edu_refuse": _("省教育厅不予认定"),
    "prov_hrss_refuse": _("省人社厅不予认定"),
    "grant_authority": _("市人社局授予自主评审权"),
    "file_for_approval": _("报送核准备案"),
    "approve_filing": _("核准备案"),
    "return_filing": _("退回修改"),
    "confirm": _("省人社厅确认专家组"),
    "reopen": _("专家回避，专家组退回调整"),
    "file_change": _("报送调整（续期）"),
    "approve_change": _("同意调整（续期）"),
    "refuse_change": _("不同意调整（续期）"),
    "file_revocation": _("报送撤销"),
    "approve_revocation": _("同意撤销"),
    "refuse_revocation": _("不同意撤销"),
}
