"""The session result report (XLSX and JSON, docs/assessment-results.md): fields, full IDs only to those who may,
the download logged."""

import io
import json

from django.urls import reverse
from openpyxl import load_workbook

from assessment.exports import HEADER, SCHEMA
from portal.models import AuditLog
from tests.assessment.world import SECRET_ID, assessment_world


def test_json_and_xlsx_carry_what_the_schema_says(world, client):
    w = assessment_world(world)
    client.force_login(w.staff)
    data = json.loads(client.get(reverse("assessment:results_export", args=[w.done.pk, "json"])).content)
    assert data["schema"] == SCHEMA and data["institution"]["code"] == "Y000034000017"
    (row,) = data["candidates"]
    assert row["id_number"] == "340104199905050011" and row["occupation_code"] == "6-31-01-03"
    assert row["theory_pass_mark"] == 60.0 and row["passed"] is True and row["certificate_number"] is None
    response = client.get(reverse("assessment:results_export", args=[w.done.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and rows[1][1] == "340104199905050011"
    assert response["Cache-Control"] == "no-store"
    assert AuditLog.objects.filter(action="assessment.export_results").count() == 2


def test_no_export_before_results_are_published(world, client):
    w = assessment_world(world)
    client.force_login(w.staff)
    assert client.get(reverse("assessment:results_export", args=[w.session.pk, "json"])).status_code == 404
    assert SECRET_ID not in client.get(reverse("assessment:session", args=[w.session.pk])).content.decode()
