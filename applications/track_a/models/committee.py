"""The school's evaluation committee (职称评审委员会, 评委会) and its 核准备案 (附件2 二; DOMAIN §3.4, §7).

Members come from the expert pool (``portal.ExpertProfile``). Which office approves the filing is derived
(``routing.committee_filing_office``), never chosen; what makes a committee fileable is ``rules.committee_problems``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from applications.track_a import rules
from applications.track_a.models.application import may
from portal.uploads import DOCUMENTS, UploadValidator


class CommitteeState(models.TextChoices):
    DRAFT = "draft", _("组建中")
    FILED = "filed", _("已报送核准备案，待审核")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已核准备案")


class CommitteeLevel(models.TextChoices):
    INTERMEDIATE = rules.COMMITTEE_INTERMEDIATE, _("中级职称评审委员会")
    JUNIOR = rules.COMMITTEE_JUNIOR, _("初级职称评审委员会")


class EvaluationCommittee(ConcurrentTransitionMixin, models.Model):
    institution = models.ForeignKey("portal.Institution", on_delete=models.PROTECT, related_name="pilot_committees",
                                    verbose_name=_("组建单位"))
    authority = models.ForeignKey("track_a.GrantedAuthority", on_delete=models.PROTECT, related_name="committees",
                                  verbose_name=_("职称自主评审权"))
    state = FSMField(_("状态"), max_length=12, choices=CommitteeState.choices, default=CommitteeState.DRAFT,
                     protected=True, db_index=True)
    name = models.CharField(_("评委会名称"), max_length=100)
    level = models.CharField(_("评委会级别"), max_length=16, choices=CommitteeLevel.choices)
    by_provincial_department = models.BooleanField(
        _("由省直主管部门（单位）组建"), default=False,
        help_text=_("试点学校自行组建的评委会向属地市人社局申请核准备案；省直主管部门（单位）组建的向省人社厅申请。"))
    talent_pool = models.TextField(_("拟评审范围内专业技术人才队伍状况"))
    method = models.TextField(_("评审办法"))
    standard = models.TextField(_("评审标准"), help_text=_("本校自主评审标准条件的名称和要点，不得低于附件2的基本条件。"))
    rules_file = models.FileField(_("评审制度文件"), upload_to="track_a/committees/%Y/", blank=True,
                                  validators=[UploadValidator(DOCUMENTS, 20)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)
    filing_count = models.PositiveSmallIntegerField(_("报送次数"), default=0)
    approved_at = models.DateTimeField(_("核准备案时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("职称评审委员会")
        verbose_name_plural = _("职称评审委员会")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "level"], name="track_a_one_committee_per_level"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_editable(self):
        return self.state in (CommitteeState.DRAFT, CommitteeState.RETURNED)

    @transition(field=state, source=[CommitteeState.DRAFT, CommitteeState.RETURNED], target=CommitteeState.FILED,
                permission=may("track_a.file_committee"))
    def file_for_approval(self):
        """报送核准备案."""
        self.filing_count += 1

    @transition(field=state, source=CommitteeState.FILED, target=CommitteeState.APPROVED,
                permission=may("track_a.review_committee"))
    def approve_filing(self):
        """核准备案."""
        from django.utils import timezone

        self.approved_at = timezone.now()

    @transition(field=state, source=CommitteeState.FILED, target=CommitteeState.RETURNED,
                permission=may("track_a.review_committee"))
    def return_filing(self):
        """退回修改 (with reasons)."""


class CommitteeMember(models.Model):
    committee = models.ForeignKey(EvaluationCommittee, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey("portal.ExpertProfile", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("评审专家"))
    is_chair = models.BooleanField(_("主任委员"), default=False)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"))

    class Meta:
        verbose_name = _("评委会委员")
        verbose_name_plural = _("评委会委员")
        ordering = ["committee", "-is_chair", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "expert"], name="track_a_member_once"),
            models.UniqueConstraint(fields=["committee"], condition=Q(is_chair=True), name="track_a_one_chair"),
            models.CheckConstraint(condition=Q(term_end__gt=models.F("term_start")), name="track_a_term_ordered"),
        ]

    def __str__(self):
        return str(self.expert)


class CommitteeFiling(models.Model):
    """One 核准备案 filing: what was filed (snapshot) and the office's decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVE = "approve", _("核准备案")
        RETURN = "return", _("退回修改")

    committee = models.ForeignKey(EvaluationCommittee, on_delete=models.CASCADE, related_name="filings")
    number = models.PositiveSmallIntegerField(_("第几次报送"))
    office_role = models.CharField(_("受理部门"), max_length=24)
    office_city = models.ForeignKey("portal.City", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    snapshot = models.JSONField(_("报送内容"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    decision = models.CharField(_("审核结论"), max_length=8, choices=Decision.choices, default=Decision.PENDING)
    reasons = models.TextField(_("审核意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评委会核准备案")
        verbose_name_plural = _("评委会核准备案")
        ordering = ["committee", "number"]
        constraints = [models.UniqueConstraint(fields=["committee", "number"], name="track_a_filing_unique")]

    def __str__(self):
        return f"{self.committee} #{self.number}"
