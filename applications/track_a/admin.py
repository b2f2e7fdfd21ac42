"""Read-mostly admin for Track A: the workflow moves only through the portal's pages and services."""

from django.contrib import admin

from applications.track_a.models import (
    CommitteeMember,
    EvaluationCommittee,
    GrantedAuthority,
    PartnerEnterprise,
    PilotApplication,
    PilotMajor,
)


class MajorInline(admin.TabularInline):
    model = PilotMajor
    extra = 0


class PartnerInline(admin.TabularInline):
    model = PartnerEnterprise
    extra = 0
    max_num = 5


@admin.register(PilotApplication)
class PilotApplicationAdmin(admin.ModelAdmin):
    list_display = ["unit_name", "institution", "state", "submission_count", "submitted_at"]
    list_filter = ["state", "institution__city"]
    search_fields = ["unit_name", "institution__name"]
    readonly_fields = ["state", "submission_count", "submitted_at"]
    inlines = [MajorInline, PartnerInline]


@admin.register(GrantedAuthority)
class GrantedAuthorityAdmin(admin.ModelAdmin):
    list_display = ["number", "institution", "from_year", "decided_at"]
    readonly_fields = ["letter_sha256"]


class MemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0


@admin.register(EvaluationCommittee)
class EvaluationCommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "institution", "level", "state"]
    list_filter = ["state", "level"]
    readonly_fields = ["state", "filing_count", "approved_at"]
    inlines = [MemberInline]
