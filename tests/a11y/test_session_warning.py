"""The idle timeout warns first (issue 18 item 5; WCAG 2.2.1 Timing Adjustable): two minutes before the session
would end, a modal dialog with the focus on 继续使用 offers to stay signed in — Enter extends the session on the
server — and, on a long form (附件3 here), to save the draft. The browser's clock is Playwright's, run forward."""

import time

from django.conf import settings

from tests.a11y.pages import Page, opened
from tests.portal.test_access_matrix import CASES

FOCUSED_TEXT = "() => document.activeElement.textContent.trim()"


def _filing_edit_page():
    return Page("附件3 form", "university_staff", next(c for c in CASES if c.name == "track_b:edit"))


def test_dialog_before_the_idle_timeout_extends_the_session(db, portal):
    phone = portal(390, 844)
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    with opened(_filing_edit_page()) as (_world, url, client):
        phone.page.clock.install()
        phone.serve(client)
        phone.page.goto(url)
        dialog = phone.page.get_by_role("dialog", name="即将自动退出登录")
        phone.page.clock.run_for(int((idle - 125) * 1000))
        assert not dialog.is_visible()
        # The server saw this user last 28 minutes ago.
        session = client.session
        session["_last_seen"] = time.time() - (idle - 120)
        session.save()
        phone.page.clock.run_for(10_000)
        assert dialog.is_visible()
        assert phone.page.evaluate(FOCUSED_TEXT) == "继续使用"
        assert dialog.get_by_role("button", name="保存草稿").is_visible()  # the form's draft can be kept
        phone.page.keyboard.press("Enter")
        dialog.wait_for(state="hidden")
        assert time.time() - client.session["_last_seen"] < 60  # the idle clock started again


def test_save_draft_from_the_dialog_submits_the_forms_draft_button(db, portal):
    phone = portal(390, 844)
    with opened(_filing_edit_page()) as (_world, url, client):
        phone.page.clock.install()
        phone.serve(client)
        phone.page.goto(url)
        phone.page.clock.run_for(int((settings.SESSION_IDLE_TIMEOUT.total_seconds() - 110) * 1000))
        with phone.page.expect_navigation():
            phone.page.get_by_role("dialog").get_by_role("button", name="保存草稿").click()
        assert "已保存草稿" in phone.page.content()


def test_extend_endpoint_touches_the_session(world, client):
    client.force_login(world.staff)
    session = client.session
    session["_last_seen"] = time.time() - 600
    session.save()
    response = client.post("/accounts/session/extend/")
    assert response.status_code == 200 and response.json()["idle_seconds"] == int(settings.SESSION_IDLE_TIMEOUT.total_seconds())
    assert time.time() - client.session["_last_seen"] < 60
