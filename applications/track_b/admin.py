"""Read-only admin views of Track B: changes go through the workflow (services), never through the admin."""

from django.contrib import admin

from portal.adminkit import ReadOnlyAdmin

from .models import Entrustment, ExemptionRequest, FilingApplication, FilingCodeCounter


@admin.register(FilingApplication)
class FilingApplicationAdmin(ReadOnlyAdmin):
    list_display = ["unit_name", "institution", "state", "authority_role", "authority_city", "filing_code",
                    "submitted_at", "filed_at"]
    list_filter = ["state", "authority_role", "authority_city"]
    search_fields = ["unit_name", "filing_code", "uscc"]
    exclude = ["hrss_opinion"]


@admin.register(FilingCodeCounter)
class FilingCodeCounterAdmin(ReadOnlyAdmin):
    list_display = ["province", "last_sequence"]


@admin.register(Entrustment)
class EntrustmentAdmin(ReadOnlyAdmin):
    list_display = ["institution", "state", "entrusted_kind", "reported_at", "acknowledged_at"]
    list_filter = ["state"]


@admin.register(ExemptionRequest)
class ExemptionRequestAdmin(ReadOnlyAdmin):
    list_display = ["institution", "occupation", "level", "state", "created_at"]
    list_filter = ["state"]
    exclude = ["id_number", "name"]  # personal data: shown (masked) in the portal, not here
