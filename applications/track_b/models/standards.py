"""附件4 四、评价方式和内容设计: the 科目设置 and 成绩合格标准 as data, one row per occupation and subject.

The notice asks the plan to state "科目设置、成绩合格标准" (附件4 四). Sessions copy their pass marks from these
rows and nowhere else (issue #12 item 5): no form, import column or result carries its own pass mark.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Occupation

from .application import FilingApplication, Row


class Subject(models.TextChoices):
    THEORY = "theory", _("理论知识考试")
    PRACTICAL = "practical", _("操作技能考核")


class PassStandard(Row):
    """One subject the plan sets for one occupation, with its pass mark (满分100分)."""

    application = models.ForeignKey(FilingApplication, on_delete=models.CASCADE, related_name="pass_standards")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("评价职业（工种）"))
    subject = models.CharField(_("考核科目"), max_length=10, choices=Subject.choices, blank=True)
    pass_mark = models.DecimalField(_("成绩合格标准（分）"), max_digits=4, decimal_places=1, null=True, blank=True,
                                    validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
                                    help_text=_("满分100分，达到该分数（含）为合格。"))

    class Meta(Row.Meta):
        verbose_name = _("科目设置和成绩合格标准")
        verbose_name_plural = _("科目设置和成绩合格标准")
        constraints = [
            models.UniqueConstraint(fields=["application", "occupation", "subject"],
                                    name="track_b_pass_standard_unique",
                                    violation_error_message=_("同一职业的同一科目只能设定一个合格标准。")),
        ]

    def __str__(self):
        return f"{self.occupation} {self.get_subject_display()} ≥ {self.pass_mark}"
