"""The admin-editable holiday table (节假日和调休安排) for years ``chinese-calendar`` does not cover yet."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class HolidayYear(models.Model):
    """One year's arrangement as the State Council published it. Once a year is here, the portal uses this
    table for it (and no longer the library): enter every 放假 day and every 调休上班 day of the year."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据"), max_length=200,
                              help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("录入人"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日和调休安排")
        verbose_name_plural = _("节假日和调休安排")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100),
                                              name="rounds_holiday_year_range")]

    def __str__(self):
        return f"{self.year}年节假日和调休安排"


class HolidayDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    year = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("年份"))
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=20, blank=True, help_text=_("如：元旦、春节、国庆节"))

    class Meta:
        verbose_name = _("放假或调休日期")
        verbose_name_plural = _("放假或调休日期")
        ordering = ["date"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=["holiday", "workday"]),
                                              name="rounds_holiday_day_kind_valid")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def clean(self):
        if self.date and self.year_id and self.date.year != self.year.year:
            raise ValidationError({"date": _("日期须在%(year)d年内。") % {"year": self.year.year}})
