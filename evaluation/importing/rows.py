"""Step 2 of the import, one row: every cell parsed, each distinct value once per file (memoised).

``RowCheck.row`` is the inner loop of ``check.Checker``: the fields with few distinct values are parsed in groups,
once per distinct combination — (degree, the nine yes/no facts) and (gender, year, design grade, NCRE,
assessment) — and every other field through ``_parsed`` with its own memo (``SINGLE`` lists them).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from portal.identifiers import check_ric, place_warning

from . import values as v

#: Fields parsed alone: (record key, parser) — each parser returns (value, error or None).
SINGLE = (("major", v.parse_major), ("practice_months", v.parse_months), ("major_rank_percent", v.parse_rank),
          ("employer", v.parse_employer), ("duty_start_date", v.parse_duty_date),
          ("employer_kind", v.parse_employer_kind))
_PARSER = dict(SINGLE)


class RowCheck:
    """The row check of ``check.Checker`` (which sets ``memo``, ``pick``, ``index`` and the file's options)."""

    def _parsed(self, memo_key, parse, value, problems, key=None):
        """``parse(value)``, once per distinct value of the file; an error is added to ``problems``."""
        m = self.memo[memo_key]
        r = m.get(value)
        if r is None:
            r = m[value] = parse(value)
        if r[1]:
            problems.append((key or memo_key, r[1]))
        return r[0]

    def _single(self, key, value, problems):
        return self._parsed(key, _PARSER[key], value, problems)

    def row(self, cells):
        """One padded, normalised row -> (record or None, [(key, error)], [(key, warning)] or None)."""
        (inst_v, number, name, gender_v, id_v, year_v, degree_v, major_v, pilot_v, diploma_v, diploma_no, degree_v2,
         degree_no, months_v, rank_v, design_v, ncre_v, conduct_v, assess_v, fit_v, cont_v, employer_v, anhui_v,
         tri_v, duty_v, start_v, kind_v, date_v, conclusion_v, birth_v) = self.pick(cells)
        problems = []
        notes = None

        inst = self._parsed("institution", self._institution, inst_v, problems)

        number = number.strip()
        if v.CODE.fullmatch(number) is None:
            problems.append(("student_number", _("学号不能为空") if not number
                             else _("学号只能包含字母、数字、“-”和“_”，且不超过32位")))

        name = name.strip()
        if not name:
            problems.append(("name", _("姓名不能为空")))
        elif len(name) > 50:
            problems.append(("name", _("姓名超过50个字符")))
        elif name.startswith(v.FORMULA_START):
            problems.append(("name", _("姓名以“%(c)s”开头，疑似公式，请删除该字符") % {"c": name[0]}))

        if self.year_from_date:
            year_v = self._parsed("year", v.year_of_date, date_v, problems, "graduation_date")
        elif self.default_year:
            year_v = str(self.default_year)
        if self.diploma_from_conclusion:
            found = self._parsed("conclusion", v.conclusion, conclusion_v, problems)
            diploma_v = "是" if found else "否"

        gender, year, design, ncre, assessment, e = self._grouped(
            "group_a", v.group_a, (gender_v, year_v, design_v, ncre_v, assess_v))
        problems.extend(e)
        degree, pilot, has_diploma, has_degree, conduct, fit, cont_ed, in_anhui, tripartite, on_duty, e = \
            self._grouped("group_b", v.group_b,
                          (degree_v, pilot_v, diploma_v, degree_v2, conduct_v, fit_v, cont_v, anhui_v, tri_v, duty_v))
        problems.extend(e)

        ric = check_ric(id_v)
        id_number = ric.number
        if ric.error:
            message = ric.error
            if "E+" in id_number or "." in id_number:
                message += _("（疑似被 Excel 转为数字，请将该列设为文本格式后重新录入）")
            problems.append(("id_number", message))
        else:
            if ric.warning:
                notes = [("id_number", ric.warning)]
            if gender is not None and (ord(id_number[16]) & 1) != (gender == "M"):
                notes = (notes or []) + [("gender", _("性别与身份证号第17位（奇数为男、偶数为女）不一致，请核对"))]
            if birth_v:
                note = v.birth_note(birth_v, id_number)
                if note:
                    notes = (notes or []) + [("birth_date", note)]

        major = self._single("major", major_v, problems)

        diploma_no = diploma_no.strip()
        if diploma_no and v.CODE.fullmatch(diploma_no) is None:
            problems.append(("diploma_number", _("证书编号只能包含字母和数字，且不超过32位")))
        elif diploma_no:
            key = (diploma_no[:12], len(diploma_no), diploma_no.isdigit(), inst, year, degree)
            m = self.memo["diploma"]
            found = m.get(key)
            if found is None:
                found = m[key] = v.diploma_notes(diploma_no, self.school_codes.get(inst), year, degree)
            if found:
                notes = (notes or []) + [("diploma_number", n) for n in found]
        degree_no = degree_no.strip()
        if degree_no and v.CODE.fullmatch(degree_no) is None:
            problems.append(("degree_number", _("证书编号只能包含字母和数字，且不超过32位")))

        months = self._single("practice_months", months_v, problems)
        rank = self._single("major_rank_percent", rank_v, problems)
        employer = self._single("employer", employer_v, problems)
        start = self._single("duty_start_date", start_v, problems)
        employer_kind = self._single("employer_kind", kind_v, problems)

        if problems and self.supplement:
            # A supplement checks only what it brings (its absent columns read as blank).
            index = self.index
            problems = [p for p in problems if p[0] in index or p[0] == "institution"]
            if id_v == "" and "id_number" not in index:
                id_number = ""
        if self.derive_pilot and not problems:
            pilot = major in self.pilot_majors.get(inst, ())
        if problems:
            return None, problems, notes
        return (inst, number, name, gender, id_number, year, degree, major, pilot, has_diploma, diploma_no,
                has_degree, degree_no, months, rank, design, ncre, conduct, assessment, fit, cont_ed, employer,
                in_anhui, tripartite, on_duty, start, employer_kind), (), notes

    def _grouped(self, memo_key, parse, key):
        """``parse(*key)`` once per distinct combination of the group's cells; its last item is the problems."""
        m = self.memo[memo_key]
        r = m.get(key)
        if r is None:
            r = m[key] = parse(*key)
        return r

    # --- a chunk of rows at a time ----------------------------------------------------------------------------

    def rows(self, chunk):
        """``[self.row(cells) for cells in chunk]``, computed a column at a time (``rows_checked``)."""
        return self.rows_checked(chunk)[0]

    def rows_checked(self, chunk):
        """(``[self.row(cells) for cells in chunk]``, the indexes of the rows with a problem, of those with a
        warning), computed a column at a time.

        Each column is parsed through its memo with C-level ``map`` calls, so the Python work per row is a few
        string operations (学号, 姓名, 身份证号, certificate numbers). A row in which any column reports a problem is
        checked again by ``row`` itself, so that its problems come in the same order with the same messages —
        a good row gives the record and warnings ``row`` would give (``tests/evaluation/test_import_rows.py``).
        """
        if not chunk:
            return [], (), ()
        (inst_c, number_c, name_c, gender_c, id_c, year_c, degree_c, major_c, pilot_c, diploma_c, diploma_no_c,
         degree2_c, degree_no_c, months_c, rank_c, design_c, ncre_c, conduct_c, assess_c, fit_c, cont_c, employer_c,
         anhui_c, tri_c, duty_c, start_c, kind_c, date_c, conclusion_c, birth_c) = zip(*map(self.pick, chunk))
        size = len(chunk)
        bad = set()  # rows with a problem in some column
        column = self._column
        inst = column("institution", self._institution, inst_c, bad)

        numbers = [n.strip() for n in number_c]
        _flag_none(map(v.CODE.fullmatch, numbers), bad)
        names = [n.strip() for n in name_c]
        bad.update(i for i, n in enumerate(names) if not n or len(n) > 50 or n.startswith(v.FORMULA_START))

        if self.year_from_date:
            year_c = column("year", v.year_of_date, date_c, bad)
        elif self.default_year:
            year_c = (str(self.default_year),) * size
        if self.diploma_from_conclusion:
            diploma_c = ["是" if found else "否" for found in column("conclusion", v.conclusion, conclusion_c, bad)]

        gender, year, design, ncre, assessment, _e = self._group_column(
            "group_a", v.group_a, zip(gender_c, year_c, design_c, ncre_c, assess_c), bad)
        degree, pilot, has_diploma, has_degree, conduct, fit, cont_ed, in_anhui, tripartite, on_duty, _e = \
            self._group_column("group_b", v.group_b, zip(degree_c, pilot_c, diploma_c, degree2_c, conduct_c, fit_c,
                                                         cont_c, anhui_c, tri_c, duty_c), bad)

        notes = {}  # {row: [(key, warning)]}, filled column by column in ``row``'s order
        ids = self._ric_column(id_c, bad, notes)
        for i, id_number in enumerate(ids):
            if i not in bad and (ord(id_number[16]) & 1) != (gender[i] == "M"):
                notes.setdefault(i, []).append(("gender", _("性别与身份证号第17位（奇数为男、偶数为女）不一致，请核对")))
        if any(birth_c):
            for i, birth_v in enumerate(birth_c):
                if birth_v and i not in bad:
                    note = v.birth_note(birth_v, ids[i])
                    if note:
                        notes.setdefault(i, []).append(("birth_date", note))

        major = column("major", v.parse_major, major_c, bad)

        diploma_nos = [n.strip() for n in diploma_no_c]
        if any(diploma_nos):
            codes, memo = self.school_codes, self.memo["diploma"]
            for i, number in enumerate(diploma_nos):
                if not number or i in bad:
                    continue
                if v.CODE.fullmatch(number) is None:
                    bad.add(i)
                    continue
                key = (number[:12], len(number), number.isdigit(), inst[i], year[i], degree[i])
                found = memo.get(key)
                if found is None:
                    found = memo[key] = v.diploma_notes(number, codes.get(inst[i]), year[i], degree[i])
                if found:
                    notes.setdefault(i, []).extend(("diploma_number", n) for n in found)
        degree_nos = [n.strip() for n in degree_no_c]
        if any(degree_nos):
            _flag_none((v.CODE.fullmatch(n) if n else True for n in degree_nos), bad)

        months = column("practice_months", v.parse_months, months_c, bad)
        rank = column("major_rank_percent", v.parse_rank, rank_c, bad)
        employer = column("employer", v.parse_employer, employer_c, bad)
        start = column("duty_start_date", v.parse_duty_date, start_c, bad)
        employer_kind = column("employer_kind", v.parse_employer_kind, kind_c, bad)

        if self.derive_pilot:
            majors = self.pilot_majors
            pilot = [m in majors.get(i, ()) for i, m in zip(inst, major, strict=True)]
        records = zip(inst, numbers, names, gender, ids, year, degree, major, pilot, has_diploma, diploma_nos,
                      has_degree, degree_nos, months, rank, design, ncre, conduct, assessment, fit, cont_ed, employer,
                      in_anhui, tripartite, on_duty, start, employer_kind, strict=True)
        out = [(record, (), None) for record in records]
        for i, found in notes.items():
            out[i] = (out[i][0], (), found)
        row = self.row
        for i in bad:
            out[i] = row(chunk[i])
        return out, bad, notes

    def _column(self, memo_key, parse, cells, bad):
        """The parsed values of one column (each distinct cell parsed once per file); rows with an error -> ``bad``."""
        m = self.memo[memo_key]
        distinct = set(cells)
        for value in distinct.difference(m):
            m[value] = parse(value)
        results = list(map(m.__getitem__, cells))
        if any(m[value][1] for value in distinct):
            bad.update(i for i, r in enumerate(results) if r[1])
        return [r[0] for r in results]

    def _group_column(self, memo_key, parse, keys, bad):
        """``_grouped`` for every row of a chunk: the group's value columns (the last is the problems)."""
        m = self.memo[memo_key]
        keys = list(keys)
        for key in set(keys).difference(m):
            m[key] = parse(*key)
        results = list(map(m.__getitem__, keys))
        bad.update(i for i, r in enumerate(results) if r[-1])
        return tuple(zip(*results, strict=True))

    def _ric_column(self, cells, bad, notes):
        """身份证号 of every row: a plain 18-character number is checked here (check digit, birth date, place
        code — what ``check_ric`` does); anything else goes through ``check_ric`` itself."""
        births = self.memo["ric_birth"]
        out = []
        for i, value in enumerate(cells):
            if len(value) == 18 and value.isascii() and value[:17].isdigit() and (value[17].isdigit()
                                                                                  or value[17] == "X"):
                checksum = (1 - 2 * int(value[:17], 13)) % 11
                if ("X" if checksum == 10 else str(checksum)) == value[17]:
                    year = births.get(value[6:14])
                    if year is None:
                        year = births[value[6:14]] = _birth_year(value)
                    if year:
                        warning = place_warning(value[:6], year)
                        if warning:
                            notes[i] = [("id_number", warning)]
                        out.append(value)
                        continue
            ric = check_ric(value)
            out.append(ric.number)
            if ric.error:
                bad.add(i)
            elif ric.warning:
                notes[i] = [("id_number", ric.warning)]
        return out


def _birth_year(number):
    """The birth year in a 身份证号, or 0 when its birth date is not a date (``check_ric``'s rule)."""
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14])).year
    except ValueError:
        return 0


def _flag_none(values, bad):
    """Adds to ``bad`` the rows whose value is None (a failed match)."""
    values = list(values)
    if None in values:
        bad.update(i for i, found in enumerate(values) if found is None)
