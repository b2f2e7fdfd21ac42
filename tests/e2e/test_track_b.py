"""Track B in real Chromium, for both routing cases:

- 芜湖职业技术学院 (市属) → 芜湖市人社局: the registrar fills 附件3/4 and submits; the city official accepts
  and forms the panel (the school's own expert sits as 校内专家 within a third, the external share shown live); every expert signs 附件5; the official files
  it; the registrar downloads the receipt PDF and sees the code on the dashboard.
- 中国科学技术大学 (部属) → 省人社厅: the same journey lands with the provincial HRSS, not Hefei's city office.
"""

import re
import subprocess

import pytest

from applications.track_b.demo import ensure_expert_pool, fake_ric
from portal.demo import DEMO_PASSWORD, load_demo
from tests.e2e.conftest import SHOTS, shot, sign_in
from tests.track_b.factories import ensure_reference_data

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CODE = re.compile(r"Y000034\d{6}")


@pytest.fixture
def demo(transactional_db):
    load_demo()
    ensure_reference_data()
    ensure_expert_pool()


def _login(page, username):
    page.context.clear_cookies()
    sign_in(page, username, DEMO_PASSWORD)
    page.wait_for_url("**/")


def _continue(page):
    page.get_by_test_id("save-next").click()
    page.wait_for_load_state()
    assert "有内容无法保存" not in page.content()


def fill_application(page, tag):
    """The registrar fills every section of 附件3 and 附件4 through the forms, then submits."""
    page.get_by_role("link", name="新建备案申请").first.click()
    page.get_by_role("button", name="开始填报").click()
    page.wait_for_url("**/edit/basic/")
    assert page.input_value("#id_uscc")  # prefilled from the institution's record
    page.fill("#id_unit_address", "安徽省芜湖市文津西路8号")
    page.fill("#id_head_name", "王校长")
    page.fill("#id_head_phone", "0553-5971234")
    page.fill("#id_org_head_name", "李处长")
    page.fill("#id_org_head_phone", "13905530001")
    page.fill("#id_org_contact_name", "赵老师")
    page.fill("#id_org_contact_phone", "13905530002")
    page.fill("#id_contact_email", "skills@example.edu.cn")
    shot(page, f"track_b-{tag}-1-basic")
    _continue(page)
    # 二: two majors, the second added inline
    page.fill("#id_majors-0-major_name", "新能源汽车技术")
    page.select_option("#id_majors-0-occupation", label="4-12-01-01 汽车维修工")
    page.fill("#id_majors-0-job_type", "--")
    page.fill("#id_majors-0-item_writers", "3")
    page.fill("#id_majors-0-examiners_count", "2")
    page.get_by_test_id("add-majors").click()
    page.fill("#id_majors-1-major_name", "电气自动化技术")
    page.select_option("#id_majors-1-occupation", label="6-31-01-03 电工")
    page.fill("#id_majors-1-job_type", "--")
    page.fill("#id_majors-1-item_writers", "2")
    page.fill("#id_majors-1-examiners_count", "2")
    shot(page, f"track_b-{tag}-2-majors")
    _continue(page)
    page.fill("#id_regulations-0-title", "职业技能等级认定工作管理办法")
    page.set_input_files("#id_regulations-0-file", files=[{"name": "管理办法.pdf", "mimeType": "application/pdf",
                                                            "buffer": PDF}])
    _continue(page)
    page.fill("#id_advantages", "重点建设新能源汽车技术、电气自动化技术专业，与奇瑞汽车共建实训基地。")
    _continue(page)
    page.fill("#id_venues", "理论考试机房2间，实操考核车间2个。")
    page.fill("#id_exam_it", "考务管理系统1套，考场视频监控全覆盖。")
    page.fill("#id_equipment-0-name", "新能源汽车实训台")
    page.fill("#id_equipment-0-brand", "奇瑞")
    page.fill("#id_equipment-0-spec", "EQ1-T")
    page.fill("#id_equipment-0-quantity", "6")
    page.fill("#id_equipment-0-ownership", "自有")
    _continue(page)
    people = [("staff", "赵敏", "19850312", "021", {"title": "科长", "education": "硕士研究生", "duties": "考务管理"}),
              ("experts", "孙立", "19760910", "045", {"employer": "本校", "title": "教授", "education": "博士研究生",
                                                    "specialty": "车辆工程"}),
              ("examiners", "周强", "19800115", "057", {"employer": "本校", "title": "高级技师",
                                                      "education": "大学本科", "domain": "汽车维修工"})]
    for prefix, name, birth, seq, extra in people:
        page.fill(f"#id_{prefix}-0-name", name)
        page.fill(f"#id_{prefix}-0-id_number", fake_ric("340202", birth, seq))
        for field, value in extra.items():
            page.fill(f"#id_{prefix}-0-{field}", value)
        if prefix == "examiners":
            page.get_by_test_id("add-examiners").click()
            page.fill("#id_examiners-1-name", "吴刚")
            page.fill("#id_examiners-1-id_number", fake_ric("340202", "19810101", "068"))
            for field, value in extra.items():
                page.fill(f"#id_examiners-1-{field}", value)
        _continue(page)
    page.fill("#id_other_info", "无。")
    page.check("#id_declaration")
    _continue(page)
    page.select_option("#id_attachments-0-category", "qualification")
    page.fill("#id_attachments-0-title", "考评人员职业资格证书")
    page.set_input_files("#id_attachments-0-file", files=[{"name": "证书.pdf", "mimeType": "application/pdf",
                                                            "buffer": PDF}])
    _continue(page)
    # 附件4 四: the subjects and pass marks of each occupation (the sessions take their pass marks from here).
    marks = [("4-12-01-01 汽车维修工", "theory"), ("4-12-01-01 汽车维修工", "practical"), ("6-31-01-03 电工", "theory")]
    for i, (occupation, subject) in enumerate(marks):
        if i:
            page.get_by_test_id("add-pass_standards").click()
        page.select_option(f"#id_pass_standards-{i}-occupation", label=occupation)
        page.select_option(f"#id_pass_standards-{i}-subject", subject)
        page.fill(f"#id_pass_standards-{i}-pass_mark", "60")
    _continue(page)
    page.select_option("#id_target_level", label="三级/高级工")
    for field, text in [("basic", "在校生9000人，应用型专业12个。"), ("training", "课程对接国家职业标准，以高级工为培养目标。"),
                        ("duties", "成立认定工作领导小组，建立内部质量控制制度。"),
                        ("evaluation_design", "理论机考，实操现场考核，60分合格。"), ("commitment", "严格执行国家职业技能标准。")]:
        page.fill(f"#id_{field}", text)
    page.fill("#id_signatory", "王校长")
    _continue(page)
    page.wait_for_url("**/submit/")
    checklist = page.get_by_test_id("checklist").inner_text()
    assert "未填写" not in checklist, checklist
    shot(page, f"track_b-{tag}-3-checklist")
    page.get_by_test_id("submit").click()
    page.wait_for_load_state()
    assert "已提交" in page.get_by_test_id("state").inner_text()


def form_panel(page, experts, leader):
    page.get_by_test_id("panel-link").click()
    for username in experts:
        page.get_by_test_id(f"expert-{username}").check()
    page.get_by_test_id(f"leader-{leader}").check()
    page.get_by_test_id("assign").click()
    page.wait_for_load_state()


def sign_as(page, username, *, leader=False):
    _login(page, username)
    # The expert's dashboard also lists Track A groups and committee meetings: take the 评估论证 task.
    page.locator('section[data-role="expert"]').get_by_role("link", name=re.compile("^评估论证：")).first.click()
    if leader:
        page.fill("#id_evaluated_on", "2026-11-20")
        for field in ("organisation", "basic", "courses", "occupations_text", "opinion"):
            page.fill(f"#id_{field}", f"{field}：经材料审查与实地查看，符合要求。")
        for select in page.locator("select[name^=conclusion_]").all():
            select.select_option("3")
        page.get_by_test_id("save-report").click()
        page.wait_for_load_state()
        shot(page, "track_b-report-leader")
    page.get_by_test_id("sign").click()
    page.wait_for_load_state()
    assert "已签字确认" in page.content()


def file_it(page, official):
    _login(page, official)
    page.get_by_role("link", name=re.compile("职业技术学院|科学技术大学")).first.click()
    page.get_by_test_id("file-link").click()
    shot(page, "track_b-file-form")
    page.get_by_test_id("file").click()
    page.wait_for_load_state()
    code = page.get_by_test_id("filing-code").inner_text()
    assert CODE.fullmatch(code), code
    return code


def download_receipt(page, registrar, code, tmp_path, tag):
    _login(page, registrar)
    dashboard = page.locator('section[data-role="university_staff"]').inner_text()
    assert f"备案编号 {code}" in dashboard and "汽车维修工（三级/高级工）" in dashboard
    shot(page, f"track_b-{tag}-9-dashboard-filed")
    page.get_by_role("link", name=re.compile(f"备案编号 {code}")).click()
    with page.expect_download() as info:
        page.get_by_test_id("receipt-link").click()
    path = tmp_path / f"receipt-{tag}.pdf"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert code in text and "职业技能等级认定机构备案回执" in "".join(text.split())
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path),
                    str(SHOTS / f"track_b-{tag}-receipt")], check=False)


def test_municipal_college_files_with_the_city_hrss(demo, page, tmp_path):
    _login(page, "univ_wuhu")
    fill_application(page, "wuhu")
    assert "芜湖市人力资源和社会保障局" in page.get_by_test_id("authority").inner_text()
    _login(page, "city_hrss_wuhu")
    page.locator('section[data-role="city_hrss"]').get_by_role("link", name="芜湖职业技术学院").click()
    shot(page, "track_b-wuhu-4-official-detail")
    page.get_by_test_id("accept").click()
    page.wait_for_load_state()
    assert "已受理" in page.get_by_test_id("state").inner_text()
    # 校内专家: expert5 is employed by the school (as the expert pool records it) and may sit, within a third
    form_panel(page, ["expert5", "expert2"], "expert2")
    assert "校外专家不少于三分之二" in page.get_by_test_id("panel-errors").inner_text()
    share = page.get_by_test_id("external-share")
    assert "校外专家 1 名" in share.inner_text() and share.get_attribute("data-ok") == "false"
    shot(page, "track_b-wuhu-5-panel-refused")
    page.get_by_test_id("expert-expert3").check()  # the share follows the ticks, before anything is sent
    assert "校外专家 2 名" in share.inner_text() and share.get_attribute("data-ok") == "true"
    page.get_by_test_id("assign").click()
    page.wait_for_load_state()
    assert "专家评估论证中" in page.get_by_test_id("state").inner_text()
    sign_as(page, "expert2", leader=True)
    for username in ("expert3", "expert5"):
        sign_as(page, username)
    shot(page, "track_b-wuhu-6-all-signed")
    code = file_it(page, "city_hrss_wuhu")
    shot(page, "track_b-wuhu-7-filed")
    download_receipt(page, "univ_wuhu", code, tmp_path, "wuhu")


def test_ministry_school_lands_with_the_provincial_hrss(demo, page, tmp_path):
    _login(page, "univ_ustc")
    fill_application(page, "ustc")
    assert "安徽省人力资源和社会保障厅" in page.get_by_test_id("authority").inner_text()
    _login(page, "city_hrss_hefei")
    assert "中国科学技术大学" not in page.locator('section[data-role="city_hrss"]').inner_text()
    _login(page, "prov_hrss")
    page.locator('section[data-role="provincial_hrss"]').get_by_role("link", name="中国科学技术大学").click()
    page.get_by_test_id("accept").click()
    page.wait_for_load_state()
    form_panel(page, ["expert", "expert2", "expert6"], "expert")
    assert "专家评估论证中" in page.get_by_test_id("state").inner_text()
    sign_as(page, "expert", leader=True)
    for username in ("expert2", "expert6"):
        sign_as(page, username)
    code = file_it(page, "prov_hrss")
    download_receipt(page, "univ_ustc", code, tmp_path, "ustc")


def test_registrar_pages_fit_a_phone(demo, phone):
    sign_in(phone, "univ_wuhu", DEMO_PASSWORD)
    phone.wait_for_url("**/")
    phone.get_by_role("link", name="新建备案申请").first.click()
    phone.get_by_role("button", name="开始填报").click()
    for section in ("basic", "majors", "staff"):
        phone.goto(re.sub(r"/edit/\w+/$", f"/edit/{section}/", phone.url))
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{section}: page is {width}px wide on a 390px phone"
        shot(phone, f"track_b-phone-{section}")
    phone.goto(phone.url.split("/edit/")[0] + "/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "track_b-phone-detail")
