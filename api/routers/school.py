"""A school's endpoints (institution token): transcripts through THE import pipeline, its graduates'
verdicts, its certificates — the same services and selectors as the pages, for the token's maker narrowed
to the token's school (``api.tokens.principal``): another institution's object is a 404, as on the pages."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from certificates import selectors as certificate_selectors
from evaluation import selectors
from evaluation.forms import ImportForm
from evaluation.importing.read import TableError
from evaluation.services import imports
from portal import access, identifiers

from ..auth import school_read, school_write
from ..forms import errors_text
from ..keyset import DEFAULT_LIMIT, page
from ..schemas import ERRORS, CertificatePage, ConfirmIn, GraduatePage, ImportOut, VerdictOut

router = Router(tags=["院校"])


def _import_out(batch, queued=False):
    out = {f: getattr(batch, f) for f in (
        "id", "status", "kind", "original_name", "graduation_year", "rows", "new", "updated", "unchanged",
        "rekeyed", "error_count", "errors", "warning_count", "warnings", "columns_used", "columns_ignored",
        "created_at", "imported_at", "confirm_error")}
    out["queued"] = queued
    out["status_label"] = str(batch.get_status_display())
    out["progress"] = imports.progress_of(batch)
    return out


def _batch_or_404(caller, batch_id):
    access.require(caller.user, "evaluation.manage_graduates", caller.institution)
    return get_object_or_404(selectors.imports_visible_to(caller.user).filter(institution=caller.institution),
                             pk=batch_id)


def _messages(exc):
    return "；".join(exc.messages)


@router.post("/imports", auth=school_write, response={201: ImportOut, **ERRORS}, summary="上传成绩单并预检")
def upload_transcript(request, file: File[UploadedFile], graduation_year: Form[int | None] = None,
                      kind: Form[str] = "full"):
    """与“导入成绩单”页面相同：上传后先试导入（不写入），列出全部错误和提示；大文件在后台检查，
    请轮询 GET /school/imports/{id} 直至 progress.finished 为 true，再确认导入。需要读写令牌。"""
    caller = request.auth
    access.require(caller.user, "evaluation.manage_graduates", caller.institution)
    form = ImportForm({"kind": kind, "graduation_year": graduation_year or ""}, {"file": file})
    if not form.is_valid():
        raise HttpError(400, errors_text(form))
    data = form.cleaned_data
    try:
        batch = imports.upload_transcript(actor=caller.user, upload=data["file"],
                                          default_institution=caller.institution,
                                          graduation_year=data["graduation_year"], kind=data["kind"])
    except TableError as exc:
        raise HttpError(400, str(exc)) from None
    return Status(201, _import_out(batch))


@router.get("/imports/{batch_id}", auth=school_read, response={200: ImportOut, **ERRORS},
            summary="查询成绩单预检与导入结果")
def import_status(request, batch_id: int):
    return _import_out(_batch_or_404(request.auth, batch_id))


@router.post("/imports/{batch_id}/confirm", auth=school_write, response={202: ImportOut, **ERRORS},
             summary="确认导入（后台执行，全部成功或全部不导入）")
def import_confirm(request, batch_id: int, body: ConfirmIn):
    """与页面“确认导入”相同：批次转为“导入中”并交后台任务执行；请轮询 GET /school/imports/{id}，
    status 为 imported 即导入完成；若退回 previewed，confirm_error 说明未导入的原因（数据库未作任何修改）。
    queued 为 true 表示后台任务服务暂时不可用，导入已排队，系统将自动重试，请勿重复提交。"""
    caller = request.auth
    batch = _batch_or_404(caller, batch_id)
    try:
        batch, sent = imports.request_confirm(batch=batch, actor=caller.user, accept_changes=body.accept_changes)
    except ValidationError as exc:
        raise HttpError(400, _("导入未执行，数据库未作任何修改：%(e)s") % {"e": _messages(exc)}) from None
    return Status(202, _import_out(batch, queued=not sent))


@router.post("/imports/{batch_id}/discard", auth=school_write, response={200: ImportOut, **ERRORS},
             summary="放弃已上传的文件")
def import_discard(request, batch_id: int):
    caller = request.auth
    batch = _batch_or_404(caller, batch_id)
    return _import_out(imports.discard_import(batch=batch, actor=caller.user))


def _graduate_out(g):
    verdict = getattr(g, "verdict", None)
    return {"id": g.pk, "student_number": g.student_number, "name": g.name,
            "masked_id": identifiers.mask_ric(g.id_number), "major": g.major, "graduation_year": g.graduation_year,
            "level": verdict.level if verdict else None,
            "level_label": str(verdict.get_level_display()) if verdict else None,
            "may_apply": verdict.may_apply if verdict else None}


def _graduates(caller, year=None):
    access.require(caller.user, "evaluation.manage_graduates", caller.institution)
    return selectors.graduates_managed_by(caller.user, year=year)


@router.get("/graduates", auth=school_read, response={200: GraduatePage, **ERRORS}, summary="本校毕业生及其资格评价结论")
def graduates(request, year: int | None = None, after: int = 0, limit: int = DEFAULT_LIMIT):
    """按 id 分页：将响应中的 next_after 作为下一页的 after 参数；身份证号已遮盖。"""
    rows, next_after = page(_graduates(request.auth, year), after=after, limit=limit)
    return {"items": [_graduate_out(g) for g in rows], "next_after": next_after}


@router.get("/graduates/{graduate_id}/verdict", auth=school_read, response={200: VerdictOut, **ERRORS},
            summary="一名毕业生的资格评价结论（含依据条款）")
def verdict(request, graduate_id: int):
    graduate = get_object_or_404(_graduates(request.auth).select_related("verdict__standard_version"),
                                 pk=graduate_id)
    stored = getattr(graduate, "verdict", None)
    if stored is None:
        raise HttpError(404, _("该毕业生尚未进行资格评价。"))
    return {"graduate": _graduate_out(graduate), "level": stored.level,
            "level_label": str(stored.get_level_display()), "path": stored.path, "may_apply": stored.may_apply,
            "evaluated_at": stored.evaluated_at,
            "standard_version": stored.standard_version.number if stored.standard_version else None,
            "result": stored.result}


def certificate_out(c):
    return {"id": c.pk, "number": c.number, "kind": c.kind, "kind_label": str(c.get_kind_display()),
            "status": c.status, "status_label": str(c.get_status_display()), "holder_name": c.holder_name,
            "masked_id": c.masked_id, "level": c.level_label, "field": c.field_label, "issuer_code": c.issuer_code,
            "issue_date": c.issue_date, "revocation_reason": c.revocation_reason, "pdf_sha256": c.pdf_sha256}


@router.get("/certificates", auth=school_read, response={200: CertificatePage, **ERRORS}, summary="本校颁发的证书")
def certificates(request, after: int = 0, limit: int = DEFAULT_LIMIT):
    caller = request.auth
    access.require(caller.user, "certificates.list")
    qs = certificate_selectors.certificates_visible_to(caller.user).filter(issuer=caller.institution)
    rows, next_after = page(qs, after=after, limit=limit)
    return {"items": [certificate_out(c) for c in rows], "next_after": next_after}
