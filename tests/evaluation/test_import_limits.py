"""Transcript import: limits checked before a file is read (issue 14 item 7; split from test_import_files.py)."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation.importing import read, workbooks
from evaluation.importing.read import TableError
from evaluation.models import ImportBatch
from tests.evaluation import files
from tests.evaluation.test_import import csv_file, good_row, upload, xlsx_file
from tests.evaluation.test_import_files import MB, unique_rics, xuexin_records

# --- issue 14 item 7: limits before reading ---------------------------------------------------------------------


def test_a_zip_bomb_xlsx_is_refused_before_inflating(world, settings):
    settings.EVALUATION_IMPORT_MAX_UNCOMPRESSED_MB = 5
    bomb = files.zip_bomb_xlsx(20)
    assert len(bomb) < 100_000  # small on disk
    with pytest.raises(TableError, match="解压后超过5MB，未予解压（疑似压缩炸弹）"):
        upload(world.staff, SimpleUploadedFile("bomb.xlsx", bomb))
    settings.EVALUATION_IMPORT_MAX_UNCOMPRESSED_MB = 1024
    with pytest.raises(TableError, match="压缩比异常.*疑似压缩炸弹"):
        upload(world.staff, SimpleUploadedFile("bomb.xlsx", bomb))
    assert ImportBatch.objects.count() == 0


def test_too_many_members_and_too_many_rows(world, settings):
    with pytest.raises(TableError, match="包含300个成员，超过上限200个"):
        upload(world.staff, SimpleUploadedFile("many.xlsx", files.many_members_zip(300)))
    settings.EVALUATION_IMPORT_MAX_ROWS = 100
    rows = [good_row(f"2021{i:06d}", 身份证号=ric) for i, ric in enumerate(unique_rics(150))]
    for file in (csv_file(rows), xlsx_file(rows)):
        with pytest.raises(TableError, match=r"超过上限100行，未予解析"):
            upload(world.staff, file)
    # counted exactly as the rows are read: 101 data rows are refused (the pre-check allows a few title lines)
    for file in (csv_file(rows[:101]), xlsx_file(rows[:101])):
        batch = upload(world.staff, file)  # found while reading: the batch ends 有错误 with the message
        assert batch.status == ImportBatch.Status.INVALID and "文件有101行，超过上限100行" in batch.errors[0][2]
    assert upload(world.staff, csv_file(rows[:100])).rows == 100
    records = xuexin_records() * 50
    with pytest.raises(TableError, match=r"文件有150行，超过上限100行"):
        upload(world.staff, SimpleUploadedFile("BYSXX.DBF", files.dbf_bytes(files.XUEXIN_FIELDS, records)))


def test_a_declared_dimension_over_the_row_limit_is_refused_before_reading(world, settings, monkeypatch):
    settings.EVALUATION_IMPORT_MAX_ROWS = 100

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    data = xlsx_file([good_row()]).read()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="A1:([A-Z]+)2"', rb'<dimension ref="A1:\g<1>2000000"', content)
                assert b"2000000" in content
            dst.writestr(info, content)
    monkeypatch.setattr(workbooks, "load_workbook", never)
    with pytest.raises(TableError, match="文件有2000000行，超过上限100行"):
        upload(world.staff, SimpleUploadedFile("declared.xlsx", out.getvalue()))


def test_a_fifty_megabyte_upload_is_refused_before_parsing(world, monkeypatch, client):
    def never(*args, **kwargs):
        raise AssertionError("parsed a file over the size limit")

    for name in ("_read_csv", "_read_xlsx", "_read_xls", "_read_dbf"):
        monkeypatch.setattr(read, name, never)
    for name in ("t.xlsx", "t.csv", "t.dbf"):
        big = SimpleUploadedFile(name, b"PK\x03\x04")
        big.size = 50 * MB  # declared by the upload handler before the body is read
        with pytest.raises(TableError, match=r"文件大小为50\.0MB，超过上限30MB，未予解析"):
            upload(world.staff, big)
    assert ImportBatch.objects.count() == 0


def test_with_the_broker_down_a_big_file_is_previewed_in_the_request(world, settings, broker,
                                                                       django_capture_on_commit_callbacks):
    settings.EVALUATION_IMPORT_BACKGROUND_MB = 0
    broker.down()
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(world.staff, csv_file([good_row()]))
    batch.refresh_from_db()
    assert (batch.status, batch.new) == (ImportBatch.Status.PREVIEWED, 1)
