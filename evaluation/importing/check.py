"""Step 2 of the import: checking every row of a table — one checker for every size and every door.

``Checker`` maps the headers (template, registrar's Chinese, English, 学信网 pinyin abbreviations in any
case), then checks every row in a tight loop and yields canonical records (``columns.FIELDS`` order) and
every problem as (row, column, Chinese message). Each cell is NFKC-normalised first, so full-width
digits (``３４０１…``) and brackets read as what they are.

Rules kept here, with the reason:

* 毕业年份: the column, else 预计毕业日期/毕业日期 (YJBYRQ/BYRQ), else the year chosen on the import form;
* 是否取得毕业证: the column, else 毕结业结论 (BJYJL: only 毕业 gives the diploma); a degree is never
  inferred from a diploma — 是否取得学位证 comes from the file or stays as stored;
* one person, one record per school and cohort: the same ID number twice in a file (same school and
  year) is an error naming both lines, as is the same 学号;
* the template's example row (学号 starting with “示例”) is skipped and counted, not imported;
* warnings never stop an import; all are counted and grouped by (column, message), with the first
  lines of each group — an 18-digit 毕业证书编号 that does not match the school, year or level is one.

A *supplement* (``supplement=True``) adds facts the 学信网 file lacks (学位, 一(四)/一(六) facts) to
records already stored: rows are joined on 学号 or 身份证号, and only the columns in the file are checked
and written.

Speed: rows are checked in chunks of ``CHUNK``, a column at a time (``RowCheck.rows``): cells are picked with one
``itemgetter``, every field with few distinct values is parsed once per distinct value and memoised for the file,
and a row with a problem is checked again alone (``RowCheck.row``) so that its messages are exactly those of the
row-by-row check; a chunk without problems or repeats is registered with set operations (``_distinct``).
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from operator import itemgetter

from django.utils.translation import gettext as _

from .columns import COLUMNS, HEADER_ALIASES, HEADER_OF, SOURCE_COLUMNS, field_of, normalise_header
from .rows import SINGLE, RowCheck
from .table import csv_error

MAX_ERRORS_KEPT = 1000  # errors stored and shown; the count is always complete
MAX_LINES_PER_WARNING = 20  # lines listed under one grouped warning; the count is always complete
EXAMPLE_MARK = "示例"
PROGRESS_EVERY = 5000  # rows between two progress reports
CHUNK = 250  # rows read ahead and checked a column at a time (``RowCheck.rows``)
_PICKED = (*COLUMNS, *SOURCE_COLUMNS)


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_list(self):
        return [self.row, self.column, self.message]


@dataclass
class CheckResult:
    records: list[tuple] = field(default_factory=list)  # canonical tuples in FIELDS order (when no errors)
    rows: list[int] = field(default_factory=list)  # file row number of each record
    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warning_groups: dict = field(default_factory=dict)  # {(column, message): [count, [lines…]]}
    warning_count: int = 0
    examples_skipped: int = 0
    total: int = 0

    @property
    def ok(self):
        return self.error_count == 0

    def grouped_warnings(self) -> list[list]:
        """[[column, message, count, [first lines]]], most frequent first."""
        groups = [[column, message, count, lines] for (column, message), (count, lines) in
                  self.warning_groups.items()]
        return sorted(groups, key=lambda g: (-g[2], g[3][0] if g[3] else 0))


class Checker(RowCheck):
    """Checks rows of one table for one importer.

    ``institutions``: {id: (name, uscc)} the importer may write to; ``default_institution``: the id
    used when a row names none (staff: their own); ``restricted``: a row naming any other institution
    is an error "only your own" (staff) rather than "unknown" (site admins); ``default_year``: the
    毕业年份 chosen on the form, used when the file has neither the year nor a graduation date;
    ``school_codes``: {id: 5-digit 院校代码} for the diploma-number check.
    """

    def __init__(self, headers, *, institutions, default_institution=None, restricted=True, default_year=None,
                 school_codes=None, supplement=False, pilot_majors=None):
        self.headers = list(headers)
        #: {institution id: majors the school is authorised for (Track A 授权)} — read when the file has no
        #: 是否试点专业 column, so that a missing column never makes everyone a non-pilot major (附件2 一(三)).
        self.pilot_majors = pilot_majors
        self.institutions = institutions
        self.default_institution = default_institution
        self.restricted = restricted
        self.school_codes = school_codes or {}
        self.supplement = supplement
        self.lookup = {}
        for pk, (name, uscc) in institutions.items():
            self.lookup[name] = pk
            self.lookup[uscc] = pk
        self.index: dict[str, int] = {}
        self.header_problems: list[str] = []
        self.ignored: list[str] = []
        for i, h in enumerate(self.headers):
            key = HEADER_ALIASES.get(normalise_header(h))
            if key is None:
                if str(h).strip():
                    self.ignored.append(str(h).strip())
                continue
            if key in self.index:
                self.header_problems.append(_("列“%(a)s”与列“%(b)s”重复（都表示%(what)s）")
                                            % {"a": self.headers[self.index[key]], "b": h, "what": HEADER_OF[key]})
                continue
            self.index[key] = i
        has = self.index.__contains__
        self.derive_pilot = not supplement and not has("pilot_major") and pilot_majors is not None
        self.year_from_date = not has("graduation_year") and has("graduation_date")
        self.default_year = None if has("graduation_year") or self.year_from_date else default_year
        self.diploma_from_conclusion = not has("has_diploma") and has("conclusion")
        if supplement:
            if not (has("student_number") or has("id_number")):
                self.header_problems.append(_("补充信息文件须有“学号”或“身份证号”列，用以匹配已导入的记录"))
            self.join = "student_number" if has("student_number") else "id_number"
        else:
            self.join = "student_number"
            missing = [c.header for c in COLUMNS if c.required and not has(c.key)
                       and not (c.key == "graduation_year" and (self.year_from_date or self.default_year))]
            if missing:
                note = _("（或在导入页面选择毕业年份）") if "毕业年份" in missing else ""
                self.header_problems.append(_("缺少必需的列：%(cols)s") % {"cols": "、".join(missing)} + note)
        #: The Graduate fields this file gives a value for: the only ones written to a stored record.
        present = {field_of(k) for k in self.index if k in {c.key for c in COLUMNS}} | {"institution_id"}
        if self.year_from_date or self.default_year:
            present.add("graduation_year")
        if self.diploma_from_conclusion:
            present.add("has_diploma")
        if not supplement:
            present.add("student_number")
        if self.derive_pilot:
            present.add("pilot_major")
        self.present = frozenset(present)
        self.used = [self.headers[i] for i in sorted(self.index.values())]
        self.label = {key: self.headers[i] for key, i in self.index.items()}
        for c in _PICKED:
            self.label.setdefault(c.key, c.header)
        self.width = len(self.headers)
        # Missing columns read the padding cell appended after the last one.
        self.pick = itemgetter(*(self.index.get(c.key, self.width) for c in _PICKED))
        self.number_index = self.index.get("student_number", self.width)
        self.memo = {key: {} for key in ("institution", "group_a", "group_b", "year", "conclusion", "diploma", "ric_birth",
                                         *(key for key, _parse in SINGLE))}

    def derived_pilot_note(self):
        """What the preview says when 是否试点专业 is derived rather than read."""
        named = [f"{self.institutions[pk][0]}：{'、'.join(sorted(majors))}"
                 for pk, majors in sorted(self.pilot_majors.items()) if pk in self.institutions and majors]
        return (_("文件中没有“是否试点专业”列：已按学校获授权的试点专业（附件1、职称自主评审权）判断，"
                  "专业在其中的记为“是”，其余记为“否”。%(majors)s")
                % {"majors": "；".join(named) if named else _("尚无获授权的试点专业，全部记为“否”。")})

    def _institution(self, value):
        value = value.strip()
        if not value:
            if self.default_institution is None:
                return None, _("请填写院校名称")
            return self.default_institution, None
        pk = self.lookup.get(value)
        if pk is not None:
            return pk, None
        if self.restricted:
            own = self.institutions.get(self.default_institution, ("", ""))[0]
            return None, _("该行院校为“%(value)s”，您只能导入本校（%(own)s）的毕业生记录") % {"value": value, "own": own}
        return None, _("院校“%(value)s”不存在（请填写院校全称或统一社会信用代码）") % {"value": value}

    @staticmethod
    def _distinct(records, lines, seen, people, join_id):
        """Registers a chunk's good records in ``seen`` and ``people`` when none repeats a record before it (the
        common case, checked with set operations); False, registering nothing, when one does — the row-by-row
        loop then finds which and says so."""
        keys = {(r[0], r[4]) if join_id else (r[0], r[1]): at for r, at in zip(records, lines, strict=True)}
        if len(keys) != len(records) or not seen.keys().isdisjoint(keys):
            return False
        persons = {}
        if not join_id:
            persons = {(r[0], r[5], r[4]): at for r, at in zip(records, lines, strict=True) if r[4]}
            if len(persons) != sum(1 for r in records if r[4]) or not people.keys().isdisjoint(persons):
                return False
        seen.update(keys)
        people.update(persons)
        return True

    def check(self, rows, first_row=2, *, sink=None, sink_many=None, progress=None) -> CheckResult:
        """Checks every row (empty rows and the template's example row are skipped); records are kept
        only while there is no error.

        With ``sink``, each good record (while the file has had no error) is handed to it instead of
        being kept — the writer streams them to the database as the check goes, and rolls back if an
        error turns up later. ``sink_many(records, lines)``, when given with ``sink``, takes a whole chunk of good
        records at once (one call instead of one per row). ``progress(rows done)`` is called every
        ``PROGRESS_EVERY`` rows and at the end.
        """
        res = CheckResult()
        if self.header_problems:
            res.errors = [Problem(1, "", msg) for msg in self.header_problems]
            res.error_count = len(res.errors)
            return res
        seen: dict[tuple, int] = {}
        people: dict[tuple, int] = {}
        records, numbers, errors, label = res.records, res.rows, res.errors, self.label
        groups = res.warning_groups
        rows_check, width, number_index = self.rows_checked, self.width, self.number_index
        join_id = self.join == "id_number"
        error_count = total = warning_count = examples = 0
        if self.derive_pilot:  # said in the preview, above the rows' own warnings
            groups[(HEADER_OF["pilot_major"], self.derived_pilot_note())] = [1, [first_row - 1]]
            warning_count = 1
        line = first_row - 1  # the last row read (a malformed CSV is reported there)
        rows = iter(rows)
        try:
            while True:
                chunk = []  # [(line, padded cells)], rows read ahead and checked together (``RowCheck.rows``)
                for cells in rows:
                    line += 1
                    if len(cells) == width:
                        cells.append("")
                    else:
                        cells = (list(cells) + [""] * width)[:width] + [""]
                    if any(cells):
                        chunk.append((line, cells))
                        if len(chunk) == CHUNK:
                            break
                if not chunk:
                    break
                _normalise(chunk)
                kept = [(at, cells) for at, cells in chunk
                        if not cells[number_index].strip().startswith(EXAMPLE_MARK)]
                examples += len(chunk) - len(kept)
                checked, bad, noted = rows_check([c for _at, c in kept])
                if not bad and not error_count:
                    lines = [at for at, _cells in kept]
                    chunk_records = [r[0] for r in checked]
                    if self._distinct(chunk_records, lines, seen, people, join_id):
                        done, total = total, total + len(kept)
                        if progress is not None:
                            for count in range(done - done % PROGRESS_EVERY + PROGRESS_EVERY, total + 1,
                                               PROGRESS_EVERY):
                                progress(count)
                        if sink is None:
                            records.extend(chunk_records)
                            numbers.extend(lines)
                        elif sink_many is not None:
                            sink_many(chunk_records, lines)
                        else:
                            for record, at in zip(chunk_records, lines, strict=True):
                                sink(record, at)
                        for i in sorted(noted):
                            for k, m in checked[i][2]:
                                warning_count += 1
                                group = groups.get((label[k], m))
                                if group is None:
                                    groups[(label[k], m)] = [1, [lines[i]]]
                                else:
                                    group[0] += 1
                                    if len(group[1]) < MAX_LINES_PER_WARNING:
                                        group[1].append(lines[i])
                        continue
                for (at, _cells), (record, problems, notes) in zip(kept, checked, strict=True):
                    total += 1
                    if progress is not None and not total % PROGRESS_EVERY:
                        progress(total)
                    if record is not None:
                        key = (record[0], record[4]) if join_id else (record[0], record[1])
                        previous = seen.get(key)
                        if previous is None:
                            seen[key] = at
                        else:
                            problems = [("id_number", _("身份证号与第%(row)d行重复") % {"row": previous}) if join_id else
                                        ("student_number", _("学号与第%(row)d行重复") % {"row": previous})]
                        if not join_id and record[4]:
                            person = (record[0], record[5], record[4])
                            previous = people.get(person)
                            if previous is None:
                                people[person] = at
                            elif not problems:
                                problems = [("id_number", _("身份证号与第%(row)d行重复：同一人在同一院校同一届只能有一条记录")
                                             % {"row": previous})]
                        if not problems and not error_count:
                            if sink is None:
                                records.append(record)
                                numbers.append(at)
                            else:
                                sink(record, at)
                    if problems:
                        if not error_count:
                            records.clear()  # an erroneous file is never imported: keep no records
                            numbers.clear()
                        error_count += len(problems)
                        if len(errors) < MAX_ERRORS_KEPT:
                            errors.extend(Problem(at, label[k], m) for k, m in problems)
                    if notes:
                        for k, m in notes:
                            warning_count += 1
                            group = groups.get((label[k], m))
                            if group is None:
                                groups[(label[k], m)] = [1, [at]]
                            else:
                                group[0] += 1
                                if len(group[1]) < MAX_LINES_PER_WARNING:
                                    group[1].append(at)
            if progress is not None:
                progress(total)
        except csv.Error as exc:  # a malformed CSV (NUL byte, a field over the size limit, …)
            raise csv_error(exc, line) from None
        del errors[MAX_ERRORS_KEPT:]
        res.total, res.error_count, res.warning_count, res.examples_skipped = total, error_count, warning_count, \
            examples
        if total == 0:
            res.errors.append(Problem(first_row, "", _("文件中没有数据行。")))
            res.error_count = 1
        return res


def _normalise(chunk):
    """NFKC every cell of a chunk of ``(line, cells)`` in place: each row joined by the unit separator (a starter
    that NFKC leaves alone, so its cells normalise exactly as they would one by one), asked ``is_normalized``
    first (a quick check, ~4× cheaper than ``normalize``), and split again only when it changed."""
    normalize, is_normalized = unicodedata.normalize, unicodedata.is_normalized
    for i, (line, cells) in enumerate(chunk):
        row = "\x1f".join(cells)
        if not row.isascii() and not is_normalized("NFKC", row):
            normal = normalize("NFKC", row)
            if normal != row:
                chunk[i] = (line, normal.split("\x1f"))
