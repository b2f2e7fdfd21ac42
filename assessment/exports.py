"""The session result report for the provincial platform (XLSX and JSON, schema in docs/assessment-results.md)."""

import io
import json

from django.utils.translation import gettext as _

from portal import access
from portal.exports import neutralise

from .models import Attendance, SessionState

SCHEMA = "anhui-skill-assessment-results/1"
LEVEL_DIGITS = {3: "三级/高级工", 4: "四级/中级工", 5: "五级/初级工"}
HEADER = ["证件类型", "证件号码", "姓名", "性别", "职业编码", "职业名称", "工种/职业方向", "职业技能等级", "等级代码",
          "考核日期", "考试情况", "理论知识成绩", "理论知识合格标准", "操作技能成绩", "操作技能合格标准", "免试科目",
          "是否合格", "证书编号"]


def _num(value):
    return None if value is None else float(value)


def rows(session):
    """One dict per candidate (absent candidates included, marked 缺考)."""
    out = []
    for c in session.candidates.select_related("graduate").prefetch_related("result__certificates"):
        g = c.graduate
        result = getattr(c, "result", None) if hasattr(c, "result") else None
        certificate = None
        if result is not None:
            certificate = next((x for x in result.certificates.all() if x.status == "valid"), None)
        exempt = [name for name, flag in (("theory", c.exempt_theory), ("practical", c.exempt_practical)) if flag]
        out.append({
            "id_type": "居民身份证", "id_number": g.id_number, "name": g.name,
            "gender": "男" if g.gender == "M" else "女",
            "occupation_code": session.occupation.code, "occupation": session.occupation.name,
            "job_type": session.job_type or "--", "level": LEVEL_DIGITS[session.level], "level_digit": session.level,
            "exam_date": session.start_date.isoformat(),
            "attendance": {Attendance.PRESENT: "present", Attendance.ABSENT: "absent"}.get(c.attendance, "unknown"),
            "theory_score": None if c.exempt_theory else _num(c.theory_score),
            "theory_pass_mark": _num(session.theory_pass_mark),
            "practical_score": None if c.exempt_practical else _num(c.practical_score),
            "practical_pass_mark": _num(session.practical_pass_mark),
            "exempt_subjects": exempt, "passed": c.passed,
            "certificate_number": certificate.number if certificate else None,
        })
    return out


EXPORT_STATES = (SessionState.PUBLISHED, SessionState.RESULTS_REPORTED, SessionState.SUSPENDED)


def may_export(user, session):
    """The report carries full ID numbers: once results are published, for the institution's staff and the
    session's filing office only (the session page and the API ask the same question)."""
    if session.state not in EXPORT_STATES:
        return False
    return access.can(user, "assessment.session_edit", session) or access.can(user, "assessment.session_oversee",
                                                                               session)


def document(session):
    return {
        "schema": SCHEMA,
        "institution": {"code": session.filing.filing_code, "name": session.filing.unit_name or session.institution.name},
        "session": {"id": session.pk, "occupation_code": session.occupation.code, "occupation": session.occupation.name,
                    "job_type": session.job_type or "--", "level": LEVEL_DIGITS[session.level],
                    "level_digit": session.level, "start_date": session.start_date.isoformat(),
                    "end_date": session.end_date.isoformat(), "site": session.site, "state": session.state},
        "candidates": rows(session),
    }


def as_json(session):
    return json.dumps(document(session), ensure_ascii=False, indent=2)


def safe_cell(value):
    """A text cell never starts a formula (= + - @ tab CR), so a spreadsheet shows it as text: the one rule of
    every export, ``portal.exports.neutralise`` (issue 14 #8)."""
    return neutralise(value)


def as_xlsx(session):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "认定结果"
    sheet.append(HEADER)
    attendance = {"present": _("到考"), "absent": _("缺考"), "unknown": _("未登记")}
    subject = {"theory": "理论知识", "practical": "操作技能"}
    for r in rows(session):
        sheet.append([safe_cell(v) for v in (
            r["id_type"], r["id_number"], r["name"], r["gender"], r["occupation_code"], r["occupation"], r["job_type"],
            r["level"], r["level_digit"], r["exam_date"], str(attendance[r["attendance"]]), r["theory_score"],
            r["theory_pass_mark"], r["practical_score"], r["practical_pass_mark"],
            "、".join(subject[s] for s in r["exempt_subjects"]), "合格" if r["passed"] else "不合格",
            r["certificate_number"] or "")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
