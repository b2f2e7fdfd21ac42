"""The receiving authority is derived (DOMAIN §4.2) and only its officials see and act on the case."""

import pytest
from django.urls import reverse

from applications.track_b import selectors, services
from applications.track_b.demo import fill_content
from applications.track_b.models import FilingState
from portal.models import Role
from tests.conftest import make_institution, make_user
from tests.track_b.factories import occ


def _submitted(inst, staff):
    app, _ = services.create_application(user=staff, institution=inst)
    fill_content(app, majors=[("电气自动化技术", occ("6-31-01-03"))])
    return services.submit(app, user=staff)


@pytest.mark.parametrize("affiliation, city, role, authority_city", [
    ("ministry", "3401", Role.PROVINCIAL_HRSS, None),      # 部属 → 省人社厅
    ("ministry", "3402", Role.PROVINCIAL_HRSS, None),      # 部属 elsewhere too
    ("provincial", "3401", Role.PROVINCIAL_HRSS, None),    # 在肥省属 → 省人社厅
    ("provincial", "3405", Role.CITY_HRSS, "3405"),        # 省属 outside Hefei → its city
    ("municipal", "3402", Role.CITY_HRSS, "3402"),         # 市属 → its city
    ("private", "3401", Role.CITY_HRSS, "3401"),           # 民办 in Hefei → 合肥市人社局
])
def test_case_goes_to_the_derived_authority(affiliation, city, role, authority_city, world):
    inst = make_institution(f"测试学院{affiliation}{city}", city=city, affiliation=affiliation)
    staff = make_user(f"s{affiliation}{city}", Role.UNIVERSITY_STAFF, institution=inst)
    app = _submitted(inst, staff)
    assert (app.authority_role, app.authority_city_id) == (role, authority_city)


def test_ministry_school_lands_with_the_province_only(world, client):
    ustc = make_institution("中国科学技术大学", city="3401", affiliation="ministry")
    staff = make_user("ustc", Role.UNIVERSITY_STAFF, institution=ustc)
    hefei = make_user("hefei_hrss", Role.CITY_HRSS, city_id="3401")
    app = _submitted(ustc, staff)
    assert app in selectors.applications_visible_to(world.prov_hrss)
    for official in (hefei, world.city_hrss, world.other_city_hrss):
        assert app not in selectors.applications_visible_to(official)
        client.force_login(official)
        assert client.post(reverse("track_b:accept", args=[app.pk])).status_code == 404
    client.force_login(world.prov_hrss)
    client.post(reverse("track_b:accept", args=[app.pk]))
    app.refresh_from_db()
    assert app.state == FilingState.ACCEPTED


def test_city_case_is_not_the_provinces(world, client):
    app = _submitted(world.inst, world.staff)
    client.force_login(world.prov_hrss)
    assert client.get(reverse("track_b:detail", args=[app.pk])).status_code == 404
    client.force_login(world.other_city_hrss)
    assert client.get(reverse("track_b:detail", args=[app.pk])).status_code == 404
    client.force_login(world.city_hrss)
    body = client.get(reverse("track_b:detail", args=[app.pk])).content.decode()
    assert "马鞍山市人力资源和社会保障局" in body


def test_authority_is_derived_again_on_submission(world):
    app, _ = services.create_application(user=world.staff)
    fill_content(app, majors=[("机械", occ("6-18-01-01"))])
    world.inst.city_id = "3401"  # the school moved to Hefei (在肥省属 → province)
    world.inst.save()
    app = services.submit(app, user=world.staff)
    assert app.authority_role == Role.PROVINCIAL_HRSS and app.authority_city_id is None


def test_officials_are_notified_of_a_submission(world):
    from portal.models import Notification

    colleague = make_user("maanshan2", Role.CITY_HRSS, city_id="3405")
    _submitted(world.inst, world.staff)
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"city_hrss", "maanshan2"} <= notified
    assert not notified & {"other_city_hrss", "prov_hrss", colleague.username + "x"}
