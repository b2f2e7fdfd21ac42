"""Oversight (filing office, provincial HRSS) and the session result exports."""

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from portal import access, audit
from portal.models import Role

from .. import exports, oversight
from ..forms import DeadlineForm
from ..services import plans
from .common import act, get_session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request):
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2023 <= int(value) <= 2100 else timezone.localdate().year


@login_required
@require_GET
def oversight_page(request):
    if not access.can(request.user, "assessment.oversight"):
        raise Http404
    year = _year(request)
    rows = oversight.figures(request.user, year)
    chart, height = oversight.bars(rows)
    return render(request, "assessment/oversight.html", {
        "year": year, "rows": rows, "chart": chart, "chart_height": height,
        "anomalies": oversight.anomaly_reports(request.user, year)[:50],
    })


@login_required
@require_GET
def oversight_xlsx(request):
    if not access.can(request.user, "assessment.oversight"):
        raise Http404
    year = _year(request)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年评价实施"
    sheet.append(["院校", "备案编号", "年度计划", "计划报告", "计划场次", "已举行场次", "进行中场次", "考生（到考）",
                  "合格", "合格率%", "督导异常", "成绩已公布未报备", "暂停发证"])
    status = {"ok": "按时", "late": "逾期报告", "missing": "逾期未报告", "none": "未报告"}
    for r in oversight.figures(request.user, year):
        sheet.append([exports.safe_cell(r.institution.name), r.filing.filing_code, r.plan_state or "—",
                      status[r.plan_status], r.planned_sessions, r.held_sessions, r.open_sessions, r.candidates,
                      r.passed, r.pass_rate if r.pass_rate is not None else "", r.anomalies, r.unreported_results,
                      r.suspended])
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit.record(actor=request.user, action="assessment.export_oversight", obj=None, changes={"year": year})
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="assessment-oversight-{year}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def deadline(request):
    user = request.user
    if access.has_role(user, Role.PROVINCIAL_HRSS):
        role, city = Role.PROVINCIAL_HRSS, None
    elif access.city_codes(user, Role.CITY_HRSS):
        role, city = Role.CITY_HRSS, sorted(access.city_codes(user, Role.CITY_HRSS))[0]
    else:
        raise Http404
    form = DeadlineForm(request.POST)
    if form.is_valid():
        act(request, plans.set_deadline, user=user, year=form.cleaned_data["year"], due_on=form.cleaned_data["due_on"],
            role=role, city_id=city, success=_("已设定年度计划报告截止日期。"))
    return redirect("assessment:index")


@login_required
@require_GET
def results_export(request, pk, fmt):
    """The result report with full ID numbers (for the provincial platform): logged (DOMAIN §8)."""
    session = get_session(request, pk)
    if fmt not in ("xlsx", "json") or not exports.may_export(request.user, session):
        raise Http404
    audit.record(actor=request.user, action="assessment.export_results", obj=session, changes={"format": fmt})
    if fmt == "json":
        response = HttpResponse(exports.as_json(session), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(exports.as_xlsx(session), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}-results.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
