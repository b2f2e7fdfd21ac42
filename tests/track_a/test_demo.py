"""The demo hook: a school with a granted authority and an approved committee, one awaiting the city; idempotent."""

import io

from applications.track_a import demo, selectors, services
from applications.track_a.models import PilotApplication, State
from portal.demo import load_demo as load_portal_demo
from portal.models import Institution


def test_demo_data_is_ready_for_an_evaluation_round(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_portal_demo()
    out = io.StringIO()
    demo.load_demo(out)
    demo.load_demo(out)  # idempotent
    ahut = Institution.objects.get(name="安徽工业大学")
    authority = selectors.granted_authority_for(ahut)
    assert authority.covers("车辆工程", "engineer", 2024)
    committee = selectors.filed_committee_for(ahut)
    assert committee.level == "intermediate" and len(committee.members.all()) == 7
    mas = PilotApplication.objects.get(institution__name="马鞍山学院")
    assert mas.state == State.SUBMITTED
    ahpu = PilotApplication.objects.get(institution__name="安徽工程大学")
    assert ahpu.state == State.AT_PROVINCE
    group = services.current_group(ahpu)
    assert group.state == "confirmed" and [m.expert.user.username for m in group.members.all()][0] == "pool_3"
    # three schools of 合肥 authorised the same way for the rounds demo, each committee filed with its own office
    for name, _username, _clerk, _chair in demo.STAGE_SCHOOLS:
        school = Institution.objects.get(name=name)
        assert selectors.granted_authority_for(school) is not None
        filed = selectors.filed_committee_for(school)
        assert filed is not None and filed.members.count() == 7
    assert demo.filing_officer(selectors.filed_committee_for(Institution.objects.get(name="合肥学院"))).username == (
        "city_hrss_hefei")  # 市属: the city HRSS (附件2 二(三))
    assert PilotApplication.objects.count() == 6
