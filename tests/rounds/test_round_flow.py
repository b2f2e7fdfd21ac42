"""A round's rules end to end with the services: the 31 December limit, notices that must run their term,
objections that block until answered, final decisions that never change, and what certificate issuance reads."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from evaluation.rounds import deadlines, selectors, services
from evaluation.rounds.models import (
    ApplicationState,
    Decision,
    EvaluationRound,
    Objection,
    PublicNotice,
    RoundState,
    Stage,
    TitleApplication,
)
from portal.models import Notification
from tests.rounds import factories as f

# --- opening -----------------------------------------------------------------------------------------------------


def test_a_round_needs_authority_committee_and_standard(world):
    with pytest.raises(ValidationError, match="尚未取得产业工程师职称自主评审权"):
        services.open_round(institution=world.inst, actor=world.staff, graduation_year=2025, today=f.OPENED)
    from applications.track_a import services as track_a
    from tests.track_a import factories as ta

    committee = ta.committee(world, "filed")  # authority granted, standard published, committee not yet approved
    with pytest.raises(ValidationError, match="委员会尚未核准备案"):
        services.open_round(institution=world.inst, actor=world.staff, graduation_year=2025, today=f.OPENED)
    # 安徽工业大学 is 省属: the provincial HRSS approves (附件2 二(三)); the filing carries the standard.
    committee = track_a.review_committee(committee=committee, actor=world.prov_hrss, decision="approve",
                                         today=ta.APPROVED_ON)
    rnd = services.open_round(institution=world.inst, actor=world.staff, graduation_year=2025, today=f.OPENED)
    assert rnd.standard_version == committee.standard_version


def test_a_round_stays_within_the_authority(world):
    f.school(world)
    with pytest.raises(ValidationError, match="不在本校职称自主评审权范围内"):
        services.open_round(institution=world.inst, actor=world.staff, graduation_year=2025, majors=["冶金工程"],
                            today=f.OPENED)
    with pytest.raises(ValidationError, match="自2024年度起"):
        services.open_round(institution=world.inst, actor=world.staff, graduation_year=2023, today=date(2023, 9, 1))
    rnd = services.open_round(institution=world.inst, actor=world.staff, graduation_year=2025, majors=["车辆工程"],
                              levels=["technician", "assistant_engineer"], today=f.OPENED)
    assert rnd.majors == ["车辆工程"] and rnd.levels == ["technician", "assistant_engineer"]
    assert rnd.committee == world.committee and rnd.standard_version.standard.institution == world.inst
    with pytest.raises(ValidationError, match="已经发起"):
        services.open_round(institution=world.inst, actor=world.staff, graduation_year=2025, today=f.OPENED)


def test_only_the_schools_staff_open_a_round(world):
    f.school(world)
    for user in (world.other_staff, world.city_hrss, world.prov_hrss, world.student, world.admin):
        with pytest.raises(PermissionDenied):
            services.open_round(institution=world.inst, actor=user, graduation_year=2025, today=f.OPENED)


# --- 31 December --------------------------------------------------------------------------------------------------

def test_the_last_day_a_round_can_still_open(world):
    """17 Dec 2025: candidates' notice 17–23 Dec, results 24–30 Dec, decisions 31 Dec. 18 Dec: one day too late."""
    f.school(world)
    with pytest.raises(ValidationError, match="无法在2025年12月31日前完成"):
        services.open_round(institution=world.inst, actor=world.staff, graduation_year=2025, today=date(2025, 12, 18))
    rnd = services.open_round(institution=world.inst, actor=world.staff, graduation_year=2025,
                              today=date(2025, 12, 17))
    assert deadlines.earliest_finish(rnd, date(2025, 12, 17)) == date(2025, 12, 31)
    assert deadlines.days_left(rnd, date(2025, 12, 17)) == 14


def test_a_step_that_would_end_after_31_december_is_refused(world):
    rnd = f.open_round(world, today=date(2025, 12, 1))
    f.candidates(world, rnd, 1)
    with pytest.raises(ValidationError, match="无法在2025年12月31日前完成"):
        services.publish_candidates(round=rnd, actor=world.staff, starts_on=date(2025, 12, 18), today=date(2025, 12, 1))
    rnd = services.publish_candidates(round=rnd, actor=world.staff, starts_on=date(2025, 12, 17),
                                      today=date(2025, 12, 1))
    notice = PublicNotice.objects.get(round=rnd)
    assert notice.ends_on == date(2025, 12, 23)
    # The notice over, closing it on the 26th leaves a results notice of 26–31 Dec: decisions in January. Refused.
    with pytest.raises(ValidationError, match="无法在2025年12月31日前完成"):
        services.close_candidates_notice(round=rnd, actor=world.staff, today=date(2025, 12, 26))
    rnd = services.close_candidates_notice(round=rnd, actor=world.staff, today=date(2025, 12, 24))
    assert rnd.state == RoundState.AWAITING_SESSION


def test_decisions_cannot_be_made_after_31_december(world):
    rnd = f.round_in(world, RoundState.RESULTS_NOTICE, n=1)
    with pytest.raises(ValidationError, match="已过2025年12月31日"):
        services.finalise(round=rnd, actor=world.staff, document_number="X〔2026〕1号", today=date(2026, 1, 2))
    rnd = services.finalise(round=rnd, actor=world.staff, document_number="安工大职评〔2025〕1号",
                            today=date(2025, 12, 31))
    assert rnd.finalised_on == date(2025, 12, 31)


def test_nothing_is_accepted_after_the_year(world):
    rnd = f.open_round(world)
    g = f.graduate(world, "L0001")
    with pytest.raises(ValidationError, match="已过2025年12月31日"):
        services.create_application(round=rnd, graduate=g, actor=world.staff, level="technician",
                                    today=date(2026, 1, 5))


# --- the notices and their objections --------------------------------------------------------------------------------

def test_a_notice_must_run_its_term(world):
    rnd = f.round_in(world, RoundState.CANDIDATES_NOTICE, n=1)
    with pytest.raises(ValidationError, match="至2025-09-26，期满后"):
        services.close_candidates_notice(round=rnd, actor=world.staff, today=f.CANDIDATES_END)
    assert services.close_candidates_notice(round=rnd, actor=world.staff, today=date(2025, 9, 27)).state == \
        RoundState.AWAITING_SESSION


def test_publishing_needs_every_application_reviewed(world):
    rnd = f.open_round(world)
    f.candidates(world, rnd, 1)
    f.application(world, rnd, f.graduate(world, "P0001"))
    with pytest.raises(ValidationError, match="尚有1份申报待资格审查"):
        services.publish_candidates(round=rnd, actor=world.staff, today=f.OPENED)


def test_the_notice_lists_masked_names_and_a_summary(world):
    rnd = f.round_in(world, RoundState.CANDIDATES_NOTICE, n=2)
    notice = PublicNotice.objects.get(round=rnd, stage=Stage.CANDIDATES)
    assert (notice.starts_on, notice.ends_on, notice.working_days) == (f.CANDIDATES_FROM, f.CANDIDATES_END, 5)
    entry = notice.entries.first()
    assert entry.masked_name == entry.application.graduate.masked_name != entry.application.graduate.name
    assert "企业实习实践3个月" in entry.summary and "校机械创新设计竞赛" in entry.summary


def test_anyone_may_object_while_the_notice_runs_and_contact_is_optional(world):
    rnd = f.round_in(world, RoundState.CANDIDATES_NOTICE, n=2)
    notice = PublicNotice.objects.get(round=rnd)
    objection = services.lodge_objection(notice=notice, content="竞赛证书存疑", today=date(2025, 9, 24))
    assert objection.state == "open" and objection.contact == "" and len(objection.receipt) == 12
    for day in (date(2025, 9, 21), date(2025, 9, 27)):
        with pytest.raises(ValidationError, match="不受理异议"):
            services.lodge_objection(notice=notice, content="竞赛证书存疑", today=day)
    assert Notification.objects.filter(recipient=world.staff, title__contains="收到公示异议").exists()


def test_objections_block_the_round_until_answered_in_writing(world):
    rnd = f.round_in(world, RoundState.CANDIDATES_NOTICE, n=2)
    notice = PublicNotice.objects.get(round=rnd)
    objection = services.lodge_objection(notice=notice, entry=notice.entries.first(), content="实习时间不实",
                                         today=date(2025, 9, 25))
    with pytest.raises(ValidationError, match="尚有1条公示异议未书面答复"):
        services.close_candidates_notice(round=rnd, actor=world.staff, today=f.SESSION)
    with pytest.raises(ValidationError, match="书面答复"):
        services.answer_objection(objection=objection, actor=world.staff, outcome="dismissed", answer="")
    with pytest.raises(PermissionDenied):
        services.answer_objection(objection=objection, actor=world.city_hrss, outcome="dismissed",
                                  answer="经核查，实习证明属实。")
    services.answer_objection(objection=objection, actor=world.staff, outcome="dismissed",
                              answer="经核查企业出具的实习证明和考勤记录，实习时间属实，异议不成立。")
    assert services.close_candidates_notice(round=rnd, actor=world.staff, today=f.SESSION).state == \
        RoundState.AWAITING_SESSION


def test_an_upheld_objection_takes_the_candidate_out(world):
    rnd = f.round_in(world, RoundState.CANDIDATES_NOTICE, n=2)
    notice = PublicNotice.objects.get(round=rnd)
    entry = notice.entries.first()
    objection = services.lodge_objection(notice=notice, entry=entry, content="获奖证书系伪造", today=f.CANDIDATES_END)
    services.answer_objection(objection=objection, actor=world.staff, outcome="upheld", revoke=True,
                              answer="经向竞赛组委会核实，该证书不在获奖名单中，异议成立，取消其评审资格。")
    app = TitleApplication.objects.get(pk=entry.application_id)
    assert app.state == ApplicationState.DISQUALIFIED
    assert Objection.objects.get(pk=objection.pk).revoked
    rnd = services.close_candidates_notice(round=rnd, actor=world.staff, today=f.SESSION)
    assert len(f.eligible(rnd)) == 1  # the committee sees only the other candidate


def test_an_upheld_objection_to_the_results_revokes_the_pass(world):
    rnd = f.round_in(world, RoundState.RESULTS_NOTICE, n=2)
    notice = PublicNotice.objects.get(round=rnd, stage=Stage.RESULTS)
    entry = notice.entries.first()
    objection = services.lodge_objection(notice=notice, entry=entry, content="就业单位不在省内", today=date(2025, 10, 9))
    with pytest.raises(ValidationError, match="尚有1条公示异议未书面答复"):
        services.finalise(round=rnd, actor=world.staff, document_number="安工大职评〔2025〕1号", today=f.FINALISED)
    services.answer_objection(objection=objection, actor=world.staff, outcome="upheld", revoke=True,
                              answer="经核实，其就业单位注册地在江苏省，不符合附件2 一(四)，取消评审结果。")
    rnd = services.finalise(round=rnd, actor=world.staff, document_number="安工大职评〔2025〕1号", today=f.FINALISED)
    revoked = Decision.objects.get(application_id=entry.application_id)
    assert not revoked.passed
    assert selectors.final_passed_decisions(rnd).count() == 1


# --- final decisions -----------------------------------------------------------------------------------------------

def test_final_decisions_for_certificate_issuance(world):
    rnd = f.round_in(world, RoundState.FINALISED, n=3)
    rows = list(selectors.final_passed_decisions(rnd))
    assert len(rows) == 3
    d = rows[0]
    assert d.graduate.pk and d.level == "technician" and d.get_level_display() == "技术员"
    assert d.major == "车辆工程" and d.committee == world.committee
    assert d.decided_on == f.FINALISED and d.approval_number == "安工大职评〔2025〕1号"
    assert d.round.institution == world.inst and d.source_key == f"title-decision:{d.pk}"
    assert selectors.final_passed_decision_for(d.graduate) == d


def test_no_decisions_before_the_round_is_final(world):
    rnd = f.round_in(world, RoundState.RESULTS_NOTICE, n=2)
    assert not selectors.final_passed_decisions(rnd).exists()
    with pytest.raises(ValidationError, match="期满后才能确定"):
        services.finalise(round=rnd, actor=world.staff, document_number="安工大职评〔2025〕1号", today=f.RESULTS_END)


def test_decisions_are_immutable(world):
    rnd = f.round_in(world, RoundState.FINALISED, n=1)
    decision = Decision.objects.get(round=rnd)
    decision.passed = False
    with pytest.raises(PermissionError):
        decision.save()
    with pytest.raises(PermissionError):
        decision.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(passed=False)
    assert Decision.objects.get(pk=decision.pk).passed


def test_a_decision_changes_only_through_a_rereview_by_the_committee(world):
    from evaluation.rounds.models import RereviewState
    from portal.models import AuditLog

    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    original = selectors.final_passed_decisions(rnd).first()
    with pytest.raises(ValidationError, match="复查理由"):
        services.request_rereview(decision=original, actor=world.staff, grounds="complaint", reason="")
    with pytest.raises(PermissionDenied):
        services.request_rereview(decision=original, actor=world.city_hrss, grounds="complaint", reason="x")
    request = services.request_rereview(decision=original, actor=world.staff, grounds="error",
                                        reason="复核发现其毕业设计成绩登记错误。")
    assert request.state == RereviewState.PENDING and request.committee_id == original.committee_id
    assert list(selectors.pending_rereviews(original.committee)) == [request]
    assert AuditLog.objects.filter(action="rounds.request_rereview", object_id=str(request.pk)).exists()
    with pytest.raises(ValidationError, match="已在等待评委会复查"):
        services.request_rereview(decision=original, actor=world.staff, grounds="error", reason="再次申请")
    # Only the committee's new vote at a 复查 meeting makes a new decision (tests/rounds/test_rereview_meetings.py).
    assert Decision.objects.filter(application=original.application).count() == 1


def test_every_step_notifies_the_graduate(world):
    g = f.graduate(world, "N0001", user=world.student)
    rnd = f.open_round(world)
    app = f.application(world, rnd, g, actor=world.student)
    services.review_application(application=app, actor=world.staff, decision="pass", today=f.OPENED)
    rnd = services.publish_candidates(round=rnd, actor=world.staff, starts_on=f.CANDIDATES_FROM, today=f.OPENED)
    rnd = services.close_candidates_notice(round=rnd, actor=world.staff, today=f.SESSION)
    rnd = f.run_meeting(world, rnd)
    rnd = services.publish_results(round=rnd, actor=world.staff, starts_on=f.RESULTS_FROM, today=f.SESSION)
    services.finalise(round=rnd, actor=world.staff, document_number="安工大职评〔2025〕1号", today=f.FINALISED)
    titles = list(Notification.objects.filter(recipient=world.student).order_by("id").values_list("title", flat=True))
    assert any("已通过资格审查" in t for t in titles)
    assert any("评审对象公示" in t for t in titles)
    assert any("提交评委会评审" in t for t in titles)
    assert any("已通过评委会评审" in t for t in titles)
    assert any("已取得技术员职称" in t and "安工大职评〔2025〕1号" in t for t in titles)
    staff_titles = list(Notification.objects.filter(recipient=world.staff).values_list("title", flat=True))
    assert any("待资格审查" in t for t in staff_titles)
    assert Notification.objects.filter(recipient=world.city_hrss, title__contains="评审结果已确定").exists()


def test_the_round_is_one_per_school_and_year(world):
    f.round_in(world, RoundState.OPEN, n=1)
    assert EvaluationRound.objects.filter(institution=world.inst).count() == 1
