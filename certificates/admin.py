from django.contrib import admin

from .models import AssessmentResult, Certificate, IssuanceBatch, SerialCounter


class ReadOnlyAdmin(admin.ModelAdmin):
    """Issued data is changed only through the services (issue, revoke, correct), never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "issuer", "level_label", "field_label", "issue_date", "status"]
    list_filter = ["kind", "status", "issue_date"]
    search_fields = ["number", "verification_id"]
    exclude = ["holder_id_number", "holder_name", "data"]  # personal data: see the certificate pages


@admin.register(AssessmentResult)
class AssessmentResultAdmin(ReadOnlyAdmin):
    list_display = ["institution", "occupation", "level", "exam_date"]
    list_filter = ["level", "exam_date"]
    exclude = ["id_number", "name"]


admin.site.register(IssuanceBatch, ReadOnlyAdmin)
admin.site.register(SerialCounter, ReadOnlyAdmin)
