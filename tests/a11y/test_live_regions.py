"""Results are announced and take the focus (issue 18 item 4; WCAG 4.1.3 Status Messages, 2.4.3 Focus Order):
the QR signature verdict on /v/<id> and in the offline verifier is a role=status live region that the focus moves
to once the verdict is in; the verify form's 未找到 is a role=alert that has the focus when the page loads."""

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from certificates import qr
from tests.a11y.pages import fresh_world
from tests.certificates.world import certificate_world

FOCUSED = "el => el === document.activeElement"


def test_verify_form_not_found_is_an_alert_with_the_focus(db, portal):
    phone = portal(390, 844)
    with fresh_world():
        phone.serve(Client())
        phone.page.goto(reverse("certificates:verify"))
        phone.page.fill("#id_number", "Y000034000017269999")
        phone.page.fill("#id_name", "无此人")
        phone.page.click("button[type=submit]")
        result = phone.page.locator('[data-testid="not-found"]')
        result.wait_for()
        assert result.get_attribute("role") == "alert" and "未找到" in result.inner_text()
        assert result.evaluate(FOCUSED)


def test_qr_verdict_on_the_status_page_is_a_status_with_the_focus(db, portal):
    phone = portal(390, 844)
    # The /v/ page is cached by certificate (issue 16); a page cached by an earlier test for a certificate that
    # its rolled-back world numbered the same way must not answer for this one.
    cache.clear()
    with fresh_world() as world:
        cert = certificate_world(world).cert
        phone.serve(Client())
        link = qr.qr_text(cert)
        phone.page.goto(link[link.index("/v/"):])
        verdict = phone.page.locator('#offline-check [data-role="verdict"]')
        phone.page.wait_for_function("document.querySelector('#offline-check [data-role=verdict]').dataset.result")
        assert verdict.get_attribute("role") == "status" and verdict.get_attribute("data-result") == "ok"
        assert verdict.evaluate(FOCUSED)


def test_offline_verdict_is_a_status_with_the_focus(db, portal):
    phone = portal(390, 844)
    with fresh_world():
        phone.serve(Client())
        phone.page.goto(reverse("certificates:offline"))
        phone.page.fill("#qr-text", "https://example.invalid/v/abc#not-a-signed-payload")
        phone.page.click('[data-role="check"]')
        verdict = phone.page.locator('[data-role="verdict"]')
        phone.page.wait_for_function("document.querySelector('[data-role=verdict]').dataset.result")
        assert verdict.get_attribute("role") == "status" and verdict.get_attribute("data-result") == "bad"
        assert "签名核验未通过" in verdict.inner_text() and verdict.evaluate(FOCUSED)
