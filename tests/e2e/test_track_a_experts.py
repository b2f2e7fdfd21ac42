"""The provincial review of a 附件1 application in real Chromium, done by the people 通知 三(一)2(3) names
("省教育厅会同省人社厅组织专家进行论证和实地评估"): the provincial education department proposes the expert group, the
provincial HRSS confirms it and adds an expert, each expert signs in, reads the application, scores it and writes an
opinion, the leader reports the document review and every expert signs (an edit clears the signatures); the
education department acts on the signed report; the group visits, the leader records what was seen, all sign; both
provincial offices then recognise the school. The expert's pages also work on a 390 px phone."""


import pytest

from applications.track_a.models import State
from tests.conftest import PASSWORD
from tests.e2e.conftest import pilot_school, shot, sign_in
from tests.track_a import factories as f


@pytest.fixture
def at_province(transactional_db, settings, tmp_path):
    w = pilot_school(settings, tmp_path)
    w.pool = f.expert_pool(w)  # pool0 周正高, pool1 吴副高, pool2 郑副高, pool3 王正高, pool4 冯中级 …
    w.app = f.application_in(w, State.AT_PROVINCE)
    return w


def as_user(page, username):
    page.context.clear_cookies()
    sign_in(page, username, PASSWORD)
    page.wait_for_url("**/")


def group_page(page, w):
    page.goto(f"/pilot/{w.app.pk}/experts/")
    page.wait_for_selector("h1:has-text('论证专家组')")


def sign(page, w, kind):
    group_page(page, w)
    page.click(f'[data-testid="sign-{kind}"]')
    page.wait_for_selector("text=已签字")


def test_experts_review_visit_and_sign(at_province, page, phone):
    w = at_province
    leader, member1, member2, added = w.pool[0], w.pool[1], w.pool[2], w.pool[3]

    # --- 省教育厅 proposes the group from the pool ------------------------------------------------------------------
    as_user(page, "prov_edu")
    page.goto(f"/pilot/{w.app.pk}/")
    page.click('[data-testid="expert-group"]')
    page.click('[data-testid="propose"]')
    for expert in (leader, member1, member2):
        page.check(f'[name="experts"][value="{expert.pk}"]')
    page.select_option('[name="leader"]', str(leader.pk))
    shot(page, "track_a_experts-01-proposed")
    page.click('[data-testid="confirm"]')
    page.wait_for_selector("text=已提出论证专家组")
    assert "待省人社厅确认" in page.inner_text('[data-testid="group-state"]')

    # --- 省人社厅 confirms it, adding an expert ------------------------------------------------------------------------
    as_user(page, "prov_hrss")
    page.click('section[data-role="provincial_hrss"] a:has-text("安徽工业大学")')
    page.click('[data-testid="confirm-group"]')
    page.check(f'[name="add"][value="{added.pk}"]')
    page.click('[data-testid="confirm"]')
    page.wait_for_selector("text=已确认论证专家组")
    assert "省人社厅增加" in page.inner_text('[data-testid="group-members"]')

    # --- each expert signs in, reads 附件1, scores and writes an opinion -------------------------------------------------
    for i, (expert, score) in enumerate(((leader, 88), (member1, 82), (member2, 79), (added, 90))):
        as_user(page, expert.user.username)
        page.click('section[data-role="expert"] a:has-text("安徽工业大学")')
        page.click('[data-testid="read-application"]')
        page.wait_for_selector('[data-testid="state"]')
        assert "车辆工程" in page.content()  # the application itself, with its attachments
        group_page(page, w)
        page.click('[data-testid="my-opinion"]')
        page.fill('[name="score"]', str(score))
        page.fill('[name="opinion"]', f"{expert.user.full_name}：建设方案目标明确，双导师制设计合理。")
        if i == 0:
            shot(page, "track_a_experts-02-opinion")
        page.click('[data-testid="confirm"]')
        page.wait_for_selector("text=个人论证意见已保存")

    # --- the leader reports; everyone signs; an edit clears the signatures ------------------------------------------
    as_user(page, leader.user.username)
    group_page(page, w)
    page.click('[data-testid="edit-review"]')
    page.fill('[name="held_on"]', "2024-06-12")
    page.fill('[name="summary"]', "方案可行，同意进入实地评估。")
    page.check('[name="conclusion"][value="pass"]')
    page.click('[data-testid="confirm"]')
    page.wait_for_selector("text=报告已保存")
    sign(page, w, "review")
    as_user(page, member1.user.username)
    sign(page, w, "review")
    as_user(page, leader.user.username)
    group_page(page, w)
    page.click('[data-testid="edit-review"]')
    page.fill('[name="summary"]', "方案可行，建议补充实训基地清单，同意进入实地评估。")
    page.click('[data-testid="confirm"]')
    page.wait_for_selector("text=原有签字已清除")
    for expert in (leader, member1, member2, added):
        as_user(page, expert.user.username)
        sign(page, w, "review")
    assert page.is_visible('[data-testid="signed-review"]')
    shot(page, "track_a_experts-03-review-signed")

    # --- 省教育厅 acts on the signed report: it types nothing of the conclusion -------------------------------------------
    as_user(page, "prov_edu")
    page.goto(f"/pilot/{w.app.pk}/")
    page.click("text=按专家论证报告办理")
    assert "建议补充实训基地清单" in page.inner_text('[data-testid="signed-report"]')
    page.click('[data-testid="confirm"]')
    page.wait_for_selector("text=已办理")
    assert "专家论证通过" in page.inner_text('[data-testid="state"]')

    # --- the visit: the leader records it, everyone signs, the office records the evaluation -------------------------
    as_user(page, leader.user.username)
    group_page(page, w)
    page.click('[data-testid="edit-site"]')
    page.fill('[name="held_on"]', "2024-07-03")
    for name, text in (("seen", "查看实训基地和合作企业生产线，与企业导师、学生座谈"), ("training_model", "校企双导师联合培养"),
                       ("foundations", "实训条件完善"), ("policy_support", "市政府出台配套政策"),
                       ("guarantees", "经费、场地、师资到位"), ("summary", "具备试点条件，建议认定。")):
        page.fill(f'[name="{name}"]', text)
    page.check('[name="conclusion"][value="recommend"]')
    page.click('[data-testid="confirm"]')
    page.wait_for_selector("text=报告已保存")
    for expert in (leader, member1, member2, added):
        as_user(page, expert.user.username)
        sign(page, w, "site")
    as_user(page, "prov_edu")
    page.goto(f"/pilot/{w.app.pk}/")
    page.click("text=按实地评估报告办理")
    page.click('[data-testid="confirm"]')
    page.wait_for_selector("text=已办理")
    assert "实地评估完成" in page.inner_text('[data-testid="state"]')
    shot(page, "track_a_experts-04-visited")

    # --- both provincial offices recognise --------------------------------------------------------------------------
    for username, office in (("prov_edu", "provincial_education"), ("prov_hrss", "provincial_hrss")):
        as_user(page, username)
        page.goto(f"/pilot/{w.app.pk}/")
        card = page.locator(f'[data-testid="recognition-{office}"]')
        card.locator('[name="decision"][value="recognise"]').check()
        card.locator("button").click()
        page.wait_for_selector("text=已办理")
    assert "已认定为试点单位" in page.inner_text('[data-testid="state"]')

    # --- an expert's pages on a 390 px phone ------------------------------------------------------------------------
    as_user(phone, member1.user.username)
    for path in (f"/pilot/{w.app.pk}/experts/", f"/pilot/{w.app.pk}/", "/"):
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px phone"
    phone.goto(f"/pilot/{w.app.pk}/experts/")
    shot(phone, "track_a_experts-05-group-phone")
