"""1+X 免试科目 (通知 三(二)1): "对已取得相应职业（工种）“1+X”证书的学生，相关高校可组织其向省人社厅、省教育厅申请
免试相应科目，具体细则另行发布。"

Provisional, until the detailed rules are published (what they may change is in settings ``EXEMPTION_*``):
a student fills in a request (``prepared``); the school organises the requests and submits them as a batch
(``ExemptionBatch``, ``submitted``); each office of ``settings.EXEMPTION_DECIDERS`` (省人社厅, 省教育厅) decides
in the portal itself (``ExemptionDecision``, one per office). The exemption takes effect (``granted``) only when
every office has agreed; any office refusing refuses it (``refused`` = 不予免试), with its reason.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from portal import access
from portal.fields import StateField
from portal.models import Institution, Occupation
from portal.uploads import IMAGES, UploadValidator

from .application import SkillLevel


def _upload_path(instance, filename):
    return f"track_b/requests/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:8]}"


class ExemptionState(models.TextChoices):
    PREPARED = "prepared", _("已填报，待学校报送")
    SUBMITTED = "submitted", _("学校已报送，待省人社厅、省教育厅决定")
    ONE_AGREED = "one_agreed", _("已有部门同意，待其余部门决定")
    GRANTED = "granted", _("同意免试")
    REFUSED = "refused", _("不予免试")
    WITHDRAWN = "withdrawn", _("已撤回")


DECIDING_STATES = (ExemptionState.SUBMITTED, ExemptionState.ONE_AGREED)


class ExemptionBatch(models.Model):
    """A batch of requests the school organised and submitted to the provincial offices (相关高校可组织其…申请)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("报送高校"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("报送人"))
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("“1+X”免试科目申请报送批次")
        verbose_name_plural = _("“1+X”免试科目申请报送批次")
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return str(_("%(inst)s 报送批次 %(id)s") % {"inst": self.institution.name, "id": self.pk})


class ExemptionRequest(ConcurrentTransitionMixin, models.Model):
    """A student's request for exemption of subjects (免试科目) on the strength of a 1+X certificate."""

    class Subjects(models.TextChoices):
        THEORY = "theory", _("理论知识考试")
        PRACTICE = "practice", _("操作技能考核")
        BOTH = "both", _("理论知识考试和操作技能考核")

    class CertificateLevel(models.TextChoices):
        JUNIOR = "junior", _("初级")
        INTERMEDIATE = "intermediate", _("中级")
        SENIOR = "senior", _("高级")

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("申请人账号"))
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("所在高校"))
    state = StateField(_("状态"), max_length=20, choices=ExemptionState.choices, default=ExemptionState.PREPARED,
                     protected=True)
    batch = models.ForeignKey(ExemptionBatch, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="requests", verbose_name=_("报送批次"))
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18)
    major = models.CharField(_("所学专业"), max_length=100)
    certificate_name = models.CharField(_("“1+X”职业技能等级证书名称"), max_length=100)
    certificate_level = models.CharField(_("证书等级"), max_length=16, choices=CertificateLevel.choices)
    certificate_number = models.CharField(_("证书编号"), max_length=40)
    certificate_issuer = models.CharField(_("培训评价组织"), max_length=100)
    certificate_file = models.FileField(_("证书扫描件"), upload_to=_upload_path,
                                        validators=[UploadValidator(kinds=("pdf",) + IMAGES, max_mb=5)])
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("对应职业（工种）"))
    level = models.PositiveSmallIntegerField(_("申请认定等级"), choices=SkillLevel.choices)
    subjects = models.CharField(_("申请免试科目（内容）"), max_length=10, choices=Subjects.choices)
    reason = models.TextField(_("申请理由"), blank=True)
    decision_reason = models.TextField(_("决定理由（不予免试的理由）"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("最后决定人"))
    decided_role = models.CharField(_("最后决定部门"), max_length=24, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("“1+X”免试科目申请")
        verbose_name_plural = _("“1+X”免试科目申请")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return str(_("免试申请：%(name)s · %(occ)s") % {"name": self.name, "occ": self.occupation.name})

    def _may_school_submit(self, user):
        return access.can(user, "track_b.exemption_submit", self)

    def _may_decide(self, user):
        return access.can(user, "track_b.exemption_decide", self)

    def _may_withdraw(self, user):
        return access.can(user, "track_b.exemption_withdraw", self)

    @transition(field=state, source=ExemptionState.PREPARED, target=ExemptionState.SUBMITTED,
                permission=_may_school_submit)
    def school_submit(self):
        """The school submits the request (in a batch) to the provincial offices."""

    @transition(field=state, source=list(DECIDING_STATES), target=ExemptionState.ONE_AGREED, permission=_may_decide)
    def agree(self):
        """An office agrees while another still has to decide."""

    @transition(field=state, source=list(DECIDING_STATES), target=ExemptionState.GRANTED, permission=_may_decide)
    def grant(self):
        """The last provincial office agrees: the exemption takes effect."""

    @transition(field=state, source=list(DECIDING_STATES), target=ExemptionState.REFUSED, permission=_may_decide)
    def decline(self):
        """A provincial office refuses (不予免试), with its reason."""

    @transition(field=state, source=[ExemptionState.PREPARED, ExemptionState.SUBMITTED],
                target=ExemptionState.WITHDRAWN, permission=_may_withdraw)
    def withdraw(self):
        """The student withdraws the request before any office has decided."""


class ExemptionDecision(models.Model):
    """One provincial office's own decision on a request (each office decides in the portal itself)."""

    request = models.ForeignKey(ExemptionRequest, on_delete=models.CASCADE, related_name="decisions")
    role = models.CharField(_("决定部门"), max_length=24)
    agreed = models.BooleanField(_("同意免试"))
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("决定人"))
    decided_at = models.DateTimeField(_("决定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("“1+X”免试科目决定")
        verbose_name_plural = _("“1+X”免试科目决定")
        ordering = ["decided_at", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "role"], name="track_b_exemption_one_per_office")]

    def __str__(self):
        return f"{self.request_id} · {self.role} · {'同意' if self.agreed else '不予免试'}"
