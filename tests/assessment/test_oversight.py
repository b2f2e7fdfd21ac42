"""Oversight for the filing office and the provincial HRSS: table, server-rendered SVG bars, XLSX export;
another city's office sees nothing of this institution."""

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.assessment.world import assessment_world


def test_office_sees_its_institutions_with_pass_rates_and_an_svg_chart(world, client):
    w = assessment_world(world)
    year = w.done.start_date.year
    for user in (w.city_hrss, w.prov_hrss):
        client.force_login(user)
        body = client.get(reverse("assessment:oversight") + f"?year={year}").content.decode()
        assert "安徽工业大学" in body and "100%" in body and "<svg" in body and "<rect" in body
    client.force_login(w.other_city_hrss)
    assert "安徽工业大学" not in client.get(reverse("assessment:oversight") + f"?year={year}").content.decode()


def test_oversight_export(world, client):
    w = assessment_world(world)
    client.force_login(w.city_hrss)
    response = client.get(reverse("assessment:oversight_xlsx") + f"?year={timezone.localdate().year}")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "院校" and rows[1][0] == "安徽工业大学"
