from django.contrib import admin

from portal.adminkit import ReadOnlyAdmin

from .models import AssessmentResult, Certificate, IssuanceBatch, SerialCounter


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
