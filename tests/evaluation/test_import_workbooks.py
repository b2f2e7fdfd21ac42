"""Spreadsheets read as the registrar sees them (the import audit of 2026-12-07), through the one pipeline:

- a hidden sheet before the visible one is never imported (XLSX and .xls);
- a 专业排名百分比 shown as 25.5% (a number 0.255 in a percent format) is 25.5, not "top 0.255%";
- a formula in an .xls is refused with its cell, as in an XLSX, not its cached value taken;
- a 学信网 DBF cut short is refused, not read as fewer rows;
- an XLSX whose shared-string table holds far more strings than its cells is refused before openpyxl loads it;
- an export says nothing (blank) where a 一(六) condition is unknown, so re-importing it keeps it unknown."""

import datetime
import io
import random
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from evaluation import tasks
from evaluation.demo import make_ric
from evaluation.importing import workbooks
from evaluation.importing.read import TableError
from evaluation.models import Graduate, ImportBatch
from evaluation.resources import GraduateResource
from evaluation.services import imports
from tests.evaluation import files
from tests.evaluation.test_import import HEADERS, csv_file, good_row, upload


def _rows(prefix, n, **overrides):
    rng = random.Random(prefix)
    return [good_row(f"{prefix}{i:04d}", 身份证号=make_ric(rng, male=True), **overrides) for i in range(n)]


def _workbook(*, hidden_first=None, rows=(), percent_rank=None, formula_months=None):
    book = Workbook()
    visible = book.active
    if hidden_first is not None:
        old = visible
        old.title = "旧数据"
        old.append(HEADERS)
        for r in hidden_first:
            old.append([r[h] for h in HEADERS])
        old.sheet_state = "hidden"
        visible = book.create_sheet("名单")
        book.active = 1
    visible.append(HEADERS)
    for r in rows:
        visible.append([r[h] for h in HEADERS])
    rank, months = HEADERS.index("专业排名百分比") + 1, HEADERS.index("企业实践累计月数") + 1
    if percent_rank is not None:
        cell = visible.cell(row=2, column=rank, value=percent_rank)
        cell.number_format = "0.0%"
    if formula_months is not None:
        visible.cell(row=2, column=months, value=formula_months)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def saved():
    """The same workbooks as XLSX and as LibreOffice's .xls."""
    old, new = _rows("2019", 2), _rows("2021", 3)
    made = {"hidden": _workbook(hidden_first=old, rows=new), "percent": _workbook(rows=new[:1], percent_rank=0.255),
            "formula": _workbook(rows=new[:1], formula_months="=3+3")}
    return old, new, {(k, "xlsx"): v for k, v in made.items()} | {
        (k, "xls"): files.soffice_resave(v, "xlsx", "xls") for k, v in made.items()}


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_a_hidden_first_sheet_is_not_what_is_imported(world, saved, fmt):
    old, new, made = saved
    batch = upload(world.staff, SimpleUploadedFile(f"t.{fmt}", made["hidden", fmt]))
    assert (batch.status, batch.new, batch.error_count) == (ImportBatch.Status.PREVIEWED, 3, 0), batch.errors
    imports.confirm_import(batch=batch, actor=world.staff)
    numbers = set(Graduate.objects.values_list("student_number", flat=True))
    assert numbers == {r["学号"] for r in new} and not numbers & {r["学号"] for r in old}


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_a_rank_shown_as_a_percentage_is_read_as_shown(world, saved, fmt):
    batch = upload(world.staff, SimpleUploadedFile(f"t.{fmt}", saved[2]["percent", fmt]))
    assert batch.error_count == 0, batch.errors
    imports.confirm_import(batch=batch, actor=world.staff)
    assert float(Graduate.objects.get().major_rank_percent) == 25.5


def test_a_formula_in_an_xls_is_refused_with_its_cell(world, saved):
    column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[HEADERS.index("企业实践累计月数")]
    with pytest.raises(TableError, match=f"第2行{column}列是公式"):
        upload(world.staff, SimpleUploadedFile("t.xls", saved[2]["formula", "xls"]))
    batch = upload(world.staff, SimpleUploadedFile("t.xlsx", saved[2]["formula", "xlsx"]))  # refused per cell
    assert batch.status == ImportBatch.Status.INVALID and batch.error_count == 1
    assert ImportBatch.objects.count() == 1 and not Graduate.objects.exists()


def _xuexin(n):
    rng = random.Random(3)
    return files.dbf_bytes(files.XUEXIN_FIELDS, [
        ["25340501000001", f"20210101{i:02d}", "张明", "男", datetime.date(2003, 5, 1), make_ric(rng, male=True),
         "080207", "车辆工程", "本科", "4", "普通全日制", datetime.date(2021, 9, 1), datetime.date(2025, 6, 30),
         "毕业", "", "", ""] for i in range(n)])


def test_a_dbf_cut_short_is_refused_not_read_as_fewer_rows(world):
    whole = _xuexin(5)
    record_length = int.from_bytes(whole[10:12], "little")
    with pytest.raises(TableError, match="文件头声明5条记录，文件只包含4条"):
        upload(world.staff, SimpleUploadedFile("xj.dbf", whole[:-1 - record_length]))  # the last record lost
    with pytest.raises(TableError, match="文件头声明5条记录，文件只包含3条"):
        upload(world.staff, SimpleUploadedFile("xj.dbf", whole[:-1 - record_length - 7]))  # cut mid-record
    with pytest.raises(TableError, match="文件头已损坏"):
        upload(world.staff, SimpleUploadedFile("xj.dbf", whole[:40]))
    assert ImportBatch.objects.count() == 0
    assert upload(world.staff, SimpleUploadedFile("xj.dbf", whole)).rows == 5


def test_a_shared_string_bomb_is_refused_before_it_is_loaded(world, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("loaded a workbook whose shared strings are out of proportion")

    monkeypatch.setattr(workbooks, "load_workbook", never)
    with pytest.raises(TableError, match="共享字符串表异常（200000条，而工作表只有1个单元格）"):
        upload(world.staff, SimpleUploadedFile("bomb.xlsx", files.shared_strings_bomb_xlsx(200_000)))
    assert ImportBatch.objects.count() == 0


def test_an_export_leaves_unknown_blank_and_a_reimport_keeps_it_unknown(world):
    row = good_row("2021009999", 思想政治条件="", 身体条件="", 继续教育学时="")
    batch = upload(world.staff, SimpleUploadedFile("t.xlsx", _workbook(rows=[row])))
    imports.confirm_import(batch=batch, actor=world.staff)
    graduate = Graduate.objects.get()
    assert (graduate.conduct_ok, graduate.physically_fit, graduate.continuing_education_done) == (None, None, None)
    exported = GraduateResource().export(Graduate.objects.all())
    line = exported.dict[0]
    assert {line[h] for h in ("思想政治条件", "身体条件", "继续教育学时") if h in line} <= {""}


def test_a_preview_no_worker_took_says_so_and_the_sweeper_sends_it_again(world, client, settings,
                                                                          django_capture_on_commit_callbacks):
    """The broker reachable but no worker running: the preview's message waits in the queue and the page showed
    "检查中 0 / 0" for ever. Past the sweeper's grace period the page says the work is waiting, and the sweeper
    sends the preview again (it is idempotent)."""
    settings.EVALUATION_IMPORT_BACKGROUND_MB = 0
    client.force_login(world.staff)
    with django_capture_on_commit_callbacks(execute=False):  # sent, never run: no worker
        client.post(reverse("evaluation:import_start"), {"file": csv_file([good_row()])})
    batch = ImportBatch.objects.get()
    detail = reverse("evaluation:import_detail", args=[batch.pk])
    assert 'data-testid="import-stalled"' not in client.get(detail).content.decode()
    assert tasks.sweep_stale_imports() == {"imports": 0, "previews": 0}  # not stale yet
    waited = batch.created_at - timedelta(seconds=settings.WORK_SWEEP_GRACE_SECONDS + 1)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=waited)
    page = client.get(detail).content.decode()
    assert 'data-testid="import-stalled"' in page and "文件已保存，尚未开始检查" in page
    assert tasks.sweep_stale_imports(now=timezone.now()) == {"imports": 0, "previews": 1}  # a worker runs it
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.new == 1
    assert tasks.sweep_stale_imports() == {"imports": 0, "previews": 0}
