"""Reported assessment results for the certificate tests, built directly (the procedure that produces them —
plan, session, scores, 认定结果报备 — is tested through its services in ``tests/assessment``).

A result here is what ``certificates`` may issue from: a candidate of a session in state ``results_reported`` of an
institution filed through Track B for that occupation and level, assessed after the filing date.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile

from applications.track_b.models import FiledOccupation, FilingApplication
from assessment.models import AnnualPlan, Attendance, Candidate, PlanLine, Session
from certificates.models import AssessmentResult
from evaluation.models import Graduate

FILED_AT = datetime.datetime(2025, 9, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
EXAM_DATE = datetime.date(2026, 6, 20)
PASS_MARK = Decimal("60")


def filed_application(institution, code, occupations, *, staff, level=3, filed_at=FILED_AT):
    """``institution`` filed (Track B, state ``filed``) under ``code`` for ``occupations`` up to ``level``."""
    app = FilingApplication.objects.create(
        institution=institution, state="filed", authority_role="city_hrss", authority_city_id=institution.city_id,
        unit_name=institution.name, filing_code=code, filed_at=filed_at, created_by=staff,
        venues="理论考试机房1间")
    for occupation in occupations:
        FiledOccupation.objects.create(application=app, occupation=occupation, level=level,
                                       job_types="、".join(occupation.job_type_list))
    return app


def session_for(app, occupation, level, *, state="results_reported", staff, exam_date=EXAM_DATE):
    plan, _ = AnnualPlan.objects.get_or_create(institution=app.institution, year=exam_date.year, version=1,
                                               defaults={"filing": app, "state": "acknowledged", "created_by": staff})
    line, _ = PlanLine.objects.get_or_create(plan=plan, occupation=occupation, level=level,
                                             defaults={"months": str(exam_date.month), "expected_candidates": 50,
                                                       "examiners": 2})
    session = Session.objects.filter(filing=app, occupation=occupation, level=level, start_date=exam_date).first()
    if session is None:
        session = Session.objects.create(
            institution=app.institution, filing=app, plan_line=line, occupation=occupation, level=level,
            start_date=exam_date, end_date=exam_date, site="理论考试机房1间", theory_pass_mark=PASS_MARK,
            practical_pass_mark=PASS_MARK, state=state, created_by=staff)
    return session


def reported_result(session, *, name, id_number, gender="M", job_type="", theory=Decimal("78"),
                    practical=Decimal("85"), staff, student_user=None, photo=None, exempt_theory=False):
    """A present, confirmed candidate of ``session`` and its frozen result."""
    n = Graduate.objects.filter(institution=session.institution).count() + 1
    graduate = Graduate.objects.create(
        institution=session.institution, graduation_year=session.start_date.year, student_number=f"T{n:06d}",
        name=name, gender=gender, id_number=id_number, degree_level="bachelor", major="电气工程及其自动化",
        user=student_user)
    candidate = Candidate.objects.create(
        session=session, graduate=graduate, attendance=Attendance.PRESENT, first_theory=theory,
        first_practical=practical, first_by=staff, theory_score=theory, practical_score=practical,
        confirmed_by=staff, confirmed_at=FILED_AT, registered_by=staff, exempt_theory=exempt_theory)
    result = AssessmentResult.objects.create(
        institution=session.institution, institution_code=session.filing.filing_code, name=name, gender=gender,
        id_number=id_number, occupation=session.occupation, job_type=job_type, level=session.level,
        exam_date=session.start_date, theory_score=theory, practical_score=practical,
        theory_pass_mark=session.theory_pass_mark, practical_pass_mark=session.practical_pass_mark,
        candidate=candidate, recorded_by=staff, exempt_theory=exempt_theory)
    if photo:
        result.photo.save(f"{result.pk}.jpg", ContentFile(photo), save=True)
    return result
