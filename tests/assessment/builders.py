"""Builders for 评价实施 tests: a filed institution, its plan, a session, graduates and a run through scoring —
every step through the services a person would use, at dates set with ``time_machine`` (the rules compare with
today: filing date, N working days before the session, scoring only once the session has begun)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from applications.track_b.demo import fake_ric
from applications.track_b.models import Examiner, FilingApplication, FilingState, PassStandard
from assessment.models import Attendance, PlanLine
from assessment.services import candidates, plans, results, scores, sessions
from evaluation.models import Graduate
from portal.models import ExpertProfile, Role
from tests.certificates.chain import filed_application
from tests.conftest import make_user
from tests.track_b.factories import ELECTRICIAN, NEV, case_in, ensure_reference_data, occ

SHANGHAI = ZoneInfo("Asia/Shanghai")
FILED_ON = datetime.date(2026, 3, 2)      # a Monday
SESSION_DAY = datetime.date(2026, 3, 20)  # a Friday, 13 working days later


def at(day, hour=10):
    """``with at(day):`` — the clock reads ``day`` (Asia/Shanghai), standing still."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def filed(w, inst=None, on=FILED_ON):
    """``inst`` (default world.inst) filed through Track B on ``on`` for 汽车维修工 and 电工 (三级), with
    examiner accounts for its four filed examiners (考评员1–4, qualified for 汽车维修工)."""
    ensure_reference_data()
    with at(on):
        app = case_in(w, FilingState.FILED, inst)
    for i, examiner in enumerate(app.examiners.order_by("position"), 1):
        user = make_user(f"examiner{app.pk}_{i}", Role.EXPERT, organisation="某汽车公司")
        ExpertProfile.objects.create(user=user, title="高级技师", title_level="skilled", id_number=examiner.id_number)
    return app


def quick_filed(w, inst=None, on=FILED_ON, *, codes=(NEV, ELECTRICIAN), examiners=4, marks=(60, 60)):
    """Like ``filed`` but written directly (the filing procedure has its own tests): a filed Track-B application
    with venues, four examiners qualified for 汽车维修工 (with accounts) and the 附件4 pass marks."""
    ensure_reference_data()
    inst = inst or w.inst
    staff = w.staff if inst == w.inst else w.other_staff
    code = f"Y0000340000{inst.pk % 100:02d}"
    app = filed_application(inst, code, [occ(c) for c in codes], staff=staff,
                            filed_at=datetime.datetime(on.year, on.month, on.day, 9, tzinfo=SHANGHAI))
    FilingApplication.objects.filter(pk=app.pk).update(venues="理论考试机房2间；操作技能考核实训车间3个")
    app.refresh_from_db()
    for i in range(1, examiners + 1):
        ric = fake_ric("340104", f"1982020{i}", f"{inst.pk % 10}6{i}")
        Examiner.objects.create(application=app, position=i, name=f"考评员{i}", id_number=ric, employer=inst.name,
                                domain=occ(codes[0]).name)
        user = make_user(f"examiner{app.pk}_{i}", Role.EXPERT, organisation="某汽车公司")
        ExpertProfile.objects.create(user=user, title="高级技师", title_level="skilled", id_number=ric)
    for code_ in codes:
        for subject, mark in zip(("theory", "practical"), marks, strict=True):
            if mark is not None:
                PassStandard.objects.create(application=app, occupation=occ(code_), subject=subject, pass_mark=mark)
    return app


def examiner_users(app):
    return [ExpertProfile.objects.get(id_number=e.id_number).user for e in app.examiners.order_by("position")]


def reported_plan(w, app, *, year=2026, months="3,6", occupation=NEV, level=3, examiners=2, acknowledge=True):
    staff = w.staff if app.institution_id == w.inst.pk else w.other_staff
    office = w.city_hrss if app.institution_id == w.inst.pk else w.other_city_hrss
    with at(FILED_ON):
        plan = plans.create_plan(user=staff, institution=app.institution, year=year)
        PlanLine.objects.create(plan=plan, occupation=occ(occupation), level=level, months=months,
                                expected_candidates=30, examiners=examiners)
        plan = plans.report_plan(plan, user=staff)
        if acknowledge:
            plan = plans.answer_plan(plan, user=office, acknowledge=True)
    return plan


def graduate(inst, n, *, year=2026, major="汽车服务工程", user=None, employer=""):
    return Graduate.objects.create(institution=inst, graduation_year=year, student_number=f"S{inst.pk}{n:05d}",
                                   name=f"考生{n}", gender="M", id_number=fake_ric("340504", "20030101", f"{n:03d}"),
                                   degree_level="bachelor", major=major, user=user, employer=employer)


def planned_session(w, app, *, day=SESSION_DAY, examiners=2, occupation=NEV, level=3):
    staff = w.staff if app.institution_id == w.inst.pk else w.other_staff
    rows = list(app.examiners.order_by("position"))[:examiners]
    with at(FILED_ON):
        return sessions.save_session(user=staff, institution=app.institution, occupation=occ(occupation),
                                     level=level, job_type="", start_date=day, end_date=day,
                                     site=sessions.venues_of(app)[0], examiners=rows)


def map_major(w, inst, major="汽车服务工程", occupation=NEV):
    staff = w.staff if inst == w.inst else w.other_staff
    candidates.save_mapping(user=staff, institution=inst, occupation=occ(occupation), majors=[major])


def session_with_candidates(w, app, count=3, *, report=True):
    """A reported session with ``count`` of the school's graduates registered, a supervisor named."""
    map_major(w, app.institution)
    session = planned_session(w, app)
    grads = [graduate(app.institution, n) for n in range(1, count + 1)]
    with at(FILED_ON):
        candidates.register(session, user=w.staff, graduates=grads)
        if report:
            session = sessions.report_session(session, user=w.staff)
            session = sessions.name_supervisor(session, user=w.city_hrss, supervisor=supervisor(w))
    return session


def supervisor(w):
    if not ExpertProfile.objects.filter(user__username="supervisor").exists():
        user = make_user("supervisor", Role.EXPERT, organisation="安徽省职业技能鉴定指导中心")
        ExpertProfile.objects.create(user=user, title="督导员", title_level="senior")
    return ExpertProfile.objects.get(user__username="supervisor").user


def scored(w, app, session, marks=((Decimal("80"), Decimal("75")),), absent=()):
    """On the session day: attendance, both examiners' entries (equal), the supervisor's report."""
    first, second = examiner_users(app)[:2]
    cands = list(session.candidates.order_by("id"))
    with at(session.start_date, 16):
        candidates.record_attendance(session, user=w.staff, marks={
            c.pk: Attendance.ABSENT if i in absent else Attendance.PRESENT for i, c in enumerate(cands)})
        for i, c in enumerate(cands):
            if i in absent:
                continue
            theory, practical = marks[i % len(marks)]
            scores.enter_scores(c, user=first, theory=theory, practical=practical)
            scores.enter_scores(c, user=second, theory=theory, practical=practical)
        sessions.file_supervision(session, user=supervisor(w), checked="考场、身份核验、评分过程", anomalies="",
                                  has_anomalies=False)
    return session


def reported_results(w, app, session):
    with at(session.end_date, 18):
        session = results.publish(session, user=w.staff)
        session = results.report_results(session, user=w.staff)
    return session


__all__ = ["ELECTRICIAN", "NEV", "at", "filed", "quick_filed", "reported_plan", "planned_session", "graduate", "map_major",
           "session_with_candidates", "scored", "reported_results", "examiner_users", "supervisor"]
