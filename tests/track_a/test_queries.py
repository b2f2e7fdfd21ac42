"""List pages and panels run a bounded number of queries whatever the data volume."""

import pytest
from django.urls import reverse

from applications.track_a import services
from tests.conftest import make_institution, make_user
from tests.track_a import factories as f


def _grow(world, n):
    from portal.models import Role

    for i in range(n):
        inst = make_institution(f"测试大学{n}-{i}", city="3405")
        staff = make_user(f"s{n}-{i}", Role.UNIVERSITY_STAFF, institution=inst)
        app = f.complete_application(world, inst)
        services.submit(application=app, actor=staff)


@pytest.mark.parametrize("size", [2, 15])
@pytest.mark.parametrize("who", ["city_hrss", "city_edu", "prov_edu", "prov_hrss", "staff", "admin"])
def test_index_queries_are_bounded(who, size, world, client, django_assert_max_num_queries):
    _grow(world, size)
    client.force_login(getattr(world, who))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("track_a:index"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 15])
@pytest.mark.parametrize("who", ["city_hrss", "city_edu", "prov_edu", "prov_hrss"])
def test_dashboard_queries_are_bounded(who, size, world, client, django_assert_max_num_queries):
    _grow(world, size)
    client.force_login(getattr(world, who))
    with django_assert_max_num_queries(16):  # every app adds its panel
        response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    if who in ("city_hrss", "city_edu"):
        assert "测试大学" in body  # submitted applications wait for the city offices


def test_detail_queries_do_not_grow_with_rows(world, client, django_assert_max_num_queries):
    app = f.application_in(world, "authorised")
    client.force_login(world.city_hrss)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("track_a:detail", args=[app.pk])).status_code == 200
