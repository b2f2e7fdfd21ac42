"""The round's report: applied and passed by level and major, pass rates, objections — page and XLSX."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from evaluation.rounds import reports, services
from evaluation.rounds.models import PublicNotice, Stage, TitleApplication
from tests.rounds import factories as f


def _round(world):
    """4 technician + 1 assistant-engineer candidates in 车辆工程, 1 engineer in 机械设计制造及其自动化, 1 refused;
    one objection upheld at the candidates' notice, one dismissed at the results; one candidate fails the vote."""
    rnd = f.open_round(world)
    apps = []
    for i in range(4):
        apps.append(f.application(world, rnd, f.graduate(world, f"T{i:04d}")))
    apps.append(f.application(world, rnd, f.graduate(world, "A0001", reaches="assistant_engineer"),
                              level="assistant_engineer"))
    apps.append(f.application(world, rnd, f.graduate(world, "E0001", reaches="engineer",
                                                     major="机械设计制造及其自动化"), level="engineer"))
    refused = f.application(world, rnd, f.graduate(world, "X0001", on_duty=False))
    for a in apps:
        services.review_application(application=a, actor=world.staff, decision="pass", today=f.OPENED)
    services.review_application(application=refused, actor=world.staff, decision="refuse", reasons="未到岗",
                                today=f.OPENED)
    rnd = services.publish_candidates(round=rnd, actor=world.staff, starts_on=f.CANDIDATES_FROM, today=f.OPENED)
    notice = PublicNotice.objects.get(round=rnd, stage=Stage.CANDIDATES)
    o = services.lodge_objection(notice=notice, entry=notice.entries.get(application=apps[0]), content="证书不实",
                                 today=f.CANDIDATES_FROM)
    services.answer_objection(objection=o, actor=world.staff, outcome="upheld", revoke=True,
                              answer="经核实证书不实，取消评审资格。")
    rnd = services.close_candidates_notice(round=rnd, actor=world.staff, today=f.SESSION)
    rnd = f.run_meeting(world, rnd, yes=lambda a: 3 if a.graduate.student_number == "T0001" else 5)
    return rnd


def test_the_report_before_and_after_final_decisions(world):
    rnd = _round(world)
    report = reports.round_report(rnd)
    levels = {r.key: r for r in report["levels"]}
    assert (levels["technician"].applied, levels["technician"].candidates, levels["technician"].passed) == (5, 4, 2)
    assert (levels["assistant_engineer"].applied, levels["assistant_engineer"].passed) == (1, 1)
    assert (levels["engineer"].applied, levels["engineer"].passed) == (1, 1)
    assert (report["total"].applied, report["total"].passed, report["total"].rate) == (7, 4, "57.1%")
    majors = {r.key: r for r in report["majors"]}
    assert (majors["车辆工程"].applied, majors["车辆工程"].passed, majors["车辆工程"].rate) == (6, 3, "50.0%")
    assert majors["机械设计制造及其自动化"].rate == "100.0%"
    assert (report["refused"], report["disqualified"], report["failed"]) == (1, 1, 1)
    objections = {o.label: o for o in report["objections"]}
    assert (objections["评审对象公示"].total, objections["评审对象公示"].upheld) == (1, 1)
    rnd = services.publish_results(round=rnd, actor=world.staff, starts_on=f.RESULTS_FROM, today=f.SESSION)
    notice = PublicNotice.objects.get(round=rnd, stage=Stage.RESULTS)
    o = services.lodge_objection(notice=notice, content="评审程序有疑问", today=f.RESULTS_FROM)
    services.answer_objection(objection=o, actor=world.staff, outcome="dismissed", answer="评审程序符合规定，异议不成立。")
    rnd = services.finalise(round=rnd, actor=world.staff, document_number="安工大职评〔2025〕1号", today=f.FINALISED)
    final = reports.round_report(rnd)
    assert final["final"] and final["total"].passed == 4
    assert (final["objection_total"].total, final["objection_total"].upheld, final["objection_total"].dismissed) == \
        (2, 1, 1)


def test_the_page_and_the_xlsx(world, client):
    rnd = _round(world)
    client.force_login(world.staff)
    body = client.get(reverse("rounds:report", args=[rnd.pk])).content.decode()
    assert 'data-testid="chart-levels"' in body and "57.1%" in body and "cdn" not in body.lower()
    response = client.get(reverse("rounds:report_xlsx", args=[rnd.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["概况", "按级别", "按专业", "异议", "名单"]
    rows = list(wb["按级别"].iter_rows(values_only=True))
    assert rows[0] == ("级别", "申报人数", "评审对象人数", "通过人数", "通过率")
    assert ("技术员", 5, 4, 2, "40.0%") in rows and ("合计", 7, 6, 4, "57.1%") in rows
    names = [r[1] for r in wb["名单"].iter_rows(min_row=2, values_only=True)]
    assert TitleApplication.objects.filter(round=rnd).first().graduate.name in names


def test_supervisors_get_the_figures_without_the_names(world, client):
    rnd = _round(world)
    client.force_login(world.prov_hrss)
    wb = load_workbook(io.BytesIO(client.get(reverse("rounds:report_xlsx", args=[rnd.pk])).content))
    assert "名单" not in wb.sheetnames
