"""Dashboard counts come from the summary row the evaluation keeps (issue 16 item 2), not from a scan of the
verdicts: rewritten at the end of every run; graduates added since count as unevaluated."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import selectors
from evaluation.models import CohortSummary
from evaluation.services import cohort
from tests.evaluation.factories import AchievementFactory, GraduateFactory


def start(world, capture, **kwargs):
    with capture(execute=True):
        return cohort.start_run(institution=world.inst, actor=world.staff, graduation_year=2025, **kwargs)


def test_summary_kept_by_each_run(world, django_capture_on_commit_callbacks):
    graduates = [GraduateFactory(institution=world.inst) for _ in range(3)]
    AchievementFactory(graduate=graduates[0])
    GraduateFactory(institution=world.inst, graduation_year=2024)
    start(world, django_capture_on_commit_callbacks)
    summary = CohortSummary.objects.get(institution=world.inst, graduation_year=2025)
    assert summary.counts == {"technician": 1, "none": 2} and summary.evaluated == 3
    GraduateFactory(institution=world.inst, major="机械工程")
    assert selectors.cohort_counts(world.inst.pk, 2025) == {"technician": 1, "none": 2, "unevaluated": 1}
    start(world, django_capture_on_commit_callbacks, major="机械工程")  # one major: the year's summary is redone
    summary.refresh_from_db()
    assert summary.counts == {"technician": 1, "none": 3} and summary.evaluated == 4


def test_dashboard_reads_the_summary_not_the_verdicts(world, client, django_capture_on_commit_callbacks):
    for _ in range(3):
        GraduateFactory(institution=world.inst)
    start(world, django_capture_on_commit_callbacks)
    client.force_login(world.staff)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("home")).content.decode()
    assert "2025届毕业生 3 人" in body
    assert not [q for q in ctx.captured_queries if "evaluation_storedverdict" in q["sql"]]
