"""Issue #16 item 4: ``manage.py import_transcript`` and the registrar's page are one pipeline — a bad file is
refused by both with the same Chinese messages (row, column, message), and nothing is written by either."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from evaluation.models import Graduate
from evaluation.services.imports import error_line
from tests.evaluation import files
from tests.evaluation.test_import import HEADERS, csv_file, good_row


@pytest.fixture
def admin(world):
    world.admin.is_superuser = True
    world.admin.save()
    return world


def command_output(path, institution):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_transcript", str(path), "--institution", institution, "--confirm", stdout=out,
                     stderr=err)
    return f"{out.getvalue()}\n{err.getvalue()}\n{failed.value}"


def test_bad_rows_give_the_same_messages_on_the_page_and_in_the_command(admin, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [good_row("2021000001"), good_row("2021000002", 身份证号="340504200301011230", 性别="未知"),
            good_row("2021000001"), good_row("2021000004", 企业实践累计月数="=1+1", 院校名称=admin.other_inst.name)]
    data = csv_file(rows).read()
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    client.force_login(admin.staff)
    response = client.post(reverse("evaluation:import_start"), {"file": SimpleUploadedFile("bad.csv", data)},
                           follow=True)
    batch = response.context["batch"]
    page = response.content.decode()
    assert batch.error_count == 5
    output = command_output(path, admin.inst.name)
    for row, column, message in batch.errors:
        assert escape(message) in page
        assert error_line(row, column, message) in output
    # …and no message in the command that the page does not show.
    printed = re.findall(r"第(\d+)行 (\S+)：(.+)", output)
    assert sorted((int(r), c, m) for r, c, m in printed) == sorted(tuple(e) for e in batch.errors)
    assert Graduate.objects.count() == 0


@pytest.mark.parametrize("name, content, message", [
    ("bomb.xlsx", None, "解压后超过5MB，未予解压（疑似压缩炸弹）"),
    ("t.pdf", b"%PDF-1.4", "只接受 CSV、XLSX、XLS 或 DBF 文件。"),
    ("headers.csv", b"foo,bar\n1,2\n", "未找到表头"),
    ("empty.csv", b"", "文件为空。"),
    ("long.csv", "学号,姓名,身份证号\n1,".encode() + b"x" * 200_000 + b",2\n", "有超过131072个字符的单元格"),
])
def test_an_unreadable_file_gives_the_same_message(admin, client, tmp_path, settings, name, content, message):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVALUATION_IMPORT_MAX_UNCOMPRESSED_MB = 5
    content = content if content is not None else files.zip_bomb_xlsx(20)
    path = tmp_path / name
    path.write_bytes(content)
    client.force_login(admin.staff)
    page = client.post(reverse("evaluation:import_start"), {"file": SimpleUploadedFile(name, content)})
    assert page.status_code == 400
    shown = page.context["form"].errors["file"][0]
    assert message in shown
    assert shown in command_output(path, admin.inst.name)
    assert Graduate.objects.count() == 0


def test_missing_columns_are_the_same_message(admin, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    data = csv_file([good_row()], headers=[h for h in HEADERS if h not in ("毕业年份", "专业")]).read()
    path = tmp_path / "cols.csv"
    path.write_bytes(data)
    client.force_login(admin.staff)
    batch = client.post(reverse("evaluation:import_start"), {"file": SimpleUploadedFile("c.csv", data)},
                        follow=True).context["batch"]
    ((_row, _column, message),) = batch.errors
    assert message == "缺少必需的列：毕业年份、专业（或在导入页面选择毕业年份）"
    assert message in command_output(path, admin.inst.name)
