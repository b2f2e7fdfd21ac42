"""Track A in real Chromium: a 马鞍山 provincial university fills 附件1 and submits; both city offices approve; the
expert group (proposed by the provincial education department, confirmed by the provincial HRSS) reviews and
visits; both provincial offices recognise it; the city HRSS grants the authority; the school files its committee
and, the school being 省属, the provincial HRSS approves it (附件2 二(三))."""

import pytest

from portal.models import ExpertProfile, Role
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import pilot_school, shot, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
POOL = [("周正高", "教授", "senior"), ("吴副高", "高级工程师", "deputy_senior"), ("郑副高", "副教授", "deputy_senior"),
        ("王正高", "正高级工程师", "senior"), ("冯中级", "工程师", "intermediate")]


@pytest.fixture
def pilot(transactional_db, settings, tmp_path):
    w = pilot_school(settings, tmp_path)
    for i, (name, title, level) in enumerate(POOL):
        user = make_user(f"pool{i}", Role.EXPERT, organisation="合作企业")
        user.full_name = name
        user.save()
        ExpertProfile.objects.create(user=user, title=title, title_level=level)
    w.pdf = tmp_path / "doc.pdf"
    w.pdf.write_bytes(PDF)
    return w


def as_user(page, username):
    page.context.clear_cookies()
    sign_in(page, username, PASSWORD)
    page.wait_for_url("**/")


def save_next(page):
    page.click('[data-testid="save-next"]')
    page.wait_for_load_state()


def fill(page, values):
    for name, value in values.items():
        page.fill(f'[name="{name}"]', value)


def open_application(page):
    page.click('section[data-role] .panel a:has-text("安徽工业大学")')
    page.wait_for_selector('[data-testid="state"]')


def state(page):
    return page.inner_text('[data-testid="state"]')


def test_track_a_journey(pilot, page, phone):
    w = pilot
    # --- the school fills 附件1 -------------------------------------------------------------------------------
    as_user(page, "staff")
    page.click("text=填报立项申请表（附件1）")
    page.click("button:has-text('填报立项申请表（附件1）')")
    page.wait_for_selector("h1:has-text('一、基本情况')")
    assert page.input_value('[name="unit_name"]') == "安徽工业大学"
    fill(page, {"industry_field": "新能源汽车", "founded_on": "2021-09-01",
                "management_bodies": "学校、经开区管委会和合作企业共同组成理事会"})
    page.check('[name="independent"][value="True"]')
    page.check('[name="venue"][value="school"]')
    shot(page, "track_a-01-basic")
    save_next(page)

    # majors: one programme at 29.9% is flagged as typed, then corrected
    fill(page, {"majors-0-name": "车辆工程", "majors-0-opened_year": "2003", "majors-0-students": "800",
                "majors-0-total_hours": "1000", "majors-0-practice_hours": "299"})
    assert "低于30%" in page.inner_text("[data-ratio]")
    page.click("#add-row")
    fill(page, {"majors-1-name": "机械设计制造及其自动化", "majors-1-opened_year": "1985", "majors-1-students": "1100",
                "majors-1-total_hours": "2600", "majors-1-practice_hours": "860"})
    page.click("button[name=then][value=stay]")
    page.wait_for_selector('[data-testid="practice-flag"]')
    shot(page, "track_a-02-majors-flagged")
    page.fill('[name="majors-0-practice_hours"]', "300")
    save_next(page)

    fill(page, {"partners-0-name": "马鞍山钢铁股份有限公司", "partners-0-industry_type": "钢铁冶金"})
    page.click("#add-row")
    fill(page, {"partners-1-name": "奇瑞汽车股份有限公司", "partners-1-industry_type": "新能源汽车"})
    save_next(page)

    fill(page, {"leader_name": "李建华", "leader_political_status": "中共党员", "leader_party_post": "院长",
                "leader_education": "研究生", "leader_degree": "博士", "leader_title": "教授", "leader_years": "22",
                "leader_office_phone": "0555-2311000", "leader_mobile": "13905551234",
                "leader_duties": "主持产业学院工作", "leader_experience": "2003年起任教",
                "leader_cooperation": "主持校企合作项目6项"})
    save_next(page)

    counts = {"teachers_total": "100", "teachers_senior": "20", "teachers_deputy_senior": "30",
              "teachers_intermediate_or_below": "50", "teachers_enterprise": "40", "teachers_school": "70",
              "teachers_enterprise_background": "25", "students_total": "2000", "students_undergraduate": "1800",
              "students_master": "180", "students_doctoral": "20", "students_other": "0"}
    fill(page, counts)
    save_next(page)
    assert "企业教师数与学校教师数之和（110）与教师总人数（100）不一致" in page.content()
    shot(page, "track_a-03-counts-refused")
    page.fill('[name="teachers_school"]', "60")
    page.click("button[name=then][value=stay]")
    page.wait_for_selector('[data-testid="student-teacher-ratio"]')
    assert page.inner_text('[data-testid="student-teacher-ratio"]') == "20.0:1"
    shot(page, "track_a-04-people-ratios")
    save_next(page)

    fill(page, {"teachers-0-name": "赵明", "teachers-0-age": "48", "teachers-0-title": "教授", "teachers-0-post": "系主任",
                "teachers-0-duties": "专业核心课程"})
    page.select_option('[name="teachers-0-source"]', "school")
    save_next(page)

    # 二、合作事项或协议: the attachment first, then the text
    page.fill('[name="title"]', "产教融合合作协议")
    page.set_input_files('[name="file"]', str(w.pdf))
    page.click('[data-testid="upload"]')
    page.wait_for_selector('[data-testid="attachments"] a:has-text("产教融合合作协议")')
    page.fill('[name="cooperation"]', "与马钢、奇瑞签订产教融合协议，共建实训基地。")
    save_next(page)

    for name in ("basis_teaching", "basis_curriculum", "basis_competition", "basis_practice", "basis_team",
                 "basis_funding"):
        page.fill(f'[name="{name}"]', "情况说明……")
    save_next(page)

    page.set_input_files('[name="plan_file"]', str(w.pdf))
    fill(page, {"plan_industry": "新能源汽车", "plan_start_year": "2024", "plan_end_year": "2026", "plan_bases": "3",
                "plan_platforms": "2", "plan_funding": "500", "plan_summary": "课程体系、双导师、实训基地"})
    save_next(page)

    page.check('[name="leader_attested"]')
    fill(page, {"leader_signature": "李建华", "leader_signed_on": "2024-03-01", "school_opinion": "同意申报",
                "president_name": "张校长", "school_signed_on": "2024-03-02", "partner_opinion": "同意共建"})
    save_next(page)
    checklist = page.inner_text('[data-testid="checklist"]')
    assert "✗" not in checklist and "未填写" not in checklist
    shot(page, "track_a-05-checklist")
    page.click('[data-testid="submit"]')
    page.wait_for_selector("text=已提交")
    assert "待市人社局、市教育局审核" in state(page)
    response = page.request.get(page.get_attribute('[data-testid="annex1-pdf"]', "href"))
    assert response.ok and response.body().startswith(b"%PDF")
    shot(page, "track_a-06-submitted")

    # --- both city offices approve (education first here) ----------------------------------------------------
    for username, office in (("city_edu", "city_education"), ("city_hrss", "city_hrss")):
        as_user(page, username)
        open_application(page)
        card = page.locator(f'[data-testid="city-review-{office}"]')
        card.locator('[name="decision"][value="approve"]').check()
        card.locator('[name="reasons"]').fill("同意")
        card.locator("button").click()
        page.wait_for_selector("text=已办理")
    assert "市级审定通过" in state(page)
    shot(page, "track_a-07-city-approved")

    # --- the co-construction agreement, forwarded to the province -------------------------------------------------
    page.click("a.button:has-text('拟定共建协议')")
    fill(page, {"school_duties": "制定方案和标准，组建评委会", "city_hrss_duties": "授权和监管",
                "city_education_duties": "教学指导", "enterprise_duties": "提供实习岗位", "signed_on": "2024-05-10"})
    page.set_input_files('[name="signed_copy"]', str(w.pdf))
    shot(page, "track_a-08-agreement")
    page.click('[data-testid="confirm"]')
    page.wait_for_selector('[data-testid="forward"]')
    page.locator('[data-testid="forward"] button').click()
    page.wait_for_selector("text=已办理")
    assert "已报省教育厅" in state(page)

    # --- the province: the expert group reviews and visits (its pages: tests/e2e/test_track_a_experts.py), then
    # both provincial offices recognise ------------------------------------------------------------------------
    from applications.track_a.models import PilotApplication
    from tests.track_a import factories as f

    w.pool = list(ExpertProfile.objects.order_by("id"))
    application = PilotApplication.objects.get(institution=w.inst)
    f.expert_visit(w, f.expert_review(w, application))
    as_user(page, "prov_edu")
    open_application(page)
    assert "实地评估完成" in state(page)
    for username, office in (("prov_edu", "provincial_education"), ("prov_hrss", "provincial_hrss")):
        if username != "prov_edu":
            as_user(page, username)
            open_application(page)
        card = page.locator(f'[data-testid="recognition-{office}"]')
        card.locator('[name="decision"][value="recognise"]').check()
        card.locator("button").click()
        page.wait_for_selector("text=已办理")
    assert "已认定为试点单位" in state(page)
    shot(page, "track_a-10-recognised")

    # --- the city grants the authority ----------------------------------------------------------------------
    as_user(page, "city_hrss")
    open_application(page)
    page.click("a.button:has-text('授予中初级职称自主评审权')")
    page.fill('[name="from_year"]', "2024")
    page.click('[data-testid="confirm"]')
    page.wait_for_selector('[data-testid="authority"]')
    assert "车辆工程" in page.inner_text('[data-testid="authority"]')
    assert page.request.get(page.get_attribute('[data-testid="authority-pdf"]', "href")).body().startswith(b"%PDF")
    shot(page, "track_a-11-authorised")

    # --- the school publishes its standard, forms and files its committee; being 省属, the committee files with the
    # provincial HRSS (附件2 二(三)), which approves it -------------------------------------------------------------
    from evaluation.rules import DEFAULT_STANDARD
    from evaluation.services.standards import publish_standard

    publish_standard(institution=w.inst, data=DEFAULT_STANDARD.to_dict(), actor=w.staff)
    as_user(page, "staff")
    panel = page.locator('section[data-role="university_staff"]').inner_text()
    assert "职称自主评审权" in panel and "车辆工程" in panel and "自2024年度起" in panel
    page.click("text=组建评委会")
    fill(page, {"talent_pool": "试点专业应届毕业生约1900人", "method": "评定，无记名投票",
                "standard": "本校产业工程师评审标准（不低于附件2）"})
    page.click('[data-testid="save"]')
    page.wait_for_selector("h1:has-text('评委会委员')")
    for _i in range(4):
        page.click("#add-row")
    experts = ["周正高", "吴副高", "郑副高", "王正高", "冯中级"]
    for i, name in enumerate(experts):
        option = page.locator(f'[name="members-{i}-expert"] option:has-text("{name}")').get_attribute("value")
        page.select_option(f'[name="members-{i}-expert"]', option)
        page.fill(f'[name="members-{i}-term_start"]', "2024-09-01")
        page.fill(f'[name="members-{i}-term_end"]', "2027-08-31")
    page.check('[name="members-0-is_chair"]')
    shot(page, "track_a-12-members")
    page.click('[data-testid="save"]')
    page.wait_for_selector('[data-testid="file-committee"]')
    page.click('[data-testid="file-committee"]')
    page.wait_for_selector("text=已报送核准备案")
    assert "安徽省人力资源和社会保障厅" in page.inner_text('[data-testid="filing-office"]')
    as_user(page, "prov_hrss")
    page.click('section[data-role="provincial_hrss"] a:has-text("评审委员会")')
    card = page.locator('[data-testid="committee-review"]')
    card.locator('[name="decision"][value="approve"]').check()
    card.locator("button").click()
    page.wait_for_selector("text=已办理")
    assert page.inner_text('[data-testid="committee-state"]') == "已核准备案"
    shot(page, "track_a-13-committee-approved")

    as_user(page, "staff")
    assert "已核准备案" in page.locator('section[data-role="university_staff"]').inner_text()
    shot(page, "track_a-14-school-dashboard")

    # --- the same pages on a 390 px phone ---------------------------------------------------------------------
    as_user(phone, "staff")
    for path in ("/pilot/", f"/pilot/{_app_id(w)}/", f"/pilot/committee/{_committee_id(w)}/", "/",
                 f"/pilot/committee/{_committee_id(w)}/adjust/", f"/pilot/committee/{_committee_id(w)}/revoke/"):
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px phone"
    phone.goto(f"/pilot/{_app_id(w)}/")
    shot(phone, "track_a-15-detail-phone")
    phone.goto(f"/pilot/committee/{_committee_id(w)}/adjust/")
    shot(phone, "track_a-15b-committee-adjust-phone")
    as_user(phone, "city_hrss")
    phone.goto(f"/pilot/committee/{_committee_id(w)}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # the city HRSS reads the school's standard and comments on it (正文 三(一)2(4))
    from evaluation.models import StandardVersion

    phone.goto(f"/graduates/standard/{StandardVersion.objects.get().pk}/")
    phone.fill('[name="text"]', "建议明确企业实践时长的认定办法")
    phone.click('[data-testid="comment"]')
    phone.wait_for_selector("text=指导意见已送达学校")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "track_a-16b-standard-comment-phone")
    shot(phone, "track_a-16-committee-phone")


def test_filling_sections_on_a_phone(pilot, phone):
    from applications.track_a import services

    app = services.start_application(institution=pilot.inst, actor=pilot.staff)
    as_user(phone, "staff")
    for section in ("basic", "majors", "partners", "people", "teachers", "cooperation", "signoff"):
        phone.goto(f"/pilot/{app.pk}/edit/{section}/")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{section} is {width}px wide on a 390px phone"
    phone.goto(f"/pilot/{app.pk}/edit/majors/")
    phone.fill('[name="majors-0-name"]', "车辆工程")
    phone.fill('[name="majors-0-opened_year"]', "2003")
    phone.fill('[name="majors-0-students"]', "800")
    phone.fill('[name="majors-0-total_hours"]', "2600")
    phone.fill('[name="majors-0-practice_hours"]', "880")
    assert "33.8%" in phone.inner_text("[data-ratio]")
    phone.click('[data-testid="save-next"]')
    phone.wait_for_selector("h1:has-text('合作共建企业')")
    shot(phone, "track_a-17-partners-phone")
    phone.goto(f"/pilot/{app.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "track_a-18-draft-checklist-phone")


def _app_id(w):
    from applications.track_a.models import PilotApplication

    return PilotApplication.objects.get(institution=w.inst).pk


def _committee_id(w):
    from applications.track_a.models import EvaluationCommittee

    return EvaluationCommittee.objects.get(institution=w.inst).pk

