"""Applications: who may apply at what, the evidence of 附件2 一(四), the engine's verdict (never above it),
and the school's eligibility review."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluation.rounds import services
from evaluation.rounds.models import ApplicationState, RoundState, TitleApplication
from tests.conftest import make_user
from tests.rounds import factories as f


def test_a_graduate_applies_from_their_own_account(world):
    rnd = f.open_round(world)
    g = f.graduate(world, "A0001", user=world.student)
    app = f.application(world, rnd, g, actor=world.student)
    assert app.state == ApplicationState.SUBMITTED and not app.enrolled_by_school
    assert (app.verdict_level, app.verdict_may_apply) == ("technician", True)
    assert app.verdict["criteria"] and app.employer == g.employer


def test_only_the_graduates_of_the_round_apply(world):
    from portal.models import Role

    rnd = f.open_round(world)
    outsider = make_user("outsider", Role.STUDENT, institution=world.other_inst)
    from tests.evaluation.factories import GraduateFactory

    g_other = GraduateFactory(institution=world.other_inst, graduation_year=2025, user=outsider)
    with pytest.raises(PermissionDenied):
        services.create_application(round=rnd, graduate=g_other, actor=outsider, level="technician", today=f.OPENED)
    g_2024 = f.graduate(world, "A2024", graduation_year=2024)
    with pytest.raises(ValidationError, match="只受理安徽工业大学2025届"):
        services.create_application(round=rnd, graduate=g_2024, actor=world.staff, level="technician",
                                    today=f.OPENED)
    g_major = f.graduate(world, "A0002", major="工商管理", pilot_major=False)
    with pytest.raises(ValidationError, match="不在本轮评审的试点专业范围内"):
        services.create_application(round=rnd, graduate=g_major, actor=world.staff, level="technician",
                                    today=f.OPENED)


def test_a_level_outside_the_round_is_refused(world):
    f.school(world)
    rnd = services.open_round(institution=world.inst, actor=world.staff, graduation_year=2025,
                              levels=["technician"], today=f.OPENED)
    with pytest.raises(ValidationError, match="不评审该级别"):
        services.create_application(round=rnd, graduate=f.graduate(world, "A0003"), actor=world.staff,
                                    level="engineer", today=f.OPENED)


def test_one_application_per_graduate(world):
    rnd = f.open_round(world)
    g = f.graduate(world, "A0004")
    f.application(world, rnd, g, submit=False)
    with pytest.raises(ValidationError, match="已有申报"):
        services.create_application(round=rnd, graduate=g, actor=world.staff, level="technician", today=f.OPENED)


def test_submitting_needs_the_three_evidence_files(world):
    rnd = f.open_round(world)
    app = services.create_application(round=rnd, graduate=f.graduate(world, "A0005"), actor=world.staff,
                                      level="technician", today=f.OPENED)
    services.add_evidence(application=app, actor=world.staff, kind="employment", upload=f.pdf())
    with pytest.raises(ValidationError, match="三方就业协议、到岗证明"):
        services.submit_application(application=app, actor=world.staff, today=f.OPENED)


def test_evidence_is_checked_by_content(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rnd = f.open_round(world)
    app = services.create_application(round=rnd, graduate=f.graduate(world, "A0006"), actor=world.staff,
                                      level="technician", today=f.OPENED)
    fake = SimpleUploadedFile("contract.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        services.add_evidence(application=app, actor=world.staff, kind="employment", upload=fake)


def test_applying_below_the_verdict_is_allowed(world):
    rnd = f.open_round(world)
    g = f.graduate(world, "A0007", reaches="assistant_engineer")
    app = f.application(world, rnd, g, level="technician")
    app = services.review_application(application=app, actor=world.staff, decision="pass", today=f.OPENED)
    assert app.state == ApplicationState.ELIGIBLE and app.verdict_level == "assistant_engineer"


def test_a_graduate_who_may_not_be_evaluated_cannot_pass_the_review(world):
    rnd = f.open_round(world)
    app = f.application(world, rnd, f.graduate(world, "A0008", on_duty=False))
    assert not app.verdict_may_apply
    with pytest.raises(ValidationError, match="尚未到岗工作"):
        services.review_application(application=app, actor=world.staff, decision="pass", today=f.OPENED)
    app = services.review_application(application=app, actor=world.staff, decision="refuse", today=f.OPENED,
                                      reasons="毕业当年尚未到岗。")
    assert app.state == ApplicationState.REFUSED and app.review_reasons == "毕业当年尚未到岗。"


def test_return_and_refuse_need_reasons_and_a_returned_application_comes_back(world):
    rnd = f.open_round(world)
    g = f.graduate(world, "A0009", user=world.student)
    app = f.application(world, rnd, g, actor=world.student)
    with pytest.raises(ValidationError, match="请写明理由"):
        services.review_application(application=app, actor=world.staff, decision="return", today=f.OPENED)
    app = services.review_application(application=app, actor=world.staff, decision="return", today=f.OPENED,
                                      reasons="到岗证明未盖章")
    assert app.state == ApplicationState.RETURNED
    services.add_evidence(application=app, actor=world.student, kind="on_duty", upload=f.pdf("盖章.pdf"))
    app = services.submit_application(application=app, actor=world.student, today=f.OPENED)
    assert app.state == ApplicationState.SUBMITTED and app.submission_count == 2


def test_the_employer_must_be_an_enterprise(world):
    rnd = f.open_round(world)
    g = f.graduate(world, "A0010")
    app = services.create_application(round=rnd, graduate=g, actor=world.staff, level="technician",
                                      employer_kind="public", today=f.OPENED)
    for kind in ("employment", "tripartite", "on_duty"):
        services.add_evidence(application=app, actor=world.staff, kind=kind, upload=f.pdf(f"{kind}.pdf"))
    with pytest.raises(ValidationError, match="须在省内企业就业"):
        services.submit_application(application=app, actor=world.staff, today=f.OPENED)


def test_withdrawing_lets_the_graduate_apply_again(world):
    rnd = f.open_round(world)
    g = f.graduate(world, "A0011", user=world.student)
    app = f.application(world, rnd, g, actor=world.student)
    services.withdraw_application(application=app, actor=world.student)
    again = services.create_application(round=rnd, graduate=g, actor=world.student, level="technician",
                                        today=f.OPENED)
    assert again.pk != app.pk


def test_the_deadline_for_applications(world):
    from datetime import date

    f.school(world)
    rnd = services.open_round(institution=world.inst, actor=world.staff, graduation_year=2025,
                              application_deadline=date(2025, 9, 30), today=f.OPENED)
    with pytest.raises(ValidationError, match="申报已于2025-09-30截止"):
        services.create_application(round=rnd, graduate=f.graduate(world, "A0012"), actor=world.staff,
                                    level="technician", today=date(2025, 10, 9))


def test_a_student_applies_through_the_pages(world, client, clock):
    clock.set(f.OPENED)
    rnd = f.open_round(world)
    f.graduate(world, "A0013", user=world.student)
    client.force_login(world.student)
    page = client.get(reverse("rounds:apply", args=[rnd.pk]))
    assert page.status_code == 200 and "资格评价结果" in page.content.decode()
    response = client.post(reverse("rounds:apply", args=[rnd.pk]), {
        "level": "technician", "employer_kind": "enterprise", "employment": f.pdf("a.pdf"), "tripartite": f.pdf("b.pdf"),
        "on_duty": f.pdf("c.pdf"), "submit": "1"})
    app = TitleApplication.objects.get(round=rnd)
    assert response.status_code == 302 and response["Location"] == reverse("rounds:application", args=[app.pk])
    assert app.state == ApplicationState.SUBMITTED and app.evidence.count() == 3
    body = client.get(reverse("rounds:my")).content.decode()
    assert "已提交，待资格审查" in body
    assert client.get(reverse("rounds:apply", args=[rnd.pk])).status_code == 302  # already applied


def test_staff_enrol_a_graduate_through_the_pages(world, client, clock):
    clock.set(f.OPENED)
    rnd = f.open_round(world)
    g = f.graduate(world, "A0014")
    client.force_login(world.staff)
    response = client.post(reverse("rounds:enrol", args=[rnd.pk]), {
        "graduate": g.pk, "level": "technician", "employer_kind": "enterprise", "employment": f.pdf("a.pdf"),
        "tripartite": f.pdf("b.pdf"), "on_duty": f.pdf("c.pdf"), "submit": "1"})
    app = TitleApplication.objects.get(round=rnd)
    assert response.status_code == 302 and app.enrolled_by_school and app.state == ApplicationState.SUBMITTED
    response = client.post(reverse("rounds:review", args=[app.pk]), {"decision": "pass", "reasons": "",
                                                                      "expected_state": "submitted"})
    assert TitleApplication.objects.get(pk=app.pk).state == ApplicationState.ELIGIBLE


def test_the_round_page_shows_days_left(world, client, clock):
    clock.set(f.OPENED)
    rnd = f.round_in(world, RoundState.OPEN, n=1)
    client.force_login(world.staff)
    body = client.get(reverse("rounds:detail", args=[rnd.pk])).content.decode()
    assert 'data-testid="days-left">100<' in body  # 22 September → 31 December
    assert "今天开始则至 2025-09-26" in body
