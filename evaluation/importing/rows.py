"""Step 2 of the import, one row: every cell parsed, each distinct value once per file (memoised).

``RowCheck.row`` is the inner loop of ``check.Checker``: the fields with few distinct values are parsed in groups,
once per distinct combination — (degree, the nine yes/no facts) and (gender, year, design grade, NCRE,
assessment) — and every other field through ``_parsed`` with its own memo (``SINGLE`` lists them).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.identifiers import check_ric

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
