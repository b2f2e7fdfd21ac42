"""DOMAIN §4.2 / 通知 三(二)2(1): 部属 and 在肥省属 schools apply to the province; all others to their city."""

import pytest

from portal.models import Affiliation, City, Institution, Role
from portal.routing import skill_filing_authority

CITY_CODES = ["3401", "3402", "3403", "3404", "3405", "3406", "3407", "3408",
              "3410", "3411", "3412", "3413", "3415", "3416", "3417", "3418"]


def expected(affiliation, city):
    if affiliation == Affiliation.MINISTRY or (affiliation == Affiliation.PROVINCIAL and city == "3401"):
        return (Role.PROVINCIAL_HRSS, None)
    return (Role.CITY_HRSS, city)


@pytest.mark.parametrize("city", CITY_CODES)
@pytest.mark.parametrize("affiliation", list(Affiliation))
def test_every_affiliation_and_city(affiliation, city):
    institution = Institution(name="x", affiliation=affiliation, city_id=city)
    authority = skill_filing_authority(institution)
    assert (authority.role, authority.city_code) == expected(affiliation, city)


def test_examples_from_the_notice():
    assert skill_filing_authority(Institution(affiliation="ministry", city_id="3401")).is_provincial  # 中国科大
    assert skill_filing_authority(Institution(affiliation="provincial", city_id="3401")).is_provincial  # 在肥省属
    maanshan = skill_filing_authority(Institution(affiliation="provincial", city_id="3405"))
    assert (maanshan.role, maanshan.city_code) == (Role.CITY_HRSS, "3405")
    wuhu_private = skill_filing_authority(Institution(affiliation="private", city_id="3401"))
    assert (wuhu_private.role, wuhu_private.city_code) == (Role.CITY_HRSS, "3401")


@pytest.mark.django_db
def test_divisions_fixture_matches_gbt2260():
    codes = dict(City.objects.values_list("code", "name"))
    assert codes.pop("34") == "安徽省"
    assert sorted(codes) == CITY_CODES  # no 3409; 3414 巢湖 abolished in 2011
    assert codes["3405"] == "马鞍山市" and codes["3401"] == "合肥市"
