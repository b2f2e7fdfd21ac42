"""The assessment objects the access matrix needs, built directly once per test world (the procedure itself is
tested through the services in ``test_cycle.py`` and friends).

- ``w.plan``: a reported plan of ``w.inst``; ``w.draft_plan``: its next version, a draft.
- ``w.session``: reported, in the future, ``w.expert`` one of its examiners, one candidate (``w.candidate``).
- ``w.draft_session``: a draft. ``w.done``: results reported, in the past, ``w.expert`` its quality supervisor.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from applications.track_b.models import Examiner
from assessment.models import AnnualPlan, Attendance, Candidate, PlanLine, Session, SessionExaminer
from evaluation.models import Graduate
from portal.models import ExpertProfile, Occupation
from tests.certificates.chain import filed_application, reported_result
from tests.conftest import make_user

SECRET_ID = "340504200301150019"


def assessment_world(w):
    if hasattr(w, "session"):
        return w
    occupation, _ = Occupation.objects.get_or_create(code="6-31-01-03", defaults={"name": "电工"})
    w.app = filed_application(w.inst, "Y000034000017", [occupation], staff=w.staff)
    today = timezone.localdate()
    w.plan = AnnualPlan.objects.create(institution=w.inst, filing=w.app, year=today.year, state="reported",
                                       reported_at=timezone.now(), created_by=w.staff)
    line = PlanLine.objects.create(plan=w.plan, occupation=occupation, level=3, months=",".join(map(str, range(1, 13))),
                                   expected_candidates=10, examiners=2)
    w.draft_plan = AnnualPlan.objects.create(institution=w.inst, filing=w.app, year=today.year, version=2,
                                             created_by=w.staff)
    PlanLine.objects.create(plan=w.draft_plan, occupation=occupation, level=3, months="12", expected_candidates=5,
                            examiners=2)
    examiner = Examiner.objects.create(application=w.app, name="考评员甲", id_number="340104198202010610",
                                       domain="电工", employer="某公司")
    other = make_user("examiner_b", "expert", organisation="某公司")
    ExpertProfile.objects.get_or_create(user=w.expert, defaults={"title": "教授", "title_level": "senior",
                                                                 "id_number": "340104198202010610"})

    def session(state, start, **extra):
        return Session.objects.create(institution=w.inst, filing=w.app, plan_line=line, occupation=occupation,
                                      level=3, start_date=start, end_date=start, site="理论考试机房1间",
                                      theory_pass_mark=Decimal(60), practical_pass_mark=Decimal(60), state=state,
                                      created_by=w.staff, **extra)

    future = today + datetime.timedelta(days=30)
    w.session = session("reported", future, reported_at=timezone.now())
    SessionExaminer.objects.create(session=w.session, examiner=examiner, user=w.expert)
    graduate = Graduate.objects.create(institution=w.inst, graduation_year=today.year, student_number="A0001",
                                       name="秘密考生", gender="M", id_number=SECRET_ID, degree_level="bachelor",
                                       major="电气工程及其自动化")
    w.candidate = Candidate.objects.create(session=w.session, graduate=graduate, registered_by=w.staff)
    w.draft_session = session("draft", future)
    w.done = session("results_reported", today - datetime.timedelta(days=10), supervisor=w.expert,
                     reported_at=timezone.now())
    SessionExaminer.objects.create(session=w.done, examiner=examiner, user=other)
    reported_result(w.done, name="秘密合格", id_number="340104199905050011", staff=w.staff)
    w.done_candidate = w.done.candidates.get()
    Candidate.objects.filter(pk=w.done_candidate.pk).update(attendance=Attendance.PRESENT)
    return w
