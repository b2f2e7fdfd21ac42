"""Certificates and what they are issued from.

- ``AssessmentResult``: the 认定结果 of one candidate of an assessment session (``assessment`` app), frozen when the
  institution reports the session's results (认定结果报备); the only thing a skill certificate is issued from.
- ``Certificate``: a skill or title certificate, every printed field frozen into ``data`` at issuance.
- ``SerialCounter``: one row per numbering scope, locked while a number is allocated.
- ``IssuanceBatch``: a batch issuance (with progress).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition

from portal import identifiers
from portal.choicelabels import ChoiceLabels
from portal.fields import StateField
from portal.models import Institution, Occupation
from portal.uploads import IMAGES, UploadValidator

from .storage import private_storage

INSTITUTION_CODE = re.compile(r"^[YS]\d{4}34\d{6}$")


def validate_institution_code(value):
    """评价机构代码 = 备案编号 (DOMAIN §6): Y/S + 4 digits + 34 + 6 digits."""
    if not INSTITUTION_CODE.match(str(value or "")):
        raise ValidationError(_("评价机构代码“%(code)s”格式错误，应为13位，如 Y000034000017。") % {"code": value},
                              code="invalid_institution_code")


class SkillLevel(models.IntegerChoices):
    """Levels a graduate may be certified at in the pilot: 三级/高级工 and below (通知 二(二))."""

    SENIOR = 3, _("三级/高级工")
    INTERMEDIATE = 4, _("四级/中级工")
    JUNIOR = 5, _("五级/初级工")


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class IdType(models.TextChoices):
    RIC = "ric", _("居民身份证")


class AssessmentResult(ChoiceLabels, models.Model):
    """One candidate's 认定结果, copied from the session when its results are reported (认定结果报备).

    Created only by ``assessment.services`` (never typed or imported): it points to its candidate, whose
    session says whether it may be certified (reported, not suspended). Pass marks are the session's, which
    are the filed 附件4 plan's; none is set per candidate.
    """

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="assessment_results",
                                    verbose_name=_("评价机构（院校）"))
    institution_code = models.CharField(_("评价机构代码"), max_length=13, validators=[validate_institution_code])
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    id_type = models.CharField(_("证件类型"), max_length=8, choices=IdType.choices, default=IdType.RIC)
    id_number = models.CharField(_("证件号码"), max_length=18, validators=[identifiers.validate_ric])
    student_number = models.CharField(_("学号"), max_length=32, blank=True)
    photo = models.FileField(_("照片"), upload_to="certificates/photos/", blank=True, storage=private_storage,
                             validators=[UploadValidator(kinds=IMAGES, max_mb=2)])
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("职业名称"))
    job_type = models.CharField(_("工种/职业方向"), max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(_("职业技能等级"), choices=SkillLevel.choices)
    exam_date = models.DateField(_("考核日期"))
    theory_score = models.DecimalField(_("理论知识成绩"), max_digits=4, decimal_places=1, null=True, blank=True,
                                       validators=[MinValueValidator(0), MaxValueValidator(100)])
    practical_score = models.DecimalField(_("操作技能成绩"), max_digits=4, decimal_places=1, null=True, blank=True,
                                          validators=[MinValueValidator(0), MaxValueValidator(100)])
    theory_pass_mark = models.DecimalField(_("理论知识合格标准"), max_digits=4, decimal_places=1, null=True,
                                           blank=True, editable=False)
    practical_pass_mark = models.DecimalField(_("操作技能合格标准"), max_digits=4, decimal_places=1, null=True,
                                              blank=True, editable=False)
    exempt_theory = models.BooleanField(_("免试理论知识（1+X）"), default=False, editable=False)
    exempt_practical = models.BooleanField(_("免试操作技能（1+X）"), default=False, editable=False)
    candidate = models.OneToOneField("assessment.Candidate", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="result", verbose_name=_("考生（考务记录）"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("技能评价结果")
        verbose_name_plural = _("技能评价结果")
        ordering = ["-exam_date", "institution_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=SkillLevel.values), name="assessment_result_level_valid"),
        ]
        indexes = [models.Index(fields=["institution", "exam_date"], name="assessment_result_inst_idx")]

    def __str__(self):
        return f"{identifiers.mask_name(self.name)} {self.occupation.name} {self.get_level_display()}"

    @property
    def passed(self):
        """合格: every subject the plan sets (a pass mark copied from the session) reaches its mark, except a
        subject exempted by a granted 1+X request; at least one subject examined. A result with no candidate
        (recorded outside an assessment session) never passes."""
        if self.candidate_id is None:
            return False
        subjects = [(score, mark, exempt) for score, mark, exempt in (
            (self.theory_score, self.theory_pass_mark, self.exempt_theory),
            (self.practical_score, self.practical_pass_mark, self.exempt_practical)) if mark is not None]
        if not any(not exempt for _s, _m, exempt in subjects):
            return False
        return all(exempt or (score is not None and score >= mark) for score, mark, exempt in subjects)


class SerialCounter(models.Model):
    """The last serial handed out in one numbering scope, e.g. ``skill:Y000034000017:26:3``.

    Allocation locks the row (``UPDATE … RETURNING``) in the transaction that creates the certificate, so
    numbers are gap-free (a rolled-back issuance rolls the counter back too) and never handed out twice.
    """

    scope = models.CharField(_("编号范围"), max_length=60, unique=True)
    last = models.PositiveIntegerField(_("最后序号"), default=0)

    class Meta:
        verbose_name = _("证书编号计数器")
        verbose_name_plural = _("证书编号计数器")

    def __str__(self):
        return f"{self.scope}: {self.last}"


class IssuanceBatch(ChoiceLabels, models.Model):
    """A batch issuance (a result list, later a whole evaluation round), run as a Celery task.

    Re-running it issues only what is still missing: certificates are unique per source and version.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("发证中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("发证机构"))
    kind = models.CharField(_("证书类别"), max_length=8, default="skill")
    result_ids = models.JSONField(_("评价结果"), default=list, blank=True)
    issue_date = models.DateField(_("发证日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("发起人"))
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量发证")
        verbose_name_plural = _("批量发证")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.institution} {self.issue_date} ({self.done}/{self.total})"

    @property
    def percent(self):
        return int(100 * self.done / self.total) if self.total else 100


class CertificateKind(models.TextChoices):
    SKILL = "skill", _("职业技能等级证书")
    TITLE = "title", _("职称证书（工程系列）")


# What each transition is called in the certificate's history and the audit log.
TRANSITION_LABELS = {"revoke": _("撤销"), "supersede": _("更正（由新版本替代）")}


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤销")
    SUPERSEDED = "superseded", _("已更正（已被新版本替代）")


class RevocationReason(models.TextChoices):
    FRAUD = "fraud", _("以不正当手段取得")
    NOT_ELIGIBLE = "not_eligible", _("不符合条件或评价结果无效")
    ISSUED_IN_ERROR = "issued_in_error", _("误发")
    HOLDER_REQUEST = "holder_request", _("持证人申请注销")
    OTHER = "other", _("其他")


class Certificate(ChoiceLabels, ConcurrentTransitionMixin, models.Model):
    """An issued certificate. ``data`` holds every printed field, frozen when it was issued; nothing here is
    read live from the records it came from. Never deleted: a number is never reused, even after revocation.
    """

    kind = models.CharField(_("证书类别"), max_length=8, choices=CertificateKind.choices)
    number = models.CharField(_("证书编号"), max_length=32, unique=True)
    verification_id = models.CharField(_("核验码"), max_length=32, unique=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    source_key = models.CharField(_("来源"), max_length=80,
                                  help_text=_("签发依据，如 skill-result:12；同一来源同一版本只签发一次。"))
    issuer = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="certificates",
                               verbose_name=_("发证单位"))
    issuer_code = models.CharField(_("发证单位代码"), max_length=18)
    holder_name = models.CharField(_("姓名"), max_length=50)
    holder_id_number = models.CharField(_("证件号码"), max_length=18)
    holder_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="certificates", verbose_name=_("持证人账号"))
    level_label = models.CharField(_("等级/资格"), max_length=20)
    field_label = models.CharField(_("职业/专业"), max_length=100)
    issue_date = models.DateField(_("发证日期"))
    data = models.JSONField(_("证书数据（签发时冻结）"))
    data_hash = models.CharField(_("证书数据摘要"), max_length=64)
    photo = models.FileField(_("照片"), upload_to="certificates/frozen-photos/", blank=True,
                             storage=private_storage)
    kid = models.CharField(_("签名密钥"), max_length=40)
    qr_payload = models.TextField(_("二维码载荷"))
    qr_signature = models.CharField(_("二维码签名"), max_length=100)
    pdf = models.FileField(_("证书PDF"), upload_to="certificates/pdf/%Y/", blank=True, storage=private_storage)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    status = StateField(_("状态"), max_length=12, choices=CertificateStatus.choices, default=CertificateStatus.VALID,
                      protected=True)
    revocation_reason = models.CharField(_("撤销原因"), max_length=20, choices=RevocationReason.choices, blank=True)
    revocation_note = models.TextField(_("撤销说明"), blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by", verbose_name=_("更正前的证书"))
    assessment_result = models.ForeignKey(AssessmentResult, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="certificates", verbose_name=_("技能评价结果"))
    batch = models.ForeignKey(IssuanceBatch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="certificates", verbose_name=_("批次"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("签发人"))
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source_key", "version"], name="certificate_source_version_unique"),
            models.CheckConstraint(condition=Q(kind__in=CertificateKind.values), name="certificate_kind_valid"),
            models.CheckConstraint(condition=~Q(status="revoked") | ~Q(revocation_reason=""),
                                   name="certificate_revoked_has_reason"),
        ]
        indexes = [models.Index(fields=["issuer", "kind", "issue_date"], name="certificate_issuer_idx"),
                   models.Index(fields=["holder_id_number"], name="certificate_holder_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def delete(self, *args, **kwargs):
        raise PermissionError("证书不可删除：编号永不复用，请撤销或更正。")

    @property
    def masked_name(self):
        return identifiers.mask_name(self.holder_name)

    @property
    def masked_id(self):
        return identifiers.mask_id(self.holder_id_number)

    @property
    def replacement(self):
        try:
            return self.replaced_by
        except Certificate.DoesNotExist:
            return None

    # --- transitions (run through applications.workflow.run_transition by services) ---------
    @transition(field=status, source=CertificateStatus.VALID, target=CertificateStatus.REVOKED)
    def revoke(self, *, reason, note, at):
        self.revocation_reason = reason
        self.revocation_note = note
        self.revoked_at = at

    @transition(field=status, source=CertificateStatus.VALID, target=CertificateStatus.SUPERSEDED)
    def supersede(self):
        """A corrected version was issued — or, for a title, the certificate of the decision a 复查 put in place of
        this one's — and this one now points to it (``replaced_by``)."""
