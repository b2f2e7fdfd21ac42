"""Issues 14 #7 and 16 #4: the registrar's "确认导入" runs in Celery (the page polls), reuses the preview's checked
rows while nothing they depend on changed, and survives a broker that is down or a worker that fails — a clear
Chinese page, never a 500, nothing lost and nothing done twice."""

import random
from datetime import timedelta

import pytest
from django.conf import settings as live_settings
from django.urls import reverse
from django.utils import timezone

from evaluation import tasks
from evaluation.demo import make_ric
from evaluation.importing import read, write
from evaluation.models import Graduate, ImportBatch
from evaluation.services import imports
from portal.models import AuditLog, Institution
from tests.evaluation import test_import
from tests.evaluation.test_import import csv_file, good_row, upload


def _row(number):
    """good_row with its own ID number, leaving good_row's shared random source as it was (other modules'
    expected warning counts depend on the numbers it draws)."""
    state = test_import._rng.getstate()
    row = good_row(number, 身份证号=make_ric(random.Random(number), male=True))
    test_import._rng.setstate(state)
    return row


def _rows(n=3):
    return [_row(f"20210000{i:02d}") for i in range(n)]


@pytest.fixture
def reads(monkeypatch):
    """Counts how often the uploaded file is read (upload + preview is once)."""
    calls = []
    real = read.read_table

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "read_table", counting)
    return calls


def test_confirm_through_the_page_runs_the_task_and_reuses_the_checked_rows(world, client, reads):
    batch = upload(world.staff, csv_file(_rows()))
    assert len(reads) == 1 and batch.checked_rows and len(batch.checked_digest) == 64
    client.force_login(world.staff)
    response = client.post(reverse("evaluation:import_confirm", args=[batch.pk]), follow=True)
    assert "导入完成：新增3条" in response.content.decode()
    assert len(reads) == 1  # the confirm replayed the preview's rows: the file was not read again
    batch.refresh_from_db()
    assert (batch.status, batch.new, batch.confirmed_by) == (ImportBatch.Status.IMPORTED, 3, world.staff)
    assert not batch.file and not batch.checked_rows and not batch.checked_digest
    assert Graduate.objects.filter(institution=world.inst).count() == 3
    assert AuditLog.objects.filter(action="evaluation.import_transcript", object_id=str(batch.pk)).count() == 1


@pytest.mark.parametrize("change", ["school_code", "tampered_rows", "rows_missing"])
def test_when_anything_the_rows_depend_on_changed_the_file_is_checked_again(world, reads, change):
    batch = upload(world.staff, csv_file(_rows()))
    if change == "school_code":  # a checker input (the diploma-number check) changed since the preview
        Institution.objects.filter(pk=world.inst.pk).update(school_code="10360")
    elif change == "tampered_rows":
        with batch.checked_rows.open("ab") as handle:
            handle.write(b"\x80\x05N.")
    else:
        batch.checked_rows.storage.delete(batch.checked_rows.name)
    batch = imports.confirm_import(batch=batch, actor=world.staff)
    assert len(reads) == 2  # read and checked again
    assert (batch.status, batch.new) == (ImportBatch.Status.IMPORTED, 3)
    assert Graduate.objects.count() == 3


def test_the_confirm_still_compares_with_what_is_stored_now(world, client):
    """Rows replayed from the preview are classified against the records as they are at the confirm."""
    first = _row("2021000001")
    batch = upload(world.staff, csv_file([first, _row("2021000002")]))
    assert (batch.new, batch.rekeyed) == (2, 0)
    # Meanwhile the same person was imported under another 学号: the confirm refuses without the check box.
    imports.confirm_import(batch=upload(world.staff, csv_file([{**first, "学号": "X2021000001"}])), actor=world.staff)
    client.force_login(world.staff)
    response = client.post(reverse("evaluation:import_confirm", args=[batch.pk]), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "上次确认未导入，数据库未作任何修改" in page and "请核对“学号变更”并勾选确认" in page
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.checked_rows  # may be confirmed again
    assert sorted(Graduate.objects.values_list("student_number", flat=True)) == ["X2021000001"]
    client.post(reverse("evaluation:import_confirm", args=[batch.pk]), {"accept_changes": "on"})
    assert sorted(Graduate.objects.values_list("student_number", flat=True)) == ["2021000001", "2021000002"]


def test_with_the_broker_down_the_confirm_is_kept_and_the_sweeper_sends_it(world, client, broker):
    batch = upload(world.staff, csv_file(_rows()))  # small: previewed in the request
    broker.down()
    client.force_login(world.staff)
    response = client.post(reverse("evaluation:import_confirm", args=[batch.pk]), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "导入已排队，系统将自动重试" in page and "导入中" in page and "evaluation/progress" in page
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTING and not Graduate.objects.exists()
    progress = client.get(reverse("evaluation:import_progress", args=[batch.pk])).json()
    assert progress["status"] == "importing" and not progress["finished"]
    assert 'data-testid="import-stalled"' not in page
    # Left waiting past the sweeper's grace period, the page says the work is queued, not lost.
    waited = batch.confirm_requested_at - timedelta(seconds=live_settings.WORK_SWEEP_GRACE_SECONDS + 1)
    ImportBatch.objects.filter(pk=batch.pk).update(confirm_requested_at=waited)
    page = client.get(reverse("evaluation:import_detail", args=[batch.pk])).content.decode()
    assert 'data-testid="import-stalled"' in page and "导入已排队，数据库尚未修改" in page
    ImportBatch.objects.filter(pk=batch.pk).update(confirm_requested_at=timezone.now())
    # A second click is refused, the batch is not queued twice.
    response = client.post(reverse("evaluation:import_confirm", args=[batch.pk]), follow=True)
    assert "不能再次确认" in response.content.decode()
    # Not stale yet: left alone. The broker is back; past the grace period the sweeper sends it, once.
    broker.up()
    assert tasks.sweep_stale_imports() == {"imports": 0, "previews": 0}
    later = timezone.now() + timedelta(seconds=live_settings.WORK_SWEEP_GRACE_SECONDS + 1)
    assert tasks.sweep_stale_imports(now=later) == {"imports": 1, "previews": 0}
    batch.refresh_from_db()
    assert (batch.status, batch.new) == (ImportBatch.Status.IMPORTED, 3)
    assert Graduate.objects.count() == 3
    assert tasks.sweep_stale_imports(now=later) == {"imports": 0, "previews": 0}
    assert tasks.confirm_import(batch.pk) is None  # a duplicate message does nothing
    assert Graduate.objects.count() == 3
    assert client.get(reverse("evaluation:import_progress", args=[batch.pk])).json()["finished"]


def test_a_worker_failure_changes_nothing_and_says_so(world, client, monkeypatch):
    batch = upload(world.staff, csv_file(_rows()))

    def lost(*args, **kwargs):
        raise ConnectionResetError("server closed the connection unexpectedly")

    monkeypatch.setattr(write, "_update_postgres", lost)
    monkeypatch.setattr(write.StoredIndex, "is_new", lost)
    client.force_login(world.staff)
    response = client.post(reverse("evaluation:import_confirm", args=[batch.pk]), follow=True)
    assert response.status_code == 200
    assert "导入未完成：系统出错，数据库未作任何修改" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED and not Graduate.objects.exists()
    monkeypatch.undo()
    client.post(reverse("evaluation:import_confirm", args=[batch.pk]))
    assert Graduate.objects.count() == 3


def test_only_the_uploader_or_an_admin_may_confirm_and_a_discarded_batch_cannot_be(world, client):
    batch = upload(world.staff, csv_file(_rows()))
    client.force_login(world.other_staff)
    assert client.post(reverse("evaluation:import_confirm", args=[batch.pk])).status_code == 404
    imports.discard_import(batch=batch, actor=world.staff)
    batch.refresh_from_db()
    assert not batch.file and not batch.checked_rows
    client.force_login(world.staff)
    response = client.post(reverse("evaluation:import_confirm", args=[batch.pk]), follow=True)
    assert "不能再次确认" in response.content.decode() and not Graduate.objects.exists()
