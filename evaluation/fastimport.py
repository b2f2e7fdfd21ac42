"""The fast import path for big transcripts: the same checks and preview, written in bulk.

Every row goes through ``transcripts.Checker`` (tight loop, memoised vocabularies, ``check_ric``
with its cached place lookup). Then, inside the caller's transaction:

* rows whose (institution, student number) is not stored yet are new: on PostgreSQL they are
  streamed with ``COPY FROM STDIN`` (psycopg 3) straight into the table *while the check runs* —
  the database indexes them on its own core as Python checks the next rows. Should any row fail,
  the caller's transaction rolls everything back: all or nothing;
* rows already stored are compared with what is stored (one query returns a digest of each stored
  row, computed the same way as for the file's record); only those that differ are copied into a temporary table and merged with one
  ``INSERT … ON CONFLICT DO UPDATE``, so an unchanged row is never touched and importing the same
  file twice changes nothing the second time.

Elsewhere (SQLite: the demo, the tests) the same classification is done in Python and written with
``bulk_create(update_conflicts=True)``.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from hashlib import md5

from django.db import connection
from django.utils import timezone

from .models import Graduate
from .transcripts import FIELDS, CheckResult

TABLE = Graduate._meta.db_table
KEY_FIELDS = ("institution_id", "student_number")
UPDATE_FIELDS = tuple(f for f in FIELDS if f not in KEY_FIELDS)
_MONTHS = FIELDS.index("practice_months")
_RANK = FIELDS.index("major_rank_percent")
_START = FIELDS.index("duty_start_date")
_COLUMNS = ", ".join(FIELDS)


@dataclass
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self):
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged}


class CheckFailed(Exception):
    """Raised inside the transaction when the file has errors, so that nothing streamed stays."""

    def __init__(self, result):
        self.result = result
        super().__init__(f"{result.error_count} errors")


def existing_keys(institution_ids) -> set:
    """{(institution id, student number)} stored for these institutions (one query)."""
    return set(Graduate.objects.filter(institution_id__in=list(institution_ids))
               .values_list("institution_id", "student_number").iterator(chunk_size=50_000))


def run(checker, rows, first_row, *, institution_ids=None, write=True) -> tuple[CheckResult, Counts]:
    """Checks ``rows`` and, with ``write``, imports them; call inside ``transaction.atomic()``.

    ``institution_ids``: when the importer can only write to these (staff), new rows are streamed
    during the check; otherwise (site admins) records are collected first. Raises ``CheckFailed``
    when a row has an error — after a write has started, the caller's transaction must roll back.
    """
    # A bulk load allocates ~10^6 objects that all stay alive until the end: the cyclic collector's
    # passes over them are pure cost here (~12 %), so it waits until the load is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(checker, rows, first_row, institution_ids=institution_ids, write=write)
    finally:
        if collecting:
            gc.enable()


def _run(checker, rows, first_row, *, institution_ids, write):
    postgres = connection.vendor == "postgresql"
    now = timezone.now()
    if institution_ids is not None and write and postgres:
        existing = existing_keys(institution_ids)
        stored = []
        stamp = (now, now)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # foreign keys checked during the COPY, not at commit
            with cursor.cursor.copy(f"COPY {TABLE} ({_COLUMNS}, created_at, updated_at) FROM STDIN") as copy:
                write_row = copy.write_row

                def sink(record):
                    if (record[0], record[1]) in existing:
                        stored.append(record)
                    else:
                        write_row(record + stamp)

                result = checker.check(rows, first_row, sink=sink)
                if not result.ok:
                    raise CheckFailed(result)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        new_count = result.total - len(stored)
    else:
        result = checker.check(rows, first_row)
        if not result.ok:
            raise CheckFailed(result)
        existing = existing_keys({r[0] for r in result.records})
        new = [r for r in result.records if (r[0], r[1]) not in existing]
        stored = [r for r in result.records if (r[0], r[1]) in existing]
        new_count = len(new)
        if write and new:
            _insert(new, now) if postgres else _upsert_generic(new, now)
    changed = _changed_postgres(stored) if postgres else _changed_generic(stored)
    if write and changed:
        _update_postgres(changed, now) if postgres else _upsert_generic(changed, now)
    return result, Counts(new_count, len(changed), len(stored) - len(changed))


def _insert(records, now):
    with connection.cursor() as cursor, \
            cursor.cursor.copy(f"COPY {TABLE} ({_COLUMNS}, created_at, updated_at) FROM STDIN") as copy:
        write_row = copy.write_row
        for record in records:
            write_row(record + (now, now))


_BOOLS = tuple(i for i, f in enumerate(FIELDS) if Graduate._meta.get_field(f).get_internal_type() == "BooleanField")
_INTS = (FIELDS.index("institution_id"), FIELDS.index("graduation_year"), FIELDS.index("ncre_level"))
_SEPARATOR = "\x1f"


def _digest(record) -> str:
    """MD5 of the record rendered as ``_DIGEST_SQL`` renders the stored row (booleans, NULLs, numbers alike)."""
    parts = list(record)
    for i in _BOOLS:
        parts[i] = "true" if parts[i] else "false"
    for i in _INTS:
        parts[i] = str(parts[i])
    if parts[_RANK] is None:
        parts[_RANK] = "\\N"
    if parts[_START] is None:
        parts[_START] = "\\N"
    return md5(_SEPARATOR.join(parts).encode(), usedforsecurity=False).hexdigest()


def _sql_part(i, name):
    if i in _BOOLS:
        return f"CASE WHEN {name} THEN 'true' ELSE 'false' END"
    if i in _INTS or i == _MONTHS:
        return f"{name}::text"
    if i == _RANK:
        return f"coalesce({name}::text, '\\N')"
    if i == _START:
        return f"coalesce(to_char({name}, 'YYYY-MM-DD'), '\\N')"
    return name


_DIGEST_SQL = "md5(concat_ws(chr(31), " + ", ".join(_sql_part(i, f) for i, f in enumerate(FIELDS)) + "))"


def _changed_postgres(records) -> list:
    """The records that differ from what is stored: one query returns a digest of each stored row."""
    if not records:
        return []
    institutions = sorted({r[0] for r in records})
    numbers = [r[1] for r in records]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT institution_id, student_number, {_DIGEST_SQL} FROM {TABLE} "
                       "WHERE institution_id = ANY(%s) AND student_number = ANY(%s)", [institutions, numbers])
        stored = {(i, n): digest for i, n, digest in cursor.fetchall()}
    get = stored.get
    return [r for r in records if get((r[0], r[1])) != _digest(r)]


def _update_postgres(records, now):
    updates = ", ".join(f"{f} = EXCLUDED.{f}" for f in UPDATE_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE tmp_graduate_import ON COMMIT DROP AS SELECT {_COLUMNS} FROM {TABLE} "
                       "WITH NO DATA")
        with cursor.cursor.copy(f"COPY tmp_graduate_import ({_COLUMNS}) FROM STDIN") as copy:
            write_row = copy.write_row
            for record in records:
                write_row(record)
        cursor.execute(
            f"INSERT INTO {TABLE} ({_COLUMNS}, created_at, updated_at) SELECT {_COLUMNS}, %s, %s "
            f"FROM tmp_graduate_import ON CONFLICT (institution_id, student_number) DO UPDATE SET {updates}, "
            "updated_at = EXCLUDED.updated_at", [now, now])
        cursor.execute("DROP TABLE tmp_graduate_import")


def _canonical_stored(records) -> dict:
    """{key: stored record in canonical form} for the keys of ``records`` (SQLite and others)."""
    out = {}
    institutions = sorted({r[0] for r in records})
    numbers = [r[1] for r in records]
    for start in range(0, len(numbers), 5000):
        rows = (Graduate.objects.filter(institution_id__in=institutions, student_number__in=numbers[start:start + 5000])
                .values_list(*FIELDS))
        for row in rows:
            row = list(row)
            row[_MONTHS] = f"{row[_MONTHS]:.1f}"
            row[_RANK] = None if row[_RANK] is None else f"{row[_RANK]:.2f}"
            row[_START] = None if row[_START] is None else row[_START].isoformat()
            out[(row[0], row[1])] = tuple(row)
    return out


def _changed_generic(records):
    if not records:
        return []
    stored = _canonical_stored(records)
    return [r for r in records if stored.get((r[0], r[1])) != r]


def _upsert_generic(records, now):
    objs = [Graduate(created_at=now, updated_at=now, **dict(zip(FIELDS, r, strict=True))) for r in records]
    Graduate.objects.bulk_create(objs, batch_size=500, update_conflicts=True, unique_fields=list(KEY_FIELDS),
                                 update_fields=[*UPDATE_FIELDS, "updated_at"])
