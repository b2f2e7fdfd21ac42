"""委托报备 (an unfiled university reports and is acknowledged) and 1+X exemption requests (decided with reasons)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.track_b import services
from applications.track_b.demo import fake_ric
from applications.track_b.models import EntrustmentState, ExemptionRequest, ExemptionState, FilingState
from portal.models import Notification
from tests.track_b.factories import case_in, occ

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _entrustment_form(filed):
    return {"plan": "委托开展汽车维修工三级认定。", "evaluation": "经专家评估论证，方案可行。",
            "occupations": [occ("4-12-01-01").pk], "level": "3", "expected_students": "120",
            "entrusted_kind": "university", "entrusted_filing": filed.pk, "voluntary": "on"}


def test_unfiled_university_reports_and_office_acknowledges(world, client):
    filed = case_in(world, FilingState.FILED, world.other_inst)
    client.force_login(world.staff)
    response = client.post(reverse("track_b:entrustment_create"))
    item = world.inst.track_b_entrustments.get()
    assert response["Location"] == reverse("track_b:entrustment_edit", args=[item.pk])
    detail = client.get(reverse("track_b:entrustment_detail", args=[item.pk])).content.decode()
    assert "请选择受委托的备案高校" in detail and "须确认按学校自愿、学生自愿原则统一委托" in detail
    edit = client.get(reverse("track_b:entrustment_edit", args=[item.pk])).content.decode()
    assert filed.filing_code in edit
    client.post(reverse("track_b:entrustment_edit", args=[item.pk]), _entrustment_form(filed))
    client.post(reverse("track_b:entrustment_report", args=[item.pk]), {"expected_state": "draft"})
    item.refresh_from_db()
    assert item.state == EntrustmentState.REPORTED and item.authority_city_id == "3405"
    assert Notification.objects.filter(recipient=world.city_hrss, title__contains="委托").exists()
    # the wrong city's office does not see it; the right one acknowledges
    client.force_login(world.other_city_hrss)
    assert client.get(reverse("track_b:entrustment_detail", args=[item.pk])).status_code == 404
    client.force_login(world.city_hrss)
    assert "委托认定报备" in client.get(reverse("home")).content.decode()
    client.post(reverse("track_b:entrustment_acknowledge", args=[item.pk]), {"comment": "已收悉。"})
    item.refresh_from_db()
    assert item.state == EntrustmentState.ACKNOWLEDGED and item.office_comment == "已收悉。"
    assert Notification.objects.filter(recipient=world.staff, title__contains="已确认").exists()


def test_report_is_refused_until_complete(world):
    item = services.create_entrustment(user=world.staff)
    with pytest.raises(services.TrackBError) as exc:
        services.report_entrustment(item, user=world.staff)
    assert "请填写或上传实施方案。" in exc.value.messages
    item.refresh_from_db()
    assert item.state == EntrustmentState.DRAFT


def test_entrusting_a_technical_school_needs_its_code(world, client):
    item = services.create_entrustment(user=world.staff)
    client.force_login(world.staff)
    data = {**_entrustment_form(case_in(world, FilingState.FILED, world.other_inst)),
            "entrusted_kind": "technical_school", "entrusted_filing": "", "entrusted_name": "安徽某技师学院",
            "entrusted_code": "X123"}
    response = client.post(reverse("track_b:entrustment_edit", args=[item.pk]), data)
    assert "评价机构代码应为13位" in response.content.decode()
    data["entrusted_code"] = "S000034000123"
    client.post(reverse("track_b:entrustment_edit", args=[item.pk]), data)
    item.refresh_from_db()
    assert services.entrustment_problems(item) == []


def test_a_filed_university_need_not_entrust(world, client):
    case_in(world, FilingState.FILED)
    with pytest.raises(services.TrackBError, match="无需委托"):
        services.create_entrustment(user=world.staff)
    client.force_login(world.staff)
    assert "新建委托报备" not in client.get(reverse("track_b:entrustment_list")).content.decode()


def test_returned_report_can_be_completed_and_reported_again(world):
    filed = case_in(world, FilingState.FILED, world.other_inst)
    item = services.create_entrustment(user=world.staff)
    type(item).objects.filter(pk=item.pk).update(plan="方案", evaluation="论证", level=3, entrusted_filing=filed,
                                                 voluntary=True)
    item.refresh_from_db()
    item.occupations.add(occ("4-12-01-01"))
    item = services.report_entrustment(item, user=world.staff)
    item = services.return_entrustment(item, user=world.city_hrss, reasons="请补充评估论证专家名单。")
    assert item.state == EntrustmentState.RETURNED
    item = services.report_entrustment(item, user=world.staff, expected_state="returned")
    assert item.state == EntrustmentState.REPORTED


# --- 1+X -------------------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _student_record(request):
    """The demo student's graduate record, whose ID number the requests below name (the student's own)."""
    if "world" in request.fixturenames:
        from tests.track_b.access_cases import own_record

        own_record(request.getfixturevalue("world"))


def _exemption_post(**overrides):
    data = {"name": "张明", "id_number": fake_ric("340503", "20030506", "012"), "major": "新能源汽车技术",
            "certificate_name": "智能新能源汽车", "certificate_level": "intermediate", "certificate_number": "X2024001",
            "certificate_issuer": "某培训评价组织", "occupation": occ("4-12-01-01").pk, "level": "4",
            "subjects": "theory", "reason": "已取得中级证书。",
            "certificate_file": SimpleUploadedFile("cert.pdf", PDF, "application/pdf")}
    data.update(overrides)
    return data


def test_graduate_request_goes_through_the_school_to_both_provincial_offices(world, client):
    client.force_login(world.student)
    response = client.post(reverse("track_b:exemption_create"), _exemption_post())
    assert response.status_code == 302
    request = ExemptionRequest.objects.get(student=world.student)
    assert request.institution == world.inst and request.state == ExemptionState.PREPARED
    assert "staff" in set(Notification.objects.values_list("recipient__username", flat=True))
    services.submit_batch(user=world.staff, request_ids=[request.pk])
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"prov_hrss", "prov_edu"} <= notified
    client.force_login(world.prov_edu)
    assert "安徽工业大学" in client.get(reverse("home")).content.decode()
    client.post(reverse("track_b:exemption_decide", args=[request.pk]), {"outcome": "agree", "reasons": ""})
    request.refresh_from_db()
    assert request.state == ExemptionState.SUBMITTED  # reasons are required
    client.post(reverse("track_b:exemption_decide", args=[request.pk]),
                {"outcome": "agree", "reasons": "免理论知识考试。"})
    request.refresh_from_db()
    assert request.state == ExemptionState.ONE_AGREED and request.decided_role == "provincial_education"
    client.force_login(world.prov_edu)  # decided: no longer on the education office's list
    assert "安徽工业大学" not in client.get(reverse("home")).content.decode()
    client.force_login(world.prov_hrss)
    assert "安徽工业大学" in client.get(reverse("home")).content.decode()
    client.post(reverse("track_b:exemption_decide", args=[request.pk]), {"outcome": "agree", "reasons": "同意。"})
    request.refresh_from_db()
    assert request.state == ExemptionState.GRANTED
    client.force_login(world.student)
    page = client.get(reverse("track_b:exemption_detail", args=[request.pk])).content.decode()
    assert "同意免试" in page and "免理论知识考试" in page and request.id_number not in page


@pytest.mark.parametrize("overrides, message", [
    ({"id_number": "34050320030506012X"}, "身份证号校验位错误"),
    ({"certificate_file": SimpleUploadedFile("cert.exe", b"MZ", "application/octet-stream")}, "类型不支持"),
    ({"occupation": "4-12-01-01"}, "选择一个有效的选项"),
])
def test_bad_exemption_requests(overrides, message, world, client):
    client.force_login(world.student)
    response = client.post(reverse("track_b:exemption_create"), _exemption_post(**overrides))
    assert response.status_code == 200 and message in response.content.decode()


def test_students_see_only_their_own_requests(world, client):
    from tests.conftest import make_user

    client.force_login(world.student)
    client.post(reverse("track_b:exemption_create"), _exemption_post())
    other = make_user("student2", "student", institution=world.other_inst)
    client.force_login(other)
    assert "张明" not in client.get(reverse("track_b:exemption_list")).content.decode()
    client.force_login(world.other_staff)
    assert "暂无申请" in client.get(reverse("track_b:exemption_list")).content.decode()
    client.force_login(world.staff)  # the student's own school follows the request, name masked
    body = client.get(reverse("track_b:exemption_list")).content.decode()
    assert "张*" in body and "张明" not in body
