"""Grows the access-matrix world's data by a factor, through the same models the pages list: graduates,
assessment results and certificates, Track B filings/entrustments/exemptions, evaluation rounds' applications,
candidates, tallies, notice entries, decisions and objections (``grow_rounds``), audit rows and notifications."""

from datetime import date
from decimal import Decimal

from certificates import services as certificate_services
from certificates.models import AssessmentResult
from portal import audit
from portal.models import Notification, User
from tests.certificates.conftest import ric
from tests.evaluation.factories import AchievementFactory, GraduateFactory
from tests.perf.grow_rounds import grow_rounds
from tests.track_b.test_queries import grow as grow_track_b


def grow(w, n, start=0):
    """Adds ``n`` units of data of every kind (a unit: a few rows of each list) in ``w``'s institution."""
    grow_track_b(w, n, start=start)
    grow_rounds(w, n, start=start)
    for i in range(start, start + n):
        for _ in range(3):
            g = GraduateFactory(institution=w.inst)
            AchievementFactory(graduate=g)
        GraduateFactory(institution=w.other_inst)
        filing = getattr(w.inst, "skill_filing", None)
        occupation = filing.occupations.first() if filing else None
        if occupation is not None:
            result = AssessmentResult.objects.create(
                institution=w.inst, institution_code=filing.code, name=f"增长{i}", gender="M",
                id_number=ric(700 + i), occupation=occupation, job_type="维修电工", level=3,
                exam_date=date(2026, 6, 20), theory_score=Decimal(80), practical_score=Decimal(80),
                recorded_by=w.staff)
            certificate_services.issue_from_result(result, issued_by=w.staff, render=False)
        users = list(User.objects.all())
        Notification.objects.bulk_create([Notification(recipient=u, title=f"通知{i}-{k}") for u in users
                                          for k in range(3)])
        for user in users[:5]:
            audit.record(actor=user, action="perf.grow")
