"""Read-only admin for Track A: an application, a granted authority and a committee (its members, terms, validity
and level) change only through the portal's pages and services — submitted, reviewed, filed (核准备案) and adjusted
with the office's consent (附件2 二(二)), each step logged. An edit here would skip all of that."""

from django.contrib import admin

from applications.track_a.models import (
    CommitteeMember,
    EvaluationCommittee,
    GrantedAuthority,
    PartnerEnterprise,
    PilotApplication,
    PilotMajor,
)
from portal.adminkit import ReadOnlyAdmin, ReadOnlyTabularInline


class MajorInline(ReadOnlyTabularInline):
    model = PilotMajor


class PartnerInline(ReadOnlyTabularInline):
    model = PartnerEnterprise


@admin.register(PilotApplication)
class PilotApplicationAdmin(ReadOnlyAdmin):
    list_display = ["unit_name", "institution", "state", "submission_count", "submitted_at"]
    list_filter = ["state", "institution__city"]
    search_fields = ["unit_name", "institution__name"]
    inlines = [MajorInline, PartnerInline]


@admin.register(GrantedAuthority)
class GrantedAuthorityAdmin(ReadOnlyAdmin):
    list_display = ["number", "institution", "from_year", "decided_at"]


class MemberInline(ReadOnlyTabularInline):
    model = CommitteeMember


@admin.register(EvaluationCommittee)
class EvaluationCommitteeAdmin(ReadOnlyAdmin):
    list_display = ["name", "institution", "level", "state"]
    list_filter = ["state", "level"]
    inlines = [MemberInline]
