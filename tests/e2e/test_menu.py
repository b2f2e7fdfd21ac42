"""The menu on a phone (issue 18 item 1, WCAG 2.1.1/4.1.2): a real button with aria-expanded, reached by Tab,
opens the navigation so that keyboard and screen-reader users reach 退出; a skip link leads to the content."""

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import shot, sign_in


def _tab_to(page, predicate, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate):
            return True
    return False


def test_phone_menu_is_a_button_that_keyboard_users_reach(transactional_db, phone):
    make_user("menu_user")
    sign_in(phone, "menu_user", PASSWORD)
    phone.wait_for_url("**/")
    toggle = phone.get_by_role("button", name="☰ 菜单")
    logout = phone.get_by_role("button", name="退出")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not logout.is_visible()  # collapsed on a narrow screen
    # The first Tab stop is the skip link; Tab reaches the ☰ button, Enter opens the menu.
    assert _tab_to(phone, "document.activeElement.classList.contains('nav-toggle')")
    phone.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true" and logout.is_visible()
    assert _tab_to(phone, "document.activeElement.textContent.trim() === '退出'")
    shot(phone, "menu-open-390")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/accounts/login/**")


def test_skip_link_and_open_menu_on_a_desktop(transactional_db, page):
    make_user("menu_user2")
    sign_in(page, "menu_user2", PASSWORD)
    page.wait_for_url("**/")
    assert not page.get_by_role("button", name="☰ 菜单").is_visible()
    assert page.get_by_role("button", name="退出").is_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    assert skip.evaluate("el => el === document.activeElement") and skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
