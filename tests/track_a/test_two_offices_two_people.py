"""Each of the two offices the notice names decides through its own people (三(一)2(2) 人社、教育部门审定; 2(3)
省人社厅、省教育厅认定; the expert group proposed by 省教育厅 and confirmed by 省人社厅): one person holding both
roles (DOMAIN §2 allows it) decides for one office only — as for a Track B exemption."""

import pytest
from django.core.exceptions import ValidationError

from applications.track_a import services
from applications.track_a.models import CityReview, Recognition, State
from portal.models import Role, RoleAssignment, User
from tests.track_a import factories as ta


def _also(user, role, **scope):
    RoleAssignment.objects.create(user=user, role=role, **scope)
    return User.objects.get(pk=user.pk)  # without the cached roles


def test_one_person_recognises_for_one_provincial_office_only(world):
    app = ta.application_in(world, State.SITE_EVALUATED)
    both = _also(world.prov_edu, Role.PROVINCIAL_HRSS)
    app = services.recognise(application=app, actor=both, office="provincial_education", decision="recognise")
    with pytest.raises(ValidationError, match="另一部门"):
        services.recognise(application=app, actor=both, office="provincial_hrss", decision="recognise")
    assert Recognition.objects.filter(application=app).count() == 1
    app = services.recognise(application=app, actor=world.prov_hrss, office="provincial_hrss", decision="recognise")
    assert app.state == State.RECOGNISED


def test_one_person_approves_for_one_city_office_only(world):
    app = ta.application_in(world, State.SUBMITTED)
    both = _also(world.city_hrss, Role.CITY_EDUCATION, city_id=app.institution.city_id)
    app = services.city_review(application=app, actor=both, office="city_hrss", decision="approve")
    with pytest.raises(ValidationError, match="另一部门"):
        services.city_review(application=app, actor=both, office="city_education", decision="approve")
    assert CityReview.objects.filter(application=app).count() == 1
    app = services.city_review(application=app, actor=world.city_edu, office="city_education", decision="approve")
    assert app.state == State.CITY_APPROVED


def test_the_person_who_proposed_the_expert_group_does_not_confirm_it(world):
    app = ta.application_in(world, State.AT_PROVINCE)
    both = _also(world.prov_edu, Role.PROVINCIAL_HRSS)
    reviewers = [e for e in ta.expert_pool(world) if e.title_level in ("senior", "deputy_senior")][:3]
    group = services.propose_group(application=app, actor=both, experts=reviewers, leader=reviewers[0])
    with pytest.raises(ValidationError, match="省人社厅的人员"):
        services.confirm_group(group=group, actor=both)
    group.refresh_from_db()
    assert group.state == "proposed" and group.confirmed_by_id is None
    assert services.confirm_group(group=group, actor=world.prov_hrss).state == "confirmed"
