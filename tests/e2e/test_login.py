"""Each demo role signs in and sees its own dashboard; a wrong password and the lockout say why."""

import pytest

from portal.demo import ACCOUNTS, DEMO_PASSWORD, load_demo
from portal.models import Role
from tests.e2e.conftest import shot, sign_in

EXPECTED_PANEL = {
    Role.SITE_ADMIN: "系统管理", Role.UNIVERSITY_STAFF: "本校申请", Role.CITY_HRSS: "待办审核",
    Role.CITY_EDUCATION: "待会审的试点申请", Role.PROVINCIAL_HRSS: "待办审核",
    Role.PROVINCIAL_EDUCATION: "待论证的试点申请", Role.EXPERT: "我的评审任务", Role.STUDENT: "我的职称资格",
}
ONE_PER_ROLE = list({role: username for username, _name, role, _scope in ACCOUNTS}.items())


@pytest.fixture
def demo(transactional_db):
    load_demo()


@pytest.mark.parametrize("role, username", ONE_PER_ROLE, ids=[r for r, _u in ONE_PER_ROLE])
def test_each_demo_role_reaches_its_dashboard(role, username, demo, page):
    sign_in(page, username, DEMO_PASSWORD)
    page.wait_for_url("**/")
    section = page.locator(f'section[data-role="{role}"]')
    section.wait_for()
    assert EXPECTED_PANEL[role] in section.inner_text()
    shot(page, f"dashboard-{role}")
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/**")


def test_wrong_password_and_lockout(demo, page, settings):
    sign_in(page, "univ", "wrong-password")
    error = page.locator('[data-testid="login-error"]')
    assert "用户名或密码错误" in error.inner_text()
    shot(page, "login-wrong-password")
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in(page, "univ", "wrong-password")
    sign_in(page, "univ", DEMO_PASSWORD)  # the right password, too late: the same message (issue 14)
    error = page.locator('[data-testid="login-error"]').inner_text()
    assert "用户名或密码错误" in error and "联系系统管理员解锁" in error
    assert "/accounts/login/" in page.url
    shot(page, "login-locked")


def test_dashboard_on_a_phone(demo, phone):
    sign_in(phone, "student", DEMO_PASSWORD)
    phone.wait_for_url("**/")
    phone.locator('section[data-role="student"]').wait_for()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"
    shot(phone, "dashboard-student-phone")
