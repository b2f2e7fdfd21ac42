"""The round's statistics (applied and passed by level and by major, pass rates, objections) for the report
page and its XLSX export. Ratios are computed here, never stored; a handful of grouped queries whatever the size.

Before the round is finalised “passed” is the committee's vote (拟通过); afterwards it is the decisions in force
(a correction counts at its corrected level)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from portal import exports

from .models import ApplicationState, Decision, Objection, ObjectionState, RoundState, Stage, TitleApplication
from .rules import LEVEL_NAMES

LEVEL_ORDER = ("technician", "assistant_engineer", "engineer")
CANDIDATES = {ApplicationState.ELIGIBLE, ApplicationState.PASSED, ApplicationState.FAILED,
              ApplicationState.DISQUALIFIED}


def percent(part, whole):
    """'75.0%' (half up, one decimal), or '—' when there is nothing to divide by."""
    if not whole:
        return "—"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}%"


@dataclass
class Row:
    key: str
    label: str
    applied: int = 0
    candidates: int = 0
    passed: int = 0
    scale: int = 1  # the largest ``applied`` of the table, for the bars

    @property
    def rate(self):
        return percent(self.passed, self.applied)

    @property
    def applied_width(self):
        return self.applied * 100 // self.scale if self.scale else 0

    @property
    def passed_width(self):
        return self.passed * 100 // self.scale if self.scale else 0


@dataclass
class ObjectionRow:
    label: str
    total: int = 0
    upheld: int = 0
    dismissed: int = 0
    open: int = 0


def _rows(keys, labels):
    return {k: Row(k, labels.get(k, k)) for k in keys}


def round_report(rnd):
    final = rnd.state == RoundState.FINALISED
    applied = TitleApplication.objects.filter(round=rnd, submission_count__gt=0)
    by_level_state = list(applied.values("level", "state").annotate(n=Count("id")).order_by())
    by_major_state = list(applied.values("major", "state").annotate(n=Count("id")).order_by())
    majors = sorted({r["major"] for r in by_major_state} | set(rnd.majors), key=lambda m: (m not in rnd.majors, m))
    levels = _rows([lv for lv in LEVEL_ORDER if lv in rnd.levels or any(r["level"] == lv for r in by_level_state)],
                   LEVEL_NAMES)
    by_major = _rows(majors, {})
    states = {}
    for r in by_level_state:
        row = levels[r["level"]]
        row.applied += r["n"]
        row.candidates += r["n"] if r["state"] in CANDIDATES else 0
        states[r["state"]] = states.get(r["state"], 0) + r["n"]
        if not final and r["state"] == ApplicationState.PASSED:
            row.passed += r["n"]
    for r in by_major_state:
        row = by_major[r["major"]]
        row.applied += r["n"]
        row.candidates += r["n"] if r["state"] in CANDIDATES else 0
        if not final and r["state"] == ApplicationState.PASSED:
            row.passed += r["n"]
    if final:
        current = Decision.objects.filter(round=rnd, superseded_by__isnull=True, passed=True)
        for r in current.values("level").annotate(n=Count("id")).order_by():
            levels.setdefault(r["level"], Row(r["level"], LEVEL_NAMES[r["level"]])).passed += r["n"]
        for r in current.values("major").annotate(n=Count("id")).order_by():
            by_major.setdefault(r["major"], Row(r["major"], r["major"])).passed += r["n"]
    total = Row("total", _("合计"), applied=sum(r.applied for r in levels.values()),
                candidates=sum(r.candidates for r in levels.values()), passed=sum(r.passed for r in levels.values()))
    for table in (levels, by_major):
        scale = max([r.applied for r in table.values()] + [1])
        for r in table.values():
            r.scale = scale
    objections = {stage: ObjectionRow(str(stage.label)) for stage in (Stage.CANDIDATES, Stage.RESULTS)}
    for r in (Objection.objects.filter(notice__round=rnd).values("notice__stage", "state")
              .annotate(n=Count("id")).order_by()):
        stage = r["notice__stage"]
        row = objections.get(stage) or objections.setdefault(stage, ObjectionRow(str(Stage(stage).label)))
        row.total += r["n"]
        if r["state"] == ObjectionState.UPHELD:
            row.upheld += r["n"]
        elif r["state"] == ObjectionState.DISMISSED:
            row.dismissed += r["n"]
        else:
            row.open += r["n"]
    objection_total = ObjectionRow(_("合计"), *(sum(getattr(o, f) for o in objections.values())
                                              for f in ("total", "upheld", "dismissed", "open")))
    return {
        "final": final, "levels": list(levels.values()), "majors": list(by_major.values()), "total": total,
        "objections": list(objections.values()), "objection_total": objection_total,
        "refused": states.get(ApplicationState.REFUSED, 0), "withdrawn": states.get(ApplicationState.WITHDRAWN, 0),
        "disqualified": states.get(ApplicationState.DISQUALIFIED, 0),
        "failed": states.get(ApplicationState.FAILED, 0),
    }


def people(rnd):
    """The candidate sheet (names, no ID numbers): every application that was submitted, with its outcome."""
    decisions = {d.application_id: d for d in Decision.objects.filter(round=rnd, superseded_by__isnull=True)}
    rows = []
    for a in (TitleApplication.objects.filter(round=rnd, submission_count__gt=0).select_related("graduate")
              .order_by("major", "graduate__student_number")):
        d = decisions.get(a.pk)
        rows.append([a.graduate.student_number, a.graduate.name, a.major, a.get_level_display(),
                     LEVEL_NAMES.get(a.verdict_level, _("未达到技术员条件")), a.get_state_display(),
                     (_("通过") if d.passed else _("未通过")) if d else "", d.approval_number if d else ""])
    return rows


def report_xlsx(rnd, report, *, with_people):
    """The report as an XLSX workbook (bytes)."""
    wb, ws = exports.workbook(_("概况"))
    bold = Font(bold=True)
    ws.append([rnd.name])
    ws["A1"].font = bold
    ws.append([_("状态"), rnd.get_state_display()])
    ws.append([_("批准文号"), rnd.document_number or "—"])
    ws.append([_("评审结果"), _("已确定") if report["final"] else _("尚未确定（通过人数为评委会表决结果）")])
    ws.append([_("申报人数"), report["total"].applied])
    ws.append([_("评审对象人数"), report["total"].candidates])
    ws.append([_("通过人数"), report["total"].passed])
    ws.append([_("通过率"), report["total"].rate])
    ws.append([_("资格审查未通过"), report["refused"]])
    ws.append([_("经异议核实取消"), report["disqualified"]])
    for title, rows, head in ((_("按级别"), report["levels"], _("级别")), (_("按专业"), report["majors"], _("专业"))):
        sheet = exports.add_sheet(wb, title)
        sheet.append([head, _("申报人数"), _("评审对象人数"), _("通过人数"), _("通过率")])
        for r in [*rows, report["total"]]:
            sheet.append([r.label, r.applied, r.candidates, r.passed, r.rate])
        for cell in sheet[1]:
            cell.font = bold
    sheet = exports.add_sheet(wb, _("异议"))
    sheet.append([_("公示"), _("异议件数"), _("异议成立"), _("异议不成立"), _("待答复")])
    for o in [*report["objections"], report["objection_total"]]:
        sheet.append([o.label, o.total, o.upheld, o.dismissed, o.open])
    if with_people:
        sheet = exports.add_sheet(wb, _("名单"))
        sheet.append([_("学号"), _("姓名"), _("专业"), _("申报级别"), _("资格评价结果"), _("状态"), _("评审结果"),
                      _("批准文号")])
        for row in people(rnd):
            sheet.append(row)
    for sheet in wb.worksheets:
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width * 2))
    return exports.xlsx_bytes(wb)
