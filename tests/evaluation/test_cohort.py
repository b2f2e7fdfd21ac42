"""Cohort evaluation: a Celery task with progress, one stored verdict per graduate with the standard
version used; re-running replaces and never duplicates."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from evaluation.models import EvaluationRun, StoredVerdict
from evaluation.rules import DEFAULT_STANDARD
from evaluation.rules.contract import validate_verdict
from evaluation.services import cohort
from evaluation.services.standards import publish_standard
from tests.evaluation.factories import AchievementFactory, GraduateFactory


def start(world, capture, **kwargs):
    with capture(execute=True):
        return cohort.start_run(institution=world.inst, actor=world.staff, graduation_year=2025, **kwargs)


def test_run_stores_one_verdict_per_graduate_with_the_version(world, django_capture_on_commit_callbacks):
    technician = GraduateFactory(institution=world.inst)
    AchievementFactory(graduate=technician)  # a school-level award: path 3
    none = GraduateFactory(institution=world.inst, practice_months=0)
    GraduateFactory(institution=world.inst, graduation_year=2024)  # another cohort
    GraduateFactory(institution=world.other_inst)  # another school
    version = publish_standard(institution=world.inst, actor=world.staff,
                               data=DEFAULT_STANDARD.with_path("1(3)", rank_percent_max=20.0).to_dict())
    run = start(world, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert (run.status, run.done, run.total, run.standard_version) == ("done", 2, 2, version)
    assert run.counts == {"technician": 1, "none": 1}
    v = StoredVerdict.objects.get(graduate=technician)
    assert (v.level, v.path, v.may_apply, v.standard_version, v.run) == ("technician", "3", True, version, run)
    assert validate_verdict(v.result) == [] and v.result["id"] == str(technician.pk)
    assert StoredVerdict.objects.get(graduate=none).level == "none"
    assert StoredVerdict.objects.count() == 2


def test_rerun_replaces_never_duplicates(world, django_capture_on_commit_callbacks):
    g = GraduateFactory(institution=world.inst)
    first = start(world, django_capture_on_commit_callbacks)
    assert StoredVerdict.objects.get(graduate=g).level == "none"
    AchievementFactory(graduate=g)
    second = start(world, django_capture_on_commit_callbacks)
    v = StoredVerdict.objects.get(graduate=g)
    assert (v.level, v.run_id) == ("technician", second.pk) and first.pk != second.pk
    assert StoredVerdict.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        StoredVerdict.objects.create(graduate=g, level="none", may_apply=True, result={}, evaluated_at=timezone.now())


def test_one_major_only(world, django_capture_on_commit_callbacks):
    GraduateFactory(institution=world.inst, major="车辆工程")
    GraduateFactory(institution=world.inst, major="冶金工程")
    run = start(world, django_capture_on_commit_callbacks, major="冶金工程")
    run.refresh_from_db()
    assert run.total == 1 and StoredVerdict.objects.get().graduate.major == "冶金工程"


def test_a_finished_run_is_not_run_twice(world, django_capture_on_commit_callbacks):
    GraduateFactory(institution=world.inst)
    run = start(world, django_capture_on_commit_callbacks)
    before = StoredVerdict.objects.get().evaluated_at
    cohort.execute_run(run.pk)  # a redelivered task
    assert StoredVerdict.objects.get().evaluated_at == before


def test_failure_is_recorded_not_raised(world, monkeypatch):
    GraduateFactory(institution=world.inst)
    run = EvaluationRun.objects.create(institution=world.inst, graduation_year=2025, started_by=world.staff)

    def boom(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(cohort, "evaluate_rows", boom)
    run = cohort.execute_run(run.pk)
    assert run.status == "failed" and "engine exploded" in run.error and not StoredVerdict.objects.exists()


def test_progress_is_visible_while_running(world, monkeypatch):
    for _ in range(5):
        GraduateFactory(institution=world.inst)
    monkeypatch.setattr(cohort, "PROGRESS_EVERY", 2)
    seen = []
    real = cohort._progress

    def spy(run_id, **fields):
        seen.append(fields)
        real(run_id, **fields)

    monkeypatch.setattr(cohort, "_progress", spy)
    monkeypatch.setattr(cohort.time, "monotonic", iter(range(0, 1000, 1)).__next__)
    run = EvaluationRun.objects.create(institution=world.inst, graduation_year=2025, started_by=world.staff)
    cohort.execute_run(run.pk)
    assert seen[0]["status"] == "running" and {"done": 2} in seen and {"done": 4} in seen
    assert seen[-1]["status"] == "done"


def test_pages_start_and_poll(world, client, django_capture_on_commit_callbacks):
    GraduateFactory(institution=world.inst)
    client.force_login(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluation:run_start"), {"graduation_year": 2025})
    run = EvaluationRun.objects.get()
    assert response["Location"] == reverse("evaluation:run_detail", args=[run.pk])
    progress = client.get(reverse("evaluation:run_progress", args=[run.pk])).json()
    assert progress["finished"] and progress["percent"] == 100 and progress["done"] == 1
    page = client.get(response["Location"]).content.decode()
    assert "progress.js" in page and "已完成" in page
    client.force_login(world.other_staff)
    assert client.get(reverse("evaluation:run_progress", args=[run.pk])).status_code == 404


def test_verdict_json_is_exactly_the_contract_dict():
    import json
    import random

    from benchmarks.bench_engine import make_profile
    from evaluation.rules import evaluate

    rng = random.Random(3)
    serialise = cohort.VerdictJSON()
    for i in range(2000):
        v = evaluate(make_profile(rng, i))
        assert serialise(v) == json.dumps(v.to_dict(), ensure_ascii=False)
