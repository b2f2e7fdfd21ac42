"""Every role's dashboard: its own panels, and a bounded number of queries whatever the data volume."""

import pytest
from django.urls import reverse

from portal import audit
from portal.models import Notification
from tests.conftest import make_institution

# session, user, roles, unread count — plus what the panels of later features read.
# One bounded query or two per app panel (Track A/B, rounds, meetings, assessment, certificates…); that the
# count does not grow with the data is asserted here at two sizes and for every page in tests/perf/test_flat_pages.py.
MAX_DASHBOARD_QUERIES = 16

PANEL_TITLES = {
    "university_staff": "本校申请",
    "city_hrss": "待办审核",
    "city_education": "待会审的试点申请",
    "provincial_hrss": "待办审核",
    "provincial_education": "待论证的试点申请",
    "expert": "我的评审任务",
    "student": "我的职称资格",
    "site_admin": "系统管理",
}


def grow(world, n):
    for i in range(n):
        make_institution(f"测试学院{n}-{i}", city="3405" if i % 2 else "3401")
    for user in world.by_role.values():
        Notification.objects.bulk_create([Notification(recipient=user, title=f"通知{i}") for i in range(n)])
        for _i in range(n):
            audit.record(actor=user, action="test.volume")


@pytest.mark.parametrize("size", [2, 40])
@pytest.mark.parametrize("role", sorted(PANEL_TITLES))
def test_dashboard_queries_are_bounded(role, size, world, client, django_assert_max_num_queries):
    grow(world, size)
    client.force_login(world.by_role[role])
    with django_assert_max_num_queries(MAX_DASHBOARD_QUERIES):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert PANEL_TITLES[role] in body
    assert f'data-role="{role}"' in body


def test_a_person_with_two_roles_sees_both(world, client):
    from portal.models import RoleAssignment

    RoleAssignment.objects.create(user=world.staff, role="expert", institution=world.inst)
    client.force_login(world.staff)
    body = client.get(reverse("home")).content.decode()
    assert 'data-role="university_staff"' in body and 'data-role="expert"' in body


def test_user_without_roles_is_told_so(db, client):
    from tests.conftest import make_user

    client.force_login(make_user("nobody"))
    assert "尚未分配角色" in client.get(reverse("home")).content.decode()


def test_unread_badge_and_mark_read(world, client):
    Notification.objects.create(recipient=world.staff, title="请处理")
    Notification.objects.create(recipient=world.other_staff, title="别人的通知")
    client.force_login(world.staff)
    body = client.get(reverse("inbox")).content.decode()
    assert "请处理" in body and "别人的通知" not in body and 'data-testid="unread">1<' in body
    client.post(reverse("inbox_mark_read"))
    assert not Notification.objects.filter(recipient=world.staff, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.other_staff, read_at__isnull=True).exists()
