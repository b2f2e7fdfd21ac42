"""``manage.py import_transcript FILE --institution NAME --graduation-year YEAR [--confirm]``: the same pipeline as
the page, preview by default, a progress bar on a terminal, exit status 1 on any refused row with nothing written."""

import io

import pytest
from django.core.management import CommandError, call_command

from evaluation.importing import check
from evaluation.models import Graduate, ImportBatch
from portal.models import AuditLog
from tests.evaluation.test_import import HEADERS, csv_file, good_row


class Terminal(io.StringIO):
    def isatty(self):
        return True


def write(tmp_path, rows, headers=HEADERS, name="transcript.csv"):
    path = tmp_path / name
    path.write_bytes(csv_file(rows, headers=headers).read())
    return str(path)


def run(*args, stderr=None):
    out, err = io.StringIO(), stderr or io.StringIO()
    call_command("import_transcript", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_preview_by_default_then_confirm(world, tmp_path):
    world.admin.is_superuser = True
    world.admin.save()
    headers = [h for h in HEADERS if h != "毕业年份"] + ["辅导员"]
    path = write(tmp_path, [{**good_row("2021000001"), "辅导员": "李老师"}, good_row("2021000002")], headers)
    out, _err = run(path, "--institution", world.inst.name, "--graduation-year", "2024")
    assert "新增 2，更新 0，学号变更 0，未变化 0" in out and "仅预览，未导入" in out
    assert "忽略了 1 列（系统不使用，其内容不会导入）：辅导员" in out
    assert Graduate.objects.count() == 0
    assert ImportBatch.objects.get().status == ImportBatch.Status.DISCARDED
    out, _err = run(path, "--institution", world.inst.uscc, "--graduation-year", "2024", "--confirm")
    assert "导入完成：新增2条" in out
    assert set(Graduate.objects.values_list("institution_id", "graduation_year")) == {(world.inst.pk, 2024)}
    assert AuditLog.objects.filter(action="evaluation.import_transcript", actor=world.admin).count() == 1


def test_progress_bar_only_on_a_terminal(world, tmp_path, monkeypatch):
    monkeypatch.setattr(check, "PROGRESS_EVERY", 1)
    world.admin.is_superuser = True
    world.admin.save()
    path = write(tmp_path, [good_row()])
    _out, err = run(path, "--institution", world.inst.name, stderr=Terminal())
    assert "\r检查 [" in err and "1/1 行 100%" in err
    _out, err = run(path, "--institution", world.inst.name)
    assert "\r" not in err


def test_refused_rows_exit_1_and_write_nothing(world, tmp_path):
    world.admin.is_superuser = True
    world.admin.save()
    path = write(tmp_path, [good_row("2021000001"), good_row("2021000002", 身份证号="340504200301011230"),
                            good_row("2021000003", 院校名称=world.other_inst.name)])
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        run(path, "--institution", world.inst.name, "--confirm", stderr=err)
    assert failed.value.returncode == 1 and "文件有 2 处错误，未导入任何记录" in str(failed.value)
    assert "第3行 身份证号：身份证号校验位错误" in err.getvalue()
    assert "第4行 院校名称：该行院校为“芜湖职业技术学院”，您只能导入本校（安徽工业大学）的毕业生记录" in err.getvalue()
    assert Graduate.objects.count() == 0


def test_a_student_number_change_needs_accept_changes(world, tmp_path):
    world.admin.is_superuser = True
    world.admin.save()
    row = good_row("2021000001")
    run(write(tmp_path, [row]), "--institution", world.inst.name, "--confirm")
    moved = write(tmp_path, [{**row, "学号": "B2021000001"}], name="moved.csv")
    with pytest.raises(CommandError, match="导入未执行"):
        run(moved, "--institution", world.inst.name, "--confirm")
    assert Graduate.objects.get().student_number == "2021000001"
    out, _err = run(moved, "--institution", world.inst.name, "--confirm", "--accept-changes")
    assert "学号变更1条" in out and Graduate.objects.get().student_number == "B2021000001"


def test_bad_arguments(world, tmp_path):
    path = write(tmp_path, [good_row()])
    with pytest.raises(CommandError, match="用户“nobody”不存在或已停用"):
        run(path, "--institution", world.inst.name, "--user", "nobody")
    with pytest.raises(CommandError, match="不是系统管理员"):
        run(path, "--institution", world.inst.name, "--user", world.staff.username)
    world.admin.is_superuser = True
    world.admin.save()
    with pytest.raises(CommandError, match="院校“不存在大学”不存在"):
        run(path, "--institution", "不存在大学")
    with pytest.raises(CommandError, match="文件不存在"):
        run(str(tmp_path / "nope.csv"), "--institution", world.inst.name)
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF")
    with pytest.raises(CommandError, match="只接受 CSV、XLSX、XLS 或 DBF 文件"):
        run(str(bad), "--institution", world.inst.name)
