"""Two-factor sign-in (issue 17 item 3): who must pass the second step, enrolment, recovery codes, the lockout,
and the demo device. The browser journey is tests/e2e/test_two_factor.py."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from portal.models import AuditLog
from portal.twofactor import services
from portal.twofactor.models import DEMO_CODE
from tests.conftest import PASSWORD
from tests.otp import enrolled_authenticator, next_code
from tests.portal.test_settings import run_manage

OFFICE = "10.20.30.40"
ELSEWHERE = "198.51.100.4"
REQUIRED = ["university_staff", "city_hrss", "city_education", "provincial_hrss", "provincial_education",
            "site_admin"]
OPTIONAL = ["student", "expert"]
VERIFY = reverse("twofactor_verify")


def password(client, username, secret=PASSWORD, ip=OFFICE):
    return client.post(reverse("login"), {"username": username, "password": secret}, REMOTE_ADDR=ip)


def code(client, value, ip=OFFICE, next_url=""):
    return client.post(VERIFY, {"otp_token": value, "next": next_url}, REMOTE_ADDR=ip)


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("role", REQUIRED)
def test_each_official_role_is_held_at_the_second_step(role, world):
    client = Client()
    assert password(client, world.by_role[role].username).status_code == 302
    for path in (reverse("home"), reverse("inbox"), "/admin/", reverse("twofactor_account")):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), (path, response)
    # No authenticator yet: the second step is its enrolment.
    response = client.get(VERIFY)
    assert response.status_code == 302 and response["Location"].startswith(reverse("twofactor_setup"))
    setup = client.get(reverse("twofactor_setup"))
    assert setup.status_code == 200 and "<svg" in setup.content.decode()


@pytest.mark.parametrize("role", OPTIONAL)
def test_students_and_experts_are_not_forced(role, world):
    client = Client()
    password(client, world.by_role[role].username)
    assert client.get(reverse("home")).status_code == 200
    assert "未启用" in client.get(reverse("twofactor_account")).content.decode()


def test_a_student_who_enrolled_is_asked_for_the_code(world):
    device, _ = enrolled_authenticator(world.student)
    client = Client()
    password(client, "student")
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)
    assert code(client, next_code(device)).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_enrolment_shows_an_inline_qr_and_recovery_codes_once(world):
    client = Client()
    password(client, "city_hrss")
    page = client.get(reverse("twofactor_setup"))
    body = page.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body and "<script" not in body.split("<main")[1].split("</main>")[0]
    device = services.pending_authenticator(world.city_hrss)
    assert code(client, "000000")["Location"].startswith(reverse("twofactor_setup"))  # nothing to check yet
    wrong = client.post(reverse("twofactor_setup"), {"otp_token": "12345"})
    assert "验证码不正确" in wrong.content.decode()
    done = client.post(reverse("twofactor_setup"), {"otp_token": next_code(device), "next": reverse("inbox")})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == services.RECOVERY_CODE_COUNT and all(c in done.content.decode() for c in codes)
    assert client.get(reverse("inbox")).status_code == 200
    assert AuditLog.objects.filter(action="otp_enrolled", actor=world.city_hrss).exists()
    # Shown once: the account page tells how many are left, never the codes.
    account = client.get(reverse("twofactor_account")).content.decode()
    assert "剩余恢复码 10 个" in account and codes[0] not in account


def test_an_enrolled_official_cannot_enrol_a_new_phone_before_the_code(world):
    enrolled_authenticator(world.prov_hrss)
    client = Client()
    password(client, "prov_hrss")
    response = client.get(reverse("twofactor_setup"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_a_recovery_code_works_once(world):
    device, codes = enrolled_authenticator(world.staff)
    for attempt, expected in ((codes[0], True), (codes[0], False)):
        client = Client()
        password(client, "staff")
        code(client, attempt.upper().replace("-", " "))  # as typed from paper
        assert (client.get(reverse("home")).status_code == 200) is expected
    entry = AuditLog.objects.get(action="otp_verified")
    assert entry.changes == {"method": "recovery", "recovery_codes_left": 9}


def test_a_code_works_once(world):
    device, _ = enrolled_authenticator(world.staff)
    first, second = Client(), Client()
    password(first, "staff")
    password(second, "staff")
    value = next_code(device)
    assert code(first, value, next_url=reverse("inbox"))["Location"] == reverse("inbox")
    assert code(second, value).status_code == 200 and "验证码错误" in code(second, value).content.decode()


@pytest.mark.parametrize("bad_next", ["https://evil.example/", "//evil.example/x"])
def test_the_next_address_stays_on_the_site(world, bad_next):
    device, _ = enrolled_authenticator(world.staff)
    client = Client()
    password(client, "staff")
    assert code(client, next_code(device), next_url=bad_next)["Location"] == reverse("home")


def test_failed_codes_count_toward_the_login_lockout(world, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    device, _ = enrolled_authenticator(world.city_edu)
    client = Client()
    password(client, "city_edu", "wrong-password")
    password(client, "city_edu", "wrong-password")
    password(client, "city_edu")  # the right password: failures stand while the second step is due
    assert AccessAttempt.objects.get(username="city_edu").failures_since_start == 2
    code(client, "111111")
    code(client, "222222")
    response = code(client, "333333")  # the fifth failure for (city_edu, this address): locked
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert not signed_in(client)
    assert AuditLog.objects.filter(action="otp_failed", actor_name="city_edu").count() == 3
    assert AuditLog.objects.filter(action="account_locked", actor_name="city_edu").count() == 1
    # Locked: the right password is refused from this address, and a right code is not even checked.
    again = Client()
    password(again, "city_edu")
    assert not signed_in(again)
    # The lock is per (user, address): from elsewhere the official still signs in with password and code.
    elsewhere = Client()
    password(elsewhere, "city_edu", ip=ELSEWHERE)
    assert code(elsewhere, next_code(device), ip=ELSEWHERE).status_code == 302
    assert elsewhere.get(reverse("home"), REMOTE_ADDR=ELSEWHERE).status_code == 200


def test_a_locked_pair_is_refused_before_the_code_is_checked(world, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    device, _ = enrolled_authenticator(world.city_edu)
    client = Client()
    password(client, "city_edu")
    for _ in range(2):
        password(Client(), "city_edu", "wrong-password")
    # The third failure comes from a parallel guess at the password; this session's right code is refused.
    password(Client(), "city_edu", "wrong-password")
    response = code(client, next_code(device))
    assert response["Location"] == reverse("login") and not signed_in(client)
    assert AuditLog.objects.filter(action="login_refused_locked", actor_name="city_edu").exists()


def test_a_passed_second_step_clears_the_failures(world):
    device, _ = enrolled_authenticator(world.city_edu)
    client = Client()
    password(client, "city_edu")
    code(client, "111111")
    assert AccessAttempt.objects.filter(username="city_edu").exists()
    code(client, next_code(device))
    assert not AccessAttempt.objects.filter(username="city_edu").exists()
    assert AuditLog.objects.get(action="otp_verified").changes == {"method": "authenticator"}


@pytest.mark.second_step_pending
def test_force_login_without_the_fixture_is_held_too(world, client):
    client.force_login(world.prov_edu)
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)


def test_force_login_counts_as_a_finished_sign_in(world, client):
    client.force_login(world.prov_edu)
    assert client.get(reverse("home")).status_code == 200


def test_an_optional_user_may_turn_it_off_an_official_may_not(world):
    for user, allowed in ((world.student, True), (world.staff, False)):
        device, _ = enrolled_authenticator(user)
        client = Client()
        password(client, user.username)
        code(client, next_code(device))
        client.post(reverse("twofactor_turn_off"))
        assert services.policy.authenticators(user).exists() is not allowed


def test_renewed_recovery_codes_replace_the_old_ones(world):
    device, old = enrolled_authenticator(world.staff)
    client = Client()
    password(client, "staff")
    code(client, next_code(device))
    new = client.post(reverse("twofactor_recovery_codes")).context["codes"]
    assert set(new).isdisjoint(old)
    other = Client()
    password(other, "staff")
    code(other, old[1])
    assert other.get(reverse("home"))["Location"].startswith(VERIFY)
    code(other, new[1])
    assert other.get(reverse("home")).status_code == 200


# --- the demo device -------------------------------------------------------------------------------------------

def _demo_sign_in(world):
    services.add_demo_device(world.prov_hrss)
    client = Client()
    password(client, "prov_hrss")
    page = client.get(VERIFY)
    code(client, DEMO_CODE)
    return client, page


def test_the_demo_code_passes_in_the_demo(world, settings):
    settings.TWO_FACTOR_DEMO = True
    client, page = _demo_sign_in(world)
    assert DEMO_CODE in page.content.decode()
    assert client.get(reverse("home")).status_code == 200
    assert AuditLog.objects.get(action="otp_verified").changes == {"method": "demo"}


def test_the_demo_code_is_refused_outside_the_demo(world, settings):
    settings.TWO_FACTOR_DEMO = False
    client, page = _demo_sign_in(world)
    assert page["Location"].startswith(reverse("twofactor_setup"))  # the demo device does not count
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)


def test_the_demo_code_is_refused_in_production_even_if_switched_on(world, settings):
    settings.TWO_FACTOR_DEMO = True
    settings.PRODUCTION = True
    client, _ = _demo_sign_in(world)
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)


def test_production_settings_refuse_the_demo_switch():
    result = run_manage("check", env_extra={"DJANGO_ENV": "production", "SECRET_KEY": "k" * 60,
                                            "TWO_FACTOR_DEMO": "1"})
    assert result.returncode != 0 and "TWO_FACTOR_DEMO" in result.stderr
