"""Imports as registrars have them (issue #15 items 6–13a, issue #14 item 7): a file without 毕业年份, full-width
digits, unknown columns, the same person twice or under a new 学号, grouped warnings, the template's example row
and explanation sheet, .xls, files written by LibreOffice, the 学信网 layout (DBF, GBK; its Excel export) with a
supplement joined on 学号 or 身份证号, and zip bombs / row and size limits refused before reading."""

import datetime as dt
import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluation.demo import make_ric
from evaluation.models import Graduate, ImportBatch
from evaluation.services import imports
from tests.evaluation import files
from tests.evaluation.test_import import HEADERS, csv_file, errors_of, good_row, upload, xlsx_file

rng = random.Random(15)
MB = 1024 * 1024


def unique_rics(n):
    found = set()
    while len(found) < n:
        found.add(make_ric(rng))
    return sorted(found)


def confirm(batch, actor, **kwargs):
    return imports.confirm_import(batch=batch, actor=actor, **kwargs)


# --- item 6: no 毕业年份 column -----------------------------------------------------------------------------


def test_year_comes_from_the_form_when_the_column_is_absent(world):
    headers = [h for h in HEADERS if h != "毕业年份"]
    batch = upload(world.staff, csv_file([good_row()], headers=headers), graduation_year=2024)
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors
    confirm(batch, world.staff)
    assert Graduate.objects.get().graduation_year == 2024
    # The column, when present, wins over the form.
    batch = upload(world.staff, csv_file([good_row("2021000002")]), graduation_year=2024)
    confirm(batch, world.staff)
    assert Graduate.objects.get(student_number="2021000002").graduation_year == 2025


def test_without_column_or_form_year_the_file_is_refused_with_a_hint(world):
    headers = [h for h in HEADERS if h != "毕业年份"]
    batch = upload(world.staff, csv_file([good_row()], headers=headers))
    assert errors_of(batch) == [(1, "", "缺少必需的列：毕业年份（或在导入页面选择毕业年份）")]


def test_the_page_offers_the_current_cohort_as_default_year(world, client):
    client.force_login(world.staff)
    form = client.get(reverse("evaluation:import_start")).context["form"]
    assert form.fields["graduation_year"].initial == timezone.localdate().year
    headers = [h for h in HEADERS if h != "毕业年份"]
    response = client.post(reverse("evaluation:import_start"),
                           {"file": csv_file([good_row()], headers=headers), "graduation_year": "2023"}, follow=True)
    assert response.context["batch"].status == ImportBatch.Status.PREVIEWED
    confirm(response.context["batch"], world.staff)
    assert Graduate.objects.get().graduation_year == 2023


# --- item 7: full-width digits ----------------------------------------------------------------------------


def test_full_width_digits_are_normalised_in_every_cell(world):
    row = good_row()
    wide = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    ric = row["身份证号"]
    row.update({"身份证号": ric.translate(wide), "学号": "２０２１０００００１", "毕业年份": "２０２５",
                "企业实践累计月数": "６", "专业": "车辆工程（卓越班）"})
    batch = upload(world.staff, csv_file([row], encoding="gbk"))
    assert batch.error_count == 0, batch.errors
    confirm(batch, world.staff)
    g = Graduate.objects.get()
    assert (g.id_number, g.student_number, g.graduation_year, g.practice_months, g.major) == \
        (ric, "2021000001", 2025, 6, "车辆工程(卓越班)")


# --- item 8: ignored columns --------------------------------------------------------------------------------


def test_unknown_columns_are_listed_as_ignored(world, client):
    headers = [*HEADERS, "辅导员", "备注"]
    batch = upload(world.staff, csv_file([{**good_row(), "辅导员": "李老师", "备注": "x"}], headers=headers))
    assert batch.columns_ignored == ["辅导员", "备注"] and batch.columns_used == HEADERS
    client.force_login(world.staff)
    page = client.get(reverse("evaluation:import_detail", args=[batch.pk])).content.decode()
    assert "忽略了 2 列（系统不使用，其内容不会导入）：辅导员、备注" in page


# --- item 9: one person, one record per school and cohort -------------------------------------------------------


def test_the_same_id_number_twice_in_a_file_is_refused_with_both_lines(world):
    first = good_row("2021000001")
    batch = upload(world.staff, csv_file([first, good_row("2021000002"),
                                          good_row("2021000003", 身份证号=first["身份证号"])]))
    assert errors_of(batch) == [(4, "身份证号", "身份证号与第2行重复：同一人在同一院校同一届只能有一条记录")]
    # Another cohort (a bachelor's graduate back for a master's) is another record.
    later = good_row("2025000001", 身份证号=first["身份证号"], 毕业年份="2028", 学历层次="硕士研究生")
    assert upload(world.staff, csv_file([first, later])).error_count == 0


def test_reimport_under_a_new_student_number_is_a_change_to_confirm(world, client):
    row = good_row("2021000001")
    confirm(upload(world.staff, csv_file([row])), world.staff)
    moved = {**row, "学号": "B2021000001"}
    batch = upload(world.staff, csv_file([moved, good_row("2021000002")]))
    assert (batch.new, batch.updated, batch.rekeyed, batch.unchanged) == (1, 0, 1, 0)
    assert batch.changes == [[2, "2021000001", "B2021000001", row["姓名"]]]
    client.force_login(world.staff)
    page = client.get(reverse("evaluation:import_detail", args=[batch.pk])).content.decode()
    assert "学号变更（请核对）" in page and "B2021000001" in page and 'name="accept_changes"' in page
    # Without the registrar's confirmation nothing is written.
    response = client.post(reverse("evaluation:import_confirm", args=[batch.pk]), follow=True)
    assert "请核对“学号变更”并勾选确认" in response.content.decode()
    assert Graduate.objects.count() == 1 and Graduate.objects.get().student_number == "2021000001"
    response = client.post(reverse("evaluation:import_confirm", args=[batch.pk]), {"accept_changes": "on"},
                           follow=True)
    assert "学号变更1条" in response.content.decode()
    assert sorted(Graduate.objects.values_list("student_number", flat=True)) == ["2021000002", "B2021000001"]


# --- item 10: every warning counted and grouped ---------------------------------------------------------------


def test_warnings_are_all_counted_and_grouped(world, client):
    # 叶集区 (341504) was set up in 2015: people born in 2003 there carry a code newer than their birth year.
    rows = [good_row(f"20210{i:05d}", 身份证号=make_ric(rng, place="341504", birth=f"2003{1 + i // 28:02d}{1 + i % 28:02d}"))
            for i in range(250)]
    # a male ID number of an old place code (never a second warning of its own), declared 女
    rows.append(good_row("2021099999", 性别="女", 身份证号=make_ric(rng, male=True, place="340104", birth="20030506")))
    batch = upload(world.staff, csv_file(rows))
    assert batch.error_count == 0 and batch.warning_count == 251, batch.warnings
    (column, message, count, lines), gender = batch.warnings
    assert (column, message, count) == ("身份证号", "地址码晚于出生年份（该行政区划2015年设立），已接受", 250)
    assert lines == list(range(2, 22))  # the first 20 lines; the count is complete
    assert gender[:3] == ["性别", "性别与身份证号第17位（奇数为男、偶数为女）不一致，请核对", 1]
    client.force_login(world.staff)
    page = client.get(reverse("evaluation:import_detail", args=[batch.pk])).content.decode()
    assert "251 条提示" in page and "250 行" in page and "地址码晚于出生年份" in page


# --- item 11: one path for every size ----------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2500])
def test_one_path_for_every_size(world, n):
    rows = [good_row(f"2021{i:06d}", 身份证号=ric) for i, ric in enumerate(unique_rics(n))]
    batch = upload(world.staff, csv_file(rows, encoding="gb18030"), background=False)
    assert (batch.path, batch.new, batch.error_count) == (ImportBatch.Path.FAST, n, 0)
    confirm(batch, world.staff)
    assert Graduate.objects.count() == n


def test_a_big_file_is_previewed_in_celery_and_the_page_polls(world, client, settings,
                                                               django_capture_on_commit_callbacks):
    settings.EVALUATION_IMPORT_BACKGROUND_MB = 0
    client.force_login(world.staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("evaluation:import_start"), {"file": csv_file([good_row()])})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == ImportBatch.Status.CHECKING
    page = client.get(reverse("evaluation:import_detail", args=[batch.pk])).content.decode()
    assert "正在后台逐行检查" in page and "evaluation/progress.js" in page and 'role="progressbar"' in page
    progress = client.get(reverse("evaluation:import_progress", args=[batch.pk])).json()
    assert progress["finished"] is False and progress["status"] == "checking"
    for callback in callbacks:  # the worker runs the task (eager in tests)
        callback()
    progress = client.get(reverse("evaluation:import_progress", args=[batch.pk])).json()
    assert progress == {"status": "previewed", "status_label": "待确认", "done": 1, "total": 1, "percent": 100,
                        "finished": True}
    assert "确认导入" in client.get(reverse("evaluation:import_detail", args=[batch.pk])).content.decode()


def test_an_unreadable_big_file_ends_invalid_with_the_message(world, settings, django_capture_on_commit_callbacks):
    settings.EVALUATION_IMPORT_BACKGROUND_MB = 0
    settings.EVALUATION_IMPORT_MAX_UNCOMPRESSED_MB = 5
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(world.staff, SimpleUploadedFile("bomb.xlsx", files.zip_bomb_xlsx(20)))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID and not batch.file
    assert "疑似压缩炸弹" in batch.errors[0][2]


# --- item 12: the template ---------------------------------------------------------------------------------------


def test_template_has_a_skipped_example_row_and_an_explanation_sheet(world, client):
    client.force_login(world.staff)
    content = client.get(reverse("evaluation:import_template")).content
    wb = load_workbook(io.BytesIO(content))
    sheet, guide = wb.worksheets
    assert [c.value for c in sheet[1]] == HEADERS
    example = dict(zip(HEADERS, [c.value for c in sheet[2]], strict=True))
    assert example["学号"].startswith("示例") and example["姓名"] == "张明"
    text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "文本" in text and "科学计数法" in text and "示例" in text
    assert all(h in text for h in HEADERS) and "男、女" in text and "YJBYRQ" in text
    # Imported as downloaded: the example row is skipped, not imported.
    batch = upload(world.staff, SimpleUploadedFile("template.xlsx", content))
    assert batch.examples_skipped == 1 and errors_of(batch) == [(2, "", "文件中没有数据行。")]
    # Filled in below the example: the example is skipped and the rest imported.
    row = good_row()
    sheet.append([row[h] for h in HEADERS])
    out = io.BytesIO()
    wb.save(out)
    batch = upload(world.staff, SimpleUploadedFile("filled.xlsx", out.getvalue()))
    assert (batch.examples_skipped, batch.new, batch.error_count) == (1, 1, 0), batch.errors
    text = client.get(reverse("evaluation:import_template") + "?format=csv").content.decode("utf-8-sig")
    assert text.splitlines()[1].split(",")[1].startswith("示例")


# --- item 13: .xls, and files written by LibreOffice -----------------------------------------------------------


@pytest.fixture(scope="module")
def office_files():
    """One registrar's CSV saved by LibreOffice as .xls and .xlsx: with the ID column as text, and by default."""
    ric = random.Random(5)
    rows = [good_row(f"20210000{i:02d}", 身份证号=make_ric(ric, male=True)) for i in range(3)]
    text = files.csv_text(HEADERS, [[r[h] for h in HEADERS] for r in rows])
    return rows, {
        "xls": files.soffice_convert(text, "xls", text_columns=len(HEADERS)),
        "xlsx": files.soffice_convert(text, "xlsx", text_columns=len(HEADERS)),
        "xlsx-default": files.soffice_convert(text, "xlsx"),
    }


@pytest.mark.parametrize("fmt", ["xls", "xlsx"])
def test_files_saved_by_libreoffice_import(world, office_files, fmt):
    rows, saved = office_files
    batch = upload(world.staff, SimpleUploadedFile(f"registrar.{fmt}", saved[fmt]))
    assert (batch.error_count, batch.new) == (0, 3), batch.errors
    confirm(batch, world.staff)
    assert sorted(Graduate.objects.values_list("id_number", flat=True)) == sorted(r["身份证号"] for r in rows)
    g = Graduate.objects.get(student_number="2021000000")
    assert (g.duty_start_date.isoformat(), float(g.major_rank_percent)) == ("2025-07-15", 25.5)


def test_libreoffice_default_save_turns_ids_into_numbers_and_says_so(world, office_files):
    _rows, saved = office_files
    batch = upload(world.staff, SimpleUploadedFile("registrar.xlsx", saved["xlsx-default"]))
    assert batch.status == ImportBatch.Status.INVALID
    assert {column for _l, column, _m in errors_of(batch)} <= {"身份证号", "学号", "毕业证书编号", "学位证书编号"}
    assert any("请将该列设为文本格式" in m for _l, _c, m in errors_of(batch))


def test_xls_gets_the_same_checks(world, office_files):
    _rows, saved = office_files
    first = upload(world.staff, SimpleUploadedFile("a.xls", saved["xls"]))
    confirm(first, world.staff)
    again = upload(world.staff, SimpleUploadedFile("a.xls", saved["xls"]))
    assert (again.new, again.unchanged) == (0, 3)
    other = upload(world.other_staff, SimpleUploadedFile("a.xls", saved["xls"]))
    assert other.new == 3  # another school's staff imports into their own school only


# --- item 13a: the 学信网 layout --------------------------------------------------------------------------------


def xuexin_records(n=3):
    out = []
    for i in range(n):
        male = i % 2 == 0
        ric = make_ric(rng, male=male, birth="20030315")
        level, code = ("专科", "06") if i == 2 else ("本科", "05")
        out.append([f"21340504{i:06d}", f"2021{i:06d}", ["王小明", "李娜", "张伟"][i % 3], "男" if male else "女",
                    dt.date(2003, 3, 15), ric, "080207", "车辆工程", level, "4", "普通全日制", dt.date(2021, 9, 1),
                    dt.date(2025, 6, 30), "结业" if i == 1 else "毕业",
                    f"1036012025{code}{i:06d}" if i != 1 else "", "机械工程学院", f"车辆21{i}"])
    return out


def test_xuexin_dbf_in_gbk_is_read_with_its_pinyin_headers(world):
    world.inst.school_code = "10360"
    world.inst.save()
    records = xuexin_records()
    records[0][14] = "103601202506000000"  # level 06 (专科) on a 本科 graduate: warned, not refused
    data = files.dbf_bytes(files.XUEXIN_FIELDS, records)
    batch = upload(world.staff, SimpleUploadedFile("BYSXX.DBF", data))
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors
    assert batch.columns_used == ["XH", "XM", "XB", "CSRQ", "SFZH", "ZYMC", "CC", "YJBYRQ", "BJYJL", "ZSBH"]
    assert batch.columns_ignored == ["KSH", "ZYDM", "XZ", "XXXS", "RXRQ", "FY", "BH"]
    assert ["ZSBH", "毕业证书编号中的培养层次（06 专科）与学历层次不一致，请核对", 1, [2]] in batch.warnings
    confirm(batch, world.staff)
    by_number = {g.student_number: g for g in Graduate.objects.all()}
    first, second, third = (by_number[f"2021{i:06d}"] for i in range(3))
    assert (first.graduation_year, first.has_diploma, first.diploma_number, first.degree_level) == \
        (2025, True, "103601202506000000", "bachelor")
    assert (second.has_diploma, second.diploma_number, second.gender) == (False, "", "F")  # 结业
    assert third.degree_level == "junior_college"
    assert not any(g.has_degree for g in by_number.values())  # never inferred from a diploma


@pytest.mark.parametrize("number, expected", [
    ("103601202505000001", []),
    ("103611202505000001", ["毕业证书编号前5位与本校院校代码10360不一致，请核对"]),
    ("103602202505000001", ["毕业证书编号第6位（办学类型）应为1（普通高等教育），请核对"]),
    ("103601202405000001", ["毕业证书编号中的年份与毕业年份不一致，请核对"]),
    ("103601202509000001", ["毕业证书编号第11-12位（培养层次）应为01博士、02硕士、05本科或06专科，请核对"]),
    ("1036012025050001", ["毕业证书编号不是18位数字（2002年起的编号为：院校代码5位、办学类型1位、年份4位、培养层次2位、序号6位），请核对"]),
])
def test_diploma_number_structure_is_checked_against_school_year_and_level(world, number, expected):
    world.inst.school_code = "10360"
    world.inst.save()
    batch = upload(world.staff, csv_file([good_row(毕业证书编号=number)]))
    assert batch.error_count == 0
    assert [m for column, m, _n, _l in batch.warnings if column == "毕业证书编号"] == expected


def test_xuexin_excel_export_with_lower_case_headers_and_byrq(world):
    headers = ["xh", "xm", "xb", "sfzh", "zymc", "cc", "byrq", "bjyjl", "zsbh"]
    ric = make_ric(rng, male=True)
    batch = upload(world.staff, xlsx_file([["2021000001", "王小明", "男", ric, "车辆工程", "本科", "20240701", "毕业",
                                            "103601202405000001"]], headers=headers))
    assert batch.error_count == 0, batch.errors
    confirm(batch, world.staff)
    g = Graduate.objects.get()
    assert (g.graduation_year, g.has_diploma, g.has_degree) == (2024, True, False)


def test_a_supplement_adds_what_the_xuexin_file_lacks_and_a_reimport_keeps_it(world):
    records = xuexin_records()
    dbf = files.dbf_bytes(files.XUEXIN_FIELDS, records)
    confirm(upload(world.staff, SimpleUploadedFile("BYSXX.DBF", dbf)), world.staff)
    headers = ["学号", "是否取得学位证", "学位证书编号", "企业实践累计月数", "思想政治条件", "就业单位", "是否省内就业"]
    rows = [["2021000000", "是", "1036042025000001", "8", "合格", "马鞍山钢铁股份有限公司", "是"]]
    batch = upload(world.staff, csv_file(rows, headers=headers), kind=ImportBatch.Kind.SUPPLEMENT)
    assert (batch.status, batch.new, batch.updated) == (ImportBatch.Status.PREVIEWED, 0, 1), batch.errors
    confirm(batch, world.staff)
    g = Graduate.objects.get(student_number="2021000000")
    assert (g.has_degree, g.degree_number, g.practice_months, g.employer, g.employed_in_anhui) == \
        (True, "1036042025000001", 8, "马鞍山钢铁股份有限公司", True)
    assert g.name == records[0][2] and g.has_diploma  # what the supplement lacks stays as stored
    # The 学信网 file again: its columns are unchanged, and the degree it lacks is kept.
    again = upload(world.staff, SimpleUploadedFile("BYSXX.DBF", dbf))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    confirm(again, world.staff)
    assert Graduate.objects.get(student_number="2021000000").has_degree


def test_a_supplement_joined_on_id_number_never_adds_a_person(world):
    records = xuexin_records()
    confirm(upload(world.staff, SimpleUploadedFile("BYSXX.DBF", files.dbf_bytes(files.XUEXIN_FIELDS, records))),
            world.staff)
    headers = ["身份证号", "是否取得学位证", "专业排名百分比"]
    stranger = make_ric(rng)
    rows = [[records[0][5], "是", "20"], [stranger, "是", "20"], [records[2][5], "是", ""]]
    batch = upload(world.staff, csv_file(rows, headers=headers), kind=ImportBatch.Kind.SUPPLEMENT)
    assert errors_of(batch) == [
        (3, "身份证号", "未找到该身份证号的毕业生记录（补充信息只能补充已导入的记录）"),
        (4, "是否取得学位证", "该毕业生为专科，专科不授予学位，“是否取得学位证”应为“否”"),
    ]
    assert Graduate.objects.filter(has_degree=True).count() == 0 and Graduate.objects.count() == 3
    batch = upload(world.staff, csv_file(rows[:1], headers=headers), kind=ImportBatch.Kind.SUPPLEMENT)
    confirm(batch, world.staff)
    assert Graduate.objects.get(id_number=records[0][5]).has_degree
