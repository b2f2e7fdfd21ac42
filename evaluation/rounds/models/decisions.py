"""Final decisions (评审结果): one per candidate when the round is finalised — immutable.

A correction is a new ``Decision`` that names the one it supersedes; the old row stays as it was (its
``save`` and ``delete`` refuse, and on PostgreSQL a trigger refuses UPDATE and DELETE as well). The current
decision of an application is the one nothing supersedes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.track_a.rules import TITLE_LEVELS

from .applications import TitleApplication
from .rounds import EvaluationRound


class Decision(models.Model):
    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="decisions",
                              verbose_name=_("职称评审工作"))
    application = models.ForeignKey(TitleApplication, on_delete=models.PROTECT, related_name="decisions",
                                    verbose_name=_("职称申报"))
    graduate = models.ForeignKey("evaluation.Graduate", on_delete=models.PROTECT, related_name="title_decisions",
                                 verbose_name=_("毕业生"))
    committee = models.ForeignKey("track_a.EvaluationCommittee", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("职称评审委员会"))
    level = models.CharField(_("评审级别"), max_length=20, choices=TITLE_LEVELS)
    major = models.CharField(_("专业"), max_length=100)
    passed = models.BooleanField(_("评审通过"))
    decided_on = models.DateField(_("评审结果确定日期"))
    approval_number = models.CharField(_("批准文号"), max_length=60)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by", verbose_name=_("更正的原决定"))
    reason = models.TextField(_("更正理由"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("办理人"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评审结果决定")
        verbose_name_plural = _("评审结果决定")
        ordering = ["round_id", "application_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=Q(supersedes__isnull=True),
                                    name="rounds_one_original_decision"),
            models.CheckConstraint(condition=Q(supersedes__isnull=True) | ~Q(reason=""),
                                   name="rounds_correction_has_reason",
                                   violation_error_message=_("更正决定须写明理由。")),
            models.CheckConstraint(condition=~Q(approval_number=""), name="rounds_decision_has_number"),
        ]

    def __str__(self):
        verdict = _("通过") if self.passed else _("未通过")
        return f"{self.graduate.masked_name}·{self.get_level_display()}·{verdict}（{self.approval_number}）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("评审结果决定一经作出不可修改；如需更正，请作出新的更正决定。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("评审结果决定不可删除。")

    @property
    def source_key(self):
        """What ``certificates.services.issue_certificate`` takes as ``source_key`` (one certificate per decision)."""
        return f"title-decision:{self.pk}"

    @property
    def is_correction(self):
        return self.supersedes_id is not None
