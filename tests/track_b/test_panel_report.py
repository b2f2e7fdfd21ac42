"""The expert panel (≥ 2/3 external, 回避) and 附件5 (leader drafts, every member signs, edits clear signatures)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications.track_b import selectors, services
from applications.track_b.demo import fake_ric
from applications.track_b.models import FilingState, ListedExpert, PanelMember, ReportSignature
from portal.models import AuditLog, Notification, Role
from tests.conftest import make_user
from tests.track_b.factories import REPORT, case_in, make_expert, panel_of, pool


def _assign(client, app, experts, leader):
    return client.post(reverse("track_b:panel", args=[app.pk]),
                       {"experts": [u.pk for u in experts], "leader": leader.pk, "expected_state": app.state},
                       follow=True)


def test_panel_is_formed_from_the_pool_and_starts_the_evaluation(world, client):
    app = case_in(world, FilingState.ACCEPTED)
    pool(world)
    client.force_login(world.city_hrss)
    page = client.get(reverse("track_b:panel", args=[app.pk])).content.decode()
    assert "校外专家" in page and world.ext_a.username in page
    _assign(client, app, [world.expert, world.ext_a, world.ext_b], world.expert)
    app.refresh_from_db()
    assert app.state == FilingState.UNDER_EVALUATION
    members = {m.expert_id: m for m in app.panel.all()}
    assert members[world.expert.pk].is_leader and all(m.is_external for m in members.values())
    notified = set(Notification.objects.filter(title__contains="评估论证专家组已组建")
                   .values_list("recipient__username", flat=True))
    assert {"expert", "ext_a", "ext_b", "staff"} <= notified


def test_an_expert_employed_by_the_applicant_is_internal_and_may_sit_within_a_third(world, client):
    """Issue 15 §17: employment by the applicant is not a conflict. world.expert is employed by other_inst (as the
    expert pool records it): a 校内专家, tickable, counted against the two thirds."""
    app = case_in(world, FilingState.ACCEPTED, world.other_inst)
    pool(world)
    client.force_login(world.other_city_hrss)
    page = client.get(reverse("track_b:panel", args=[app.pk])).content.decode()
    assert "校内专家（计入三分之一）" in page and 'data-kind="internal"' in page
    assert 'data-testid="external-share"' in page and "track_b/panel.js" in page
    row = page[page.index('data-testid="expert-expert"') - 200:page.index('data-testid="expert-expert"')]
    assert "disabled" not in row
    # two internal of three: below two thirds external, refused with the rule's message
    insider = make_expert("insider2", institution=world.other_inst, id_seq="951")
    response = _assign(client, app, [world.expert, insider, world.ext_a], world.ext_a)
    assert "校外专家不少于三分之二" in response.content.decode()
    app.refresh_from_db()
    assert app.state == FilingState.ACCEPTED and not app.panel.exists()
    # one internal of three: the panel stands
    _assign(client, app, [world.expert, world.ext_a, world.ext_b], world.ext_a)
    app.refresh_from_db()
    members = {m.expert_id: m for m in app.panel.all()}
    assert app.state == FilingState.UNDER_EVALUATION and not members[world.expert.pk].is_external


def _declare(client, app, reason="近三年与申报单位有合作项目"):
    return client.post(reverse("track_b:declare_conflict", args=[app.pk]), {"reason": reason}, follow=True)


def test_an_expert_declares_their_own_conflict_and_the_office_sees_it(world, client):
    """Issue 15 §17: the expert declares 回避 on their panel page; the office sees it and changes the panel."""
    app = case_in(world, FilingState.UNDER_EVALUATION)
    leader, member, other = panel_of(world, world.inst)
    client.force_login(member)
    page = client.get(reverse("track_b:report", args=[app.pk])).content.decode()
    assert 'data-testid="declare-conflict"' in page and "声明回避并退出专家组" in page
    response = _declare(client, app)
    assert response.status_code == 200 and "已声明回避" in response.content.decode()
    assert not PanelMember.objects.filter(application=app, expert=member).exists()
    conflict = selectors.declared_conflicts(app).get()
    assert (conflict.expert, conflict.recorded_by, conflict.reason) == (member, member, "近三年与申报单位有合作项目")
    assert AuditLog.objects.filter(action="track_b.declare_conflict", actor=member, role=Role.EXPERT).exists()
    assert Notification.objects.filter(recipient=world.city_hrss, title__contains="声明回避").exists()
    # No longer on the panel: the case is private to them again.
    assert client.get(reverse("track_b:report", args=[app.pk])).status_code == 404
    # The office: the declaration is listed, the expert greyed and refused; it has no form to declare for anyone.
    client.force_login(world.city_hrss)
    page = client.get(reverse("track_b:panel", args=[app.pk])).content.decode()
    assert "近三年与申报单位有合作项目" in page and 'data-testid="declared-conflicts"' in page
    assert "track_b:declare_conflict" not in page and f'/{app.pk}/conflict/' not in page
    row = page[page.index(f'data-testid="expert-{member.username}"') - 200:page.index(
        f'data-testid="expert-{member.username}"')]
    assert "disabled" in row and "已声明回避" in page
    response = _assign(client, app, [leader, member, other], leader)
    assert "已声明回避" in response.content.decode()
    assert client.post(reverse("track_b:declare_conflict", args=[app.pk]), {"reason": "x"}).status_code == 403
    assert selectors.declared_conflicts(app).count() == 1
    # The office changes the panel without them.
    _assign(client, app, [leader, other, world.ext_c], leader)
    assert set(app.panel.values_list("expert_id", flat=True)) == {leader.pk, other.pk, world.ext_c.pk}


def test_after_a_declaration_the_remaining_panel_cannot_sign_until_the_office_changes_it(world):
    app = case_in(world, FilingState.UNDER_EVALUATION)
    leader, member, other = panel_of(world, world.inst)
    services.save_report(app, user=leader, fields=REPORT, conclusions={o.pk: 3 for o in services.applied_occupations(app)})
    report = app.report
    report.refresh_from_db()
    services.sign_report(app, user=other, expected_version=report.version)
    services.declare_conflict(app, user=member, reason="其近亲属在申报单位任职")
    assert not ReportSignature.objects.filter(report=report).exists()  # the panel changed: signatures cleared
    with pytest.raises(services.TrackBError, match="须待受理部门调整专家组"):
        services.sign_report(app, user=leader, expected_version=report.version)
    app.refresh_from_db()
    assert app.state == FilingState.UNDER_EVALUATION


def test_declaring_needs_a_reason_a_seat_and_an_open_evaluation(world):
    app = case_in(world, FilingState.UNDER_EVALUATION)
    leader, _member, _other = panel_of(world, world.inst)
    with pytest.raises(services.TrackBError, match="回避事由"):
        services.declare_conflict(app, user=leader, reason=" ")
    with pytest.raises(PermissionDenied):  # not on this panel
        services.declare_conflict(app, user=world.ext_c, reason="x")
    with pytest.raises(PermissionDenied):  # the office cannot declare for an expert
        services.declare_conflict(app, user=world.city_hrss, reason="x")
    assert not selectors.declared_conflicts(app).exists()
    # The leader may declare too: the panel is left without a leader until the office names one.
    services.declare_conflict(app, user=leader, reason="曾任申报单位兼职教授")
    assert not app.panel.filter(is_leader=True).exists()


def test_staff_of_the_applicant_who_is_also_an_expert_is_blocked(world):
    app = case_in(world, FilingState.ACCEPTED)
    pool(world)
    insider = make_expert("insider", organisation="某企业", id_seq="950")
    from portal.models import RoleAssignment

    RoleAssignment.objects.create(user=insider, role=Role.UNIVERSITY_STAFF, institution=world.inst)
    with pytest.raises(services.TrackBError, match="回避"):
        services.assign_panel(app, user=world.city_hrss, expert_ids=[insider.pk, world.ext_a.pk, world.ext_b.pk],
                              leader_id=world.ext_a.pk)


def test_too_few_external_experts(world, client):
    """Experts the applicant itself engaged (listed in its 附件3) are not external: 1 of 3 external is too few."""
    app = case_in(world, FilingState.ACCEPTED)
    pool(world)
    engaged = [make_expert(f"engaged{i}", organisation=f"合作企业{i}", id_seq=f"96{i}") for i in range(2)]
    for i, user in enumerate(engaged):
        ListedExpert.objects.create(application=app, position=10 + i, name=user.username,
                                    id_number=user.expert_profile.id_number, employer=f"合作企业{i}", title="高工",
                                    education="本科", specialty="汽车")
    client.force_login(world.city_hrss)
    page = client.get(reverse("track_b:panel", args=[app.pk])).content.decode()
    assert "校内专家（计入三分之一）" in page
    response = _assign(client, app, [*engaged, world.ext_a], world.ext_a)
    body = response.content.decode()
    assert "校外专家不少于三分之二：当前3名专家中校外专家1名，至少需要2名。" in body
    app.refresh_from_db()
    assert app.state == FilingState.ACCEPTED
    # one engaged expert among three is within the rule
    _assign(client, app, [engaged[0], world.ext_a, world.ext_b], world.ext_a)
    app.refresh_from_db()
    assert app.state == FilingState.UNDER_EVALUATION
    assert sorted(m.is_external for m in app.panel.all()) == [False, True, True]


@pytest.mark.parametrize("size, external, ok", [(3, 2, True), (3, 1, False), (4, 3, True), (4, 2, False),
                                                (5, 4, True), (5, 3, False), (6, 4, True), (2, 2, False)])
def test_two_thirds_rule(size, external, ok, world):
    app = case_in(world, FilingState.ACCEPTED)

    class P:
        def __init__(self, i):
            self.user_id = i
            self.user = type("U", (), {"display_name": f"专家{i}"})()

    chosen = [(P(i), "external" if i < external else "internal", "x") for i in range(size)]
    problems = services.check_panel(app, chosen, leader_id=0)
    assert (problems == []) is ok, problems


def test_panel_needs_a_leader_and_three_members(world):
    app = case_in(world, FilingState.ACCEPTED)
    pool(world)
    with pytest.raises(services.TrackBError) as exc:
        services.assign_panel(app, user=world.city_hrss, expert_ids=[world.ext_a.pk, world.ext_b.pk], leader_id=None)
    text = "；".join(exc.value.messages)
    assert "至少由3名专家组成" in text and "指定一名组长" in text


def test_experts_see_only_their_assigned_cases(world, client):
    mine = case_in(world, FilingState.UNDER_EVALUATION)
    other_expert = make_expert("bystander", organisation="无关企业", id_seq="970")
    assert list(selectors.applications_visible_to(other_expert)) == []
    assert list(selectors.applications_visible_to(world.expert)) == [mine]
    client.force_login(other_expert)
    assert client.get(reverse("track_b:detail", args=[mine.pk])).status_code == 404
    assert client.get(reverse("track_b:report", args=[mine.pk])).status_code == 404
    assert "安徽工业大学" not in client.get(reverse("track_b:index")).content.decode()


def _draft_report(app, leader):
    return services.save_report(app, user=leader, fields=dict(REPORT),
                                conclusions={o.pk: 3 for o in services.applied_occupations(app)})[0]


def test_only_the_leader_drafts_the_report(world, client):
    app = case_in(world, FilingState.UNDER_EVALUATION)
    leader, member, _ = panel_of(world, world.inst)
    client.force_login(member)
    page = client.get(reverse("track_b:report", args=[app.pk])).content.decode()
    assert "起草报告（组长）" not in page
    assert client.post(reverse("track_b:report", args=[app.pk]), {"opinion": "x"}).status_code == 403
    client.force_login(leader)
    page = client.get(reverse("track_b:report", args=[app.pk])).content.decode()
    assert "起草报告（组长）" in page and "以高级工为培养目标" in page


def test_the_report_needs_five_sections_and_a_conclusion_per_occupation(world):
    app = case_in(world, FilingState.UNDER_EVALUATION)
    leader = panel_of(world, world.inst)[0]
    report, _ = services.save_report(app, user=leader, fields={**REPORT, "courses": ""}, conclusions={})
    with pytest.raises(services.TrackBError) as exc:
        services.sign_report(app, user=leader, expected_version=report.version)
    text = "；".join(exc.value.messages)
    assert "“三、简述应用型学院及应用型专业课程设置情况" in text and "尚未给出“4-12-01-01 汽车维修工”的评估结论" in text


def test_every_member_signs_before_the_report_is_final(world, client):
    app = case_in(world, FilingState.UNDER_EVALUATION)
    leader, a, b = panel_of(world, world.inst)
    report = _draft_report(app, leader)
    for expert in (leader, a):
        app = services.sign_report(app, user=expert, expected_version=report.version)
        assert app.state == FilingState.UNDER_EVALUATION
    client.force_login(b)
    page = client.get(reverse("track_b:report", args=[app.pk])).content.decode()
    assert page.count("✓ 已签字") == 2 and "未签字" in page
    response = client.post(reverse("track_b:sign", args=[app.pk]), {"version": report.version}, follow=True)
    assert "专家组全体成员已签字" in response.content.decode()
    app.refresh_from_db()
    assert app.state == FilingState.REPORT_SIGNED
    assert Notification.objects.filter(recipient=world.city_hrss, title__contains="全体签字").exists()


def test_editing_after_a_signature_clears_all_signatures(world):
    app = case_in(world, FilingState.UNDER_EVALUATION)
    leader, a, b = panel_of(world, world.inst)
    report = _draft_report(app, leader)
    services.sign_report(app, user=leader, expected_version=report.version)
    services.sign_report(app, user=a, expected_version=report.version)
    assert ReportSignature.objects.filter(report=report).count() == 2
    # saving identical content changes nothing
    _same, cleared = services.save_report(app, user=leader, fields=dict(REPORT),
                                          conclusions={o.pk: 3 for o in services.applied_occupations(app)})
    assert cleared == 0 and ReportSignature.objects.filter(report=report).count() == 2
    # a changed conclusion is a changed report
    report2, cleared = services.save_report(app, user=leader, fields=dict(REPORT),
                                            conclusions={o.pk: 4 for o in services.applied_occupations(app)})
    assert cleared == 2 and report2.version == report.version + 1
    assert not ReportSignature.objects.filter(report=report).exists()
    assert Notification.objects.filter(recipient=a, title__contains="签字已清除").exists()
    # a member who read the old version cannot sign it
    with pytest.raises(services.WorkflowError, match="请重新阅读后再签字"):
        services.sign_report(app, user=b, expected_version=report.version)


def test_changing_the_panel_clears_signatures(world):
    app = case_in(world, FilingState.UNDER_EVALUATION)
    leader, a, _b = panel_of(world, world.inst)
    report = _draft_report(app, leader)
    services.sign_report(app, user=a, expected_version=report.version)
    services.assign_panel(app, user=world.city_hrss, expert_ids=[leader.pk, a.pk, world.ext_c.pk],
                          leader_id=leader.pk)
    assert not ReportSignature.objects.filter(report=report).exists()
    assert set(PanelMember.objects.filter(application=app).values_list("expert__username", flat=True)) == {
        "expert", "ext_a", "ext_c"}


def test_reopening_clears_signatures(world):
    app = case_in(world, FilingState.REPORT_SIGNED)
    assert ReportSignature.objects.filter(report__application=app).count() == 3
    app = services.reopen_evaluation(app, user=world.city_hrss, reasons="请补充实地查看情况。")
    assert app.state == FilingState.UNDER_EVALUATION
    assert not ReportSignature.objects.filter(report__application=app).exists()


def test_the_school_reads_the_report_only_once_signed(world, client):
    app = case_in(world, FilingState.UNDER_EVALUATION)
    client.force_login(world.staff)
    assert client.get(reverse("track_b:report", args=[app.pk])).status_code == 403
    signed = case_in(world, FilingState.REPORT_SIGNED, world.other_inst)
    client.force_login(world.other_staff)
    assert client.get(reverse("track_b:report", args=[signed.pk])).status_code == 200


def test_id_numbers_are_masked_and_revealing_them_is_logged(world, client):
    from portal.models import AuditLog

    app = case_in(world, FilingState.SUBMITTED)
    full = app.staff.first().id_number
    client.force_login(world.city_hrss)
    body = client.get(reverse("track_b:detail", args=[app.pk])).content.decode()
    assert full not in body and full[:6] + "********" + full[-4:] in body
    body = client.get(reverse("track_b:detail", args=[app.pk]) + "?ids=full").content.decode()
    assert full in body
    assert AuditLog.objects.filter(action="track_b.view_ids", actor=world.city_hrss).exists()
    outsider = make_user("nosy_expert", Role.EXPERT, organisation="x")
    client.force_login(outsider)
    assert client.get(reverse("track_b:detail", args=[app.pk]) + "?ids=full").status_code == 404


def test_expert_profiles_ids_not_leaked_on_panel_page(world, client):
    app = case_in(world, FilingState.ACCEPTED)
    pool(world)
    client.force_login(world.city_hrss)
    body = client.get(reverse("track_b:panel", args=[app.pk])).content.decode()
    assert fake_ric("340104", "19700101", "901") not in body


def test_the_reason_for_reopening_is_on_the_report_page_the_experts_sign(world, client):
    """Issue 15 §18: the office's reason reaches the page where the panel re-drafts and signs, not only the inbox."""
    app = case_in(world, FilingState.REPORT_SIGNED)
    services.reopen_evaluation(app, user=world.city_hrss, reasons="请补充实地查看实训基地的情况。")
    member = PanelMember.objects.filter(application=app).select_related("expert").first()
    client.force_login(member.expert)
    body = client.get(reverse("track_b:report", args=[app.pk])).content.decode()
    assert 'data-testid="reopen-reason"' in body and "请补充实地查看实训基地的情况。" in body
    assert world.city_hrss.display_name in body


def test_changing_the_panel_records_each_sitting_experts_standing_as_it_is_now(world):
    """An expert who sat as 校外 and whom the applicant has since listed in its 附件3 is 校内 when the office
    changes the panel: the stored flag, which the two-thirds check reads when the panel signs, follows."""
    app = case_in(world, FilingState.ACCEPTED)
    pool(world)
    panel = [world.ext_a, world.ext_b, world.ext_c, world.expert]
    services.assign_panel(app, user=world.city_hrss, expert_ids=[u.pk for u in panel], leader_id=world.ext_a.pk)
    assert PanelMember.objects.get(application=app, expert=world.ext_c).is_external
    ListedExpert.objects.create(application=app, position=20, name="ext_c", id_number=world.ext_c.expert_profile.id_number,
                                employer="科大讯飞股份有限公司", title="高工", education="本科", specialty="汽车")
    services.assign_panel(app, user=world.city_hrss, expert_ids=[u.pk for u in panel], leader_id=world.ext_b.pk)
    stored = PanelMember.objects.get(application=app, expert=world.ext_c)
    assert not stored.is_external
    assert PanelMember.objects.get(application=app, is_leader=True).expert == world.ext_b
