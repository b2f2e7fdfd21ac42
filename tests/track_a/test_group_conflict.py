"""An expert of the provincial review group declares their own conflict (回避) in the portal (DOMAIN §2: an expert
withdraws on a declared conflict; the procedure audit of 2026-12-07 found Track A's experts could not). They leave
the group at once — their opinion and signatures with them, every signature on the group's reports cleared — and
are not proposed again for that application. A group left without its leader or below three goes back to 省教育厅
to adjust and 省人社厅 to confirm again; the members who stay keep their opinions."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.track_a import selectors, services
from applications.track_a.models import (
    ExpertOpinion,
    GroupConflict,
    GroupMember,
    GroupSignature,
    GroupState,
    State,
)
from applications.workflow import history
from portal.models import AuditLog, Notification
from tests.track_a import factories as f


def _group_of_four(world):
    app = f.application_in(world, State.AT_PROVINCE)
    pool = f.expert_pool(world)
    group = f.expert_group(world, app, [pool[0], pool[1], pool[2]], confirm=False)
    group = services.confirm_group(group=group, actor=world.prov_hrss, add=[pool[3]])
    for member in group.members.select_related("expert__user"):
        services.save_opinion(group=group, actor=member.expert.user, score=80, opinion="符合申报条件")
    leader = group.members.get(is_leader=True).expert.user
    services.save_report(group=group, actor=leader, kind="review", fields={
        "held_on": date(2024, 6, 1), "conclusion": "pass", "summary": "材料齐全，论证通过"})
    report = services.report_of(group, "review")
    services.sign_report(group=group, actor=leader, kind="review", expected_version=report.version)
    return app, group, pool


def test_a_member_declares_a_conflict_and_leaves_with_their_opinion(world, client):
    app, group, pool = _group_of_four(world)
    member = group.members.select_related("expert__user").get(expert=pool[3])
    client.force_login(member.expert.user)
    assert client.get(reverse("track_a:group_conflict", args=[app.pk])).status_code == 200
    response = client.post(reverse("track_a:group_conflict", args=[app.pk]), {"reason": "曾参与该校现代产业学院建设"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.state == GroupState.CONFIRMED  # still a leader and three members
    assert not GroupMember.objects.filter(pk=member.pk).exists() and ExpertOpinion.objects.count() == 3
    assert GroupSignature.objects.count() == 0  # the group that signs has changed: everyone signs again
    assert GroupConflict.objects.get().reason == "曾参与该校现代产业学院建设"
    assert not selectors.expert_pool_for(app).filter(pk=pool[3].pk).exists()
    assert AuditLog.objects.filter(action="track_a.group_conflict", actor=member.expert.user).exists()
    assert Notification.objects.filter(recipient=world.prov_edu, title__contains="申请回避").exists()
    assert client.get(reverse("track_a:expert_group", args=[app.pk])).status_code == 404  # no longer theirs


def test_the_leader_leaving_sends_the_group_back_and_the_others_keep_their_opinions(world):
    app, group, pool = _group_of_four(world)
    leader = group.members.get(is_leader=True)
    services.declare_conflict(group=group, actor=leader.expert.user, reason="与申报单位负责人系近亲属")
    group.refresh_from_db()
    assert group.state == GroupState.PROPOSED
    assert [h.transition for h in history(group)][-1] == "reopen"
    with pytest.raises(ValidationError, match="回避"):  # never proposed again for this application
        services.propose_group(application=app, actor=world.prov_edu, experts=[pool[0], pool[1], pool[2]],
                               leader=pool[1])
    group = services.propose_group(application=app, actor=world.prov_edu, experts=[pool[1], pool[2], pool[3]],
                                   leader=pool[1])
    assert ExpertOpinion.objects.filter(member__group=group).count() == 3  # the three who stayed
    group = services.confirm_group(group=group, actor=world.prov_hrss)
    assert group.state == GroupState.CONFIRMED and group.members.get(is_leader=True).expert == pool[1]


def test_who_may_declare_and_when(world):
    app, group, pool = _group_of_four(world)
    with pytest.raises(PermissionDenied):
        services.declare_conflict(group=group, actor=world.prov_edu, reason="x")
    member = group.members.select_related("expert__user").get(expert=pool[2])
    with pytest.raises(ValidationError, match="请写明回避事由"):
        services.declare_conflict(group=group, actor=member.expert.user, reason="  ")
    assert GroupMember.objects.filter(group=group).count() == 4 and not GroupConflict.objects.exists()
