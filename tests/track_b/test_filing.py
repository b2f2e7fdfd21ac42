"""Filing: occupations and levels the report supports (≤ 三级), the province-wide code, the dashboard;
and resubmission after a return: history kept, changes shown."""

import pytest
from django.urls import reverse

from applications.track_b import codes, services
from applications.track_b.demo import fake_ric
from applications.track_b.models import (
    FiledOccupation,
    FilingState,
    Staff,
    Submission,
    TrainingTarget,
)
from portal.models import Notification
from tests.conftest import make_institution, make_user
from tests.track_b.factories import ELECTRICIAN, NEV, case_in, occ


def test_code_shape():
    assert codes.format_code(17) == "Y000034000017"
    assert codes.is_valid("Y000034000017") and len("Y000034000017") == 13
    assert not codes.is_valid("Y000034000000") and not codes.is_valid("S000034000017")


def test_filing_allocates_the_next_code_and_records_occupations(world, client):
    app = case_in(world, FilingState.REPORT_SIGNED)
    client.force_login(world.city_hrss)
    page = client.get(reverse("track_b:file", args=[app.pk])).content.decode()
    assert "三级/高级工" in page and "4-12-01-01 汽车维修工" in page
    data = {"opinion": "同意备案。", f"include_{occ(NEV).pk}": "on", f"level_{occ(NEV).pk}": "3",
            f"level_{occ(ELECTRICIAN).pk}": "4", "expected_state": "report_signed"}
    response = client.post(reverse("track_b:file", args=[app.pk]), data, follow=True)
    app.refresh_from_db()
    assert app.state == FilingState.FILED and codes.is_valid(app.filing_code)
    assert "已备案，备案编号 " + app.filing_code in response.content.decode()
    assert list(FiledOccupation.objects.filter(application=app).values_list("occupation__code", "level")) == [
        (NEV, 3)]  # 电工 was not ticked
    assert app.hrss_opinion == "同意备案。"
    assert Notification.objects.filter(recipient=world.staff, title__contains="准予备案").exists()


def test_codes_are_consecutive_across_cities(world):
    first = case_in(world, FilingState.FILED)
    second = case_in(world, FilingState.FILED, world.other_inst)
    n1, n2 = int(first.filing_code[-6:]), int(second.filing_code[-6:])
    assert n2 == n1 + 1 and first.filing_code[:7] == second.filing_code[:7] == "Y000034"


def test_level_never_above_what_the_report_supports(world):
    app = case_in(world, FilingState.REPORT_SIGNED,
                  targets={occ(NEV).pk: TrainingTarget.INTERMEDIATE, occ(ELECTRICIAN).pk: TrainingTarget.NONE})
    with pytest.raises(services.TrackBError, match="最高只能备案至四级/中级工"):
        services.file_application(app, user=world.city_hrss, levels={occ(NEV).pk: 3}, opinion="同意")
    with pytest.raises(services.TrackBError, match="未经评估论证支持"):
        services.file_application(app, user=world.city_hrss, levels={occ(ELECTRICIAN).pk: 5}, opinion="同意")
    with pytest.raises(services.TrackBError, match="不得高于三级/高级工"):
        services.file_application(app, user=world.city_hrss, levels={occ(NEV).pk: 2}, opinion="同意")
    app.refresh_from_db()
    assert app.state == FilingState.REPORT_SIGNED and app.filing_code is None
    filed = services.file_application(app, user=world.city_hrss, levels={occ(NEV).pk: 4}, opinion="同意")
    assert filed.filed_occupations.get().level == 4


def test_occupation_whose_standard_stops_below_senior(world):
    """An occupation whose highest level is 四级 cannot be filed at 三级 even if the report says 高级工."""
    electrician = occ(ELECTRICIAN)
    electrician.max_level = 4
    electrician.save()
    app = case_in(world, FilingState.REPORT_SIGNED)
    supported = services.supported_levels(app)
    assert supported[electrician.pk][1] == 4
    with pytest.raises(services.TrackBError):
        services.file_application(app, user=world.city_hrss, levels={electrician.pk: 3}, opinion="同意")


def test_the_form_offers_only_supported_levels(world, client):
    app = case_in(world, FilingState.REPORT_SIGNED, targets={occ(NEV).pk: TrainingTarget.JUNIOR,
                                                             occ(ELECTRICIAN).pk: TrainingTarget.SENIOR})
    client.force_login(world.city_hrss)
    page = client.get(reverse("track_b:file", args=[app.pk])).content.decode()
    select = page[page.index(f'name="level_{occ(NEV).pk}"'):]
    select = select[:select.index("</select>")]
    assert "五级/初级工" in select and "四级/中级工" not in select and "三级/高级工" not in select


def test_not_filed_with_reasons(world, client):
    app = case_in(world, FilingState.REPORT_SIGNED)
    client.force_login(world.city_hrss)
    client.post(reverse("track_b:refuse", args=[app.pk]), {"reasons": ""})
    app.refresh_from_db()
    assert app.state == FilingState.REPORT_SIGNED
    client.post(reverse("track_b:refuse", args=[app.pk]), {"reasons": "考评人员数量不足。"})
    app.refresh_from_db()
    assert app.state == FilingState.NOT_FILED and app.hrss_opinion == "考评人员数量不足。"
    client.force_login(world.staff)
    assert "考评人员数量不足。" in client.get(reverse("track_b:detail", args=[app.pk])).content.decode()


def test_dashboard_shows_the_filed_institution(world, client):
    app = case_in(world, FilingState.FILED)
    client.force_login(world.staff)
    body = client.get(reverse("home")).content.decode()
    assert f"备案编号 {app.filing_code}" in body
    assert "4-12-01-01 汽车维修工（三级/高级工）" in body and "6-31-01-03 电工（三级/高级工）" in body
    registry = client.get(reverse("track_b:registry")).content.decode()
    assert app.filing_code in registry and "安徽工业大学" in registry


def test_office_dashboard_lists_what_awaits_it(world, client):
    submitted = case_in(world, FilingState.SUBMITTED)
    case_in(world, FilingState.SUBMITTED, world.other_inst)
    client.force_login(world.city_hrss)
    body = client.get(reverse("home")).content.decode()
    assert reverse("track_b:detail", args=[submitted.pk]) in body and "芜湖职业技术学院" not in body


def test_ministry_school_on_the_provincial_dashboard(world, client):
    ustc = make_institution("中国科学技术大学", city="3401", affiliation="ministry")
    staff = make_user("ustc_staff", "university_staff", institution=ustc)
    app, _ = services.create_application(user=staff, institution=ustc)
    from applications.track_b.demo import fill_content

    fill_content(app, majors=[("计算机", occ("4-04-05-05"))])
    services.submit(app, user=staff)
    client.force_login(world.prov_hrss)
    body = client.get(reverse("home")).content.decode()
    assert "中国科学技术大学" in body


# --- resubmission ---------------------------------------------------------------------------------------

def test_resubmission_keeps_history_and_shows_what_changed(world, client):
    app = case_in(world, FilingState.RETURNED)
    staff_row = Staff.objects.filter(application=app).order_by("position").first()
    client.force_login(world.staff)
    detail = client.get(reverse("track_b:detail", args=[app.pk])).content.decode()
    assert "退回修改意见" in detail and "请补充考评人员证书。" in detail
    # the registrar revises two things and resubmits
    type(app).objects.filter(pk=app.pk).update(head_phone="0555-2311234")
    Staff.objects.filter(pk=staff_row.pk).update(duties="考务组织、质量督导")
    Staff.objects.create(application=app, position=3, name="新同事", id_number=fake_ric("340104", "19900101", "001"),
                         title="干事", education="本科", duties="档案")
    client.post(reverse("track_b:submit", args=[app.pk]), {"expected_state": "returned"})
    app.refresh_from_db()
    assert app.state == FilingState.SUBMITTED and app.revision == 2
    first, second = Submission.objects.filter(application=app).order_by("number")
    assert first.data["basic"]["head_phone"] == "0551-62663225"
    whats = {(c["field"], c["new"]) for c in second.changes}
    assert ("单位负责人联系电话", "0555-2311234") in whats
    assert ("主要工作职责", "考务组织、质量督导") in whats
    assert any(c["what"] == "新增一行" and c["field"] == "新同事" for c in second.changes)
    client.force_login(world.city_hrss)
    page = client.get(reverse("track_b:detail", args=[app.pk])).content.decode()
    assert "本次重新提交修改的内容" in page and "0555-2311234" in page
    assert "第1次提交" in page and "第2次提交" in page
    added = next(c for c in second.changes if c["field"] == "新同事")
    assert "340104********" in added["new"] and fake_ric("340104", "19900101", "001") not in added["new"]


def test_history_records_who_when_and_why(world, client):
    app = case_in(world, FilingState.FILED)
    client.force_login(world.staff)
    page = client.get(reverse("track_b:detail", args=[app.pk])).content.decode()
    for label in ("提交", "受理", "组建专家组，开始评估论证", "专家组全体签字，报告定稿", "准予备案"):
        assert label in page
    from applications.workflow import history

    roles = [(h.transition, h.role) for h in history(app)]
    assert roles == [("submit", "university_staff"), ("accept", "city_hrss"), ("start_evaluation", "city_hrss"),
                     ("complete_report", "expert"), ("file", "city_hrss")]
