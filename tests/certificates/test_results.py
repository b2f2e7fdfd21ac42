"""Assessment results by form and by CSV/XLSX import (Chinese errors, all or nothing, idempotent), batch
issuance through the pages, downloads (the holder's PDF, the institution's ZIP), dashboard panels."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from certificates import services, tasks
from certificates.models import AssessmentResult, Certificate, ResultImport
from portal.models import AuditLog
from tests.certificates.conftest import ric

HEADER = ["姓名", "性别", "证件号码", "学号", "职业编码", "工种/职业方向", "职业技能等级", "考核日期", "理论知识成绩",
          "操作技能成绩", "合格分数线", "1+X免试科目", "1+X证书编号"]


def _csv(rows, encoding="utf-8-sig", header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _row(name="张明", id_number=None, code="6-31-01-03", level="三级/高级工", theory="80", practical="90", **kw):
    return [name, kw.get("gender", "男"), id_number or ric(1), "2022001", code, kw.get("job", "维修电工"), level,
            kw.get("date", "2026-06-20"), theory, practical, "", kw.get("exemption", ""), kw.get("x_no", "")]


def _upload(client, data, name="results.csv"):
    response = client.post(reverse("certificates:result_import"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:500]
    return ResultImport.objects.latest("id")


def test_form_records_a_result(filed, login, occupations):
    client = login(filed.staff)
    page = client.get(reverse("certificates:result_new"))
    assert page.status_code == 200
    options = page.context["form"].fields["occupation"].queryset
    assert set(options) == {occupations["electrician"], occupations["nev"]}  # filed ones only
    data = {"name": "张明", "gender": "M", "id_number": ric(1).lower(), "occupation": occupations["electrician"].pk,
            "job_type": "维修电工", "level": 3, "exam_date": "2026-06-20", "theory_score": "75",
            "practical_score": "88", "pass_mark": "60", "exemption": ""}
    assert client.post(reverse("certificates:result_new"), data).status_code == 302
    result = AssessmentResult.objects.get()
    assert result.institution_code == "Y000034000017" and result.id_number == ric(1) and result.passed


def test_form_refuses_what_the_filing_does_not_allow(filed, login, occupations):
    client = login(filed.other_staff)  # 芜湖职业技术学院: filed for 电工 up to 四级 only
    base = {"name": "李四", "gender": "M", "id_number": ric(2), "job_type": "", "exam_date": "2026-06-20",
            "theory_score": "75", "practical_score": "88", "pass_mark": "60", "exemption": ""}
    response = client.post(reverse("certificates:result_new"), {**base, "occupation": occupations["electrician"].pk,
                                                                 "level": 3})
    assert response.status_code == 200 and "level" in response.context["form"].errors
    response = client.post(reverse("certificates:result_new"), {**base, "occupation": occupations["nev"].pk,
                                                                 "level": 4})
    assert "occupation" in response.context["form"].errors
    response = client.post(reverse("certificates:result_new"), {**base, "occupation": occupations["electrician"].pk,
                                                                 "level": 4, "id_number": "340104199901010000"})
    assert "校验位" in str(response.context["form"].errors["id_number"])
    response = client.post(reverse("certificates:result_new"), {**base, "occupation": occupations["electrician"].pk,
                                                                 "level": 4, "exemption": "theory",
                                                                 "theory_score": ""})
    assert "1+X证书编号" in str(response.context["form"].errors)
    assert not AssessmentResult.objects.exists()


def test_unfiled_institution_cannot_record(world, login, occupations):
    response = login(world.staff).get(reverse("certificates:result_new"))
    assert response.status_code == 302


def test_import_preview_confirm_and_idempotence(filed, login):
    client = login(filed.staff)
    data = _csv([_row("张明", ric(1)), _row("王堃", ric(2), level="四级/中级工"),
                 _row("李玥", ric(3), code="4-12-01-01", job="汽车电器维修工", theory="", exemption="理论知识",
                      x_no="1X-2025-001")])
    batch = _upload(client, data)
    assert batch.status == "previewed" and (batch.new, batch.updated, batch.unchanged) == (3, 0, 0)
    assert not AssessmentResult.objects.exists()  # a dry run stores nothing
    assert client.post(reverse("certificates:import_detail", args=[batch.pk])).status_code == 302
    assert AssessmentResult.objects.count() == 3
    assert AssessmentResult.objects.get(name="李玥").passed
    again = _upload(client, data)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    client.post(reverse("certificates:import_detail", args=[again.pk]))
    assert AssessmentResult.objects.count() == 3
    changed = _upload(client, _csv([_row("张明", ric(1), theory="95")]))
    assert (changed.new, changed.updated) == (0, 1)


def test_import_errors_are_row_column_chinese_and_nothing_is_imported(filed, login):
    client = login(filed.staff)
    data = _csv([_row("张明", ric(1)),
                 _row("", ric(2)),
                 _row("王五", "340104199901010000"),
                 _row("赵六", ric(4), code="9-99-99-99"),
                 _row("钱七", ric(5), code="4-04-05-01"),
                 _row("孙八", ric(6), level="二级/技师"),
                 _row("周九", ric(7), theory="120"),
                 _row("吴十", ric(8), date="2026/13/45"),
                 _row("郑一", ric(9), job="高压电工"),
                 _row("张明", ric(1))])
    batch = _upload(client, data)
    assert batch.status == "invalid"
    errors = {(e["row"], e["column"]) for e in batch.errors}
    assert {(3, "姓名"), (4, "证件号码"), (5, "职业编码"), (6, "职业编码"), (7, "职业技能等级"), (8, "理论知识成绩"),
            (9, "考核日期"), (10, "工种/职业方向"), (11, "证件号码")} <= errors
    messages = " ".join(e["message"] for e in batch.errors)
    assert "不能为空" in messages and "校验位" in messages and "未备案" in messages and "重复" in messages
    page = client.get(reverse("certificates:import_detail", args=[batch.pk])).content.decode()
    assert "未导入任何数据" in page and "确认导入" not in page
    assert client.post(reverse("certificates:import_detail", args=[batch.pk])).status_code == 200
    assert not AssessmentResult.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_import_encodings(filed, login, encoding):
    batch = _upload(login(filed.staff), _csv([_row("张明", ric(1))], encoding=encoding))
    assert batch.status == "previewed" and batch.rows[0]["name"] == "张明"


def test_import_xlsx_and_english_headers_and_bad_files(filed, login):
    client = login(filed.staff)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "gender", "id_number", "occupation_code", "level", "exam_date", "theory_score",
                  "practical_score"])
    sheet.append(["张明", "男", ric(1), "6-31-01-03", 3, "2026-06-20", 80, 90])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = _upload(client, buffer.getvalue(), "results.xlsx")
    assert batch.status == "previewed", batch.errors
    empty = client.post(reverse("certificates:result_import"), {"file": SimpleUploadedFile("empty.csv", b"")})
    assert empty.status_code == 200 and "空文件" in empty.content.decode()
    assert _upload(client, b"\n\n", "blank.csv").errors[0]["message"] == "文件为空。"
    assert "缺少列" in _upload(client, _csv([["x"]], header=["随便"]), "bad.csv").errors[0]["message"]
    response = client.post(reverse("certificates:result_import"),
                           {"file": SimpleUploadedFile("fake.xlsx", b"MZ\x90\x00 not a zip")})
    assert response.status_code == 200 and "内容与扩展名不符" in response.content.decode()
    big = client.post(reverse("certificates:result_import"),
                      {"file": SimpleUploadedFile("big.csv", b"a" * (5 * 1024 * 1024 + 1))})
    assert "超过上限" in big.content.decode()


def test_templates_download(filed, login):
    client = login(filed.staff)
    xlsx = client.get(reverse("certificates:result_template", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    text = client.get(reverse("certificates:result_template", args=["csv"])).content.decode("utf-8-sig")
    assert text.startswith(",".join(HEADER))


def test_batch_through_the_pages_and_zip(filed, login, make_result):
    for i in range(3):
        make_result(name=f"学生{i}", id_number=ric(i))
    client = login(filed.staff)
    response = client.post(reverse("certificates:batch_start"))
    assert response.status_code == 302
    batch_url = response["Location"]
    batch_id = int(batch_url.rstrip("/").split("/")[-1])
    tasks.run_batch(batch_id)  # in-process, as the on-commit enqueue would in the demo
    progress = client.get(reverse("certificates:batch_progress", args=[batch_id])).json()
    assert progress == {"status": "done", "done": 3, "total": 3, "percent": 100, "error": ""}
    assert "学生0" in client.get(batch_url).content.decode()
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("certificates:batch_zip", args=[batch_id])).content))
    names = sorted(archive.namelist())
    assert names == sorted(f"{c.number}.pdf" for c in Certificate.objects.all())
    assert all(archive.read(n).startswith(b"%PDF-") for n in names)
    assert AuditLog.objects.filter(action="certificates.download_zip").exists()
    # Another school cannot see the batch.
    assert login(filed.other_staff).get(batch_url).status_code == 404


def test_student_downloads_own_certificate_and_sees_it_on_the_dashboard(filed, login, make_result):
    mine = services.issue_from_result(make_result(name="张明", id_number=ric(1)), issued_by=filed.staff,
                                      render=False)
    Certificate.objects.filter(pk=mine.pk).update(holder_user=filed.student)
    other = services.issue_from_result(make_result(name="别人", id_number=ric(2)), issued_by=filed.staff,
                                       render=False)
    client = login(filed.student)
    home = client.get(reverse("home")).content.decode()
    assert mine.number in home and other.number not in home
    listing = client.get(reverse("certificates:list")).content.decode()
    assert mine.number in listing and other.number not in listing
    pdf = client.get(reverse("certificates:pdf", args=[mine.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"] == f'attachment; filename="{mine.number}.pdf"'
    assert AuditLog.objects.filter(action="certificates.download_pdf", actor=filed.student).exists()
    assert client.get(reverse("certificates:pdf", args=[other.pk])).status_code == 404


def test_other_school_staff_see_nothing_of_ours(filed, login, make_result):
    cert = services.issue_from_result(make_result(name="本校生"), issued_by=filed.staff, render=False)
    client = login(filed.other_staff)
    assert cert.number not in client.get(reverse("certificates:list")).content.decode()
    assert "本校生" not in client.get(reverse("certificates:results")).content.decode()
    for name in ("certificates:detail", "certificates:pdf", "certificates:correct"):
        assert client.get(reverse(name, args=[cert.pk])).status_code == 404


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_photos_from_a_zip_all_or_nothing(filed, login, make_result, photo):
    a = make_result(name="甲", id_number=ric(1))
    b = make_result(name="乙", id_number=ric(2))
    issued = make_result(name="丙", id_number=ric(3))
    services.issue_from_result(issued, issued_by=filed.staff, render=False)
    client = login(filed.staff)
    url = reverse("certificates:result_photos")
    bad = client.post(url, {"file": SimpleUploadedFile("p.zip", _zip({
        f"{ric(1)}.jpg": photo, f"{ric(2)}.png": photo, f"{ric(3)}.jpg": photo, "34010419990101999X.jpg": photo,
        "readme.txt": b"x"}))})
    body = bad.content.decode()
    assert bad.status_code == 200 and "未保存任何照片" in body
    assert "文件内容不是PNG图片" in body and "已发证" in body and "没有证件号码为" in body and "只接受" in body
    a.refresh_from_db()
    assert not a.photo
    good = client.post(url, {"file": SimpleUploadedFile("p.zip", _zip({f"photos/{ric(1).lower()}.jpg": photo,
                                                                           f"{ric(2)}.jpg": photo}))})
    assert good.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.photo and b.photo
    with a.photo.open("rb") as handle:
        assert handle.read() == photo


def test_a_photo_zip_bomb_is_refused_before_inflating(filed, login, make_result, settings):
    """Issue #14 item 7: a small ZIP that would expand to gigabytes (here, scaled down by the setting) is refused
    with a Chinese message before any member is inflated; so is one with too many members."""
    make_result(name="甲", id_number=ric(1))
    settings.CERTIFICATES_PHOTO_ZIP_MAX_MB = 5
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for i in range(4):  # each under the 2 MB photo limit, 7.6 MB together, ~8 KB on disk
            archive.writestr(f"{i}.jpg", b"\xff\xd8\xff" + b"\0" * (1900 * 1024))
    bomb = buffer.getvalue()
    assert len(bomb) < 50_000
    client = login(filed.staff)
    url = reverse("certificates:result_photos")
    body = client.post(url, {"file": SimpleUploadedFile("p.zip", bomb)}).content.decode()
    assert "照片压缩包解压后超过5MB，未予解压（疑似压缩炸弹）" in body
    settings.CERTIFICATES_PHOTO_ZIP_MAX_MB = 512
    body = client.post(url, {"file": SimpleUploadedFile("p.zip", bomb)}).content.decode()
    assert "压缩比异常" in body
    settings.CERTIFICATES_PHOTO_ZIP_MAX_MEMBERS = 3
    body = client.post(url, {"file": SimpleUploadedFile("p.zip", _zip({f"{i}.jpg": b"x" for i in range(5)}))}
                       ).content.decode()
    assert "照片压缩包包含5个成员，超过上限3个" in body
