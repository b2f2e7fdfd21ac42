"""评价实施 demo (``manage.py load_demo``): 安徽工业大学, filed for 汽车维修工 by the Track-B demo, runs its 2025 year.

The story is replayed on its own dates (``time_machine``: every rule that compares with "today" — the filing date,
N working days before a session, scoring once it has begun — and every timestamp see the day the people acted),
through the services the school, the examiners, the supervisor and the 马鞍山 HRSS use:

- 2025 年度计划 reported 2025-03-10, acknowledged by city_hrss 2025-03-12; a 2026 plan reported and commented;
- a finished session (汽车维修工 三级, 2025-06-13): 张明 (``2021010101``) and 11 classmates of related majors, double-entry
  scores by two examiners, the supervisor's report, results published and reported, certificates issued from the
  session (one revoked afterwards: a recording error found on review);
- a session in progress (2025-12-12): reported, supervisor named, held, the first examiner's scores entered and
  waiting for the second examiner's confirmation (sign in as ``examiner3`` to confirm).

Idempotent: an institution that already has a 2025 plan is left alone.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model

from applications.track_b.models import Examiner
from certificates import services as certificate_services
from certificates import tasks as certificate_tasks
from evaluation import demo as evaluation_demo
from evaluation.models import Graduate
from portal import accounts
from portal import demo as portal_demo
from portal.models import Institution, Occupation, Role

from .forms import PlanLineFormSet
from .models import AnnualPlan, Attendance
from .services import candidates, plans, results, scores, sessions
from .services.common import current_filing

SCHOOL = "安徽工业大学"
NEV = "4-12-01-01"  # 汽车维修工
MAJORS = ["车辆工程", "机械设计制造及其自动化"]
SHANGHAI = ZoneInfo("Asia/Shanghai")
FINISHED = datetime.date(2025, 6, 13)
IN_PROGRESS = datetime.date(2025, 12, 12)
REVOKED_NOTE = "演示：成绩复核发现该考生操作技能评分记录录入有误，撤销证书并重新组织考核。"


def on(day, hour=10):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _examiner_accounts(filing):
    """Accounts for the filed examiners, opened by the site admin through ``portal.accounts`` (the expert-pool
    entry carries the ID number); an existing account is left as it is."""
    accounts_ = []
    for i, examiner in enumerate(Examiner.objects.filter(application=filing).order_by("position")[:3], 1):
        accounts_.append(portal_demo.ensure_account(
            f"examiner{i}", examiner.name, [accounts.Grant(Role.EXPERT, institution=filing.institution)],
            expert_profile={"title": examiner.title or "考评员", "title_level": "skilled",
                            "id_number": examiner.id_number}))
    return accounts_


def _plan_line(plan, staff, occupation, *, expected):
    """The plan's one line (三级, sessions in months 6 and 12) typed on the plan's page: its formset, then
    ``plans.save_lines`` (which checks the line against the filing and audits it)."""
    data = {"lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "50", "lines-0-occupation": occupation.pk, "lines-0-level": "3",
            "lines-0-months": "6,12", "lines-0-expected_candidates": str(expected), "lines-0-examiners": "2"}
    formset = PlanLineFormSet(data, instance=plan, prefix="lines")
    if not formset.is_valid():
        raise ValueError(f"demo plan line refused: {formset.errors}")
    return plans.save_lines(plan, user=staff, formset=formset)


def _score(i):
    """Deterministic scores: most pass, two miss the theory mark."""
    theory = Decimal(58 + (i * 7) % 35) if i not in (4, 9) else Decimal("55.5")
    practical = Decimal(62 + (i * 11) % 30)
    return theory, practical


def load_demo(stdout):
    school = Institution.objects.filter(name=SCHOOL).first()
    staff, office, student = _user("univ"), _user("city_hrss"), evaluation_demo.student_user()
    filing = current_filing(school) if school else None
    occupation = Occupation.objects.filter(code=NEV).first()
    if None in (school, staff, office, filing, occupation):
        return
    if AnnualPlan.objects.filter(institution=school, year=2025).exists():
        stdout.write("评价实施：已有演示数据，跳过")
        return
    first, second, third = _examiner_accounts(filing)
    supervisor = _user("expert4")  # 江淮汽车的高级技师: not employed by the school, not examining
    pool = list(Graduate.objects.filter(institution=school, graduation_year=2025, major__in=MAJORS)
                .exclude(user=student).order_by("student_number")[:11])
    zhang = Graduate.objects.filter(user=student).first()
    graduates = ([zhang] if zhang else []) + pool
    examiners = list(Examiner.objects.filter(application=filing).order_by("position")[:3])
    site = sessions.venues_of(filing)[0]

    with on(datetime.date(2025, 3, 10)):
        candidates.save_mapping(user=staff, institution=school, occupation=occupation, majors=MAJORS)
        plan = plans.create_plan(user=staff, institution=school, year=2025)
        _plan_line(plan, staff, occupation, expected=40)
        plan = plans.report_plan(plan, user=staff)
    with on(datetime.date(2025, 3, 12)):
        plans.answer_plan(plan, user=office, acknowledge=True, comment="已知悉。请按计划做好考务和质量督导。")

    # The finished session.
    with on(datetime.date(2025, 5, 26)):
        done = sessions.save_session(user=staff, institution=school, occupation=occupation, level=3,
                                     job_type="汽车机械维修工", start_date=FINISHED, end_date=FINISHED, site=site,
                                     examiners=examiners[:2])
        candidates.register(done, user=staff, graduates=graduates)
        done = sessions.report_session(done, user=staff)
    with on(datetime.date(2025, 5, 28)):
        done = sessions.name_supervisor(done, user=office, supervisor=supervisor)
    with on(FINISHED, 16):
        cands = list(done.candidates.select_related("graduate").order_by("id"))
        absent = {cands[-1].pk}
        candidates.record_attendance(done, user=staff, marks={
            c.pk: Attendance.ABSENT if c.pk in absent else Attendance.PRESENT for c in cands})
        for i, c in enumerate(cands):
            if c.pk in absent:
                continue
            theory, practical = _score(i)
            if c.graduate_id == getattr(zhang, "pk", None):
                theory, practical = Decimal("82"), Decimal("88")
            scores.enter_scores(c, user=first, theory=theory, practical=practical)
            scores.enter_scores(c, user=second, theory=theory, practical=practical)
        sessions.file_supervision(done, user=supervisor, checked="考场布置、考生身份核验、试卷保密、操作技能评分过程和成绩双人录入复核。",
                                  anomalies="", has_anomalies=False)
    with on(datetime.date(2025, 6, 16)):
        done = results.publish(done, user=staff)
    with on(datetime.date(2025, 6, 17)):
        done = results.report_results(done, user=staff)
    with on(datetime.date(2025, 6, 20)):
        batch = results.issue(done, user=staff, issue_date=datetime.date(2025, 6, 20))
        certificate_tasks.run_batch(batch.pk)  # the worker's job (idempotent if it already ran eagerly)
    with on(datetime.date(2025, 7, 1)):
        revoked = (done.candidates.exclude(graduate=zhang).filter(result__certificates__status="valid")
                   .order_by("id").first())
        if revoked is not None:
            certificate = revoked.result.certificates.get(status="valid")
            certificate_services.revoke_certificate(certificate, actor=staff, reason="issued_in_error",
                                                    note=REVOKED_NOTE)

    # The session in progress.
    later = list(Graduate.objects.filter(institution=school, graduation_year=2025, major__in=MAJORS)
                 .exclude(pk__in=[g.pk for g in graduates]).order_by("student_number")[:6])
    with on(datetime.date(2025, 11, 24)):
        running = sessions.save_session(user=staff, institution=school, occupation=occupation, level=3,
                                        job_type="汽车电器维修工", start_date=IN_PROGRESS, end_date=IN_PROGRESS,
                                        site=site, examiners=examiners[1:3])
        if later:
            candidates.register(running, user=staff, graduates=later)
        running = sessions.report_session(running, user=staff)
    with on(datetime.date(2025, 11, 26)):
        running = sessions.name_supervisor(running, user=office, supervisor=supervisor)
    with on(IN_PROGRESS, 16):
        cands = list(running.candidates.order_by("id"))
        candidates.record_attendance(running, user=staff, marks={c.pk: Attendance.PRESENT for c in cands})
        for i, c in enumerate(cands):
            theory, practical = _score(i + 3)
            scores.enter_scores(c, user=second, theory=theory, practical=practical)  # third confirms: examiner3

    with on(datetime.date(2026, 2, 27)):
        plan26 = plans.create_plan(user=staff, institution=school, year=2026)
        _plan_line(plan26, staff, occupation, expected=60)
        plan26 = plans.report_plan(plan26, user=staff)
    with on(datetime.date(2026, 3, 3)):
        plans.answer_plan(plan26, user=office, acknowledge=False,
                          comment="请在12月场次前补充报告考评人员轮换安排。")
    issued = done.candidates.filter(result__certificates__isnull=False).count()
    stdout.write(f"评价实施：{SCHOOL} 2025年度计划，已完成场次 {FINISHED}（发证 {issued} 张，其中1张已撤销），"
                 f"进行中场次 {IN_PROGRESS}（待 examiner3 复核成绩）；考评员账号 examiner1–3，督导员 expert4")
