"""Re-evaluation without bloat (issue 16 item 5): on PostgreSQL a re-run writes only the verdicts that changed;
an unchanged verdict is not rewritten (same physical row: no dead tuple) and keeps the run that decided it."""

import pytest
from django.db import connection

from evaluation.models import StoredVerdict
from evaluation.services import cohort
from tests.evaluation.factories import AchievementFactory, GraduateFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY + merge path is PostgreSQL's")


def start(world, capture):
    with capture(execute=True):
        return cohort.start_run(institution=world.inst, actor=world.staff, graduation_year=2025)


def physical_rows():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT graduate_id, ctid::text FROM {StoredVerdict._meta.db_table}")
        return dict(cursor.fetchall())


def test_rerun_writes_only_changed_verdicts(world, django_capture_on_commit_callbacks):
    graduates = [GraduateFactory(institution=world.inst) for _ in range(4)]
    first = start(world, django_capture_on_commit_callbacks)
    before = physical_rows()
    assert len(before) == 4

    second = start(world, django_capture_on_commit_callbacks)
    second.refresh_from_db()
    assert second.status == "done" and second.counts == {"none": 4}
    assert physical_rows() == before  # nothing rewritten
    assert set(StoredVerdict.objects.values_list("run_id", flat=True)) == {first.pk}

    changed = graduates[2]
    AchievementFactory(graduate=changed)  # a school-level award: now 技术员
    newcomer = GraduateFactory(institution=world.inst)
    third = start(world, django_capture_on_commit_callbacks)
    after = physical_rows()
    assert {g for g in before if after[g] != before[g]} == {changed.pk}
    assert newcomer.pk in after and len(after) == 5
    v = StoredVerdict.objects.get(graduate=changed)
    assert (v.level, v.run_id) == ("technician", third.pk)
    assert StoredVerdict.objects.get(graduate=graduates[0]).run_id == first.pk
