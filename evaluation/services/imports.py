"""Transcript import: upload → preview (dry run, every error as row/column/Chinese message, counts of
new/updated/unchanged) → confirm (all or nothing).

Two paths behind the same preview/confirm: django-import-export (``resources.GraduateResource``)
for ordinary files, and ``fastimport`` (COPY + upsert) from ``EVALUATION_FAST_IMPORT_MIN_ROWS``
rows on. Both run every check of ``transcripts.Checker`` over the whole file first.
University staff import for their own institution only; site admins for any.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import PurePath

import tablib
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import fastimport
from evaluation.models import ImportBatch
from evaluation.resources import GraduateResource
from evaluation.transcripts import (
    COLUMNS,
    MB,
    Checker,
    CheckResult,
    TableError,
    max_upload_bytes,
    read_table,
    record_cells,
)
from portal import access, audit
from portal.models import Institution, Role

DEFAULT_FAST_MIN_ROWS = 2000


def fast_min_rows():
    return int(getattr(settings, "EVALUATION_FAST_IMPORT_MIN_ROWS", DEFAULT_FAST_MIN_ROWS))


@dataclass
class Scope:
    institutions: dict  # {id: (name, uscc)} the importer may write to
    default_institution: int | None
    restricted: bool

    def checker_args(self):
        return {"institutions": self.institutions, "default_institution": self.default_institution,
                "restricted": self.restricted}


def scope_for(actor, default_institution=None):
    """Staff: their own institution only. Site admins: any; rows without 院校名称 use ``default_institution``."""
    if access.is_site_admin(actor):
        institutions = {pk: (name, uscc) for pk, name, uscc in Institution.objects.values_list("pk", "name", "uscc")}
        return Scope(institutions, default_institution.pk if default_institution else None, False)
    ids = access.institution_ids(actor)
    if not ids:
        raise PermissionDenied("evaluation.manage_graduates")
    if default_institution is not None and default_institution.pk in ids:
        own = default_institution.pk
    else:
        own = min(ids)
    institutions = {pk: (name, uscc) for pk, name, uscc in
                    Institution.objects.filter(pk=own).values_list("pk", "name", "uscc")}
    return Scope(institutions, own, True)


def _dataset(records, scope):
    """The checked records as import-export's dataset (canonical headers and values)."""
    data = tablib.Dataset(headers=[c.header for c in COLUMNS])
    for record in records:
        data.append(record_cells(record, scope.institutions))
    return data


def _resource(scope):
    return GraduateResource(**scope.checker_args())


def analyse(table, scope) -> tuple[CheckResult, str, dict]:
    """Checks every row; when there is no error, counts new/updated/unchanged with a dry run."""
    checker = Checker(table.headers, **scope.checker_args())
    with transaction.atomic():
        try:
            result, counts = fastimport.run(checker, table.rows, table.first_row, write=False)
        except fastimport.CheckFailed as failed:
            result, counts = failed.result, fastimport.Counts()
        transaction.set_rollback(True)
    path = ImportBatch.Path.FAST if result.total >= fast_min_rows() else ImportBatch.Path.STANDARD
    if result.ok and path == ImportBatch.Path.STANDARD:
        # The import-export dry run is what the standard path will do; its counts must agree.
        outcome = _resource(scope).import_data(_dataset(result.records, scope), dry_run=True, use_transactions=True,
                                               rollback_on_validation_errors=True)
        _raise_on_resource_errors(outcome)
        t = outcome.totals
        counts = fastimport.Counts(t["new"], t["update"], t["skip"])
    return result, path, counts.as_dict()


def _raise_on_resource_errors(outcome):
    if outcome.has_errors() or outcome.has_validation_errors():
        messages = [str(e.error) for e in outcome.base_errors]
        for row in outcome.invalid_rows[:20]:
            for column, errors in row.error_dict.items():
                messages += [f"第{row.number}个数据行 {column}：{m}" for m in errors]
        for number, errors in outcome.row_errors()[:20]:
            messages += [f"第{number}个数据行：{e.error}" for e in errors]
        raise ValidationError(messages or [_("导入失败。")])


def upload_transcript(*, actor, upload, default_institution=None):
    """Stores the upload as a batch and previews it. Raises TableError for an unreadable file
    (too big — checked before parsing —, wrong type, unknown encoding, no header row)."""
    access.require(actor, "evaluation.manage_graduates", None)
    scope = scope_for(actor, default_institution)
    if upload.size > max_upload_bytes():
        raise TableError(_("文件大小为%(size).1fMB，超过上限%(max)dMB，未予解析。请按毕业年份或专业拆分后分批导入。")
                         % {"size": upload.size / MB, "max": max_upload_bytes() // MB})
    table = read_table(upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    result, path, counts = analyse(table, scope)
    batch = ImportBatch(uploaded_by=actor, original_name=PurePath(upload.name).name[:200], size=upload.size,
                        sha256=digest.hexdigest(), path=path, rows=result.total,
                        institution_id=scope.default_institution,
                        errors=[p.as_list() for p in result.errors], error_count=result.error_count,
                        warnings=[p.as_list() for p in result.warnings[:200]], **counts)
    if result.ok:
        upload.seek(0)
        batch.file.save(f"{uuid.uuid4().hex}{PurePath(upload.name).suffix.lower()}", upload, save=False)
        batch.status = ImportBatch.Status.PREVIEWED
    else:
        batch.status = ImportBatch.Status.INVALID
    batch.save()
    return batch


def _lock(institution_ids):
    list(Institution.objects.select_for_update().filter(pk__in=institution_ids).order_by("pk").values_list("pk"))


def confirm_import(*, batch, actor):
    """Imports a previewed batch all or nothing; returns the batch with the final counts.

    The file is read and checked again inside the transaction (someone may have changed the
    records since the preview); any error leaves the database as it was.
    """
    if batch.uploaded_by_id != actor.pk and not access.is_site_admin(actor):
        raise PermissionDenied("evaluation.manage_graduates")
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError(_("该文件已导入或已放弃，不能再次确认。请重新上传。"))
    scope = scope_for(actor, batch.institution)
    try:
        with batch.file.open("rb") as handle:
            table = read_table(handle, name=batch.original_name)
    except (FileNotFoundError, ValueError):  # imported meanwhile (its file is removed), or no file at all
        raise ValidationError(_("该文件已导入或已放弃，不能再次确认。请重新上传。")) from None
    checker = Checker(table.headers, **scope.checker_args())
    with transaction.atomic():
        # A second click on "confirm" waits here, then finds the batch imported.
        if ImportBatch.objects.select_for_update().get(pk=batch.pk).status != ImportBatch.Status.PREVIEWED:
            raise ValidationError(_("该文件已导入或已放弃，不能再次确认。请重新上传。"))
        if scope.restricted:
            _lock(sorted(scope.institutions))
        if batch.path == ImportBatch.Path.FAST:
            try:
                result, fast_counts = fastimport.run(
                    checker, table.rows, table.first_row, write=True,
                    institution_ids=sorted(scope.institutions) if scope.restricted else None)
            except fastimport.CheckFailed as failed:
                raise ValidationError([f"第{p.row}行 {p.column}：{p.message}" for p in failed.result.errors[:20]]) \
                    from None
            counts = fast_counts.as_dict()
        else:
            result = checker.check(table.rows, table.first_row)
            if not result.ok:
                raise ValidationError([f"第{p.row}行 {p.column}：{p.message}" for p in result.errors[:20]])
            _lock(sorted({r[0] for r in result.records}))
            outcome = _resource(scope).import_data(_dataset(result.records, scope), dry_run=False,
                                                   use_transactions=True, rollback_on_validation_errors=True)
            _raise_on_resource_errors(outcome)
            t = outcome.totals
            counts = {"new": t["new"], "updated": t["update"], "unchanged": t["skip"]}
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.IMPORTED, imported_at=timezone.now(),
                                                       file="", **counts)
        audit.record(actor=actor, action="evaluation.import_transcript", obj=batch,
                     role=Role.SITE_ADMIN if not scope.restricted else Role.UNIVERSITY_STAFF,
                     changes={"file": batch.original_name, "sha256": batch.sha256, "path": batch.path,
                              "rows": result.total, **counts})
        name = batch.file.name
        storage = batch.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    batch.refresh_from_db()
    return batch


def discard_import(*, batch, actor):
    if batch.uploaded_by_id != actor.pk and not access.is_site_admin(actor):
        raise PermissionDenied("evaluation.manage_graduates")
    if batch.status == ImportBatch.Status.IMPORTED:
        return batch
    if batch.file:
        batch.file.delete(save=False)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.DISCARDED, file="")
    batch.refresh_from_db()
    return batch
