"""The Track A workflow: every transition × every role, the two approvals in either order, returns that keep the
history and show what changed, notifications to whoever acts next, and two officials acting at once."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse

from applications.track_a import selectors, services
from applications.track_a.models import CityReview, PilotApplication, Recognition, State
from applications.workflow import WorkflowError, history, run_transition
from portal.models import Notification, Role
from tests.conftest import make_user
from tests.track_a import factories as f

# transition → (a state it leaves, the roles that may take it)
APPLICATION_TRANSITIONS = {
    "submit": (State.DRAFT, {"university_staff"}),
    "city_hrss_approve": (State.SUBMITTED, {"city_hrss"}),
    "city_hrss_return": (State.SUBMITTED, {"city_hrss"}),
    "city_edu_approve": (State.SUBMITTED, {"city_education"}),
    "city_edu_return": (State.SUBMITTED, {"city_education"}),
    "record_agreement": (State.CITY_APPROVED, {"city_hrss", "city_education"}),
    "forward_to_province": (State.AGREEMENT_SIGNED, {"city_hrss", "city_education"}),
    "pass_document_review": (State.AT_PROVINCE, {"provincial_education"}),
    "province_return": (State.AT_PROVINCE, {"provincial_education"}),
    "record_site_evaluation": (State.DOCUMENT_REVIEWED, {"provincial_education"}),
    "prov_edu_recognise": (State.SITE_EVALUATED, {"provincial_education"}),
    "prov_edu_refuse": (State.SITE_EVALUATED, {"provincial_education"}),
    "prov_hrss_recognise": (State.SITE_EVALUATED, {"provincial_hrss"}),
    "prov_hrss_refuse": (State.SITE_EVALUATED, {"provincial_hrss"}),
    "grant_authority": (State.RECOGNISED, {"city_hrss"}),
}
# 安徽工业大学 is 省属: the provincial HRSS is its committee's filing office (附件2 二(三)), for every decision.
COMMITTEE_TRANSITIONS = {
    "file_for_approval": ("draft", {"university_staff"}),
    "approve_filing": ("filed", {"provincial_hrss"}),
    "return_filing": ("filed", {"provincial_hrss"}),
    "file_change": ("approved", {"university_staff"}),
    "approve_change": ("change_filed", {"provincial_hrss"}),
    "refuse_change": ("change_filed", {"provincial_hrss"}),
    "file_revocation": ("approved", {"university_staff"}),
    "approve_revocation": ("revocation_filed", {"provincial_hrss"}),
    "refuse_revocation": ("revocation_filed", {"provincial_hrss"}),
}


def _everyone(w):
    """Every role's user, plus the school's neighbours who must never act: another school, another city."""
    return {**w.by_role, "other_staff": w.other_staff, "other_city_hrss": w.other_city_hrss}


def _who_may(obj, name, people):
    allowed = set()
    for role, user in people.items():
        with transaction.atomic():
            try:
                run_transition(obj, name, actor=user, role=role)
            except PermissionDenied:
                pass
            else:
                allowed.add(role)
            transaction.set_rollback(True)
    return allowed


def test_every_transition_is_listed():
    from applications.track_a.models import EvaluationCommittee

    fields = [(PilotApplication, APPLICATION_TRANSITIONS), (EvaluationCommittee, COMMITTEE_TRANSITIONS)]
    for model, table in fields:
        names = {t.name for t in model._meta.get_field("state").get_all_transitions(model)}
        assert names == set(table)


@pytest.mark.parametrize("name", sorted(APPLICATION_TRANSITIONS))
def test_application_transition_by_every_role(name, world):
    source, allowed = APPLICATION_TRANSITIONS[name]
    app = f.application_in(world, source)
    assert _who_may(app, name, _everyone(world)) == allowed


@pytest.mark.parametrize("name", sorted(COMMITTEE_TRANSITIONS))
def test_committee_transition_by_every_role(name, world):
    source, allowed = COMMITTEE_TRANSITIONS[name]
    committee = f.committee(world, source)
    assert _who_may(committee, name, _everyone(world)) == allowed


def test_a_provincial_schools_committee_is_approved_by_the_provincial_hrss(world):
    committee = f.committee(world, "filed")
    assert _who_may(committee, "approve_filing", _everyone(world)) == {"provincial_hrss"}
    assert set(Notification.objects.filter(title__contains="核准备案").values_list("recipient__username", flat=True)) \
        == {"prov_hrss"}


@pytest.mark.parametrize("first", ["city_hrss", "city_education"])
def test_both_city_offices_must_approve_in_either_order(first, world):
    app = f.application_in(world, State.SUBMITTED)
    second = {"city_hrss": "city_education", "city_education": "city_hrss"}[first]
    actor = {"city_hrss": world.city_hrss, "city_education": world.city_edu}
    app = services.city_review(application=app, actor=actor[first], office=first, decision="approve")
    assert app.state in (State.CITY_HRSS_APPROVED, State.CITY_EDU_APPROVED)
    with pytest.raises(WorkflowError):  # the same office cannot approve twice
        services.city_review(application=app, actor=actor[first], office=first, decision="approve")
    app = services.city_review(application=app, actor=actor[second], office=second, decision="approve")
    assert app.state == State.CITY_APPROVED
    reviews = list(CityReview.objects.filter(application=app).values_list("office", "decision"))
    assert reviews == [(first, "approve"), (second, "approve")]


def test_a_return_needs_reasons_keeps_history_and_shows_what_changed(world, login):
    app = f.application_in(world, State.SUBMITTED)
    with pytest.raises(ValidationError, match="理由"):
        services.city_review(application=app, actor=world.city_edu, office="city_education", decision="return")
    app = services.city_review(application=app, actor=world.city_hrss, office="city_hrss", decision="approve")
    app = services.city_review(application=app, actor=world.city_edu, office="city_education", decision="return",
                               reasons="请补充企业教师情况")
    assert app.state == State.RETURNED_CITY
    assert Notification.objects.filter(recipient=world.staff, title__contains="退回修改").exists()
    services.update_section(application=app, actor=world.staff, section="people", values={
        "teachers_enterprise": 50, "teachers_school": 50, "teachers_enterprise_background": 30})
    app = services.submit(application=PilotApplication.objects.get(pk=app.pk), actor=world.staff)
    assert app.state == State.SUBMITTED and app.submission_count == 2
    # the earlier approval does not carry over: both offices review the new version
    assert _who_may(app, "city_hrss_approve", {"city_hrss": world.city_hrss}) == {"city_hrss"}
    changes = services.submissions_with_changes(app)[0][1]
    assert ("教师基本信息、生师比、学生基本信息 › 企业教师数", "40", "50") in changes
    page = login(world.city_edu).get(reverse("track_a:detail", args=[app.pk])).content.decode()
    assert "历次提交及修改内容" in page and "请补充企业教师情况" in page and "<ins>50</ins>" in page
    transitions = [e.transition for e in history(app)]
    assert transitions == ["submit", "city_hrss_approve", "city_edu_return", "submit"]


def test_a_provincial_return_goes_back_to_the_province(world):
    app = f.application_in(world, State.RETURNED_PROVINCE)
    assert Notification.objects.filter(recipient=world.staff, title__contains="省教育厅退回修改").exists()
    app = services.submit(application=app, actor=world.staff)
    assert app.state == State.AT_PROVINCE


def test_both_provincial_offices_must_recognise_or_either_refuses(world):
    app = f.application_in(world, State.PROV_HRSS_RECOGNISED)
    with pytest.raises(WorkflowError):  # not yet: one office has recognised
        run_transition(app, "grant_authority", actor=world.city_hrss, role="city_hrss")
    refused = services.recognise(application=app, actor=world.prov_edu, office="provincial_education",
                                 decision="refuse", reasons="实训条件不足")
    assert refused.state == State.NOT_RECOGNISED
    assert list(Recognition.objects.filter(application=app).values_list("office", "decision")) == [
        ("provincial_hrss", "recognise"), ("provincial_education", "refuse")]
    # the school may try again with a new application
    assert services.open_application_for(world.inst) is None


def test_experts_employed_by_the_school_withdraw(world):
    app = f.application_in(world, State.AT_PROVINCE)
    pool = f.expert_pool(world)
    conflicted = pool[0]
    from portal.models import RoleAssignment

    RoleAssignment.objects.filter(user=conflicted.user).update(institution=world.inst, organisation="")
    assert conflicted not in selectors.expert_pool_for(app)
    with pytest.raises(ValidationError, match="回避"):
        services.propose_group(application=app, actor=world.prov_edu, experts=pool[:3], leader=pool[1])
    with pytest.raises(ValidationError, match="不少于3人"):
        services.propose_group(application=app, actor=world.prov_edu, experts=pool[1:3], leader=pool[1])
    group = services.propose_group(application=app, actor=world.prov_edu, experts=pool[1:4], leader=pool[1])
    with pytest.raises(ValidationError, match="回避"):  # the provincial HRSS cannot add them either
        services.confirm_group(group=group, actor=world.prov_hrss, add=[conflicted])


def test_the_groups_experts_see_the_application(world, login):
    app = f.application_in(world, State.DOCUMENT_REVIEWED)
    reviewer = f.expert_pool(world)[0].user
    assert login(reviewer).get(reverse("track_a:detail", args=[app.pk])).status_code == 200
    assert login(f.expert_pool(world)[4].user).get(reverse("track_a:detail", args=[app.pk])).status_code == 404


def test_who_is_told_at_each_step(world):
    f.application_in(world, State.AUTHORISED)
    titles = {}
    for n in Notification.objects.select_related("recipient").order_by("id"):
        titles.setdefault(n.title.split("：")[0], set()).add(n.recipient.username)
    assert titles["请审核试点立项申请"] == {"city_hrss", "city_edu"}
    assert titles["市人社局已同意，请市教育局审核"] == {"city_edu"}
    assert titles["市级审定通过，请拟定共建协议"] == {"city_hrss", "city_edu", "staff"}
    assert titles["请组织专家论证"] == {"prov_edu", "staff"}
    assert titles["实地评估完成，请认定试点单位"] == {"prov_edu", "prov_hrss"}
    assert titles["省教育厅已认定，请省人社厅认定"] == {"prov_hrss"}
    assert titles["已认定为试点单位，请市人社局授予自主评审权"] == {"city_hrss", "staff"}
    assert "staff" in titles["已授予产业工程师中初级职称自主评审权，请制定评审标准、组建评委会"]
    assert "other_city_hrss" not in set().union(*titles.values())


def test_every_transition_is_logged_with_role_and_audited(world):
    from portal.models import AuditLog

    app = f.application_in(world, State.AUTHORISED)
    log = list(history(app))
    assert len(log) == 10 and log[-1].transition == "grant_authority" and log[-1].role == Role.CITY_HRSS
    assert AuditLog.objects.filter(action="track_a.pilotapplication.grant_authority").count() == 1


def test_grant_scope_is_checked(world):
    app = f.application_in(world, State.RECOGNISED)
    with pytest.raises(ValidationError, match="试点专业"):
        services.grant_authority(application=app, actor=world.city_hrss, majors=["不存在的专业"],
                                 levels=["engineer"], from_year=2024)
    with pytest.raises(ValidationError, match="起始年度"):
        services.grant_authority(application=app, actor=world.city_hrss, majors=["车辆工程"], levels=["engineer"],
                                 from_year=2019)
    app = services.grant_authority(application=app, actor=world.city_hrss, majors=["车辆工程"],
                                   levels=["technician", "assistant_engineer"], from_year=2025)
    authority = selectors.granted_authority_for(world.inst)
    assert authority.majors == ["车辆工程"] and authority.level_labels == ["技术员", "助理工程师"]
    assert authority.covers("车辆工程", "technician", 2025)
    assert not authority.covers("车辆工程", "engineer") and not authority.covers("车辆工程", "technician", 2024)


# --- two officials at once ------------------------------------------------------------------------------------------

def test_second_official_acting_on_a_stale_page_is_refused(world):
    """On SQLite (no row locks across threads) the guard is the state the official saw."""
    colleague = make_user("city_hrss_2", Role.CITY_HRSS, city_id="3405")
    app = f.application_in(world, State.SUBMITTED)
    seen_by_both = app.state
    services.city_review(application=app, actor=world.city_hrss, office="city_hrss", decision="approve",
                         expected_state=seen_by_both)
    with pytest.raises(WorkflowError, match="已由他人处理"):
        services.city_review(application=app, actor=colleague, office="city_hrss", decision="return",
                             reasons="x", expected_state=seen_by_both)
    with pytest.raises(WorkflowError, match="已由他人处理"):
        services.city_review(application=app, actor=world.city_edu, office="city_education", decision="return",
                             reasons="x", expected_state=seen_by_both)
    assert CityReview.objects.filter(application=app).count() == 1
    assert [e.transition for e in history(app)] == ["submit", "city_hrss_approve"]


def test_a_stale_form_in_the_browser_says_so(world, login):
    app = f.application_in(world, State.SUBMITTED)
    services.city_review(application=app, actor=world.city_hrss, office="city_hrss", decision="approve")
    response = login(world.city_edu).post(
        reverse("track_a:city_review", args=[app.pk, "city_education"]),
        {"expected_state": "submitted", "decision": "return", "reasons": "x"}, follow=True)
    assert "已由他人处理" in response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across threads need PostgreSQL")
def test_two_officials_at_once_exactly_one_succeeds(world):
    colleague = make_user("city_hrss_2", Role.CITY_HRSS, city_id="3405")
    app = f.application_in(world, State.SUBMITTED)
    attempts = [
        lambda: services.city_review(application=app, actor=world.city_hrss, office="city_hrss",
                                     decision="approve", expected_state="submitted"),
        lambda: services.city_review(application=app, actor=colleague, office="city_hrss", decision="return",
                                     reasons="不同意", expected_state="submitted"),
        lambda: services.city_review(application=app, actor=world.city_edu, office="city_education",
                                     decision="approve", expected_state="submitted"),
    ]
    barrier = threading.Barrier(len(attempts))
    outcomes = []

    def run(attempt):
        try:
            barrier.wait()
            attempt()
            outcomes.append("ok")
        except WorkflowError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["ok", "refused", "refused"]
    assert CityReview.objects.filter(application=app).count() == 1
    assert [e.transition for e in history(app)][0] == "submit" and len(history(app)) == 2
