"""Every refusal issue #13 lists ("Tests prove"), each with its Chinese reason, plus the rules around them.

Sessions: occupation/level not filed, before the filing date, outside the reported plan, a non-qualified or a
conflicted examiner, reported fewer than N working days before. Candidates: another school's graduate, an
unrelated major, left more than 2 years ago, left within 2 years without a confirmed declaration, an entrusted
student who did not opt in. Results: never reported, or in a suspended session, cannot be certified.
"""

import datetime
from decimal import Decimal

import pytest

from assessment.models import ExaminerConflict, PlanLine
from assessment.services import candidates, plans, results, scores, sessions
from assessment.services.common import AssessmentError
from certificates import services as certificates
from portal.models import AuditLog
from tests.track_b.factories import ELECTRICIAN, ROBOT, occ

from . import builders as b


@pytest.fixture
def base(world):
    app = b.quick_filed(world)
    b.reported_plan(world, app)
    b.map_major(world, world.inst)
    return world, app


def plan_session(w, app, **changes):
    values = {"occupation": occ(b.NEV), "level": 3, "job_type": "", "start_date": b.SESSION_DAY,
              "end_date": b.SESSION_DAY, "site": sessions.venues_of(app)[0],
              "examiners": list(app.examiners.order_by("position"))[:2], **changes}
    with b.at(b.FILED_ON):
        return sessions.save_session(user=w.staff, institution=app.institution, **values)


def refused(func, *args, match, **kwargs):
    with pytest.raises(AssessmentError) as info:
        func(*args, **kwargs)
    assert any(match in m for m in info.value.messages), info.value.messages
    return info.value.messages


# --- sessions ------------------------------------------------------------------------------------------
def test_an_occupation_not_filed_is_refused(base):
    w, app = base
    refused(plan_session, w, app, occupation=occ(ROBOT), match="未备案")


def test_a_level_above_the_filed_level_is_refused(base):
    w, app = base
    from applications.track_b.models import FiledOccupation

    FiledOccupation.objects.filter(application=app).update(level=4)
    refused(plan_session, w, app, match="未备案")


def test_a_session_before_the_filing_date_is_refused(base):
    w, app = base
    day = datetime.date(2026, 3, 1)  # the day before the filing
    PlanLine.objects.filter(plan__institution=w.inst).update(months="3,6")
    refused(plan_session, w, app, start_date=day, end_date=day, match="早于备案日期")


def test_a_session_outside_the_reported_plan_is_refused(base):
    w, app = base
    day = datetime.date(2026, 4, 17)  # April is not in the plan (3, 6)
    refused(plan_session, w, app, start_date=day, end_date=day, match="未列入已报告的年度计划")
    refused(plan_session, w, app, occupation=occ(ELECTRICIAN), match="未列入已报告的年度计划")


def test_a_draft_plan_does_not_count(world):
    app = b.quick_filed(world)
    with b.at(b.FILED_ON):
        plan = plans.create_plan(user=world.staff, institution=world.inst, year=2026)
        PlanLine.objects.create(plan=plan, occupation=occ(b.NEV), level=3, months="3", expected_candidates=5,
                                examiners=2)
    refused(plan_session, world, app, match="未列入已报告的年度计划")


def test_a_non_qualified_examiner_is_refused(base):
    w, app = base
    electricians_only = app.examiners.order_by("position")[0]
    electricians_only.domain = "电工"
    electricians_only.save()
    refused(plan_session, w, app, match="不具备该职业的考评资格")


def test_fewer_examiners_than_the_plan_sets_are_refused(base):
    w, app = base
    refused(plan_session, w, app, examiners=list(app.examiners.order_by("position"))[:1], match="考评人员不足")


def test_a_conflicted_examiner_is_refused(base):
    w, app = base
    session = plan_session(w, app)
    graduate = b.graduate(w.inst, 1)
    with b.at(b.FILED_ON):
        candidates.register(session, user=w.staff, graduates=[graduate])
    third = app.examiners.order_by("position")[2]
    ExaminerConflict.objects.create(user=sessions.account_of(third), graduate=graduate, kind="relative")
    examiners = [*app.examiners.order_by("position")[:1], third]
    with b.at(b.FILED_ON):
        refused(sessions.save_session, user=w.staff, institution=w.inst, session=session, occupation=occ(b.NEV),
                level=3, job_type="", start_date=b.SESSION_DAY, end_date=b.SESSION_DAY, site=session.site,
                examiners=examiners, match="回避")


def test_a_session_is_reported_at_least_n_working_days_before(base, settings):
    w, app = base
    settings.ASSESSMENT_REPORT_WORKING_DAYS = 5
    day = datetime.date(2026, 3, 9)  # Monday; reported on Monday 2 March: 4 working days in between
    session = plan_session(w, app, start_date=day, end_date=day)
    with b.at(b.FILED_ON):
        refused(sessions.report_session, session, user=w.staff, match="至少5个工作日")
    settings.ASSESSMENT_REPORT_WORKING_DAYS = 4
    with b.at(b.FILED_ON):
        assert sessions.report_session(session, user=w.staff).state == "reported"


def test_an_objection_holds_the_session_until_lifted(base):
    w, app = base
    session = plan_session(w, app)
    with b.at(b.FILED_ON):
        session = sessions.report_session(session, user=w.staff)
        session = sessions.object_session(session, user=w.city_hrss, reason="考评人员名单需调整")
        refused(sessions.lift_objection, session, user=w.city_hrss, match="尚未答复")
        session = sessions.answer_objection(session, user=w.staff, answer="已调整考评人员。")
        session = sessions.lift_objection(session, user=w.city_hrss)
    assert session.state == "reported"


# --- candidates ------------------------------------------------------------------------------------------
@pytest.fixture
def session(base):
    w, app = base
    return plan_session(w, app)


def register(w, session, graduate):
    with b.at(b.FILED_ON):
        return candidates.register(session, user=w.staff, graduates=[graduate])


def test_another_schools_graduate_is_refused(base, session):
    w, _app = base
    refused(register, w, session, b.graduate(w.other_inst, 7), match="不是本校毕业生")


def test_an_unrelated_major_is_refused(base, session):
    w, _app = base
    refused(register, w, session, b.graduate(w.inst, 8, major="英语"), match="不相关")


def test_a_graduate_who_left_more_than_two_years_ago_is_refused(base, session):
    w, _app = base
    refused(register, w, session, b.graduate(w.inst, 9, year=2023), match="已超过2年")


def test_left_within_two_years_needs_the_graduates_declaration_confirmed_by_the_school(base, session):
    w, _app = base
    student = w.student
    graduate = b.graduate(w.inst, 10, year=2025, user=student)
    refused(register, w, session, graduate, match="须本人申报")
    declaration = candidates.declare_unemployed(user=student, statement="本人离校后未就业。")
    refused(register, w, session, graduate, match="须本人申报")
    candidates.decide_declaration(declaration, user=w.staff, confirm=True)
    assert register(w, session, graduate)[0].graduate == graduate


def test_a_graduate_recorded_as_employed_is_not_treated_as_fresh(base, session):
    w, _app = base
    refused(register, w, session, b.graduate(w.inst, 11, year=2025, employer="某公司"), match="已就业")


def test_a_candidate_sits_a_level_once_per_session(base, session):
    w, _app = base
    graduate = b.graduate(w.inst, 12)
    register(w, session, graduate)
    refused(register, w, session, graduate, match="已报名本场次")


def test_registration_is_all_or_nothing(base, session):
    w, _app = base
    good, bad = b.graduate(w.inst, 13), b.graduate(w.inst, 14, major="英语")
    with b.at(b.FILED_ON):
        refused(candidates.register, session, user=w.staff, graduates=[good, bad], match="不相关")
    assert not session.candidates.exists()


def test_an_entrusted_student_must_opt_in_before_being_registered(base, session):
    from applications.track_b.models import Entrustment
    from portal.models import Role, RoleAssignment
    from tests.conftest import make_user

    w, app = base
    entrustment = Entrustment.objects.create(institution=w.other_inst, state="acknowledged", authority_role="city_hrss",
                                             entrusted_filing=app, voluntary=True, created_by=w.other_staff)
    entrustment.occupations.set([occ(b.NEV)])
    b.map_major(w, w.other_inst)
    user = make_user("entrusted_student")
    RoleAssignment.objects.create(user=user, role=Role.STUDENT, institution=w.other_inst)
    graduate = b.graduate(w.other_inst, 15, user=user)
    refused(register, w, session, graduate, match="须本人自愿报名")
    with b.at(b.FILED_ON):
        candidates.opt_in(session, user=user)
    candidate = register(w, session, graduate)[0]
    assert candidate.entrustment == entrustment


# --- scores -------------------------------------------------------------------------------------------------
@pytest.fixture
def held(base):
    w, app = base
    s = b.session_with_candidates(w, app, 2)
    with b.at(b.SESSION_DAY, 16):
        candidates.record_attendance(s, user=w.staff, marks={c.pk: "present" for c in s.candidates.all()})
    return w, app, s


def test_double_entry_must_agree_and_be_by_two_examiners(held):
    w, app, s = held
    first, second = b.examiner_users(app)[:2]
    c = s.candidates.first()
    with b.at(b.SESSION_DAY, 16):
        assert scores.enter_scores(c, user=first, theory=Decimal("70"), practical=Decimal("80")) == "entered"
        assert scores.enter_scores(c, user=first, theory=Decimal("71"), practical=Decimal("80")) == "entered"
        refused(scores.enter_scores, c, user=second, theory=Decimal("70"), practical=Decimal("80"), match="不一致")
        c.refresh_from_db()
        assert c.confirmed_at is None
        assert scores.enter_scores(c, user=second, theory=Decimal("71"), practical=Decimal("80")) == "confirmed"
        refused(scores.enter_scores, c, user=first, theory=Decimal("90"), practical=Decimal("90"), match="已复核")


def test_a_conflicted_examiner_cannot_score_that_candidate(held):
    w, app, s = held
    first = b.examiner_users(app)[0]
    c = s.candidates.first()
    with b.at(b.SESSION_DAY, 16):
        candidates.declare_conflict(s, user=first, graduate=c.graduate, kind="supervised")
        refused(scores.enter_scores, c, user=first, theory=Decimal("70"), practical=Decimal("80"), match="回避")


def test_a_conflict_declared_after_scoring_voids_that_examiners_entries(held):
    """DOMAIN §7: the 回避 list applies to 考评员 as to committee members, whose ballot a late declaration withdraws.
    An entry the recused examiner made — a first entry, or a confirmation — is void until the results are
    published; the other examiners enter again."""
    w, app, s = held
    first, second = b.examiner_users(app)[:2]
    one, two = s.candidates.order_by("id")[:2]
    with b.at(b.SESSION_DAY, 16):
        assert scores.enter_scores(one, user=first, theory=Decimal("90"), practical=Decimal("90")) == "entered"
        assert scores.enter_scores(two, user=first, theory=Decimal("80"), practical=Decimal("80")) == "entered"
        assert scores.enter_scores(two, user=second, theory=Decimal("80"), practical=Decimal("80")) == "confirmed"
        candidates.declare_conflict(s, user=first, graduate=one.graduate, kind="supervised")
        candidates.declare_conflict(s, user=second, graduate=two.graduate, kind="relative")
        one.refresh_from_db()
        two.refresh_from_db()
        assert (one.first_by_id, one.first_theory, one.confirmed_at) == (None, None, None)
        assert (two.first_by_id, two.theory_score, two.confirmed_by_id, two.confirmed_at) == (None, None, None, None)
        # the second examiner's entry is now a first entry, not a confirmation of the recused one's
        assert scores.enter_scores(one, user=second, theory=Decimal("90"), practical=Decimal("90")) == "entered"
    log = AuditLog.objects.filter(action="assessment.declare_conflict").order_by("id")
    assert [e.changes["voided_entries"] for e in log] == [[one.pk], [two.pk]]


def test_an_examiner_employed_by_the_candidates_employer_is_found_not_only_declared(held):
    """DOMAIN §7: the committee's 回避 list applies to examiners, and working for the candidate's current employer is
    on it. The portal finds it from the filed 考评员's 所在单位 (as it does for committee members), declared or not."""
    w, app, s = held
    first = b.examiner_users(app)[0]
    c = s.candidates.select_related("graduate").first()
    c.graduate.employer = f"{w.inst.name}（后勤处）"  # hired by the school its examiners work for
    c.graduate.save(update_fields=["employer"])
    with b.at(b.SESSION_DAY, 16):
        refused(scores.enter_scores, c, user=first, theory=Decimal("70"), practical=Decimal("80"),
                match="的就业单位（安徽工业大学），应当回避")
    c.refresh_from_db()
    assert c.first_by_id is None


def test_scores_wait_for_the_session_day(base):
    w, app = base
    s = b.session_with_candidates(w, app, 1)
    first = b.examiner_users(app)[0]
    with b.at(b.FILED_ON):
        refused(scores.enter_scores, s.candidates.first(), user=first, theory=Decimal("70"),
                practical=Decimal("80"), match="考核开始后")


# --- results and certificates ----------------------------------------------------------------------------------
@pytest.fixture
def published(held):
    w, app, s = held
    s = b.scored(w, app, s)
    with b.at(b.SESSION_DAY, 18):
        s = results.publish(s, user=w.staff)
    return w, app, s


def test_results_cannot_be_published_before_the_supervisors_report(held):
    w, app, s = held
    first, second = b.examiner_users(app)[:2]
    with b.at(b.SESSION_DAY, 16):
        for c in s.candidates.all():
            scores.enter_scores(c, user=first, theory=Decimal("70"), practical=Decimal("70"))
            scores.enter_scores(c, user=second, theory=Decimal("70"), practical=Decimal("70"))
        refused(results.publish, s, user=w.staff, match="督导报告")


def test_a_result_never_reported_cannot_be_certified(published):
    w, _app, s = published
    assert s.state == "published"
    refused(results.issue, s, user=w.staff, match="已报备认定结果")
    from certificates.models import AssessmentResult

    assert not AssessmentResult.objects.filter(candidate__session=s).exists()  # frozen only at 认定结果报备


def test_a_suspended_session_cannot_be_certified_until_lifted(published, django_capture_on_commit_callbacks):
    w, _app, s = published
    with b.at(b.SESSION_DAY, 18):
        s = results.report_results(s, user=w.staff)
        s = results.suspend(s, user=w.city_hrss, reason="督导报告反映考场秩序问题，核查中")
    result = s.candidates.first().result
    with pytest.raises(certificates.IssuanceError, match="暂停"):
        certificates.issue_from_result(result, issued_by=w.staff, render=False)
    refused(results.issue, s, user=w.staff, match="未被暂停发证")
    with b.at(b.SESSION_DAY, 18):
        s = results.lift_suspension(s, user=w.city_hrss)
    result.refresh_from_db()
    assert certificates.issue_from_result(result, issued_by=w.staff, render=False).number


def test_pass_marks_come_from_the_plan_only(world):
    app = b.quick_filed(world, marks=(70, 65))
    b.reported_plan(world, app)
    s = plan_session(world, app)
    assert (s.theory_pass_mark, s.practical_pass_mark) == (Decimal("70"), Decimal("65"))
    field_names = {f.name for f in type(s)._meta.get_fields() if getattr(f, "editable", False)}
    assert "theory_pass_mark" not in field_names and "practical_pass_mark" not in field_names


def test_a_filing_whose_plan_sets_no_pass_mark_cannot_hold_a_session(world):
    app = b.quick_filed(world, marks=(None, None))
    b.reported_plan(world, app)
    refused(plan_session, world, app, match="未设定")
