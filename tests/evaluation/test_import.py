"""Transcript import: file formats and encodings, every check with its row/column/Chinese message, the one
pipeline (read → check → write), all or nothing, idempotent re-import, export. The registrar's own files
(学信网 layout, DBF, .xls, LibreOffice-written) and zip bombs are in test_import_files.py."""

import csv
import io
import os
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from evaluation.demo import make_ric
from evaluation.importing import read, write
from evaluation.importing.columns import COLUMNS
from evaluation.importing.read import TableError
from evaluation.models import Graduate, ImportBatch
from evaluation.services import imports
from portal.models import AuditLog, RoleAssignment
from tests.evaluation.factories import GraduateFactory

HEADERS = [c.header for c in COLUMNS]
_rng = random.Random(11)


def good_row(number="2021000001", **overrides):
    row = {
        "院校名称": "", "学号": number, "姓名": "王小明", "性别": "男", "身份证号": make_ric(_rng, male=True),
        "毕业年份": "2025", "学历层次": "本科", "专业": "车辆工程", "是否试点专业": "是", "是否取得毕业证": "是",
        "毕业证书编号": "103601202505000001", "是否取得学位证": "是", "学位证书编号": "1036042025000001",
        "企业实践累计月数": "6", "专业排名百分比": "25.5", "毕业设计成绩": "良好", "全国计算机等级": "2",
        "思想政治条件": "合格", "年度综合考核": "良好", "身体条件": "合格", "继续教育学时": "已完成",
        "就业单位": "马鞍山钢铁股份有限公司", "是否省内就业": "是", "是否签订三方协议": "是", "是否已到岗": "是",
        "到岗日期": "2025-07-15", "单位性质": "企业",
    }
    row.update(overrides)
    return row


def csv_file(rows, *, headers=HEADERS, encoding="utf-8-sig", name="transcript.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for r in rows:
        writer.writerow([r.get(h, "") for h in headers] if isinstance(r, dict) else r)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows, *, headers=HEADERS, name="transcript.xlsx", title=None):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(headers)
    for r in rows:
        ws.append([r.get(h, "") for h in headers] if isinstance(r, dict) else r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload(actor, file, **kwargs):
    return imports.upload_transcript(actor=actor, upload=file, **kwargs)


def errors_of(batch):
    return [(row, column, message) for row, column, message in batch.errors]


# --- the happy path, twice ------------------------------------------------------------------------------


def test_preview_confirm_and_same_file_twice_changes_nothing(world):
    rows = [good_row(f"20210000{i:02d}") for i in range(3)]
    batch = upload(world.staff, csv_file(rows))
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.path == ImportBatch.Path.FAST
    assert (batch.rows, batch.new, batch.updated, batch.unchanged, batch.error_count) == (3, 3, 0, 0, 0)
    assert Graduate.objects.count() == 0  # the preview wrote nothing
    batch = imports.confirm_import(batch=batch, actor=world.staff)
    assert batch.status == ImportBatch.Status.IMPORTED
    g = Graduate.objects.get(student_number="2021000000")
    assert (g.institution, g.gender, g.degree_level, g.practice_months, float(g.major_rank_percent)) == \
        (world.inst, "M", "bachelor", 6, 25.5)
    assert g.has_diploma and g.on_duty and g.duty_start_date.isoformat() == "2025-07-15"
    stamps = dict(Graduate.objects.values_list("student_number", "updated_at"))

    again = upload(world.staff, csv_file(rows))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    again = imports.confirm_import(batch=again, actor=world.staff)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    assert dict(Graduate.objects.values_list("student_number", "updated_at")) == stamps  # nothing touched
    assert AuditLog.objects.filter(action="evaluation.import_transcript").count() == 2


def test_changed_row_is_updated_and_counted(world):
    rows = [good_row("2021000001"), good_row("2021000002")]
    imports.confirm_import(batch=upload(world.staff, csv_file(rows)), actor=world.staff)
    rows[1]["企业实践累计月数"] = "12"
    rows.append(good_row("2021000003"))
    batch = upload(world.staff, csv_file(rows))
    assert (batch.new, batch.updated, batch.unchanged) == (1, 1, 1)
    imports.confirm_import(batch=batch, actor=world.staff)
    assert Graduate.objects.get(student_number="2021000002").practice_months == 12
    assert Graduate.objects.count() == 3


def test_confirm_twice_is_refused(world):
    batch = upload(world.staff, csv_file([good_row()]))
    imports.confirm_import(batch=batch, actor=world.staff)
    with pytest.raises(ValidationError):
        imports.confirm_import(batch=ImportBatch.objects.get(pk=batch.pk), actor=world.staff)


def test_all_or_nothing_when_a_row_has_an_error(world):
    rows = [good_row("2021000001"), good_row("2021000002", 身份证号="340504200301011230"), good_row("2021000003")]
    batch = upload(world.staff, csv_file(rows))
    assert batch.status == ImportBatch.Status.INVALID
    assert Graduate.objects.count() == 0
    assert not batch.file  # an invalid file is not kept


def test_all_or_nothing_when_the_write_fails_half_way(world, monkeypatch):
    rows = [good_row(f"20210000{i:02d}") for i in range(5)]
    batch = upload(world.staff, csv_file(rows))
    # New rows are streamed to the database as they are classified: fail on the 4th row, after 3 were sent.
    real_is_new = write.StoredIndex.is_new
    calls = {"n": 0}

    def is_new(self, record):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("connection lost")
        return real_is_new(self, record)

    monkeypatch.setattr(write.StoredIndex, "is_new", is_new)
    with pytest.raises(RuntimeError):
        imports.confirm_import(batch=batch, actor=world.staff)
    assert Graduate.objects.count() == 0
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PREVIEWED


# --- formats and encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_encodings_are_recognised(world, encoding):
    rows = [good_row(姓名="张𠮷" if encoding in ("gb18030", "utf-8", "utf-8-sig", "utf-16") else "张三",
                     专业="机械设计制造及其自动化")]
    batch = upload(world.staff, csv_file(rows, encoding=encoding))
    assert batch.error_count == 0, batch.errors
    imports.confirm_import(batch=batch, actor=world.staff)
    g = Graduate.objects.get()
    assert g.major == "机械设计制造及其自动化" and g.name == rows[0]["姓名"]


def test_xlsx_with_a_title_row_and_text_id_numbers(world):
    rows = [good_row("2021000001"), good_row("2021000002", 身份证号="")]
    batch = upload(world.staff, xlsx_file(rows, title="安徽工业大学2025届毕业生成绩单"))
    assert errors_of(batch) == [(4, "身份证号", "身份证号不能为空")]  # title row 1, headers row 2


def test_xlsx_import(world):
    batch = upload(world.staff, xlsx_file([good_row("2021000001"), good_row("2021000002")]))
    assert batch.error_count == 0, batch.errors
    imports.confirm_import(batch=batch, actor=world.staff)
    assert Graduate.objects.count() == 2


def test_xlsx_id_number_stored_as_a_number(world):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    row = good_row()
    ws.append([float(row[h]) if h == "身份证号" else row[h] for h in HEADERS])
    out = io.BytesIO()
    wb.save(out)
    batch = upload(world.staff, SimpleUploadedFile("t.xlsx", out.getvalue()))
    (line, column, message), = errors_of(batch)
    assert (line, column) == (2, "身份证号") and "Excel" in message


def test_english_aliases_and_full_width_headers(world):
    headers = ["student_number", "name", "gender", "id_number", "graduation_year", "degree", "major",
               "practice_months", "rank_percent"]
    row = good_row()
    values = [row["学号"], row["姓名"], "male", row["身份证号"], "2025", "bachelor", "Vehicle Engineering", "4", "30"]
    batch = upload(world.staff, csv_file([values], headers=headers))
    assert batch.error_count == 0, batch.errors
    imports.confirm_import(batch=batch, actor=world.staff)
    g = Graduate.objects.get()
    assert (g.gender, g.practice_months, float(g.major_rank_percent)) == ("M", 4, 30.0)


# --- malformed files ------------------------------------------------------------------------------------


def test_wrong_headers(world):
    with pytest.raises(TableError, match="未找到表头"):
        upload(world.staff, csv_file([["1", "2", "3"]], headers=["foo", "bar", "baz"]))
    batch = upload(world.staff, csv_file([["2021", "张三", "男"]], headers=["学号", "姓名", "性别"]))
    (line, column, message), = errors_of(batch)
    assert line == 1 and message.startswith("缺少必需的列：身份证号、毕业年份、学历层次、专业")


def test_duplicate_columns(world):
    headers = HEADERS + ["公民身份号码"]
    batch = upload(world.staff, csv_file([list(good_row().values()) + ["x"]], headers=headers))
    assert "重复" in batch.errors[0][2]


@pytest.mark.parametrize("value, message", [
    ("340504200301011230", "身份证号校验位错误"),
    ("34050420030101123", "身份证号应为18位，实际为17位"),
    ("3405042003013112XX", "身份证号前17位须为数字，末位为数字或X"),
    ("", "身份证号不能为空"),
    ("3.40504200301011E+17", "疑似被 Excel 转为数字"),
])
def test_bad_id_numbers(world, value, message):
    batch = upload(world.staff, csv_file([good_row("2021000001"), good_row("2021000002", 身份证号=value)]))
    assert batch.status == ImportBatch.Status.INVALID
    (line, column, text), = errors_of(batch)
    assert (line, column) == (3, "身份证号") and message in text


def test_bad_birth_date_in_id_number(world):
    body = "34050420030231123"  # 31 February
    value = body + "0"
    from portal.identifiers import check_ric
    for digit in "0123456789X":
        if check_ric(body + digit).error != "身份证号校验位错误":
            value = body + digit
            break
    batch = upload(world.staff, csv_file([good_row(身份证号=value)]))
    assert errors_of(batch) == [(2, "身份证号", "身份证号中的出生日期无效")]


def test_unknown_place_code_is_a_warning(world):
    value = make_ric(random.Random(3), place="340209", birth="19900307")  # a 2020 code, an older birth year
    batch = upload(world.staff, csv_file([good_row(身份证号=make_ric(random.Random(4), place="349999"))]))
    assert batch.error_count == 0 and batch.warnings == [["身份证号", "地址码未收录于行政区划代码表，已接受，请核对", 1, [2]]]
    assert upload(world.staff, csv_file([good_row("2021000009", 身份证号=value)])).error_count == 0


def test_every_error_has_row_column_and_a_chinese_message(world):
    bad = good_row("2021000002", 性别="未知", 毕业年份="25", 学历层次="中专", 是否试点专业="可能",
                   企业实践累计月数="-1", 专业排名百分比="0", 毕业设计成绩="A+", 全国计算机等级="5", 年度综合考核="很好",
                   到岗日期="2025-02-30", 学号="20 21")
    batch = upload(world.staff, csv_file([good_row("2021000001"), bad]))
    columns = {column for _line, column, _m in errors_of(batch)}
    assert columns == {"学号", "性别", "毕业年份", "学历层次", "是否试点专业", "企业实践累计月数", "专业排名百分比",
                       "毕业设计成绩", "全国计算机等级", "年度综合考核", "到岗日期"}
    assert all(line == 3 for line, _c, _m in errors_of(batch))
    messages = " ".join(m for _l, _c, m in errors_of(batch))
    assert "性别“未知”无效" in messages and "应为四位年份" in messages and "到岗日期“2025-02-30”无效" in messages


def test_junior_college_cannot_have_a_degree(world):
    batch = upload(world.staff, csv_file([good_row(学历层次="专科", 是否取得学位证="是")]))
    assert errors_of(batch) == [(2, "是否取得学位证", "专科不授予学位，“是否取得学位证”应为“否”")]


def test_duplicate_student_number_in_the_file(world):
    batch = upload(world.staff, csv_file([good_row("2021000001"), good_row("2021000001")]))
    assert errors_of(batch) == [(3, "学号", "学号与第2行重复")]


def test_empty_files(world):
    with pytest.raises(TableError, match="文件为空"):
        upload(world.staff, SimpleUploadedFile("t.csv", b""))
    with pytest.raises(TableError, match="文件为空"):
        upload(world.staff, SimpleUploadedFile("t.csv", b"\n\n  \n"))
    batch = upload(world.staff, csv_file([]))
    assert errors_of(batch) == [(2, "", "文件中没有数据行。")]


def test_ten_megabytes_of_junk(world, settings):
    settings.EVALUATION_IMPORT_BACKGROUND_MB = 100  # read in the request (test_import_files: in Celery)
    junk = os.urandom(10 * 1024 * 1024)
    with pytest.raises(TableError, match="无法识别文件编码|未找到表头|二进制"):
        upload(world.staff, SimpleUploadedFile("t.csv", junk))
    with pytest.raises(TableError, match="不是有效的 XLSX"):
        upload(world.staff, SimpleUploadedFile("t.xlsx", junk))
    with pytest.raises(TableError, match="未找到表头"):
        upload(world.staff, SimpleUploadedFile("t.csv", b"lorem,ipsum\n" * (10 * 1024 * 1024 // 12)))
    with pytest.raises(TableError, match="无法读取 XLSX"):
        upload(world.staff, SimpleUploadedFile("t.xlsx", b"PK\x03\x04" + junk[:100000]))
    with pytest.raises(TableError, match="无法读取 XLS 文件"):
        upload(world.staff, SimpleUploadedFile("t.xls", b"\xd0\xcf\x11\xe0" + junk[:1000]))
    with pytest.raises(TableError, match="不是有效的 XLS 文件"):
        upload(world.staff, SimpleUploadedFile("t.xls", junk[:1000]))
    with pytest.raises(TableError, match="不是有效的 DBF 文件|无法读取 DBF"):
        upload(world.staff, SimpleUploadedFile("t.dbf", b"\x01" + junk[:1000]))
    assert Graduate.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_size_limit_is_checked_before_parsing(world, settings, monkeypatch):
    settings.EVALUATION_IMPORT_MAX_MB = 1

    def parse(*args, **kwargs):
        raise AssertionError("parsed a file over the size limit")

    monkeypatch.setattr(read, "_read_csv", parse)
    big = SimpleUploadedFile("t.csv", b"x" * (2 * 1024 * 1024))
    with pytest.raises(TableError, match=r"文件大小为2\.0MB，超过上限1MB，未予解析"):
        upload(world.staff, big)


def test_size_limit_through_the_page(world, client, settings):
    settings.EVALUATION_IMPORT_MAX_MB = 1
    client.force_login(world.staff)
    response = client.post(reverse("evaluation:import_start"),
                           {"file": SimpleUploadedFile("t.csv", b"x" * (2 * 1024 * 1024))})
    assert response.status_code == 400
    assert "超过上限1MB，未予解析" in response.content.decode()


def test_formulas_are_refused(world):
    rows = [good_row("2021000001", 姓名="=HYPERLINK(\"http://evil\")"), good_row("2021000002", 就业单位="@SUM(A1)"),
            good_row("2021000003", 专业="+cmd|' /C calc'!A0"), good_row("2021000004", 企业实践累计月数="=1+1")]
    batch = upload(world.staff, csv_file(rows))
    found = {(line, column) for line, column, _m in errors_of(batch)}
    assert found == {(2, "姓名"), (3, "就业单位"), (4, "专业"), (5, "企业实践累计月数")}
    assert "疑似公式" in batch.errors[0][2]


def test_formula_cell_in_xlsx_is_refused(world):
    rows = [good_row(姓名="=CONCAT(\"张\",\"三\")")]
    batch = upload(world.staff, xlsx_file(rows))
    assert errors_of(batch)[0][:2] == (2, "姓名")


# --- whose records -------------------------------------------------------------------------------------


def test_staff_cannot_import_another_institutions_row(world):
    rows = [good_row("2021000001", 院校名称=world.inst.name), good_row("2021000002", 院校名称=world.other_inst.name),
            good_row("2021000003", 院校名称=world.other_inst.uscc)]
    batch = upload(world.staff, csv_file(rows))
    assert [(line, column) for line, column, _m in errors_of(batch)] == [(3, "院校名称"), (4, "院校名称")]
    assert "您只能导入本校（安徽工业大学）的毕业生记录" in batch.errors[0][2]
    assert Graduate.objects.count() == 0


def test_site_admin_imports_for_any_institution(world):
    rows = [good_row("2021000001", 院校名称=world.inst.name), good_row("2021000002", 院校名称=world.other_inst.uscc),
            good_row("2021000003")]
    batch = upload(world.admin, csv_file(rows))
    assert errors_of(batch) == [(4, "院校名称", "请填写院校名称")]
    batch = upload(world.admin, csv_file(rows), default_institution=world.other_inst)
    imports.confirm_import(batch=batch, actor=world.admin)
    assert dict(Graduate.objects.values_list("student_number", "institution_id")) == {
        "2021000001": world.inst.pk, "2021000002": world.other_inst.pk, "2021000003": world.other_inst.pk}
    unknown = upload(world.admin, csv_file([good_row(院校名称="不存在大学")]))
    assert "院校“不存在大学”不存在" in unknown.errors[0][2]


def test_same_student_number_in_two_institutions(world):
    GraduateFactory(institution=world.other_inst, student_number="2021000001")
    batch = upload(world.staff, csv_file([good_row("2021000001")]))
    assert (batch.new, batch.unchanged) == (1, 0)
    imports.confirm_import(batch=batch, actor=world.staff)
    assert Graduate.objects.filter(student_number="2021000001").count() == 2


def test_a_registrar_moved_to_another_school_no_longer_sees_the_old_schools_batch(world, client):
    batch = upload(world.staff, csv_file([good_row()]))
    client.force_login(world.staff)
    assert client.get(reverse("evaluation:import_detail", args=[batch.pk])).status_code == 200
    assert reverse("evaluation:import_detail", args=[batch.pk]) in client.get(
        reverse("evaluation:import_start")).content.decode()
    RoleAssignment.objects.filter(user=world.staff, institution=world.inst).update(institution=world.other_inst)
    assert client.get(reverse("evaluation:import_detail", args=[batch.pk])).status_code == 404
    recent = client.get(reverse("evaluation:import_start")).content.decode()
    assert reverse("evaluation:import_detail", args=[batch.pk]) not in recent  # nor among the recent uploads
    assert client.post(reverse("evaluation:import_confirm", args=[batch.pk])).status_code == 404
    assert Graduate.objects.count() == 0


def test_another_users_batch_is_hidden(world, client):
    batch = upload(world.staff, csv_file([good_row()]))
    client.force_login(world.other_staff)
    assert client.get(reverse("evaluation:import_detail", args=[batch.pk])).status_code == 404
    assert client.post(reverse("evaluation:import_confirm", args=[batch.pk])).status_code == 404
    assert Graduate.objects.count() == 0
