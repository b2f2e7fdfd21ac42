"""A registrar downloads the template, imports a file with an error, reads the Chinese error, fixes it,
imports, evaluates the cohort and hands out activation codes; the student activates, signs in and sees
their verdict and the what-if panel — on a desktop and on a 390 px phone."""

import random

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from evaluation.demo import make_ric
from evaluation.models import Graduate, StoredVerdict
from portal.demo import DEMO_PASSWORD, load_demo
from tests.e2e.conftest import SHOTS, shot, sign_in

STUDENT_PASSWORD = "Graduate#2025ok"


@pytest.fixture
def demo(transactional_db):
    load_demo()


def _row(number, name, id_number, **extra):
    row = {"学号": number, "姓名": name, "性别": "男", "身份证号": id_number, "毕业年份": "2025", "学历层次": "本科",
           "专业": "车辆工程", "是否试点专业": "是", "是否取得毕业证": "是", "是否取得学位证": "是",
           "企业实践累计月数": "3", "专业排名百分比": "35", "毕业设计成绩": "良好", "全国计算机等级": "1",
           "就业单位": "马鞍山钢铁股份有限公司", "是否省内就业": "是", "是否签订三方协议": "是", "是否已到岗": "是",
           "到岗日期": "2025-07-15"}
    row.update(extra)
    return row


def _fill(template, target, rows):
    wb = load_workbook(template)
    ws = wb.active
    headers = [c.value for c in ws[1]]
    for r, row in enumerate(rows, 2):
        for c, header in enumerate(headers, 1):
            ws.cell(row=r, column=c, value=row.get(header, ""))
    wb.save(target)
    return target


def test_registrar_imports_evaluates_and_the_student_sees_the_verdict(demo, page, phone, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # uploads and evidence stay out of the working tree
    rng = random.Random(5)
    good_id = make_ric(rng, male=True, birth="20030315")
    rows = [_row("2025000001", "周明远", good_id),
            _row("2025000002", "吴思远", good_id[:-1] + ("0" if good_id[-1] != "0" else "1"), 学历层次="本科"),
            _row("2025000003", "郑一鸣", make_ric(rng, male=True), 企业实践累计月数="0.5")]

    # The registrar downloads the template and fills it — with one wrong ID number.
    sign_in(page, "univ", DEMO_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/graduates/import/")
    with page.expect_download() as download:
        page.click('[data-testid="template-xlsx"]')
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    shot(page, "graduates-import-start")
    bad_file = _fill(template, tmp_path / "2025届成绩单.xlsx", rows)
    page.set_input_files('input[type="file"]', str(bad_file))
    page.click('[data-testid="import-form"] button[type="submit"]')
    errors = page.locator('[data-testid="errors"]')
    errors.wait_for()
    text = errors.inner_text()
    assert "第3行" in text and "身份证号" in text and "身份证号校验位错误" in text
    assert page.locator('[data-testid="confirm"]').count() == 0
    shot(page, "graduates-import-error")
    assert Graduate.objects.count() == 0

    # Fixed, re-uploaded: the preview counts, then the import.
    rows[1]["身份证号"] = make_ric(rng, male=True)
    good_file = _fill(template, tmp_path / "2025届成绩单-修改.xlsx", rows)
    page.goto("/graduates/import/")
    page.set_input_files('input[type="file"]', str(good_file))
    page.click('[data-testid="import-form"] button[type="submit"]')
    page.locator('[data-testid="confirm"]').wait_for()
    assert page.locator('[data-testid="count-new"]').inner_text() == "3"
    shot(page, "graduates-import-preview")
    page.click('[data-testid="confirm"]')
    page.locator('[data-testid="imported"]').wait_for()
    assert "导入完成：新增3条" in page.content()
    assert Graduate.objects.count() == 3

    # The registrar records 周明远's award, with its certificate.
    page.goto("/graduates/?q=2025000001")
    page.click("text=2025000001")
    page.click("text=登记成果")
    page.select_option("#id_kind", "competition")
    page.fill("#id_title", "校大学生机械创新设计竞赛")
    page.select_option("#id_level", "school")
    page.fill("#id_rank", "2")
    certificate = tmp_path / "award.pdf"
    certificate.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.set_input_files("#id_evidence", str(certificate))
    page.click("form[action$='/achievements/'] button[type=submit]")
    page.locator('[data-testid="achievements"]', has_text="校大学生机械创新设计竞赛").wait_for()
    shot(page, "graduates-record-staff")

    # The cohort evaluation, with its progress page.
    page.goto("/graduates/evaluations/")
    page.click('[data-testid="run-form"] button[type="submit"]')
    page.wait_for_url("**/graduates/evaluations/*/")
    expect(page.locator("#run-status")).to_contain_text("已完成", timeout=60_000)  # no eval: the page's CSP
    assert page.locator('[data-testid="run-counts"] [data-level="technician"]').inner_text() == "1"
    assert page.locator('[data-testid="run-counts"] [data-level="none"]').inner_text() == "2"
    shot(page, "graduates-run-done")
    assert StoredVerdict.objects.count() == 3
    page.goto("/graduates/?year=2025")
    shot(page, "graduates-list")

    # Student accounts: one-time codes, shown once.
    page.goto("/graduates/accounts/")
    page.click('[data-testid="accounts-form"] button[type="submit"]')
    codes = page.locator('[data-testid="codes"]')
    codes.wait_for()
    row = codes.locator("tr", has_text="2025000001")
    code = row.locator("td.code").inner_text().strip()
    shot(page, "graduates-activation-codes")
    page.click("text=退出")

    # The student activates on a phone and sees their own verdict.
    phone.goto("/graduates/activate/")
    phone.fill("#id_student_number", "2025000001")
    phone.fill("#id_id_number", good_id)
    phone.fill("#id_code", code)
    phone.fill("#id_password1", STUDENT_PASSWORD)
    phone.fill("#id_password2", STUDENT_PASSWORD)
    shot(phone, "graduates-activate-phone")
    phone.click("form button[type=submit]")
    phone.wait_for_url("**/accounts/login/**")
    sign_in(phone, "2025000001", STUDENT_PASSWORD)
    phone.wait_for_url("**/")
    section = phone.locator('section[data-role="student"]')
    section.wait_for()
    assert "我的职称资格" in section.inner_text() and "技术员" in section.inner_text()
    phone.goto("/graduates/me/")
    verdict = phone.locator('[data-testid="verdict"]')
    assert phone.locator('[data-testid="verdict-level"]').inner_text() == "技术员"
    assert "附件2 一(八)3" in verdict.inner_text() and "学校于" in verdict.inner_text()
    assert "吴思远" not in phone.content() and "郑一鸣" not in phone.content()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"
    shot(phone, "graduates-student-verdict-phone")

    # What if: one more month of practice and a 四级 certificate make 助理工程师; nothing is saved.
    phone.check('input[value="practice_4"]')
    phone.check('input[value="skill_4"]')
    result = phone.locator('[data-testid="whatif-result"]')
    expect(result).to_contain_text("助理工程师")
    assert "附件2 一(八)2(2)" in result.inner_text()
    phone.locator('input[value="skill_4"]').scroll_into_view_if_needed()
    phone.screenshot(path=str(SHOTS / "graduates-student-whatif-phone-viewport.png"))  # what the student sees
    shot(phone, "graduates-student-whatif-phone")
    assert StoredVerdict.objects.get(graduate__student_number="2025000001").level == "technician"
