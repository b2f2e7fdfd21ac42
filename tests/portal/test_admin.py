import pytest
from django.urls import reverse

from tests.matrix import ROLES


@pytest.mark.parametrize("role", ROLES)
def test_only_site_admins_reach_the_admin(role, world, client):
    if role != "anonymous":
        client.force_login(world.by_role[role])
    response = client.get(reverse("admin:index"))
    if role == "site_admin":
        assert response.status_code == 200 and "后台管理" in response.content.decode()
    else:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_flag_alone_does_not_open_the_admin(world, client):
    world.staff.is_staff = True
    world.staff.save()
    client.force_login(world.staff)
    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_pages_render_in_chinese(world, login):
    client = login(world.admin)
    for name in ("admin:portal_institution_changelist", "admin:portal_user_changelist",
                 "admin:portal_city_changelist", "admin:portal_institution_add"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert "院校" in client.get(reverse("admin:portal_institution_changelist")).content.decode()
