"""Two-factor sign-in in the browser (issue 17 item 3): an official enrols an authenticator from the QR code,
signs out, cannot get past the second step without a code, signs in with one; a recovery code works once."""

import time
from base64 import b32decode

from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import AuditLog, Role
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import shot, submit_code, submit_password
from tests.otp import next_code


def phone_app_code(secret_text):
    """What an authenticator app shows for the key typed from the page (base32, grouped by four)."""
    key = b32decode(secret_text.replace(" ", "") + "=" * (-len(secret_text.replace(" ", "")) % 8))
    return f"{hotp(key, int(time.time()) // 30):06d}"


def sign_out(page):
    page.get_by_role("button", name="退出").first.click()
    page.wait_for_url("**/accounts/login/**")


def held_at_second_step(page):
    return "/accounts/two-factor/" in page.url and page.locator("#id_otp_token").is_visible()


def test_an_official_enrols_and_then_signs_in_with_a_code_or_a_recovery_code(transactional_db, page):
    official = make_user("tf_city", Role.CITY_HRSS, city_id="3405")

    # First sign-in: the password leads to enrolment, with the QR code drawn inline (no script, no image file).
    submit_password(page, "tf_city", PASSWORD)
    assert "/accounts/two-factor/setup/" in page.url
    assert page.locator('[data-testid="otp-qr"] svg path').count() == 1
    shot(page, "two-factor-enrol")
    submit_code(page, phone_app_code(page.locator('[data-testid="otp-secret"]').inner_text()))
    codes = [c.strip() for c in page.locator('[data-testid="recovery-codes"] li').all_inner_texts()]
    assert len(codes) == 10 and len(set(codes)) == 10
    shot(page, "two-factor-recovery-codes")
    page.click("text=我已保存，继续")
    page.wait_for_url("**/")
    assert page.locator('section[data-role="city_hrss"]').is_visible()
    device = TOTPDevice.objects.get(user=official, confirmed=True)
    sign_out(page)

    # The password alone: every page, the admin too, leads back to the second step.
    submit_password(page, "tf_city", PASSWORD)
    assert held_at_second_step(page)
    for path in ("/", "/inbox/", "/admin/"):
        page.goto(path)
        assert held_at_second_step(page), path
    shot(page, "two-factor-verify")

    # With the authenticator's code: in.
    submit_code(page, next_code(device))
    assert "/admin/" in page.url and not held_at_second_step(page)  # on to the page that was asked for
    page.goto("/")
    assert page.locator('section[data-role="city_hrss"]').is_visible()
    sign_out(page)

    # A recovery code instead of the phone: once.
    submit_password(page, "tf_city", PASSWORD)
    submit_code(page, codes[0])
    page.goto("/")
    assert page.locator('section[data-role="city_hrss"]').is_visible()
    sign_out(page)
    submit_password(page, "tf_city", PASSWORD)
    submit_code(page, codes[0])
    assert held_at_second_step(page)
    assert "验证码错误或已使用过" in page.locator('[data-testid="code-error"]').inner_text()
    submit_code(page, "000000")
    assert held_at_second_step(page)
    page.goto("/")
    assert held_at_second_step(page)
    shot(page, "two-factor-refused")

    assert list(AuditLog.objects.filter(actor_name="tf_city", action__startswith="otp_")
                .order_by("id").values_list("action", flat=True)) == [
        "otp_enrolled", "otp_verified", "otp_verified", "otp_failed", "otp_failed"]
