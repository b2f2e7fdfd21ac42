"""附件3 (高校职业技能等级认定申报单位基本情况表) and 附件4 (职业技能等级认定实施方案) as data.

``FilingApplication`` is one filing case of one institution: the 附件3 basic information lives on it,
each row set of 附件3 is its own table, 附件4 is ``ImplementationPlan``. Its state machine is written
out below; every transition runs through ``applications.workflow.run_transition`` (services.py).

Drafts accept incomplete and even wrong values (a registrar saves at any time); what must be true
before submitting is checked by ``completeness.problems_of`` and shown as a checklist.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from portal import access
from portal.choicelabels import ChoiceLabels
from portal.fields import StateField
from portal.models import City, Institution, Occupation
from portal.uploads import DOCUMENTS, UploadValidator

ATTACHMENT_MAX_MB = 10


class FilingState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待受理")
    RETURNED = "returned", _("退回修改")
    ACCEPTED = "accepted", _("已受理")
    UNDER_EVALUATION = "under_evaluation", _("专家评估论证中")
    REPORT_SIGNED = "report_signed", _("评估论证报告已签署")
    FILED = "filed", _("已备案")
    NOT_FILED = "not_filed", _("不予备案")
    WITHDRAWN = "withdrawn", _("已撤回")


EDITABLE_STATES = (FilingState.DRAFT, FilingState.RETURNED)
OPEN_STATES = (FilingState.DRAFT, FilingState.SUBMITTED, FilingState.RETURNED, FilingState.ACCEPTED,
               FilingState.UNDER_EVALUATION, FilingState.REPORT_SIGNED)


class SkillLevel(models.IntegerChoices):
    """职业技能等级 a graduate may be certified at in this pilot: 三级/高级工 and below (通知 二(二))."""

    SENIOR = 3, _("三级/高级工")
    INTERMEDIATE = 4, _("四级/中级工")
    JUNIOR = 5, _("五级/初级工")


def _may_submit(instance, user):
    return access.can(user, "track_b.submit", instance)


def _may_review(instance, user):
    return access.can(user, "track_b.review", instance)


def _may_register_historical(instance, user):
    return access.can(user, "track_b.register_historical", instance)


def _may_sign(instance, user):
    return access.can(user, "track_b.sign_report", instance)


class FilingApplication(ChoiceLabels, ConcurrentTransitionMixin, models.Model):
    """A university's application to be filed as a skill-level evaluation institution (附件3 + 附件4)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="filing_applications",
                                    verbose_name=_("申报单位"))
    state = StateField(_("状态"), max_length=24, choices=FilingState.choices, default=FilingState.DRAFT,
                     protected=True, db_index=True)
    # The receiving authority (DOMAIN §4.2), derived from the institution when created and at each submission.
    authority_role = models.CharField(_("受理部门"), max_length=24)
    authority_city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("受理部门所在市"))
    revision = models.PositiveSmallIntegerField(_("提交次数"), default=0)

    # 一、基本信息
    unit_name = models.CharField(_("单位名称"), max_length=100, blank=True)
    unit_address = models.CharField(_("单位地址"), max_length=200, blank=True)
    unit_nature = models.CharField(_("单位性质"), max_length=60, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    head_name = models.CharField(_("单位负责人"), max_length=50, blank=True)
    head_phone = models.CharField(_("单位负责人联系电话"), max_length=30, blank=True)
    org_head_name = models.CharField(_("职业技能等级评价机构负责人"), max_length=50, blank=True)
    org_head_phone = models.CharField(_("评价机构负责人联系电话（座机/手机）"), max_length=30, blank=True)
    org_contact_name = models.CharField(_("职业技能等级评价机构联系人"), max_length=50, blank=True)
    org_contact_phone = models.CharField(_("评价机构联系人联系电话（座机/手机）"), max_length=30, blank=True)
    website = models.CharField(_("单位网址"), max_length=200, blank=True)
    contact_email = models.CharField(_("联系人邮箱"), max_length=254, blank=True)
    # 四、五(一)(三)、七
    advantages = models.TextField(_("院校重点专业范围及具备的组织优势、专业优势等"), blank=True)
    venues = models.TextField(_("理论考试和操作技能考核场地情况"), blank=True)
    exam_it = models.TextField(_("计算机考务管理及视频监控设备配置情况"), blank=True)
    other_info = models.TextField(_("其他情况"), blank=True)
    # Sign-off blocks of 附件3
    applicant_opinion = models.TextField(_("申报单位负责人意见"), blank=True)
    declaration = models.BooleanField(_("本单位承诺所填信息真实、完整，同意申请备案"), default=False)
    hrss_opinion = models.TextField(_("人力资源社会保障部门意见"), blank=True)

    filing_code = models.CharField(_("备案编号"), max_length=13, unique=True, null=True, blank=True)
    filed_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    # A filing made outside the portal, registered by the filing office from its receipt (issue #12 item 4).
    historical = models.BooleanField(_("平台外历史备案（由备案部门登记）"), default=False)
    receipt_scan = models.FileField(_("备案回执扫描件"), upload_to="track_b/receipts/", blank=True,
                                    validators=[UploadValidator(kinds=DOCUMENTS, max_mb=ATTACHMENT_MAX_MB)])
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("填报人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("职业技能等级认定备案申请")
        verbose_name_plural = _("职业技能等级认定备案申请")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["authority_role", "authority_city", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(state="filed") | Q(filing_code__isnull=True),
                                   name="track_b_code_only_when_filed"),
        ]

    def __str__(self):
        return f"{self.unit_name or self.institution.name} · {self.get_state_display()}"

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    # --- the state machine: every transition written out --------------------------------------------

    @transition(field=state, source=[FilingState.DRAFT, FilingState.RETURNED], target=FilingState.SUBMITTED,
                permission=_may_submit)
    def submit(self, *, authority_role, authority_city_id, submitted_at):
        """The university submits 附件3/4 (completeness is checked by the service first); the receiving
        authority is derived again, in case the institution's record changed since the draft began."""
        self.authority_role = authority_role
        self.authority_city_id = authority_city_id
        self.submitted_at = submitted_at
        self.revision += 1

    @transition(field=state, source=[FilingState.DRAFT, FilingState.SUBMITTED, FilingState.RETURNED],
                target=FilingState.WITHDRAWN, permission=_may_submit)
    def withdraw(self):
        """The university withdraws its application before the office accepts it."""

    @transition(field=state, source=FilingState.SUBMITTED, target=FilingState.ACCEPTED, permission=_may_review)
    def accept(self):
        """The receiving office accepts the application for review (受理)."""

    @transition(field=state, source=[FilingState.SUBMITTED, FilingState.ACCEPTED], target=FilingState.RETURNED,
                permission=_may_review)
    def return_for_revision(self):
        """The office returns the application with reasons; the university revises and resubmits."""

    @transition(field=state, source=FilingState.ACCEPTED, target=FilingState.UNDER_EVALUATION,
                permission=_may_review)
    def start_evaluation(self):
        """The office has formed the expert panel; the evaluation (评估论证) begins."""

    @transition(field=state, source=FilingState.UNDER_EVALUATION, target=FilingState.REPORT_SIGNED,
                permission=_may_sign)
    def complete_report(self):
        """The last panel member signs 附件5: the report is final."""

    @transition(field=state, source=FilingState.REPORT_SIGNED, target=FilingState.UNDER_EVALUATION,
                permission=_may_review)
    def reopen_evaluation(self):
        """The office sends a signed report back to the panel (its signatures are cleared)."""

    @transition(field=state, source=FilingState.REPORT_SIGNED, target=FilingState.FILED, permission=_may_review)
    def file(self, *, opinion, filed_at, filing_code):
        """The office files the institution (机构备案) under the next province-wide code, which the service
        allocates inside the filing transaction (codes.allocate locks the province's counter)."""
        self.filing_code = filing_code
        self.filed_at = filed_at
        self.hrss_opinion = opinion

    @transition(field=state, source=FilingState.REPORT_SIGNED, target=FilingState.NOT_FILED,
                permission=_may_review)
    def refuse(self, *, opinion):
        """The office decides not to file, with reasons (they become the office's opinion on 附件3)."""
        self.hrss_opinion = opinion

    @transition(field=state, source=FilingState.DRAFT, target=FilingState.FILED, permission=_may_register_historical,
                conditions=[lambda a: a.historical])
    def register_historical(self, *, filing_code, filed_at, opinion):
        """The filing office registers a filing it made before the portal existed, from its 备案回执 (number and
        scan); the case is marked historical (issue #12 item 4)."""
        self.filing_code = filing_code
        self.filed_at = filed_at
        self.hrss_opinion = opinion


class ImplementationPlan(models.Model):
    """附件4 职业技能等级认定实施方案 (模板): five sections, signed by the person in charge."""

    application = models.OneToOneField(FilingApplication, on_delete=models.CASCADE, related_name="plan",
                                       verbose_name=_("备案申请"))
    target_level = models.PositiveSmallIntegerField(_("等级培养目标"), choices=SkillLevel.choices, null=True,
                                                    blank=True)
    basic = models.TextField(_("一、单位基本情况"), blank=True,
                             help_text=_("包括学校人才培养概况，应用型学院及专业设置情况，应用型专业在校生人数等。"))
    training = models.TextField(_("二、应用型专业设置及等级培养目标落实情况"), blank=True,
                                help_text=_("包括申报专业的课程设置、教学目标、实习实践要求和成绩合格标准等"
                                            "（相关内容应结合等级培养目标进行叙述）。"))
    duties = models.TextField(_("三、职责分工安排和内部质量控制措施；专家队伍、场地设备等软硬件条件情况；"
                                "申报专业对应的评价职业（工种）"), blank=True,
                              help_text=_("开展职业技能等级认定工作的职责分工安排和内部质量控制措施；专家队伍、场地设备"
                                          "等软硬件条件情况；申报专业对应的评价职业（工种）。相关材料可以表格形式作为附件。"))
    evaluation_design = models.TextField(_("四、评价方式和内容设计"), blank=True,
                                         help_text=_("包括评价依据、方式形式、科目设置、成绩合格标准等。"))
    commitment = models.TextField(_("五、职业技能等级评价质量承诺"), blank=True)
    signatory = models.CharField(_("负责人"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("职业技能等级认定实施方案")
        verbose_name_plural = _("职业技能等级认定实施方案")

    def __str__(self):
        return str(_("实施方案：%(unit)s") % {"unit": self.application.unit_name})


class Row(models.Model):
    """A row of one of 附件3's tables, kept in the order the registrar entered it."""

    position = models.PositiveSmallIntegerField(_("序号"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class MajorOccupation(Row):
    """二、专业名称及申报开展职业技能等级认定的职业（工种）."""

    application = models.ForeignKey(FilingApplication, on_delete=models.CASCADE, related_name="majors")
    major_name = models.CharField(_("专业名称"), max_length=100, blank=True)
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("对应和相关职业名称"))
    job_type = models.CharField(_("工种名称"), max_length=60, blank=True, help_text=_("无工种填“--”。"))
    item_writers = models.PositiveSmallIntegerField(_("命题专家人数"), null=True, blank=True)
    examiners_count = models.PositiveSmallIntegerField(_("具备资格条件的考评人员人数"), null=True, blank=True)

    class Meta(Row.Meta):
        verbose_name = _("专业及职业（工种）")
        verbose_name_plural = _("专业及职业（工种）")

    def __str__(self):
        return f"{self.major_name} · {self.occupation or ''}"


def _upload_path(instance, filename):
    application_id = instance.application_id if hasattr(instance, "application_id") else "x"
    ext = PurePath(filename).suffix.lower()[:8]
    return f"track_b/{application_id}/{uuid.uuid4().hex}{ext}"


class RegulationDocument(Row):
    """三、规章制度文件和质量管控文件（填写目录，文件另附）."""

    application = models.ForeignKey(FilingApplication, on_delete=models.CASCADE, related_name="regulations")
    title = models.CharField(_("文件名称"), max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to=_upload_path, blank=True,
                            validators=[UploadValidator(kinds=DOCUMENTS, max_mb=ATTACHMENT_MAX_MB)])
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)

    class Meta(Row.Meta):
        verbose_name = _("规章制度文件和质量管控文件")
        verbose_name_plural = _("规章制度文件和质量管控文件")

    def __str__(self):
        return self.title


class Equipment(Row):
    """五(二) 设施设备情况."""

    application = models.ForeignKey(FilingApplication, on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(_("名称"), max_length=100, blank=True)
    brand = models.CharField(_("品牌"), max_length=60, blank=True)
    spec = models.CharField(_("规格/型号"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), null=True, blank=True)
    ownership = models.CharField(_("所有权归属"), max_length=60, blank=True)

    class Meta(Row.Meta):
        verbose_name = _("设施设备")
        verbose_name_plural = _("设施设备")

    def __str__(self):
        return self.name


class Person(Row):
    """A person listed in 附件3 六: the ID number is personal data, shown masked (DOMAIN §8)."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    education = models.CharField(_("学历"), max_length=20, blank=True)

    class Meta(Row.Meta):
        abstract = True

    def __str__(self):
        return self.name


class Staff(Person):
    """六(一) 专职工作人员情况."""

    application = models.ForeignKey(FilingApplication, on_delete=models.CASCADE, related_name="staff")
    title = models.CharField(_("职务/职称"), max_length=60, blank=True)
    duties = models.CharField(_("主要工作职责"), max_length=200, blank=True)

    class Meta(Person.Meta):
        verbose_name = _("专职工作人员")
        verbose_name_plural = _("专职工作人员")


class ListedExpert(Person):
    """六(二) 专家情况 (the applicant's own experts, e.g. its item writers)."""

    application = models.ForeignKey(FilingApplication, on_delete=models.CASCADE, related_name="listed_experts")
    employer = models.CharField(_("所在单位"), max_length=100, blank=True)
    title = models.CharField(_("职务/职称/技能等级"), max_length=60, blank=True)
    specialty = models.CharField(_("专业方向"), max_length=100, blank=True)

    class Meta(Person.Meta):
        verbose_name = _("专家")
        verbose_name_plural = _("专家")



class Examiner(Person):
    """六(三) 具备资格条件的考评人员情况."""

    application = models.ForeignKey(FilingApplication, on_delete=models.CASCADE, related_name="examiners")
    employer = models.CharField(_("所在单位"), max_length=100, blank=True)
    title = models.CharField(_("职务/职称/技能等级"), max_length=60, blank=True)
    domain = models.CharField(_("考评职业领域"), max_length=100, blank=True)

    class Meta(Person.Meta):
        verbose_name = _("考评人员")
        verbose_name_plural = _("考评人员")


class Attachment(Row):
    """相关材料: proofs of qualification (技术技能水平证明复印件), tables attached to 附件4, other material."""

    class Category(models.TextChoices):
        QUALIFICATION = "qualification", _("技术技能水平证明复印件")
        VENUE = "venue", _("场地设备证明材料")
        PLAN = "plan", _("实施方案附表")
        OTHER = "other", _("其他材料")

    application = models.ForeignKey(FilingApplication, on_delete=models.CASCADE, related_name="attachments")
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, default=Category.OTHER)
    title = models.CharField(_("材料名称"), max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to=_upload_path, blank=True,
                            validators=[UploadValidator(kinds=DOCUMENTS, max_mb=ATTACHMENT_MAX_MB)])
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)

    class Meta(Row.Meta):
        verbose_name = _("附件材料")
        verbose_name_plural = _("附件材料")

    def __str__(self):
        return self.title or self.original_name


class Submission(models.Model):
    """What was submitted each time, so that a resubmission shows what changed (and history is kept)."""

    application = models.ForeignKey(FilingApplication, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("第几次提交"))
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("提交人"))
    data = models.JSONField(_("提交内容"), default=dict)
    changes = models.JSONField(_("与上次提交相比的修改"), default=list, blank=True)

    class Meta:
        verbose_name = _("提交记录")
        verbose_name_plural = _("提交记录")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="track_b_submission_unique")]

    def __str__(self):
        return str(_("第%(n)d次提交") % {"n": self.number})
