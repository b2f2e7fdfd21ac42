"""Student accounts in bulk with one-time activation codes; activation; a student sees only their own."""

import base64
import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation.models import ActivationCode
from evaluation.services import accounts
from portal.models import AuditLog, Role
from tests.evaluation.factories import GraduateFactory

GOOD_PASSWORD = "Graduate#2025ok"


@pytest.fixture
def cohort(world):
    return [GraduateFactory(institution=world.inst, student_number=f"S{i:03d}") for i in range(3)]


def issue(world, **kwargs):
    return accounts.create_student_accounts(institution=world.inst, actor=world.staff, graduation_year=2025, **kwargs)


def test_bulk_creation_links_one_account_per_record_and_stores_only_hashes(world, cohort):
    issued = issue(world)
    assert len(issued) == 3
    for item in issued:
        item.graduate.refresh_from_db()
        user = item.graduate.user
        assert user.username == item.graduate.student_number and not user.is_active
        assert not user.has_usable_password()
        assert user.roles.get().role == Role.STUDENT and user.roles.get().institution == world.inst
    codes = [i.code for i in issued]
    stored = list(ActivationCode.objects.values_list("code_hash", flat=True))
    assert all(c not in h for c in codes for h in stored)
    assert sorted(stored) == sorted(accounts.hash_code(c) for c in codes)
    assert issue(world) == []  # unused codes are kept; nothing to issue
    again = issue(world, regenerate=True)
    assert len(again) == 3 and get_user_model().objects.filter(roles__role=Role.STUDENT).count() == 4  # +world
    assert ActivationCode.objects.filter(code_hash=accounts.hash_code(codes[0])).count() == 0  # old code void


def test_activation(world, cohort):
    item = issue(world)[0]
    g = item.graduate
    with pytest.raises(ValidationError):
        accounts.activate_account(student_number=g.student_number, id_number=g.id_number, code=item.code,
                                  password="short")
    with pytest.raises(accounts.ActivationError):
        accounts.activate_account(student_number="S999", id_number=g.id_number, code=item.code,
                                  password=GOOD_PASSWORD)
    with pytest.raises(accounts.ActivationError):
        accounts.activate_account(student_number=g.student_number, id_number=cohort[1].id_number, code=item.code,
                                  password=GOOD_PASSWORD)
    user = accounts.activate_account(student_number=g.student_number, id_number=g.id_number.lower(),
                                     code=item.code.lower().replace("-", " "), password=GOOD_PASSWORD)
    assert user.is_active and user.check_password(GOOD_PASSWORD)
    assert AuditLog.objects.filter(action="evaluation.activate_account", actor=user).exists()
    with pytest.raises(accounts.ActivationError):  # one time only
        accounts.activate_account(student_number=g.student_number, id_number=g.id_number, code=item.code,
                                  password=GOOD_PASSWORD)
    assert issue(world, regenerate=True) and all(i.graduate != g for i in issue(world, regenerate=True))


def test_attempts_are_limited(world, cohort):
    item = issue(world)[0]
    g = item.graduate
    for _ in range(accounts.MAX_ATTEMPTS):
        with pytest.raises(accounts.ActivationError):
            accounts.activate_account(student_number=g.student_number, id_number=g.id_number, code="WRONG-CODE-0000",
                                      password=GOOD_PASSWORD, client="1.2.3.4")
    with pytest.raises(accounts.ActivationError, match="尝试次数过多"):
        accounts.activate_account(student_number=g.student_number, id_number=g.id_number, code=item.code,
                                  password=GOOD_PASSWORD, client="1.2.3.4")


def test_pages_print_once_then_activate_and_see_own_record(world, cohort, client):
    client.force_login(world.staff)
    response = client.post(reverse("evaluation:accounts_create"), {"graduation_year": 2025})
    page = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    issued = response.context["issued"]
    assert all(i.code in page for i in issued)
    exported = base64.b64decode(response.context["csv_data"]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(exported)))[1][4] == issued[0].code
    assert all(i.code not in client.get(reverse("evaluation:accounts_create")).content.decode() for i in issued)
    client.logout()
    g = issued[0].graduate
    response = client.post(reverse("evaluation:activate"), {
        "student_number": g.student_number, "id_number": g.id_number, "code": issued[0].code,
        "password1": "abc", "password2": "abc"})
    assert response.status_code == 400 and "密码" in response.content.decode()
    response = client.post(reverse("evaluation:activate"), {
        "student_number": g.student_number, "id_number": g.id_number, "code": issued[0].code,
        "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    # Signing in through the login page (django-axes needs the request: Client.login() does not pass it).
    signed_in = client.post(reverse("login"), {"username": g.student_number, "password": GOOD_PASSWORD})
    assert signed_in.status_code == 302
    page = client.get(reverse("evaluation:my_record")).content.decode()
    assert g.student_number in page and cohort[1].student_number not in page
    assert client.get(reverse("evaluation:graduate_detail", args=[cohort[1].pk])).status_code == 404
    assert client.get(reverse("evaluation:graduate_list")).status_code == 403


def test_staff_of_another_school_cannot_create_accounts(world, cohort):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        accounts.create_student_accounts(institution=world.inst, actor=world.other_staff, graduation_year=2025)


def test_failed_activations_are_kept_in_the_audit_log_and_limit_even_with_the_cache_down(world, cohort,
                                                                                          monkeypatch):
    """The failure's audit row was written inside the transaction the refusal rolled back: none was ever kept. It
    is now recorded outside it; with the cache (Redis) down, those rows are the count, so the limit holds."""
    item = issue(world)[0]
    g = item.graduate

    def down(*args, **kwargs):
        raise ValueError("cache unavailable")

    monkeypatch.setattr(cache, "incr", down)
    for _ in range(accounts.MAX_ATTEMPTS):
        with pytest.raises(accounts.ActivationError, match="不正确"):
            accounts.activate_account(student_number=g.student_number, id_number=g.id_number, code="WRONG-CODE-0000",
                                      password=GOOD_PASSWORD, client="5.6.7.8")
    assert AuditLog.objects.filter(action="evaluation.activation_failed", actor_name=g.student_number).count() == 5
    with pytest.raises(accounts.ActivationError, match="尝试次数过多"):
        accounts.activate_account(student_number=g.student_number, id_number=g.id_number, code=item.code,
                                  password=GOOD_PASSWORD, client="9.9.9.9")
