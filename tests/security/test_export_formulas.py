"""Issue 14, finding 8: no export may carry a live formula.

A 批准文号 of ``=HYPERLINK(...)`` became a live formula in the rounds report.xlsx. Every CSV/XLSX export goes
through ``portal.exports``; these tests feed a formula into every free-text field an export writes and read
every cell back.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.models import Graduate
from evaluation.rounds import services
from evaluation.rounds.models import Decision, EvaluationRound, RoundState, TitleApplication
from portal import exports
from tests.evaluation.factories import GraduateFactory
from tests.rounds import factories as f

FORMULAS = ['=HYPERLINK("http://evil.example/","点此")', "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


def cells_of_xlsx(content):
    wb = load_workbook(io.BytesIO(content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def assert_no_live_cell(values):
    live = [v for v in values if isinstance(v, str) and v.startswith(exports.FORMULA_PREFIXES)]
    assert not live, live


def test_rounds_report_xlsx_neutralises_every_free_text_field(world, client):
    rnd = f.round_in(world, RoundState.RESULTS_NOTICE, n=2)
    # The 批准文号 typed when finalising: it becomes every decision's approval number (decisions are append-only).
    rnd = services.finalise(round=rnd, actor=world.staff, document_number=FORMULAS[0], today=f.FINALISED)
    assert Decision.objects.filter(round=rnd, approval_number=FORMULAS[0]).exists()
    EvaluationRound.objects.filter(pk=rnd.pk).update(name=FORMULAS[3])
    TitleApplication.objects.filter(round=rnd).update(major=FORMULAS[2])
    for i, graduate in enumerate(Graduate.objects.filter(title_applications__round=rnd)):
        Graduate.objects.filter(pk=graduate.pk).update(name=FORMULAS[4], student_number=f"{FORMULAS[5]}{i}")
    client.force_login(world.staff)
    response = client.get(reverse("rounds:report_xlsx", args=[rnd.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    cells = list(cells_of_xlsx(response.content))
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula cell in the report"
    values = [c.value for c in cells]
    assert_no_live_cell(values)
    assert "'" + FORMULAS[0] in values and "'" + FORMULAS[3] in values  # kept, as text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_graduates_export_neutralises_every_free_text_field(world, client, fmt):
    GraduateFactory(institution=world.inst, name=FORMULAS[0], employer=FORMULAS[1], major=FORMULAS[2],
                    student_number=FORMULAS[3])
    client.force_login(world.staff)
    response = client.get(reverse("evaluation:export"), {"format": fmt})
    assert "no-store" in response["Cache-Control"]
    if fmt == "csv":
        values = [v for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for v in row]
    else:
        cells = list(cells_of_xlsx(response.content))
        assert not [c for c in cells if c.data_type == "f"]
        values = [c.value for c in cells]
    assert_no_live_cell(values)
    assert "'" + FORMULAS[0] in values


def test_the_writer_itself():
    rows = [[*FORMULAS, 12, -3, None, "普通文本"]]
    text = exports.csv_text(rows)
    values = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert_no_live_cell(values[:len(FORMULAS)])
    assert values[-4:] == ["12", "-3", "", "普通文本"]  # numbers stay numbers
    wb, sheet = exports.workbook("t")
    sheet.append(rows[0])
    cells = list(cells_of_xlsx(exports.xlsx_bytes(wb)))
    assert not [c for c in cells if c.data_type == "f"]
    assert [c.value for c in cells][-4:-1] == [12, -3, None]
