"""Django admin for site admins: graduates (export with django-import-export; import through the one
pipeline of ``evaluation.importing``), standards, verdicts, runs, imports — all read-only here. A graduate's record
comes from the school's transcript import (checked, audited) and is corrected there; a verdict from the rule
engine; a standard's version from the portal's page, checked against the baseline. An edit by hand would bypass
the checks and the log that make a verdict trustworthy."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from import_export.admin import ImportExportModelAdmin

from portal import identifiers
from portal.adminkit import ReadOnlyAdmin, ReadOnlyMixin, ReadOnlyTabularInline

from .forms import ImportForm
from .importing.read import TableError
from .models import (
    Achievement,
    ActivationCode,
    EvaluationRun,
    Graduate,
    ImportBatch,
    SchoolStandard,
    StandardVersion,
    StoredVerdict,
)
from .resources import GraduateResource
from .services import imports


class AchievementInline(ReadOnlyTabularInline):
    model = Achievement


@admin.register(Graduate)
class GraduateAdmin(ReadOnlyMixin, ImportExportModelAdmin):
    resource_classes = [GraduateResource]
    list_display = ["student_number", "name", "institution", "graduation_year", "degree_level", "major",
                    "masked_id"]
    list_filter = ["institution", "graduation_year", "degree_level", "pilot_major"]
    search_fields = ["student_number", "name"]
    raw_id_fields = ["user"]
    inlines = [AchievementInline]

    @admin.display(description="公民身份号码")
    def masked_id(self, obj):
        return identifiers.mask_ric(obj.id_number)

    def import_action(self, request, **kwargs):
        """The admin's “导入” runs the same pipeline as the registrar's page (read → check → write, every
        size): upload here, then preview and confirm on the portal's import page."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None, admin=True)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                batch = imports.upload_transcript(actor=request.user, upload=data["file"],
                                                  default_institution=data.get("default_institution"),
                                                  graduation_year=data["graduation_year"], kind=data["kind"])
            except TableError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("evaluation:import_detail", pk=batch.pk)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": "导入毕业生记录"}
        return TemplateResponse(request, "admin/evaluation/graduate/import.html", context,
                                status=400 if form.errors else 200)

    # A stored ID number is shown masked here too (DOMAIN §8); the portal's page shows it in full on demand, with
    # an audit record.
    exclude = ["id_number"]
    readonly_fields = ["masked_id"]


class VersionInline(ReadOnlyTabularInline):
    model = StandardVersion  # published through the portal, which checks them against the baseline


@admin.register(SchoolStandard)
class SchoolStandardAdmin(ReadOnlyAdmin):
    list_display = ["institution", "created_at"]
    inlines = [VersionInline]


@admin.register(StoredVerdict)
class StoredVerdictAdmin(ReadOnlyAdmin):
    list_display = ["graduate", "level", "path", "may_apply", "standard_version", "evaluated_at"]
    list_filter = ["level", "may_apply"]
    raw_id_fields = ["graduate", "run"]


@admin.register(EvaluationRun)
class EvaluationRunAdmin(ReadOnlyAdmin):
    list_display = ["institution", "graduation_year", "major", "status", "done", "total", "created_at"]
    list_filter = ["status"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "uploaded_by", "institution", "path", "status", "rows", "new", "updated",
                    "unchanged", "error_count", "created_at"]
    list_filter = ["status", "path"]
    exclude = ["file", "checked_rows"]  # private files (the upload, the checked rows): no public URL to show


@admin.register(ActivationCode)
class ActivationCodeAdmin(ReadOnlyAdmin):
    list_display = ["graduate", "created_at", "expires_at", "used_at"]
    exclude = ["code_hash"]
    raw_id_fields = ["graduate"]
