"""省教育厅会同省人社厅组织专家进行论证和实地评估 (通知 三(一)2(3)), done by the people it names: the education
department proposes the group, the HRSS confirms it (and may add experts), the experts read, score, give opinions,
report and sign themselves; an edit after a signature clears them; the office acts on the signed report only."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.track_a import services
from applications.track_a.models import DocumentReview, GroupSignature, SiteEvaluation, State
from applications.workflow import WorkflowError
from portal.models import Notification
from tests.track_a import factories as f


@pytest.fixture
def at_province(world):
    return f.application_in(world, State.AT_PROVINCE)


def _experts(world):
    pool = f.expert_pool(world)
    return pool[0], pool[1], pool[2], pool[3]  # leader, two members, one the HRSS adds


def test_the_group_is_proposed_confirmed_and_then_works(world, login, at_province):
    app = at_province
    leader, a, b, added = _experts(world)
    group = services.propose_group(application=app, actor=world.prov_edu, experts=[leader, a, b], leader=leader)
    assert Notification.objects.filter(recipient=world.prov_hrss, title__contains="请确认论证专家组").exists()
    # before confirmation the experts neither see the application nor work
    assert login(a.user).get(reverse("track_a:detail", args=[app.pk])).status_code == 404
    with pytest.raises(WorkflowError, match="尚未经省人社厅确认"):
        services.save_opinion(group=group, actor=a.user, score=80, opinion="x")
    # the education department may not confirm its own proposal; the HRSS confirms and adds an expert
    with pytest.raises(PermissionDenied):
        services.confirm_group(group=group, actor=world.prov_edu)
    group = services.confirm_group(group=group, actor=world.prov_hrss, add=[added])
    assert group.state == "confirmed" and group.members.count() == 4
    assert group.members.get(expert=added).added_by_role == "provincial_hrss"
    assert Notification.objects.filter(recipient=added.user, title__contains="论证专家组已确认").exists()
    with pytest.raises(WorkflowError):
        services.propose_group(application=app, actor=world.prov_edu, experts=[leader, a, b], leader=leader)
    # the experts read 附件1; someone outside the group does not; the city does not see the group
    assert login(added.user).get(reverse("track_a:detail", args=[app.pk])).status_code == 200
    assert login(f.expert_pool(world)[4].user).get(reverse("track_a:detail", args=[app.pk])).status_code == 404
    assert login(world.city_hrss).get(reverse("track_a:expert_group", args=[app.pk])).status_code == 404

    for score, expert in zip((88, 80, 75, 90), (leader, a, b, added), strict=True):
        services.save_opinion(group=group, actor=expert.user, score=score, opinion=f"{expert.user.full_name}的意见")
    with pytest.raises(ValidationError, match="0至100"):
        services.save_opinion(group=group, actor=a.user, score=101, opinion="x")
    with pytest.raises(PermissionDenied):
        services.save_report(group=group, actor=a.user, kind="review", fields={"summary": "x"})
    with pytest.raises(PermissionDenied):  # an office does not write for the experts
        services.save_opinion(group=group, actor=world.prov_edu, score=90, opinion="x")
    report, _c = services.save_report(group=group, actor=leader.user, kind="review", fields={
        "held_on": date(2024, 6, 12), "summary": "方案可行，同意实地评估", "conclusion": "pass"})
    with pytest.raises(ValidationError, match="尚未由全体专家签字"):
        services.document_review(application=app, actor=world.prov_edu)
    services.sign_report(group=group, actor=a.user, kind="review", expected_version=report.version)
    services.sign_report(group=group, actor=b.user, kind="review", expected_version=report.version)
    # the leader edits: every signature is cleared and the signers are told
    report, cleared = services.save_report(group=group, actor=leader.user, kind="review",
                                           fields={"summary": "方案可行，建议补充实训基地清单后实地评估"})
    assert cleared == 2 and not GroupSignature.objects.filter(report=report).exists()
    assert Notification.objects.filter(recipient=a.user, title__contains="签字已清除").exists()
    with pytest.raises(WorkflowError, match="已被组长修改"):
        services.sign_report(group=group, actor=a.user, kind="review", expected_version=report.version - 1)
    for expert in (leader, a, b, added):
        services.sign_report(group=group, actor=expert.user, kind="review", expected_version=report.version)
    # the provincial HRSS sees everything the experts see
    page = login(world.prov_hrss).get(reverse("track_a:expert_group", args=[app.pk])).content.decode()
    assert "吴副高的意见" in page and "建议补充实训基地清单" in page and 'data-testid="signed-review"' in page
    app = services.document_review(application=app, actor=world.prov_edu)
    assert app.state == State.DOCUMENT_REVIEWED
    review = DocumentReview.objects.get(application=app)
    assert review.conclusion == "pass" and review.opinion.startswith("方案可行，建议补充")
    assert set(review.experts.all()) == {leader, a, b, added}
    # opinions are closed once the review is done
    with pytest.raises(WorkflowError):
        services.save_opinion(group=group, actor=a.user, score=60, opinion="改")


def test_the_visit_is_recorded_and_signed_by_the_group(world):
    app = f.application_in(world, State.DOCUMENT_REVIEWED)
    group = services.current_group(app)
    leader = group.members.get(is_leader=True).expert.user
    with pytest.raises(ValidationError, match="签字"):
        services.site_evaluation(application=app, actor=world.prov_edu)
    report, _c = services.save_report(group=group, actor=leader, kind="site", fields={
        "held_on": date(2024, 7, 3), "seen": "实训基地", "training_model": "双导师", "foundations": "扎实",
        "policy_support": "有", "guarantees": "到位", "summary": "建议认定"})
    with pytest.raises(ValidationError, match="结论"):  # incomplete: nothing can be signed
        services.sign_report(group=group, actor=leader, kind="site", expected_version=report.version)
    report, _c = services.save_report(group=group, actor=leader, kind="site", fields={"conclusion": "recommend"})
    for m in group.members.select_related("expert__user"):
        services.sign_report(group=group, actor=m.expert.user, kind="site", expected_version=report.version)
    app = services.site_evaluation(application=app, actor=world.prov_edu)
    assert app.state == State.SITE_EVALUATED
    visit = SiteEvaluation.objects.get(application=app)
    assert visit.visited_on == date(2024, 7, 3) and visit.recommendation == "recommend"


def test_a_revise_conclusion_returns_and_a_resubmission_gets_a_new_group(world):
    app = f.application_in(world, State.RETURNED_PROVINCE)
    assert DocumentReview.objects.get(application=app).conclusion == "revise"
    app = services.submit(application=app, actor=world.staff)
    assert app.state == State.AT_PROVINCE and services.current_group(app) is None


def test_the_pages(world, login, at_province):
    app = at_province
    leader, a, b, _added = _experts(world)
    client = login(world.prov_edu)
    assert 'data-testid="expert-group"' in client.get(reverse("track_a:detail", args=[app.pk])).content.decode()
    response = client.post(reverse("track_a:group_propose", args=[app.pk]),
                           {"experts": [leader.pk, a.pk, b.pk], "leader": leader.pk})
    assert response.status_code == 302
    client = login(world.prov_hrss)
    assert 'data-testid="confirm-group"' in client.get(reverse("track_a:expert_group", args=[app.pk])).content.decode()
    client.post(reverse("track_a:group_confirm", args=[app.pk]), {"expected_state": "proposed"})
    client = login(a.user)
    assert client.post(reverse("track_a:expert_opinion", args=[app.pk]),
                       {"score": "86", "opinion": "课程体系合理"}).status_code == 302
    assert client.get(reverse("track_a:group_report", args=[app.pk, "review"])).status_code == 403  # not leader
    page = client.get(reverse("track_a:expert_group", args=[app.pk])).content.decode()
    assert "课程体系合理" in page and "86" in page
