"""A draft saves anything; submitting checks everything: bad input in every row set, identifiers,
phone numbers, occupations from the dictionary, and attachments (type by content, size)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.track_b import services
from applications.track_b.completeness import errors, problems_of
from applications.track_b.demo import fake_ric
from applications.track_b.models import (
    Equipment,
    Examiner,
    FilingState,
    ListedExpert,
    MajorOccupation,
    RegulationDocument,
    Staff,
)
from applications.track_b.validators import validate_phone
from portal.models import Occupation
from tests.track_b.factories import case_in, new_case, occ

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BAD_RIC = "34010419800101001X"  # wrong check digit


def _messages(app, section):
    return [str(p) for p in errors(problems_of(app)) if p.section == section]


def test_a_complete_case_has_no_errors(world):
    app = new_case(world)
    assert errors(problems_of(app)) == []


def test_an_empty_draft_lists_every_section(world):
    app, _ = services.create_application(user=world.staff)
    sections = {p.section for p in errors(problems_of(app))}
    assert sections >= {"basic", "majors", "regulations", "advantages", "venues", "staff", "experts", "examiners",
                        "other", "plan"}
    with pytest.raises(services.IncompleteApplication):
        services.submit(app, user=world.staff)
    app.refresh_from_db()
    assert app.state == FilingState.DRAFT


@pytest.mark.parametrize("field, value, message", [
    ("uscc", "12340000485960318", "统一社会信用代码应为18位"),
    ("uscc", "123400004859603171", "统一社会信用代码校验位错误"),
    ("head_phone", "12345", "电话号码“12345”格式不正确"),
    ("org_head_phone", "138055100011", "格式不正确"),
    ("org_contact_phone", "551-62663225", "格式不正确"),
    ("contact_email", "not-an-email", "联系人邮箱格式不正确"),
    ("head_name", "", "“单位负责人”未填写"),
])
def test_basic_information(field, value, message, world):
    app = new_case(world)
    type(app).objects.filter(pk=app.pk).update(**{field: value})
    app.refresh_from_db()
    assert any(message in m for m in _messages(app, "basic")), _messages(app, "basic")


@pytest.mark.parametrize("number", ["13905510001", "0551-62663225", "055162663225", "0553-5971234-8001",
                                    "+86 139 0551 0001"])
def test_valid_phone_numbers(number):
    validate_phone(number)


@pytest.mark.parametrize("model, section, changes, message", [
    (MajorOccupation, "majors", {"major_name": ""}, "第1行：“专业名称”未填写"),
    (MajorOccupation, "majors", {"occupation": None}, "第1行：“对应和相关职业名称”未填写"),
    (MajorOccupation, "majors", {"examiners_count": 0}, "具备资格条件的考评人员人数至少为1人"),
    (MajorOccupation, "majors", {"item_writers": None}, "“命题专家人数”未填写"),
    (MajorOccupation, "majors", {"job_type": ""}, "“工种名称”未填写"),
    (RegulationDocument, "regulations", {"title": ""}, "第1行：“文件名称”未填写"),
    (Equipment, "venues", {"quantity": 0}, "第1行：数量应大于0"),
    (Equipment, "venues", {"ownership": ""}, "“所有权归属”未填写"),
    (Staff, "staff", {"id_number": BAD_RIC}, "身份证号校验位错误"),
    (Staff, "staff", {"id_number": "34010419800231001"}, "身份证号应为18位"),
    (Staff, "staff", {"duties": ""}, "“主要工作职责”未填写"),
    (ListedExpert, "experts", {"id_number": BAD_RIC}, "身份证号校验位错误"),
    (ListedExpert, "experts", {"employer": ""}, "“所在单位”未填写"),
    (ListedExpert, "experts", {"id_number": fake_ric("340104", "19801331", "001")}, "出生日期无效"),
    (Examiner, "examiners", {"id_number": BAD_RIC}, "身份证号校验位错误"),
    (Examiner, "examiners", {"employer": ""}, "“所在单位”未填写"),
    (Examiner, "examiners", {"domain": ""}, "“考评职业领域”未填写"),
])
def test_bad_input_in_every_row_set(model, section, changes, message, world, client):
    app = new_case(world)
    row = model.objects.filter(application=app).order_by("position").first()
    model.objects.filter(pk=row.pk).update(**changes)
    assert any(message in m for m in _messages(app, section)), _messages(app, section)
    client.force_login(world.staff)
    response = client.post(reverse("track_b:submit", args=[app.pk]), {"expected_state": "draft"})
    app.refresh_from_db()
    assert app.state == FilingState.DRAFT
    assert message in response.content.decode()


def test_every_row_set_must_have_rows(world):
    app = new_case(world)
    for model in (MajorOccupation, RegulationDocument, Equipment, Staff, ListedExpert, Examiner):
        model.objects.filter(application=app).delete()
    found = {p.section for p in errors(problems_of(app))}
    assert {"majors", "regulations", "venues", "staff", "experts", "examiners"} <= found


def test_duplicate_id_numbers_within_a_table(world):
    app = new_case(world)
    first, second = Staff.objects.filter(application=app).order_by("position")[:2]
    Staff.objects.filter(pk=second.pk).update(id_number=first.id_number.lower())
    assert "第2行：身份证号与第1行重复" in _messages(app, "staff")


def test_unknown_place_code_is_a_warning_not_an_error(world):
    app = new_case(world)
    row = Staff.objects.filter(application=app).first()
    Staff.objects.filter(pk=row.pk).update(id_number=fake_ric("349999", "19850312", "021"))
    problems = [p for p in problems_of(app) if p.section == "staff"]
    assert problems and all(p.level == "warning" for p in problems)


def test_occupation_must_be_a_skill_occupation_of_the_dictionary(world, client):
    app = new_case(world, complete=True)
    other = Occupation.objects.create(code="2-02-07-13", name="智能制造工程技术人员", is_skill=False)
    row = MajorOccupation.objects.filter(application=app).first()
    MajorOccupation.objects.filter(pk=row.pk).update(occupation=other)
    assert any("不是技能类职业" in m for m in _messages(app, "majors"))
    # and the web form offers only skill occupations, picked from a list (not typed)
    client.force_login(world.staff)
    body = client.get(reverse("track_b:edit", args=[app.pk, "majors"])).content.decode()
    assert "6-31-01-03 电工</option>" in body and "2-02-07-13 智能制造工程技术人员</option>" not in body
    assert '<select name="majors-0-occupation"' in body


def test_typed_occupation_code_is_rejected_by_the_form(world, client):
    app = new_case(world, complete=False)
    client.force_login(world.staff)
    data = {"majors-TOTAL_FORMS": "1", "majors-INITIAL_FORMS": "0", "majors-0-major_name": "电气",
            "majors-0-occupation": "6-31-01-03", "majors-0-job_type": "--", "save": "1"}
    response = client.post(reverse("track_b:edit", args=[app.pk, "majors"]), data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not MajorOccupation.objects.filter(application=app).exists()


def test_job_type_must_belong_to_the_occupation(world):
    app = new_case(world)
    electrician = occ("6-31-01-03")
    electrician.job_types = "维修电工\n安装电工"
    electrician.save()
    row = MajorOccupation.objects.filter(application=app, occupation=electrician).first()
    MajorOccupation.objects.filter(pk=row.pk).update(job_type="焊工")
    assert any("不属于职业“电工”" in m for m in _messages(app, "majors"))


def test_declaration_and_plan_are_required(world):
    app = new_case(world)
    type(app).objects.filter(pk=app.pk).update(declaration=False)
    app.plan.__class__.objects.filter(application=app).update(commitment="")
    app.refresh_from_db()
    assert any("须确认所填信息真实" in m for m in _messages(app, "other"))
    assert any("职业技能等级评价质量承诺" in m for m in _messages(app, "plan"))


# --- attachments ---------------------------------------------------------------------------------------

def _attachment_post(app, upload):
    return {"attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0", "attachments-0-category": "qualification",
            "attachments-0-title": "考评员证书", "attachments-0-file": upload, "save": "1"}


def test_attachment_of_the_right_type_is_stored(world, client):
    app = new_case(world)
    client.force_login(world.staff)
    response = client.post(reverse("track_b:edit", args=[app.pk, "attachments"]),
                           _attachment_post(app, SimpleUploadedFile("证书.pdf", PDF, "application/pdf")))
    assert response.status_code == 302
    attachment = app.attachments.get()
    assert attachment.original_name == "证书.pdf" and attachment.file.name.startswith(f"track_b/{app.pk}/")
    download = client.get(reverse("track_b:row_file", args=[app.pk, "attachment", attachment.pk]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")


@pytest.mark.parametrize("name, content, message", [
    ("setup.exe", b"MZ\x90\x00", "类型不支持"),
    ("fake.pdf", b"MZ\x90\x00 not a pdf", "内容与扩展名不符"),
    ("photo.png", b"\xff\xd8\xff\xe0 jpeg bytes", "内容与扩展名不符"),
])
def test_wrong_type_attachment_is_refused(name, content, message, world, client):
    app = new_case(world)
    client.force_login(world.staff)
    response = client.post(reverse("track_b:edit", args=[app.pk, "attachments"]),
                           _attachment_post(app, SimpleUploadedFile(name, content)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not app.attachments.exists()


def test_oversize_attachment_is_refused(world, client, settings):
    app = new_case(world)
    client.force_login(world.staff)
    big = SimpleUploadedFile("大文件.pdf", PDF + b"0" * (10 * 1024 * 1024 + 1), "application/pdf")
    response = client.post(reverse("track_b:edit", args=[app.pk, "regulations"]), {
        "regulations-TOTAL_FORMS": "1", "regulations-INITIAL_FORMS": "0", "regulations-0-title": "管理办法",
        "regulations-0-file": big, "save": "1"})
    assert response.status_code == 200
    assert "超过上限10MB" in response.content.decode()
    assert app.regulations.count() == 4  # the demo content's four, none added


def test_draft_saves_invalid_values_and_lists_them(world, client):
    """A registrar can save at any time; what is wrong is listed on the page, not blocking the save."""
    app = new_case(world, complete=False)
    client.force_login(world.staff)
    data = {"staff-TOTAL_FORMS": "1", "staff-INITIAL_FORMS": "0", "staff-0-name": "赵敏",
            "staff-0-id_number": BAD_RIC, "save": "1"}
    response = client.post(reverse("track_b:edit", args=[app.pk, "staff"]), data, follow=True)
    assert app.staff.get().id_number == BAD_RIC
    body = response.content.decode()
    assert "已保存草稿" in body and "身份证号校验位错误" in body and "340104********001X" in body


def test_nothing_can_be_edited_once_submitted(world, client):
    app = case_in(world, FilingState.SUBMITTED)
    client.force_login(world.staff)
    assert client.get(reverse("track_b:edit", args=[app.pk, "basic"])).status_code == 403


def test_a_draft_submitted_meanwhile_is_not_overwritten(world):
    """The registrar's colleague submitted while the page was open: the save is refused under lock."""
    from applications.track_b.forms import BasicForm

    stale = new_case(world)
    services.submit(type(stale).objects.get(pk=stale.pk), user=world.staff)
    form = BasicForm({"unit_name": "改了名字"}, instance=stale)
    assert form.is_valid()
    with pytest.raises(services.WorkflowError, match="不能修改申报材料"):
        services.save_section(stale, user=world.staff, section="basic", form=form)
    stale.refresh_from_db()
    assert stale.unit_name == "安徽工业大学"
