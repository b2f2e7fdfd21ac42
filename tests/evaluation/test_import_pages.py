"""Transcript import through the pages: the template, upload → preview → confirm, export (split from test_import.py)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.importing.read import TableError
from evaluation.models import Graduate, ImportBatch
from evaluation.services import imports
from portal.models import AuditLog
from tests.evaluation.factories import GraduateFactory
from tests.evaluation.test_import import HEADERS, csv_file, good_row, upload

# --- the pages --------------------------------------------------------------------------------------------


def test_template_downloads_and_reimports(world, client):
    client.force_login(world.staff)
    response = client.get(reverse("evaluation:import_template"))
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    assert [c.value for c in ws[1]] == HEADERS
    row = good_row()
    for i, h in enumerate(HEADERS, 1):
        ws.cell(row=2, column=i, value=row[h])
    out = io.BytesIO()
    wb.save(out)
    batch = upload(world.staff, SimpleUploadedFile("filled.xlsx", out.getvalue()))
    assert batch.error_count == 0 and batch.new == 1, batch.errors
    text = client.get(reverse("evaluation:import_template") + "?format=csv").content.decode("utf-8-sig")
    assert text.splitlines()[0].split(",") == HEADERS


def test_upload_preview_confirm_through_the_pages(world, client):
    client.force_login(world.staff)
    bad = csv_file([good_row("2021000001"), good_row("2021000002", 身份证号="340504200301011230")])
    response = client.post(reverse("evaluation:import_start"), {"file": bad}, follow=True)
    page = response.content.decode()
    assert "第3行" in page and "身份证号" in page and "身份证号校验位错误" in page and "确认导入" not in page
    response = client.post(reverse("evaluation:import_start"), {"file": csv_file([good_row("2021000001")])},
                           follow=True)
    batch = response.context["batch"]
    assert "确认导入" in response.content.decode()
    response = client.post(reverse("evaluation:import_confirm", args=[batch.pk]), follow=True)
    assert "导入完成：新增1条" in response.content.decode()
    assert Graduate.objects.get().institution == world.inst


# --- export ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_neutralises_formulas_and_masks_ids(world, client, fmt):
    g = GraduateFactory(institution=world.inst, name="=cmd|' /C calc'!A0", employer="@SUM(1)", major="-2+3")
    GraduateFactory(institution=world.other_inst, name="他校学生")
    client.force_login(world.staff)
    response = client.get(reverse("evaluation:export"), {"format": fmt})
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        rows = [[c if c is not None else "" for c in r] for r in
                load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    assert len(rows) == 2  # own institution only
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["姓名"] == "'=cmd|' /C calc'!A0" and record["就业单位"] == "'@SUM(1)" and record["专业"] == "'-2+3"
    assert record["身份证号"] == g.masked_id_number and g.id_number not in str(rows)
    assert not AuditLog.objects.filter(action="evaluation.export_full_ids").exists()


def test_export_with_full_ids_is_audited_and_reimports(world, client):
    g = GraduateFactory(institution=world.inst)
    client.force_login(world.staff)
    response = client.get(reverse("evaluation:export"), {"format": "csv", "full_ids": "on"})
    assert g.id_number in response.content.decode("utf-8-sig")
    assert AuditLog.objects.filter(action="evaluation.export_full_ids", actor=world.staff).exists()
    batch = upload(world.staff, SimpleUploadedFile("export.csv", response.content))
    assert (batch.error_count, batch.unchanged) == (0, 1), batch.errors  # an export re-imports unchanged


def test_malformed_csv_is_a_clear_error(world):
    big_field = "x" * 200_000  # over csv's field size limit
    with pytest.raises(TableError, match="有超过131072个字符的单元格，不是成绩单数据"):
        upload(world.staff, csv_file([good_row(), good_row("2021000002", 姓名=big_field)]))


def test_site_admin_import_through_the_django_admin(world, client):
    """The admin's import is the same pipeline: upload there, preview and confirm on the portal's page."""
    client.force_login(world.admin)
    url = reverse("admin:evaluation_graduate_import")
    page = client.get(url)
    assert page.status_code == 200 and "同一条导入流程" in page.content.decode()
    rows = [good_row("2021000001", 院校名称=world.inst.name), good_row("2021000002", 院校名称=world.other_inst.name)]
    response = client.post(url, {"file": csv_file(rows), "kind": "full", "graduation_year": "2025"})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("evaluation:import_detail", args=[batch.pk])
    assert (batch.status, batch.new, batch.path) == (ImportBatch.Status.PREVIEWED, 2, ImportBatch.Path.FAST)
    imports.confirm_import(batch=batch, actor=world.admin)
    assert Graduate.objects.count() == 2
    bad = client.post(url, {"file": csv_file([good_row(身份证号="340504200301011230")]), "kind": "full"},
                      follow=True)
    assert "身份证号校验位错误" in bad.content.decode()
    junk = client.post(url, {"file": SimpleUploadedFile("t.pdf", b"%PDF-1.4"), "kind": "full"})
    assert junk.status_code == 400 and "只接受 CSV、XLSX、XLS 或 DBF 文件" in junk.content.decode()
    client.force_login(world.staff)
    assert client.get(url).status_code in (302, 403)
