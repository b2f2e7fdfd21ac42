"""HTTP only, for importing and exporting graduates' records: parse, ask access/selectors/services, render.

The import is one pipeline (``evaluation.importing``) behind three doors: these pages, the Django admin
(``admin.GraduateAdmin`` sends its import here) and ``manage.py import_transcript``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluation import selectors
from evaluation.forms import ExportForm, ImportForm
from evaluation.importing import template
from evaluation.importing.columns import COLUMNS, SOURCE_COLUMNS
from evaluation.importing.read import TableError, max_upload_bytes
from evaluation.models import ImportBatch
from evaluation.resources import GraduateResource
from evaluation.services import imports
from portal import access, audit, exports
from portal.models import Role


@login_required
def import_start(request):
    access.require(request.user, "evaluation.manage_graduates", None)
    admin = access.is_site_admin(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, admin=admin)
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
    recent = selectors.imports_visible_to(request.user)[:10]
    return render(request, "evaluation/import_start.html", {
        "form": form, "recent": recent, "columns": COLUMNS, "source_columns": SOURCE_COLUMNS,
        "max_mb": max_upload_bytes() // (1024 * 1024),
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def import_template(request):
    access.require(request.user, "evaluation.manage_graduates", None)
    if request.GET.get("format") == "csv":
        response = HttpResponse(template.csv_bytes(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="transcript-template.csv"'
        return response
    response = HttpResponse(template.xlsx_bytes(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="transcript-template.xlsx"'
    return response


def _batch_or_404(user, pk):
    return get_object_or_404(selectors.imports_visible_to(user), pk=pk)


@login_required
def import_detail(request, pk):
    access.require(request.user, "evaluation.manage_graduates", None)
    batch = _batch_or_404(request.user, pk)
    return render(request, "evaluation/import_detail.html", {"batch": batch, "progress": imports.progress_of(batch),
                                                             "stalled": imports.stalled(batch)})


@login_required
@require_GET
def import_progress(request, pk):
    access.require(request.user, "evaluation.manage_graduates", None)
    batch = _batch_or_404(request.user, pk)
    return JsonResponse(imports.progress_of(batch))


@login_required
@require_POST
def import_confirm(request, pk):
    """Hands the import to Celery and returns to the batch's page, which polls until it is done."""
    access.require(request.user, "evaluation.manage_graduates", None)
    batch = _batch_or_404(request.user, pk)
    try:
        batch, sent = imports.request_confirm(batch=batch, actor=request.user,
                                              accept_changes=request.POST.get("accept_changes") == "on")
    except ValidationError as exc:
        messages.error(request, _("导入未执行，数据库未作任何修改：%(e)s") % {"e": "；".join(exc.messages)})
        return redirect("evaluation:import_detail", pk=batch.pk)
    if batch.status == ImportBatch.Status.IMPORTED:  # already done (a worker in this process, or a quick one)
        messages.success(request, _("导入完成：新增%(new)d条，更新%(updated)d条，学号变更%(rekeyed)d条，未变化%(unchanged)d条。")
                         % {"new": batch.new, "updated": batch.updated, "rekeyed": batch.rekeyed,
                            "unchanged": batch.unchanged})
    elif not sent:
        messages.warning(request, _("后台任务服务暂时不可用：导入已排队，系统将自动重试，请勿重复提交。可以离开本页，"
                                    "稍后在“最近上传”中查看结果。"))
    elif batch.status == ImportBatch.Status.IMPORTING:
        messages.info(request, _("已开始导入，完成后本页自动刷新。"))
    return redirect("evaluation:import_detail", pk=batch.pk)


@login_required
@require_POST
def import_discard(request, pk):
    access.require(request.user, "evaluation.manage_graduates", None)
    batch = _batch_or_404(request.user, pk)
    imports.discard_import(batch=batch, actor=request.user)
    messages.info(request, _("已放弃该文件。"))
    return redirect("evaluation:import_start")


@login_required
@require_GET
def export(request):
    access.require(request.user, "evaluation.manage_graduates", None)
    ids = selectors.managed_institution_ids(request.user)
    form = ExportForm(request.GET or None, years=selectors.cohort_years(ids))
    if not form.is_valid():
        return HttpResponse(_("导出参数无效。"), status=400)
    data = form.cleaned_data
    qs = selectors.graduates_managed_by(request.user, year=data["year"]).select_related(None).select_related(
        "institution")
    if data["full_ids"]:
        audit.record(actor=request.user, action="evaluation.export_full_ids",
                     role=Role.SITE_ADMIN if ids is None else Role.UNIVERSITY_STAFF,
                     changes={"year": data["year"], "rows": qs.count(), "format": data["format"]})
    dataset = GraduateResource(full_ids=data["full_ids"]).export(qs)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    # The resource's rows went through exports.safe_row (GraduateResource.export); one writer for both formats.
    rows = [list(dataset.headers), *[list(r) for r in dataset]]
    if data["format"] == "csv":
        return exports.download(exports.csv_bytes(rows), f"graduates-{stamp}.csv", exports.CSV_TYPE)
    wb, ws = exports.workbook(_("毕业生"))
    for row in rows:
        ws.append(row)
    return exports.download(exports.xlsx_bytes(wb), f"graduates-{stamp}.xlsx", exports.XLSX_TYPE)
