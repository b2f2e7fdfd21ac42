"""A lost phone (issue 17 item 3): a site administrator resets another account's second factor in the portal, with
a required reason, audited in the portal's log, the person notified, their sessions ended, and a new enrolment at
their next sign-in; nobody else may; deleting devices in the Django admin writes the portal's audit row too."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit_labels import ACTIONS
from portal.models import AuditLog, Notification
from portal.twofactor.models import EnrolmentRequired
from tests.matrix import ROLES
from tests.otp import enrolled_authenticator, next_code
from tests.portal.test_two_factor import VERIFY, code, password, signed_in

RESET = reverse("twofactor_reset")
REASON = "手机丢失，已通过学校人事处电话核实本人身份"


def _reset(client, username, reason=REASON, confirm=True):
    data = {"username": username, "reason": reason}
    if confirm:
        data["confirm"] = "on"
    return client.post(RESET, data)


def _devices(user):
    return TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()


def test_admin_resets_an_officials_lost_phone(world, login):
    device, _codes = enrolled_authenticator(world.city_hrss)
    phone = Client()  # the official's session, still open on the lost phone
    assert password(phone, "city_hrss").status_code == 302 and code(phone, next_code(device)).status_code == 302
    assert phone.get(reverse("home")).status_code == 200

    response = _reset(login(world.admin), "city_hrss")
    assert response.status_code == 302 and response["Location"] == RESET
    page = Client()
    page.force_login(world.admin)
    listing = page.get(RESET).content.decode()
    assert "city_hrss" in listing and REASON in listing

    assert _devices(world.city_hrss) == 0  # authenticator and recovery codes gone
    assert not signed_in(phone) and phone.get(reverse("home"))["Location"].startswith(reverse("login"))
    entry = AuditLog.objects.get(action="otp_reset")
    assert entry.actor == world.admin and entry.object_id == str(world.city_hrss.pk)
    assert entry.changes["reason"] == REASON and entry.changes["authenticators"] == 1
    assert entry.changes["sessions_ended"] >= 1
    assert ACTIONS["otp_reset"] == "管理员重置两步验证（手机丢失等）"
    assert "管理员重置两步验证" in page.get(reverse("audit_log")).content.decode()
    note = Notification.objects.get(recipient=world.city_hrss)
    assert "两步验证已被管理员重置" in note.title and REASON in note.body

    # The next sign-in: the password, then a new enrolment (the old phone's codes no longer count).
    client = Client()
    assert password(client, "city_hrss").status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)
    assert client.get(VERIFY)["Location"].startswith(reverse("twofactor_setup"))
    setup = client.get(reverse("twofactor_setup")).content.decode()
    assert 'data-testid="otp-reset-notice"' in setup and REASON in setup
    new = TOTPDevice.objects.get(user=world.city_hrss, confirmed=False)
    assert client.post(reverse("twofactor_setup"), {"otp_token": next_code(new)}).status_code == 200
    assert client.get(reverse("home")).status_code == 200
    assert not EnrolmentRequired.objects.filter(user=world.city_hrss).exists()


def test_an_optional_user_must_enrol_again_too(world, login):
    """A student had chosen two-factor sign-in; after the reset the next sign-in asks for a new enrolment."""
    enrolled_authenticator(world.student)
    assert _reset(login(world.admin), "student").status_code == 302
    client = Client()
    password(client, "student")
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)
    assert client.get(VERIFY)["Location"].startswith(reverse("twofactor_setup"))


@pytest.mark.parametrize("data, error", [
    ({"reason": ""}, "请填写重置原因"),
    ({"reason": "   "}, "请填写重置原因"),
    ({"confirm": False}, "请勾选确认"),
    ({"username": "nobody"}, "没有这个账号"),
    ({"username": "admin"}, "不能重置自己的两步验证"),
])
def test_a_reset_needs_a_reason_a_confirmation_and_another_account(world, login, data, error):
    enrolled_authenticator(world.city_hrss)
    enrolled_authenticator(world.admin)
    args = {"username": "city_hrss", "reason": REASON, "confirm": True, **data}
    client = login(world.admin)
    before = _devices(world.city_hrss), _devices(world.admin)
    response = _reset(client, args["username"], args["reason"], args["confirm"])
    assert response.status_code == 200 and error in response.content.decode()
    assert (_devices(world.city_hrss), _devices(world.admin)) == before == (2, before[1])
    assert not AuditLog.objects.filter(action="otp_reset").exists()
    assert not EnrolmentRequired.objects.exists()


@pytest.mark.parametrize("role", [r for r in ROLES if r != "site_admin"])
def test_no_one_but_a_site_admin_may_reset(role, world, client):
    enrolled_authenticator(world.city_hrss)
    if role != "anonymous":
        client.force_login(world.by_role[role])
    before = _devices(world.city_hrss)
    for response in (client.get(RESET), _reset(client, "city_hrss")):
        if role == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == 403
    assert _devices(world.city_hrss) == before >= 2 and not AuditLog.objects.filter(action="otp_reset").exists()
    assert not EnrolmentRequired.objects.exists()


def test_deleting_a_device_in_the_django_admin_is_in_the_portal_audit_log(world, login):
    device, _codes = enrolled_authenticator(world.staff)
    client = login(world.admin)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    entry = AuditLog.objects.get(action="otp_devices_deleted_admin")
    assert entry.actor == world.admin and entry.object_id == str(world.staff.pk)
    assert entry.changes["devices"] == [f"TOTPDevice:{device.name}"]
    assert EnrolmentRequired.objects.filter(user=world.staff).exists()
    assert Notification.objects.filter(recipient=world.staff, title__contains="两步验证已被管理员重置").exists()
    assert ACTIONS["otp_devices_deleted_admin"] == "管理员在后台删除两步验证设备"


def test_bulk_deletion_in_the_django_admin_is_audited_per_account(world, login):
    enrolled_authenticator(world.staff)
    enrolled_authenticator(world.city_edu)
    client = login(world.admin)
    ids = list(StaticDevice.objects.values_list("pk", flat=True))
    response = client.post(reverse("admin:otp_static_staticdevice_changelist"),
                           {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert response.status_code == 302 and not StaticDevice.objects.exists()
    audited = set(AuditLog.objects.filter(action="otp_devices_deleted_admin").values_list("object_id", flat=True))
    # the admin's own recovery-code device was among them: recorded too, without ending the admin's session
    assert audited == {str(world.staff.pk), str(world.city_edu.pk), str(world.admin.pk)}
