"""Issue #13 "Done when": the demo shows one institution with a year's plan, one finished session with its
certificates, one session in progress — all made through the services (``assessment.demo``)."""

import io

import pytest
from django.core.management import call_command

from assessment.models import AnnualPlan, Session, SessionState
from certificates.models import AssessmentResult, Certificate
from evaluation.demo import STUDENT_NUMBER
from evaluation.models import Graduate
from portal.models import User


@pytest.mark.django_db
def test_demo_has_a_plan_a_finished_session_with_certificates_and_one_in_progress():
    call_command("load_demo", stdout=io.StringIO())
    plan = AnnualPlan.objects.get(institution__name="安徽工业大学", year=2025)
    assert plan.state == "acknowledged" and plan.lines.exists()
    done = Session.objects.get(state=SessionState.RESULTS_REPORTED)
    running = Session.objects.get(state=SessionState.REPORTED)
    assert done.supervision and not done.supervision.has_anomalies
    certificates = Certificate.objects.filter(assessment_result__candidate__session=done)
    assert certificates.count() == sum(1 for c in done.candidates.all() if c.passed) > 0
    # Every skill certificate of the demo traces back to a reported session held on or after the filing date.
    for result in AssessmentResult.objects.filter(certificates__isnull=False).select_related("candidate__session"):
        session = result.candidate.session
        assert session.state == SessionState.RESULTS_REPORTED
        assert session.start_date >= session.filing.filed_at.date()
        assert all(c.issue_date >= session.start_date for c in result.certificates.all())
    zhang = Graduate.objects.get(user=User.objects.get(username=STUDENT_NUMBER))
    assert done.candidates.filter(graduate=zhang).get().passed
    assert running.supervisor_id and running.candidates.exists()
    assert all(c.first_by_id and c.confirmed_at is None for c in running.candidates.all())
    before = Certificate.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert Certificate.objects.count() == before
