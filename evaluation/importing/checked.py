"""The preview's checked rows, kept so that the confirm does not read and check the file a second time.

The preview (a dry run) reads every row and checks it (``check.Checker``); what it yields — canonical
records and their line numbers — is written here, in frames of ``FRAME`` rows, next to the uploaded file.
The confirm then *replays* them (``Replay.check`` has the checker's interface, so ``write.run`` is the
same code either way) and only compares them with what is stored and writes them.

The kept rows are trusted only while nothing they depend on has changed. ``digest`` is an HMAC (keyed by
``SECRET_KEY``) over the file's SHA-256, the checker's inputs (the institutions the importer may write to
and their codes, the default institution and year, the kind of file, the pilot majors granted under
Track A), the source of the checking rules, today's date and the kept rows' own SHA-256. The confirm
recomputes it: any difference (a new authority, another rule, a tampered or missing file) and the file is
read and checked again, as before. Only rows whose HMAC matches are unpickled.
"""

from __future__ import annotations

import hashlib
import json
import pickle  # noqa: S403 — only our own frames, unpickled after their HMAC has been verified
import tempfile
from pathlib import Path

from django.core.files import File
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from . import check, columns, values
from .check import CheckResult

FRAME = 5000
_SALT = "evaluation.importing.checked"
RULES = hashlib.sha256(b"".join(Path(m.__file__).read_bytes() for m in (check, columns, values))).hexdigest()


def digest(context, file_sha256, rows_sha256):
    """The HMAC over what the checked rows depend on: ``context`` (the checker's inputs, JSON-able: see
    ``services.imports.Scope.context``), the file, the rules, today and the kept rows."""
    message = json.dumps({"context": context, "file": file_sha256, "rules": RULES, "rows": rows_sha256,
                          "day": timezone.localdate().isoformat()}, ensure_ascii=False, sort_keys=True)
    return salted_hmac(_SALT, message, algorithm="sha256").hexdigest()


class Recorder:
    """A checker that also keeps every good row in a temporary file (``save`` hands it to storage)."""

    def __init__(self, checker):
        self.checker = checker
        self.handle = tempfile.TemporaryFile()
        self.hash = hashlib.sha256()
        self.frame = ([], [])
        self._write(checker.headers)  # the first frame: the header row the checker was built from

    def __getattr__(self, name):
        return getattr(self.checker, name)

    def _dump(self, records, lines):
        self._write((records, lines))

    def _write(self, frame):
        data = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
        self.hash.update(data)
        self.handle.write(data)

    def check(self, rows, first_row=2, *, sink=None, sink_many=None, progress=None) -> CheckResult:
        if sink is None:
            result = self.checker.check(rows, first_row, progress=progress)
            for start in range(0, len(result.records), FRAME):
                self._dump(result.records[start:start + FRAME], result.rows[start:start + FRAME])
            return result
        records, lines = self.frame

        def tee(record, line):
            nonlocal records, lines
            records.append(record)
            lines.append(line)
            if len(records) == FRAME:
                self._dump(records, lines)
                records, lines = [], []
            sink(record, line)

        def tee_many(chunk, chunk_lines):
            nonlocal records, lines
            records.extend(chunk)
            lines.extend(chunk_lines)
            while len(records) >= FRAME:
                self._dump(records[:FRAME], lines[:FRAME])
                records, lines = records[FRAME:], lines[FRAME:]
            if sink_many is None:
                for record, line in zip(chunk, chunk_lines, strict=True):
                    sink(record, line)
            else:
                sink_many(chunk, chunk_lines)

        result = self.checker.check(rows, first_row, sink=tee, sink_many=tee_many, progress=progress)
        if records:
            self._dump(records, lines)
        return result

    def save(self, batch, result, context):
        """Stores the kept rows beside the batch's file; returns (stored name, digest), or ("", "") for a
        file with errors (nothing to confirm)."""
        if not result.ok or not batch.file:
            self.handle.close()
            return "", ""
        self.handle.seek(0)
        name = batch.file.storage.save(f"{batch.file.name}.rows", File(self.handle, name="rows"))
        self.handle.close()
        return name, digest(context, batch.sha256, _counted(self.hash.hexdigest(), result.total,
                                                            result.examples_skipped))


def _counted(rows_sha256, total, examples_skipped):
    return f"{rows_sha256}:{total}:{examples_skipped}"


class Replay:
    """The checker's interface over rows already checked: ``check`` hands them to ``sink`` (or keeps them)."""

    def __init__(self, checker, batch):
        self.checker = checker
        self.batch = batch

    def __getattr__(self, name):
        return getattr(self.checker, name)

    def check(self, rows=None, first_row=2, *, sink=None, sink_many=None, progress=None) -> CheckResult:
        result = CheckResult(total=self.batch.rows, examples_skipped=self.batch.examples_skipped)
        done = 0
        with self.batch.checked_rows.open("rb") as handle:
            pickle.load(handle)  # noqa: S301 — the header row (HMAC verified in ``load``)
            while True:
                try:
                    records, lines = pickle.load(handle)  # noqa: S301 — HMAC verified in ``load``
                except EOFError:
                    break
                if sink is None:
                    result.records.extend(records)
                    result.rows.extend(lines)
                elif sink_many is not None:
                    sink_many(records, lines)
                else:
                    for record, line in zip(records, lines, strict=True):
                        sink(record, line)
                done += len(records)
                if progress is not None:
                    progress(done)
        return result


def load(batch, context):
    """The header row of the batch's checked rows when their digest still holds for ``context``; else None.
    Build the checker from it and replay with ``Replay(checker, batch)``."""
    if not batch.checked_rows or not batch.checked_digest:
        return None
    rows_hash = hashlib.sha256()
    try:
        with batch.checked_rows.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                rows_hash.update(chunk)
    except OSError:  # removed meanwhile: the file is read again
        return None
    expected = digest(context, batch.sha256, _counted(rows_hash.hexdigest(), batch.rows, batch.examples_skipped))
    if not constant_time_compare(expected, batch.checked_digest):
        return None
    with batch.checked_rows.open("rb") as handle:
        return pickle.load(handle)  # noqa: S301 — verified above
