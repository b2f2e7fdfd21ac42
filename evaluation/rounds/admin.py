"""Django admin: the holiday table is edited here (years ``chinese-calendar`` does not cover); the round's
records are read-only (they change only through the workflow)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from portal.adminkit import ReadOnlyAdmin

from .models import (
    Decision,
    EvaluationRound,
    HolidayDay,
    HolidayYear,
    Meeting,
    MeetingMember,
    Objection,
    Tally,
    TitleApplication,
)
from .workdays import library_years, statutory_days


class CompleteYear(BaseInlineFormSet):
    """A year's arrangement lists at least its statutory holidays (``workdays.statutory_days``): a partial entry
    would turn the others into working days and shorten a 公示. The calendar refuses one anyway; this says so at
    once, on the form."""

    def clean(self):
        super().clean()
        year = self.instance.year
        if not year or any(form.errors for form in self.forms):
            return
        holidays = sum(1 for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
                       and form.cleaned_data.get("kind") == HolidayDay.Kind.HOLIDAY)
        if holidays < statutory_days(year):
            raise ValidationError(_("%(year)d年的法定节假日共%(min)d天，这里只录入了%(n)d个放假日：请按国务院办公厅的放假通知"
                                    "录入全部放假日（含假期中的周末）和调休上班日。")
                                  % {"year": year, "min": statutory_days(year), "n": holidays})


class HolidayDayInline(admin.TabularInline):
    model = HolidayDay
    formset = CompleteYear
    extra = 10


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "updated_at"]
    inlines = [HolidayDayInline]
    readonly_fields = ["entered_by"]

    def changelist_view(self, request, extra_context=None):
        years = library_years()
        extra_context = {**(extra_context or {}), "subtitle": _(
            "chinese-calendar 已包含 %(first)d—%(last)d 年的安排；此后年份须在此录入当年全部放假日和调休上班日，"
            "否则平台拒绝计算公示期。此处录入的年份优先于程序库。") % {"first": years.start, "last": years.stop - 1}}
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "institution", "graduation_year", "state", "document_number"]
    list_filter = ["state", "graduation_year"]


@admin.register(TitleApplication)
class TitleApplicationAdmin(ReadOnlyAdmin):
    list_display = ["graduate", "round", "level", "state"]
    list_filter = ["state", "level"]
    list_select_related = ["graduate", "round"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["receipt", "notice", "state", "lodged_at"]
    list_filter = ["state"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["graduate", "round", "level", "passed", "approval_number", "decided_on", "supersedes"]
    list_filter = ["passed", "level"]
    list_select_related = ["graduate", "round", "supersedes"]


class MeetingMemberInline(admin.TabularInline):
    model = MeetingMember
    fields = ["name", "title", "employer", "is_chair", "checked_in_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    """Meetings with who was called and who checked in. Ballots are not in the admin at all: ``SecretBallot``
    and ``VoteCast`` are deliberately unregistered (docs/ballot_secrecy.md)."""

    list_display = ["round", "held_on", "size", "state", "closed_at", "signed_at"]
    list_filter = ["state"]
    inlines = [MeetingMemberInline]


@admin.register(Tally)
class TallyAdmin(ReadOnlyAdmin):
    list_display = ["application", "meeting", "present", "recused", "voters", "yes", "no", "abstain", "not_voted",
                    "outcome"]
    list_filter = ["outcome"]
    list_select_related = ["application__graduate", "meeting__round"]
