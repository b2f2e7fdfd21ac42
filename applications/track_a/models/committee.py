"""The school's evaluation committee (职称评审委员会, 评委会) and its 核准备案 (附件2 二; DOMAIN §3.4, §7).

Members come from the expert pool (``portal.ExpertProfile``). Which office approves the filing is derived
(``routing.committee_filing_office``), never chosen; what makes a committee fileable is ``rules.committee_problems``.

A committee lives and changes (附件2 二(二): "评委会可以常设，如因特殊情况，经相应级别人力资源社会保障部门同意，也可以临时
组建或随时调整、撤销"): once approved, every adjustment (members added or removed, a new version of the school's
standard, a renewal) and a revocation is filed with the same office and takes effect only when it consents. Until
then the approved composition stays in force. The approval is valid for ``COMMITTEE_FILING_VALID_YEARS`` (≤ 3);
members serve terms of ≤ 3 years; a removed member keeps their row (``left_on``) so that past meetings still
name who sat. ``services.committees.active_members`` and ``committee_in_force`` are what the round asks.
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
from portal.uploads import DOCUMENTS, UploadValidator


class CommitteeState(models.TextChoices):
    DRAFT = "draft", _("组建中")
    FILED = "filed", _("已报送核准备案，待审核")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已核准备案")
    CHANGE_FILED = "change_filed", _("调整（续期）已报送，待审核")
    REVOCATION_FILED = "revocation_filed", _("撤销已报送，待审核")
    REVOKED = "revoked", _("已撤销")


#: States in which the last approved filing is in force (a pending adjustment or revocation changes nothing yet).
IN_FORCE_STATES = (CommitteeState.APPROVED, CommitteeState.CHANGE_FILED, CommitteeState.REVOCATION_FILED)


class CommitteeKind(models.TextChoices):
    STANDING = "standing", _("常设")
    TEMPORARY = "temporary", _("临时组建")


class CommitteeLevel(models.TextChoices):
    INTERMEDIATE = rules.COMMITTEE_INTERMEDIATE, _("中级职称评审委员会")
    JUNIOR = rules.COMMITTEE_JUNIOR, _("初级职称评审委员会")


class EvaluationCommittee(ChoiceLabels, ConcurrentTransitionMixin, models.Model):
    institution = models.ForeignKey("portal.Institution", on_delete=models.PROTECT, related_name="pilot_committees",
                                    verbose_name=_("组建单位"))
    authority = models.ForeignKey("track_a.GrantedAuthority", on_delete=models.PROTECT, related_name="committees",
                                  verbose_name=_("职称自主评审权"))
    state = StateField(_("状态"), max_length=20, choices=CommitteeState.choices, default=CommitteeState.DRAFT,
                     protected=True, db_index=True)
    name = models.CharField(_("评委会名称"), max_length=100)
    level = models.CharField(_("评委会级别"), max_length=16, choices=CommitteeLevel.choices)
    kind = models.CharField(_("组建方式"), max_length=12, choices=CommitteeKind.choices, default=CommitteeKind.STANDING)
    temporary_reason = models.TextField(_("临时组建的特殊情况"), blank=True,
                                        help_text=_("临时组建须说明特殊情况，经核准备案部门同意（附件2 二(二)）。"))
    temporary_until = models.DateField(_("临时评委会存续至"), null=True, blank=True)
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
    valid_from = models.DateField(_("核准备案有效期自"), null=True, blank=True)
    valid_until = models.DateField(_("核准备案有效期至"), null=True, blank=True)
    standard_version = models.ForeignKey(
        "evaluation.StandardVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("备案的评审标准条件版本"),
        help_text=_("现行核准备案所载的本校自主评审标准条件版本；评审只能使用该版本（附件2 二(三)）。"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("职称评审委员会")
        verbose_name_plural = _("职称评审委员会")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "level"], condition=~Q(state="revoked"),
                                    name="track_a_one_committee_per_level"),
            models.CheckConstraint(condition=Q(kind="standing") | ~Q(temporary_reason=""),
                                   name="track_a_temporary_committee_has_reason"),
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_from__isnull=False)
                                   & Q(valid_until__gte=models.F("valid_from")),
                                   name="track_a_committee_validity_ordered"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_editable(self):
        return self.state in (CommitteeState.DRAFT, CommitteeState.RETURNED)

    @property
    def is_approved(self):
        """Approved at least once and not revoked (it may have lapsed: see ``services.committee_in_force``)."""
        return self.state in IN_FORCE_STATES

    @transition(field=state, source=[CommitteeState.DRAFT, CommitteeState.RETURNED], target=CommitteeState.FILED,
                permission=may("track_a.file_committee"))
    def file_for_approval(self):
        """报送核准备案."""
        self.filing_count += 1

    @transition(field=state, source=CommitteeState.FILED, target=CommitteeState.APPROVED,
                permission=may("track_a.review_committee"))
    def approve_filing(self):
        """核准备案 (the service sets the validity and the standard version carried)."""
        self.approved_at = timezone.now()

    @transition(field=state, source=CommitteeState.FILED, target=CommitteeState.RETURNED,
                permission=may("track_a.review_committee"))
    def return_filing(self):
        """退回修改 (with reasons)."""

    @transition(field=state, source=CommitteeState.APPROVED, target=CommitteeState.CHANGE_FILED,
                permission=may("track_a.file_committee"))
    def file_change(self):
        """报送调整（增减委员、新版评审标准条件）或续期, for the office's consent."""
        self.filing_count += 1

    @transition(field=state, source=CommitteeState.CHANGE_FILED, target=CommitteeState.APPROVED,
                permission=may("track_a.review_committee"))
    def approve_change(self):
        """同意调整（续期）: the service applies the filed changes."""
        self.approved_at = timezone.now()

    @transition(field=state, source=CommitteeState.CHANGE_FILED, target=CommitteeState.APPROVED,
                permission=may("track_a.review_committee"))
    def refuse_change(self):
        """不同意调整 (with reasons): the approved composition stays in force."""

    @transition(field=state, source=CommitteeState.APPROVED, target=CommitteeState.REVOCATION_FILED,
                permission=may("track_a.file_committee"))
    def file_revocation(self):
        """报送撤销评委会, for the office's consent."""
        self.filing_count += 1

    @transition(field=state, source=CommitteeState.REVOCATION_FILED, target=CommitteeState.REVOKED,
                permission=may("track_a.review_committee"))
    def approve_revocation(self):
        """同意撤销: the committee holds no further meeting."""
        self.revoked_at = timezone.now()

    @transition(field=state, source=CommitteeState.REVOCATION_FILED, target=CommitteeState.APPROVED,
                permission=may("track_a.review_committee"))
    def refuse_revocation(self):
        """不同意撤销 (with reasons)."""


class CommitteeMember(models.Model):
    committee = models.ForeignKey(EvaluationCommittee, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey("portal.ExpertProfile", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("评审专家"))
    is_chair = models.BooleanField(_("主任委员"), default=False)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"))
    left_on = models.DateField(_("离任日期"), null=True, blank=True,
                               help_text=_("经核准备案部门同意调整出评委会的日期；此后不再参加评审会议。"))

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
        APPROVE = "approve", _("同意")
        RETURN = "return", _("退回修改")
        REFUSE = "refuse", _("不同意")

    class Kind(models.TextChoices):
        INITIAL = "initial", _("组建核准备案")
        ADJUSTMENT = "adjustment", _("调整")
        RENEWAL = "renewal", _("续期")
        REVOCATION = "revocation", _("撤销")

    committee = models.ForeignKey(EvaluationCommittee, on_delete=models.CASCADE, related_name="filings")
    number = models.PositiveSmallIntegerField(_("第几次报送"))
    kind = models.CharField(_("报送事项"), max_length=12, choices=Kind.choices, default=Kind.INITIAL)
    reason = models.TextField(_("调整、续期或撤销的理由"), blank=True)
    changes = models.JSONField(_("申请的调整"), default=dict, blank=True,
                               help_text=_("add: [{expert, is_chair, term_start, term_end}], remove: [委员 id], "
                                           "chair: 专家 id, renew: bool"))
    standard_version = models.ForeignKey(
        "evaluation.StandardVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("所载评审标准条件版本"))
    valid_from = models.DateField(_("有效期自"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
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
