"""附件1 on the web: who may start, sections saved as drafts, computed figures, and what is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from applications.track_a import services
from applications.track_a.models import PartnerEnterprise, PilotApplication, PilotMajor, State
from portal.models import Role
from tests.conftest import make_institution, make_user
from tests.track_a import factories as f


def _formset(prefix, rows, fields, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for name, value in zip(fields, row):
            data[f"{prefix}-{i}-{name}"] = value
    return data


def test_a_school_without_a_modern_industry_college_cannot_start(world, login):
    client = login(world.other_staff)  # 芜湖职业技术学院: no industry college, not applied engineering
    page = client.get(reverse("track_a:index")).content.decode()
    assert "本校暂不能申请试点" in page and "尚未建有省级以上现代产业学院" in page
    assert "填报立项申请表（附件1）" not in page
    response = client.post(reverse("track_a:start"), {"institution": world.other_inst.pk})
    assert response.status_code == 302 and response["Location"] == reverse("track_a:index")
    assert not PilotApplication.objects.exists()
    with pytest.raises(ValidationError, match="现代产业学院"):
        services.start_application(institution=world.other_inst, actor=world.other_staff)


def test_an_applied_university_without_an_industry_college_is_told_why(world, login):
    inst = make_institution("安徽新华学院", city="3401", affiliation="private", industry_college=False)
    staff = make_user("xinhua", Role.UNIVERSITY_STAFF, institution=inst)
    page = login(staff).get(reverse("track_a:index")).content.decode()
    assert "尚未建有省级以上现代产业学院" in page and "不是应用型理工科高校或技师学院" not in page


def test_a_technician_college_with_an_industry_college_may_start(world):
    inst = make_institution("马鞍山技师学院", city="3405", kind="technician", applied=False)
    staff = make_user("jishi", Role.UNIVERSITY_STAFF, institution=inst)
    app = services.start_application(institution=inst, actor=staff)
    assert app.state == State.DRAFT and app.unit_name == "马鞍山技师学院"


def test_start_prefills_the_unit_name_and_opens_the_first_section(world, login):
    client = login(world.staff)
    response = client.post(reverse("track_a:start"), {"institution": world.inst.pk})
    app = PilotApplication.objects.get()
    assert response["Location"] == reverse("track_a:edit_section", args=[app.pk, "basic"])
    assert app.unit_name == "安徽工业大学" and app.created_by == world.staff
    # only one open application per school
    client.post(reverse("track_a:start"), {"institution": world.inst.pk})
    assert PilotApplication.objects.count() == 1


def test_sections_save_as_drafts_and_the_checklist_says_what_is_missing(world, login):
    client = login(world.staff)
    app = services.start_application(institution=world.inst, actor=world.staff)
    response = client.post(reverse("track_a:edit_section", args=[app.pk, "basic"]), {
        "unit_name": "安徽工业大学", "industry_field": "新能源汽车", "founded_on": "2021-09-01", "independent": "True",
        "venue": "park", "then": "next"})
    assert response["Location"] == reverse("track_a:edit_section", args=[app.pk, "majors"])
    app.refresh_from_db()
    assert app.industry_field == "新能源汽车" and app.independent is True and app.venue == "park"
    page = client.get(reverse("track_a:detail", args=[app.pk])).content.decode()
    assert "未填写：共同参与的管理机构" in page
    assert "至少填写一个试点专业" in page
    # submitting an incomplete form is refused with the checklist's reasons
    response = client.post(reverse("track_a:submit", args=[app.pk]), {"expected_state": "draft"}, follow=True)
    assert "尚不能提交" in response.content.decode()
    app.refresh_from_db()
    assert app.state == State.DRAFT


def test_labels_are_those_of_the_annex(world, login):
    client = login(world.staff)
    app = services.start_application(institution=world.inst, actor=world.staff)
    basic = client.get(reverse("track_a:edit_section", args=[app.pk, "basic"])).content.decode()
    for label in ("申报单位全称", "相关产业领域", "组建时间", "独立设置", "办学场所", "学校内部", "企业内部", "产业园区",
                  "其他独立办学场所", "共同参与的管理机构"):
        assert label in basic
    people = client.get(reverse("track_a:edit_section", args=[app.pk, "people"])).content.decode()
    for label in ("教师总人数", "正高级", "副高级", "中级及以下", "企业教师数", "学校教师数", "具有企业背景的专任教师数",
                  "生师比", "学生总人数", "本科生", "硕士生", "博士生", "其他学历形式", "占总人数比例"):
        assert label in people
    conditions = client.get(reverse("track_a:edit_section", args=[app.pk, "conditions"])).content.decode()
    for label in ("（一）现有教学基础", "（二）培育产业工程师拟开发课程体系", "（三）学校竞赛实训条件",
                  "（四）学生参加实践教学学时", "（五）高水平教师团队情况", "（六）经费支持情况"):
        assert label in conditions
    signoff = client.get(reverse("track_a:edit_section", args=[app.pk, "signoff"])).content.decode()
    for label in ("经审核，表格所填内容属实，本人对所填内容负责。", "签名", "院校意见", "校长签名", "合作企业或单位意见"):
        assert label in signoff


PEOPLE_OK = {"teachers_total": "100", "teachers_senior": "20", "teachers_deputy_senior": "30",
             "teachers_intermediate_or_below": "50", "teachers_enterprise": "40", "teachers_school": "60",
             "teachers_enterprise_background": "25", "students_total": "2000", "students_undergraduate": "1800",
             "students_master": "180", "students_doctoral": "20", "students_other": "0"}


def test_teacher_counts_that_do_not_add_up_are_refused(world, login):
    client = login(world.staff)
    app = services.start_application(institution=world.inst, actor=world.staff)
    url = reverse("track_a:edit_section", args=[app.pk, "people"])
    response = client.post(url, {**PEOPLE_OK, "teachers_senior": "25", "teachers_school": "50"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "正高级、副高级、中级及以下人数之和（105）与教师总人数（100）不一致" in page
    assert "企业教师数与学校教师数之和（90）与教师总人数（100）不一致" in page
    app.refresh_from_db()
    assert app.teachers_total is None  # nothing saved
    with pytest.raises(ValidationError):
        services.update_section(application=app, actor=world.staff, section="people",
                                values={"teachers_total": 10, "teachers_enterprise": 3, "teachers_school": 3})


def test_ratios_and_the_student_teacher_ratio_are_computed(world, login):
    client = login(world.staff)
    app = services.start_application(institution=world.inst, actor=world.staff)
    url = reverse("track_a:edit_section", args=[app.pk, "people"])
    assert client.post(url, PEOPLE_OK).status_code == 302
    page = client.get(url).content.decode()
    assert "20.0:1" in page          # 2000 students / 100 teachers
    assert "40.0%" in page and "90.0%" in page
    assert "ratio" not in PEOPLE_OK  # nothing of it was typed


def test_practice_below_thirty_percent_is_flagged_and_blocks_submission(world, login):
    client = login(world.staff)
    app = f.complete_application(world)
    fields = ["name", "opened_year", "students", "total_hours", "practice_hours"]
    data = _formset("majors", [["车辆工程", "2015", "400", "1000", "299"], ["机械工程", "2010", "600", "1000", "300"]],
                    fields, initial=2)
    assert client.post(reverse("track_a:edit_section", args=[app.pk, "majors"]), data).status_code == 302
    page = client.get(reverse("track_a:edit_section", args=[app.pk, "majors"])).content.decode()
    assert "29.9%" in page and "低于30%，不符合申报条件" in page
    assert page.count('data-testid="practice-flag"') == 1  # 30.0% is fine
    detail = client.get(reverse("track_a:detail", args=[app.pk])).content.decode()
    assert "车辆工程实践教学学时占总学时29.9%，低于30%" in detail
    with pytest.raises(ValidationError, match="29.9%"):
        services.submit(application=app, actor=world.staff)


def test_a_major_without_its_hours_is_not_taken_as_thirty_percent(world):
    """Unknown is never met: a major saved (by any caller of the service) with 0 total hours has no ratio to check,
    so submission is refused until its hours are recorded."""
    app = f.complete_application(world)
    PilotMajor.objects.filter(application=app, name="车辆工程").update(total_hours=0, practice_hours=0)
    majors = next(c for c in services.checklist_for(app) if c.key == "majors")
    assert majors.problems == ["车辆工程未填写总学时或实践教学学时，无法核对实践教学学时不低于30%（通知 三(一)1(2)）。"]
    with pytest.raises(ValidationError, match="车辆工程未填写总学时"):
        services.submit(application=app, actor=world.staff)
    PilotMajor.objects.filter(application=app, name="车辆工程").update(total_hours=2500, practice_hours=750)
    assert next(c for c in services.checklist_for(app) if c.key == "majors").ok


def test_six_partner_enterprises_are_refused(world, login):
    client = login(world.staff)
    app = services.start_application(institution=world.inst, actor=world.staff)
    rows = [[f"企业{i}", "智能制造"] for i in range(6)]
    response = client.post(reverse("track_a:edit_section", args=[app.pk, "partners"]),
                           _formset("partners", rows, ["name", "industry_type"]))
    assert response.status_code == 200
    assert "合作企业(单位)限填5个，当前填写了6个" in response.content.decode()
    assert not PartnerEnterprise.objects.exists()
    with pytest.raises(ValidationError, match="限填5个"):
        services.update_section(application=app, actor=world.staff, section="partners",
                                rows=[{"name": f"企业{i}", "industry_type": "x"} for i in range(6)])
    # five are fine, and the database itself refuses a sixth
    services.update_section(application=app, actor=world.staff, section="partners",
                            rows=[{"name": f"企业{i}", "industry_type": "x"} for i in range(5)])
    assert PartnerEnterprise.objects.count() == 5
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerEnterprise.objects.create(application=app, position=6, name="第六家", industry_type="x")
    page = client.get(reverse("track_a:edit_section", args=[app.pk, "partners"])).content.decode()
    assert 'name="partners-TOTAL_FORMS" value="5"' in page  # no blank sixth row offered


def test_duplicate_major_names_and_practice_over_total_refused(world, login):
    client = login(world.staff)
    app = services.start_application(institution=world.inst, actor=world.staff)
    fields = ["name", "opened_year", "students", "total_hours", "practice_hours"]
    url = reverse("track_a:edit_section", args=[app.pk, "majors"])
    page = client.post(url, _formset("majors", [["车辆工程", "2015", "1", "100", "30"]] * 2, fields)).content.decode()
    assert "名称不能重复" in page
    page = client.post(url, _formset("majors", [["车辆工程", "2015", "1", "100", "130"]], fields)).content.decode()
    assert "实践教学学时不能超过总学时" in page
    assert not PilotMajor.objects.exists()


def test_cooperation_attachments_upload_checked_by_content(world, login):
    client = login(world.staff)
    app = services.start_application(institution=world.inst, actor=world.staff)
    url = reverse("track_a:edit_section", args=[app.pk, "cooperation"])
    fake = f.SimpleUploadedFile("协议.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    page = client.post(url, {"action": "upload", "title": "协议", "file": fake}).content.decode()
    assert "内容与扩展名不符" in page
    response = client.post(url, {"action": "upload", "title": "产教融合协议", "file": f.pdf("协议.pdf")})
    assert response.status_code == 302
    doc = app.cooperation_documents.get()
    download = client.get(reverse("track_a:file", args=[app.pk, "document", doc.pk]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    client.post(url, {"action": f"delete:{doc.pk}"})
    assert not app.cooperation_documents.exists()


def test_construction_plan_uploaded_with_key_facts(world, login):
    client = login(world.staff)
    app = services.start_application(institution=world.inst, actor=world.staff)
    url = reverse("track_a:edit_section", args=[app.pk, "plan"])
    response = client.post(url, {"plan_file": f.pdf("试点建设方案.pdf"), "plan_industry": "智能制造",
                                 "plan_start_year": "2024", "plan_end_year": "2026", "plan_bases": "3",
                                 "plan_platforms": "2", "plan_funding": "500", "plan_summary": "要点"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.plan_file.name.endswith(".pdf") and app.plan_industry == "智能制造"
    # saving again without a new file keeps the stored one
    client.post(url, {"plan_industry": "新能源汽车", "plan_start_year": "2024", "plan_end_year": "2026"})
    app.refresh_from_db()
    assert app.plan_file and app.plan_industry == "新能源汽车"


def test_a_submitted_application_cannot_be_edited(world, login):
    app = f.application_in(world, State.SUBMITTED)
    client = login(world.staff)
    assert client.get(reverse("track_a:edit_section", args=[app.pk, "basic"])).status_code == 403
    from applications.workflow import WorkflowError

    with pytest.raises(WorkflowError, match="当前不能修改"):
        services.update_section(application=app, actor=world.staff, section="basic", values={"industry_field": "x"})


def test_full_submission_creates_a_snapshot_and_tells_both_city_offices(world, login):
    from portal.models import Notification

    app = f.complete_application(world)
    client = login(world.staff)
    response = client.post(reverse("track_a:submit", args=[app.pk]), {"expected_state": "draft"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == State.SUBMITTED and app.submission_count == 1
    assert app.submissions.get().snapshot["sections"][0]["title"] == "一、基本情况"
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"city_hrss", "city_edu"}  # not the 芜湖 office, not the province yet
