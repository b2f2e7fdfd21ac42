"""Step 3 of the import: writing checked records — one path for every size, from 1 row to 1,000,000.

Every row has gone through ``check.Checker``. Then, inside the caller's transaction:

* a row whose (institution, 学号) is stored, or whose person (institution, 毕业年份, 身份证号) is stored, is
  compared with what is stored — over the columns the file has only (``Checker.present``): a column the
  file lacks is left as stored, so a 学信网 file re-imported never wipes the degree a supplement added;
* on PostgreSQL, other rows are new: they are streamed with ``COPY FROM STDIN`` (psycopg 3) straight into
  the table *while the check runs* (the database indexes them on its own core as Python checks the next
  rows); should any row fail, the caller's transaction rolls everything back — all or nothing;
* stored rows that differ are copied into a temporary table and applied with one ``UPDATE … FROM``, so
  an unchanged row is never touched and importing the same file twice changes nothing the second time;
* a person already stored under another 学号 (same school and cohort) is not a new person: the row is a
  *学号 change*, listed in the preview for the registrar to confirm, and applied to the stored record;
* a supplement never adds a person: each row must match a stored record (by 学号 or 身份证号).

Elsewhere (SQLite) the same classification is done in Python and written with the ORM.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from hashlib import md5

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import DegreeLevel, Graduate
from .check import CheckResult, Problem
from .columns import FIELDS

TABLE = Graduate._meta.db_table
_INDEX = {f: i for i, f in enumerate(FIELDS)}
_COLUMNS = ", ".join(FIELDS)
_BOOLS = frozenset(f for f in FIELDS if Graduate._meta.get_field(f).get_internal_type() == "BooleanField")
_INTS = frozenset(("institution_id", "graduation_year", "ncre_level"))
_SEPARATOR = "\x1f"
MAX_CHANGES_KEPT = 1000


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rekeyed: int = 0
    changes: list = field(default_factory=list)  # [[line, stored 学号, new 学号, name]] (first 1,000)

    def as_dict(self):
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "rekeyed": self.rekeyed}


class CheckFailed(Exception):
    """Raised inside the transaction when the file has errors, so that nothing streamed stays."""

    def __init__(self, result):
        self.result = result
        super().__init__(f"{result.error_count} errors")


class StoredIndex:
    """What is stored for some institutions: {(inst, 学号): (年份, 身份证号, 层次)} and the people in it."""

    def __init__(self, institution_ids):
        self.keys = {}
        self.people = {}
        self.ids = {}
        rows = (Graduate.objects.filter(institution_id__in=list(institution_ids))
                .values_list("institution_id", "student_number", "graduation_year", "id_number", "degree_level")
                .iterator(chunk_size=50_000))
        for inst, number, year, id_number, degree in rows:
            self.keys[(inst, number)] = degree
            self.people[(inst, year, id_number)] = number
            self.ids.setdefault((inst, id_number), []).append(number)

    def is_new(self, record):
        return (record[0], record[1]) not in self.keys and (record[0], record[5], record[4]) not in self.people


def run(checker, rows, first_row, *, institution_ids=None, write=True, progress=None) -> tuple[CheckResult, Counts]:
    """Checks ``rows`` and, with ``write``, imports them; call inside ``transaction.atomic()``.

    ``institution_ids``: when the importer can only write to these (staff, the command), new rows are
    streamed during the check; otherwise (site admins) records are collected first. Raises
    ``CheckFailed`` when a row has an error — after a write has started, the caller must roll back.
    """
    # A bulk load allocates ~10^6 objects that all stay alive until the end: the cyclic collector's
    # passes over them are pure cost here (~12 %), so it waits until the load is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(checker, rows, first_row, institution_ids=institution_ids, write=write, progress=progress)
    finally:
        if collecting:
            gc.enable()


def _run(checker, rows, first_row, *, institution_ids, write, progress):
    postgres = connection.vendor == "postgresql"
    now = timezone.now()
    supplement = checker.supplement
    pending = []  # (record, line) matching something stored
    if institution_ids is not None and not supplement and (postgres or not write):
        # The importer's institutions are known: what is stored is loaded first, and each checked row is
        # classified as it comes — new rows streamed to COPY (or only counted in a preview), never kept.
        index = StoredIndex(institution_ids)
        is_new = index.is_new
        append = pending.append
        with connection.cursor() as cursor:
            if write:
                stamp = (now, now)
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # foreign keys checked during the COPY
                with cursor.cursor.copy(f"COPY {TABLE} ({_COLUMNS}, created_at, updated_at) FROM STDIN") as copy:
                    write_row = copy.write_row

                    def sink(record, line):
                        if is_new(record):
                            write_row(record + stamp)
                        else:
                            append((record, line))

                    result = checker.check(rows, first_row, sink=sink, progress=progress)
                    if not result.ok:
                        raise CheckFailed(result)
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                def sink(record, line):
                    if not is_new(record):
                        append((record, line))

                def sink_many(records, lines):
                    if index.keys or index.people:  # else every row is new, and a preview only counts them
                        for record, line in zip(records, lines, strict=True):
                            sink(record, line)

                result = checker.check(rows, first_row, sink=sink, sink_many=sink_many, progress=progress)
                if not result.ok:
                    raise CheckFailed(result)
        new_count = result.total - len(pending)
    else:
        result = checker.check(rows, first_row, progress=progress)
        if not result.ok:
            raise CheckFailed(result)
        index = StoredIndex({r[0] for r in result.records})
        new = []
        for record, line in zip(result.records, result.rows, strict=True):
            if supplement or not index.is_new(record):
                pending.append((record, line))
            else:
                new.append(record)
        new_count = len(new)
        if write and new:
            _insert(new, now) if postgres else _create_generic(new, now)
    counts = Counts(new=new_count)
    updates = _classify(pending, index, checker, result, counts)
    if not result.ok:
        raise CheckFailed(result)
    changed = _changed(updates, checker.present, postgres)
    counts.updated = sum(1 for target, record in changed if target == record[1] or supplement)
    counts.unchanged = len(pending) - len(changed)
    if write and changed:
        _update_postgres(changed, checker.present, now) if postgres else _update_generic(changed, checker.present, now)
    return result, counts


def _classify(pending, index, checker, result, counts):
    """[(stored 学号, record)] for every pending row; 学号 changes counted, supplement mismatches as errors."""
    updates = []
    label = checker.label
    for record, line in pending:
        inst, number = record[0], record[1]
        if checker.supplement:
            if checker.join == "student_number":
                target = number if (inst, number) in index.keys else None
                missing = _("未找到学号为%(n)s的毕业生记录（补充信息只能补充已导入的记录）") % {"n": number}
            else:
                found = index.ids.get((inst, record[4]), [])
                target = found[0] if len(found) == 1 else None
                missing = (_("该身份证号在本校有%(n)d条记录，请加“学号”列按学号匹配") % {"n": len(found)} if found else
                           _("未找到该身份证号的毕业生记录（补充信息只能补充已导入的记录）"))
            if target is None:
                _fail(result, line, label[checker.join], missing)
                continue
            if ("has_degree" in checker.present and "degree_level" not in checker.present and record[11]
                    and index.keys[(inst, target)] == DegreeLevel.JUNIOR_COLLEGE):
                _fail(result, line, label["has_degree"], _("该毕业生为专科，专科不授予学位，“是否取得学位证”应为“否”"))
                continue
            updates.append((target, record))
        elif (inst, number) in index.keys:
            updates.append((number, record))
        else:
            stored = index.people[(inst, record[5], record[4])]
            counts.rekeyed += 1
            if len(counts.changes) < MAX_CHANGES_KEPT:
                counts.changes.append([line, stored, number, record[2]])
            updates.append((stored, record))
    return updates


def _fail(result, line, column, message):
    result.error_count += 1
    if len(result.errors) < 1000:
        result.errors.append(Problem(line, column, message))


# --- comparing with what is stored ----------------------------------------------------------------------


def _fields(present):
    return [f for f in FIELDS if f in present]


def _digest(record, fields) -> str:
    """MD5 of the record's ``fields`` rendered as ``_digest_sql`` renders the stored row."""
    parts = []
    for f in fields:
        value = record[_INDEX[f]]
        if value is None:  # a NULL, of any type (a blank general condition may be unknown: 附件2 一(六))
            value = "\\N"
        elif f in _BOOLS:
            value = "true" if value else "false"
        else:
            value = str(value)
        parts.append(value)
    return md5(_SEPARATOR.join(parts).encode(), usedforsecurity=False).hexdigest()


def _sql_part(name):
    if name in _BOOLS:
        return f"CASE WHEN {name} IS NULL THEN '\\N' WHEN {name} THEN 'true' ELSE 'false' END"
    if name in _INTS or name == "practice_months":
        return f"{name}::text"
    if name == "major_rank_percent":
        return f"coalesce({name}::text, '\\N')"
    if name == "duty_start_date":
        return f"coalesce(to_char({name}, 'YYYY-MM-DD'), '\\N')"
    return name


def _changed(updates, present, postgres):
    """The updates whose record differs from the stored row (a 学号 change always does)."""
    if not updates:
        return []
    fields = _fields(present)
    if postgres:
        institutions = sorted({r[0] for _t, r in updates})
        targets = [t for t, _r in updates]
        digest_sql = "md5(concat_ws(chr(31), " + ", ".join(_sql_part(f) for f in fields) + "))"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT institution_id, student_number, {digest_sql} FROM {TABLE} "
                           "WHERE institution_id = ANY(%s) AND student_number = ANY(%s)", [institutions, targets])
            stored = {(i, n): digest for i, n, digest in cursor.fetchall()}
        get = stored.get
        return [(t, r) for t, r in updates if get((r[0], t)) != _digest(r, fields)]
    stored = _canonical_stored(updates, fields)
    picks = [_INDEX[f] for f in fields]
    return [(t, r) for t, r in updates if stored.get((r[0], t)) != tuple(r[i] for i in picks)]


def _canonical_stored(updates, fields) -> dict:
    """{(inst, 学号): the stored row's ``fields`` in canonical form} (SQLite and others)."""
    out = {}
    institutions = sorted({r[0] for _t, r in updates})
    targets = [t for t, _r in updates]
    for start in range(0, len(targets), 5000):
        rows = (Graduate.objects.filter(institution_id__in=institutions, student_number__in=targets[start:start + 5000])
                .values_list("institution_id", "student_number", *fields))
        for row in rows:
            values = list(row[2:])
            for i, f in enumerate(fields):
                if f == "practice_months":
                    values[i] = f"{values[i]:.1f}"
                elif f == "major_rank_percent":
                    values[i] = None if values[i] is None else f"{values[i]:.2f}"
                elif f == "duty_start_date":
                    values[i] = None if values[i] is None else values[i].isoformat()
            out[(row[0], row[1])] = tuple(values)
    return out


# --- writing --------------------------------------------------------------------------------------------


def _insert(records, now):
    with connection.cursor() as cursor, \
            cursor.cursor.copy(f"COPY {TABLE} ({_COLUMNS}, created_at, updated_at) FROM STDIN") as copy:
        write_row = copy.write_row
        for record in records:
            write_row(record + (now, now))


def _update_postgres(changed, present, now):
    fields = _fields(present)
    picks = [_INDEX[f] for f in fields]
    columns = ", ".join(fields)
    sets = ", ".join(f"{f} = t.{f}" for f in fields if f != "institution_id")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE tmp_graduate_import ON COMMIT DROP AS SELECT student_number AS target, "
                       f"{columns} FROM {TABLE} WITH NO DATA")
        with cursor.cursor.copy(f"COPY tmp_graduate_import (target, {columns}) FROM STDIN") as copy:
            write_row = copy.write_row
            for target, record in changed:
                write_row((target, *(record[i] for i in picks)))
        cursor.execute(f"UPDATE {TABLE} g SET {sets}, updated_at = %s FROM tmp_graduate_import t "
                       "WHERE g.institution_id = t.institution_id AND g.student_number = t.target", [now])
        cursor.execute("DROP TABLE tmp_graduate_import")


def _update_generic(changed, present, now):
    fields = [f for f in _fields(present) if f != "institution_id"]
    for target, record in changed:
        Graduate.objects.filter(institution_id=record[0], student_number=target).update(
            updated_at=now, **{f: record[_INDEX[f]] for f in fields})


def _create_generic(records, now):
    Graduate.objects.bulk_create([Graduate(created_at=now, updated_at=now, **dict(zip(FIELDS, r, strict=True)))
                                  for r in records], batch_size=500)


