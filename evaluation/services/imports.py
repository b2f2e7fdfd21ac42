"""Transcript import: upload → preview (dry run: every error as row/column/Chinese message, grouped
warnings, columns used and ignored, counts of new/updated/unchanged and 学号 changes) → confirm (all or
nothing, in Celery: ``request_confirm`` → ``tasks.confirm_import`` → ``run_confirm``; the page polls).

One pipeline for every size and every door — the registrar's page, the Django admin and ``manage.py
import_transcript`` — ``evaluation.importing``: read → check → write (COPY + one UPDATE). A file from
``EVALUATION_IMPORT_BACKGROUND_MB`` on is previewed in Celery (``tasks.preview_import``) while the page
polls its progress; a smaller one in the request. The preview keeps its checked rows (``importing.checked``), and
the confirm replays them instead of reading and checking the file again — while an HMAC over the file, the
checker's inputs and the rules still matches. University staff import for their own institution
only; site admins for any (the command: for the one ``--institution`` it names).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.importing import checked, write
from evaluation.importing.check import Checker
from evaluation.importing.read import TableError, max_upload_bytes, read_table, size_error
from evaluation.models import ImportBatch
from evaluation.selectors import authorised_pilot_majors
from portal import access, audit, queue
from portal.models import Institution, Role

logger = logging.getLogger(__name__)
DEFAULT_BACKGROUND_MB = 2
ALREADY_DONE = "该文件已导入或已放弃，不能再次确认。请重新上传。"
FAILED = "导入未完成：系统出错，数据库未作任何修改。请稍后重新确认；如仍失败，请联系系统管理员。"


def background_bytes():
    return int(float(getattr(settings, "EVALUATION_IMPORT_BACKGROUND_MB", DEFAULT_BACKGROUND_MB)) * 1024 * 1024)


@dataclass
class Scope:
    institutions: dict  # {id: (name, uscc)} the importer may write to
    default_institution: int | None
    restricted: bool
    school_codes: dict = field(default_factory=dict)  # {id: 5-digit 院校代码}

    def checker(self, headers, *, year=None, supplement=False):
        return Checker(headers, institutions=self.institutions, default_institution=self.default_institution,
                       restricted=self.restricted, default_year=year, school_codes=self.school_codes,
                       supplement=supplement, pilot_majors=authorised_pilot_majors(self.institutions))

    def context(self, batch):
        """The checker's inputs for ``batch`` as JSON-able data (what the preview's checked rows depend on)."""
        return {"institutions": sorted([pk, *names] for pk, names in self.institutions.items()),
                "default_institution": self.default_institution, "restricted": self.restricted,
                "school_codes": sorted(self.school_codes.items()), "year": batch.graduation_year, "kind": batch.kind,
                "pilot_majors": sorted((pk, sorted(m)) for pk, m in authorised_pilot_majors(self.institutions).items())}


def _institutions(qs):
    rows = list(qs.values_list("pk", "name", "uscc", "school_code"))
    return {pk: (name, uscc) for pk, name, uscc, _c in rows}, {pk: code for pk, _n, _u, code in rows if code}


def scope_for(actor, default_institution=None, *, only=None):
    """Staff: their own institution only. Site admins: any; rows without 院校名称 use ``default_institution``;
    with ``only`` (the command's --institution), that one institution and no other."""
    if access.is_site_admin(actor):
        if only is not None:
            return _scope(Institution.objects.filter(pk=only.pk), only.pk, True)
        return _scope(Institution.objects.all(), default_institution.pk if default_institution else None, False)
    ids = access.institution_ids(actor)
    if not ids:
        raise PermissionDenied("evaluation.manage_graduates")
    if default_institution is not None and default_institution.pk in ids:
        own = default_institution.pk
    else:
        own = min(ids)
    return _scope(Institution.objects.filter(pk=own), own, True)


def _scope(qs, default, restricted):
    institutions, codes = _institutions(qs)
    return Scope(institutions, default, restricted, codes)


# --- progress (shown by the page while a big file is checked or imported) ---------------------------------


def progress_key(batch_pk):
    return f"evaluation:import-progress:{batch_pk}"


def reporter(batch_pk, total, on_progress=None):
    """A ``progress(rows done)`` callback that keeps {done, total} in the cache (cache faults are ignored)
    and passes (done, total) to ``on_progress`` (the command's progress bar)."""

    def report(done):
        try:
            cache.set(progress_key(batch_pk), {"done": done, "total": max(total, done)}, 3600)
        except Exception:  # a progress bar is not worth failing an import for (Redis may be down)
            pass
        if on_progress is not None:
            on_progress(done, max(total, done))

    report(0)
    return report


def progress_of(batch):
    try:
        found = cache.get(progress_key(batch.pk))
    except Exception:
        found = None
    found = found or {"done": 0, "total": 0}
    finished = batch.status not in (ImportBatch.Status.CHECKING, ImportBatch.Status.IMPORTING)
    total = found["total"] or batch.rows
    done = batch.rows if finished else found["done"]
    percent = 100 if finished else (min(99, int(done * 100 / total)) if total else 0)
    return {"status": batch.status, "status_label": str(batch.get_status_display()), "done": done, "total": total,
            "percent": percent, "finished": finished}


# --- upload and preview ---------------------------------------------------------------------------------


def upload_transcript(*, actor, upload, default_institution=None, graduation_year=None,
                      kind=ImportBatch.Kind.FULL, only=None, background=None, on_progress=None):
    """Stores the upload as a batch and previews it — in the request, or in Celery for a big file.

    In the request, an unreadable file (too big — checked before parsing —, wrong type, unknown
    encoding, no header row, a zip bomb) raises TableError and nothing is stored; in Celery the batch
    ends "有错误" with the same message.
    """
    access.require(actor, "evaluation.manage_graduates", None)
    scope = scope_for(actor, default_institution, only=only)
    if upload.size > max_upload_bytes():
        raise size_error(upload.size)
    if background is None:
        background = upload.size >= background_bytes()
    table = None if background else read_table(upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    batch = ImportBatch(uploaded_by=actor, original_name=PurePath(upload.name).name[:200], size=upload.size,
                        sha256=digest.hexdigest(), path=ImportBatch.Path.FAST, kind=kind,
                        graduation_year=graduation_year, institution_id=scope.default_institution,
                        status=ImportBatch.Status.CHECKING)
    upload.seek(0)
    batch.file.save(f"{uuid.uuid4().hex}{PurePath(upload.name).suffix.lower()}", upload, save=False)
    batch.save()
    if background:
        transaction.on_commit(lambda: _enqueue_preview(batch.pk))
        return batch
    return preview(batch, scope=scope, table=table, on_progress=on_progress)


def _enqueue_preview(batch_pk):
    """Hands the preview to the Celery worker; with the broker unreachable (``queue.send`` says so), previews
    here rather than leave the registrar watching a progress bar that never moves."""
    if not queue.send("evaluation.tasks.preview_import", batch_pk):
        logger.warning("Celery broker unreachable: previewing import batch %s in the request", batch_pk)
        preview(ImportBatch.objects.get(pk=batch_pk))


def preview(batch, *, scope=None, table=None, on_progress=None):
    """Checks a stored batch and counts what a confirm would do (a dry run); idempotent."""
    if batch.status != ImportBatch.Status.CHECKING:
        return batch
    scope = scope or scope_for(batch.uploaded_by, batch.institution)
    try:
        if table is None:
            with batch.file.open("rb") as handle:
                table = read_table(handle, name=batch.original_name)
        checker = scope.checker(table.headers, year=batch.graduation_year,
                                supplement=batch.kind == ImportBatch.Kind.SUPPLEMENT)
        recorder = checked.Recorder(checker)
        progress = reporter(batch.pk, table.estimated_rows, on_progress)
        with transaction.atomic():
            try:
                result, counts = write.run(recorder, table.rows, table.first_row, write=False, progress=progress,
                                           institution_ids=sorted(scope.institutions) if scope.restricted else None)
            except write.CheckFailed as failed:
                result, counts = failed.result, write.Counts()
            transaction.set_rollback(True)
    except TableError as exc:
        batch.file.delete(save=False)
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.INVALID, errors=[[0, "", str(exc)]],
                                                       error_count=1, file="")
        batch.refresh_from_db()
        return batch
    status = ImportBatch.Status.PREVIEWED if result.ok else ImportBatch.Status.INVALID
    if not result.ok:
        batch.file.delete(save=False)
    batch.rows, batch.examples_skipped = result.total, result.examples_skipped
    kept, digest = recorder.save(batch, result, scope.context(batch))
    ImportBatch.objects.filter(pk=batch.pk).update(
        checked_rows=kept, checked_digest=digest,
        status=status, rows=result.total, errors=[p.as_list() for p in result.errors],
        error_count=result.error_count, warnings=result.grouped_warnings(), warning_count=result.warning_count,
        examples_skipped=result.examples_skipped, columns_used=checker.used, columns_ignored=checker.ignored,
        changes=counts.changes, file=batch.file.name or "", **counts.as_dict())
    batch.refresh_from_db()
    return batch


def _lock(institution_ids):
    list(Institution.objects.select_for_update().filter(pk__in=institution_ids).order_by("pk").values_list("pk"))


def error_line(row, column, message):
    """One refused row as the page's table and the command show it: “第N行 列：消息”."""
    if not row:
        return message
    return _("第%(row)d行 %(column)s：%(message)s") % {"row": row, "column": column or "—", "message": message}


def error_lines(problems, limit=20):
    return [error_line(p.row, p.column, p.message) for p in problems[:limit]]


def _can_confirm(batch, actor):
    if batch.uploaded_by_id != actor.pk and not access.is_site_admin(actor):
        raise PermissionDenied("evaluation.manage_graduates")


def _rekey_error(n):
    return ValidationError(_("文件中有%(n)d人已以其他学号导入，请核对“学号变更”并勾选确认后再导入。") % {"n": n})


def request_confirm(*, batch, actor, accept_changes=False):
    """The registrar's "确认导入": marks the batch 导入中 and hands the import to Celery (``tasks.confirm_import``).

    Returns ``(batch, sent)``: ``sent`` is False when the broker was unreachable — the batch stays 导入中 and
    the sweeper (``tasks.sweep_stale_imports``) sends it when the broker is back; nothing is lost or done
    twice. Raises ValidationError (nothing changed) when the batch cannot be confirmed.
    """
    _can_confirm(batch, actor)
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError(_(ALREADY_DONE))
    if batch.rekeyed and not accept_changes:
        raise _rekey_error(batch.rekeyed)
    # One statement: of two clicks on "confirm", one moves the batch and the other finds it moved.
    moved = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEWED).update(
        status=ImportBatch.Status.IMPORTING, confirmed_by=actor, accept_changes=accept_changes,
        confirm_requested_at=timezone.now(), confirm_error="")
    if not moved:
        raise ValidationError(_(ALREADY_DONE))
    reporter(batch.pk, batch.rows)
    sent = queue.send("evaluation.tasks.confirm_import", batch.pk)
    batch.refresh_from_db()
    return batch, sent


def run_confirm(batch_id):
    """The Celery task's work: imports a batch marked 导入中; idempotent (a batch imported, or being imported by
    another worker, is left alone). A refusal puts the batch back to 待确认 with the reason for the page."""
    batch = (ImportBatch.objects.select_related("uploaded_by", "institution", "confirmed_by")
             .filter(pk=batch_id, status=ImportBatch.Status.IMPORTING).first())
    if batch is None:
        return None
    try:
        return confirm_import(batch=batch, actor=batch.confirmed_by, accept_changes=batch.accept_changes, queued=True)
    except (ValidationError, TableError, PermissionDenied) as exc:
        reason = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc) or _(ALREADY_DONE)
    except Exception:  # the database is unchanged (rolled back); the registrar may confirm again
        logger.exception("import batch %s failed in the worker", batch_id)
        reason = _(FAILED)
    ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.IMPORTING).update(
        status=ImportBatch.Status.PREVIEWED, confirm_error=reason)
    return ImportBatch.objects.get(pk=batch_id)


def _grace():
    return timedelta(seconds=getattr(settings, "WORK_SWEEP_GRACE_SECONDS", 120))


def stalled(batch, now=None):
    """True when no worker has taken a batch's background work for longer than the sweeper's grace period (the
    broker reachable but no worker running, or the message lost): 导入中 since the confirm, or 检查中 since the
    upload with no row checked yet. The page says so instead of showing a progress bar that does not move."""
    cutoff = (now or timezone.now()) - _grace()
    if batch.status == ImportBatch.Status.IMPORTING:
        return batch.confirm_requested_at is not None and batch.confirm_requested_at < cutoff
    return (batch.status == ImportBatch.Status.CHECKING and batch.created_at < cutoff
            and not progress_of(batch)["done"])


def stale_previews(cutoff):
    """Ids of batches uploaded before ``cutoff`` still waiting for their first row to be checked."""
    waiting = ImportBatch.objects.filter(status=ImportBatch.Status.CHECKING, created_at__lt=cutoff).order_by("created_at")
    return [batch.pk for batch in waiting if not progress_of(batch)["done"]]


def stale_confirms(cutoff):
    """Ids of batches marked 导入中 before ``cutoff`` (their message lost, or their worker gone)."""
    return list(ImportBatch.objects.filter(status=ImportBatch.Status.IMPORTING, confirm_requested_at__lt=cutoff)
                .order_by("confirm_requested_at").values_list("pk", flat=True))


def _rows_to_import(batch, scope):
    """(checker, rows, first row, estimated rows): the preview's checked rows when their HMAC still holds,
    else the file read again (to be checked again)."""
    supplement = batch.kind == ImportBatch.Kind.SUPPLEMENT
    headers = checked.load(batch, scope.context(batch))
    if headers is not None:
        checker = scope.checker(headers, year=batch.graduation_year, supplement=supplement)
        return checked.Replay(checker, batch), (), 2, batch.rows
    try:
        with batch.file.open("rb") as handle:
            table = read_table(handle, name=batch.original_name)
    except (FileNotFoundError, ValueError):  # imported meanwhile (its file is removed), or no file at all
        raise ValidationError(_(ALREADY_DONE)) from None
    checker = scope.checker(table.headers, year=batch.graduation_year, supplement=supplement)
    return checker, table.rows, table.first_row, table.estimated_rows


def confirm_import(*, batch, actor, accept_changes=False, scope=None, on_progress=None, queued=False):
    """Imports a previewed batch all or nothing; returns the batch with the final counts.

    The preview's checked rows are replayed (or, if anything they depend on changed, the file is read and
    checked again); either way they are compared with what is stored inside the transaction (someone may
    have changed the records since the preview); any error leaves the database as it was. 学号 changes (a
    person already stored under another 学号) are applied only with ``accept_changes``. ``queued``: called by
    the task for a batch marked 导入中 (``request_confirm``); otherwise (the command, tests) a 待确认 one.
    """
    _can_confirm(batch, actor)
    expected = ImportBatch.Status.IMPORTING if queued else ImportBatch.Status.PREVIEWED
    if batch.status != expected:
        raise ValidationError(_(ALREADY_DONE))
    scope = scope or scope_for(actor, batch.institution)
    checker, rows, first_row, estimated = _rows_to_import(batch, scope)
    progress = reporter(batch.pk, estimated, on_progress)
    with transaction.atomic():
        # A second confirm (a click, a resent message) finds the row locked or the batch imported.
        locked = ImportBatch.objects.select_for_update(skip_locked=True).filter(pk=batch.pk, status=expected).first()
        if locked is None:
            if queued:
                return batch
            raise ValidationError(_(ALREADY_DONE))
        if scope.restricted:
            _lock(sorted(scope.institutions))
        try:
            result, counts = write.run(checker, rows, first_row, write=True, progress=progress,
                                       institution_ids=sorted(scope.institutions) if scope.restricted else None)
        except write.CheckFailed as failed:
            raise ValidationError(error_lines(failed.result.errors)) from None
        if counts.rekeyed and not accept_changes:
            raise _rekey_error(counts.rekeyed)
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.IMPORTED, imported_at=timezone.now(),
                                                       file="", checked_rows="", checked_digest="", confirm_error="",
                                                       changes=counts.changes, **counts.as_dict())
        audit.record(actor=actor, action="evaluation.import_transcript", obj=batch,
                     role=Role.SITE_ADMIN if access.is_site_admin(actor) else Role.UNIVERSITY_STAFF,
                     changes={"file": batch.original_name, "sha256": batch.sha256, "kind": batch.kind,
                              "rows": result.total, **counts.as_dict()})
        files = [(f.storage, f.name) for f in (batch.file, batch.checked_rows) if f]
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    batch.refresh_from_db()
    return batch


def discard_import(*, batch, actor):
    _can_confirm(batch, actor)
    if batch.status in (ImportBatch.Status.IMPORTED, ImportBatch.Status.IMPORTING):
        return batch
    for kept in (batch.file, batch.checked_rows):
        if kept:
            kept.delete(save=False)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.DISCARDED, file="", checked_rows="",
                                                   checked_digest="")
    batch.refresh_from_db()
    return batch
