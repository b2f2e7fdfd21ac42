"""Issue 15 §4: accounts of staff, officials and experts are made through one service (``portal.accounts``), from
the Django admin as from the demo — checked like the role model's constraints and audited in Chinese."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from portal import accounts, audit_labels
from portal.models import AuditLog, Role, RoleAssignment, User

NEW_PASSWORD = "Xin@zhanghao2026"


def _add_form(**row):
    data = {"username": "hrss_chuzhou", "full_name": "滁州科长", "usable_password": "true",
            "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
            "roles-TOTAL_FORMS": "1", "roles-INITIAL_FORMS": "0", "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000"}
    data.update({f"roles-0-{k}": v for k, v in row.items()})
    return data


def test_the_admin_creates_an_account_through_the_service(world, login):
    client = login(world.admin)
    response = client.post(reverse("admin:portal_user_add"), _add_form(role="city_hrss", city="3405"))
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="hrss_chuzhou")
    assert user.full_name == "滁州科长" and user.is_active and user.check_password(NEW_PASSWORD)
    assert list(user.roles.values_list("role", "city_id")) == [("city_hrss", "3405")]
    rows = AuditLog.objects.filter(object_type="portal.user", object_id=str(user.pk)).order_by("id")
    assert [(r.action, r.actor_id, r.role) for r in rows] == [
        ("portal.create_account", world.admin.pk, "site_admin"), ("portal.grant_role", world.admin.pk, "site_admin")]
    assert rows[1].changes == {"role": "city_hrss", "scope": "市人社局（马鞍山市）"}
    assert [audit_labels.action_label(r.action) for r in rows] == ["创建账号", "授予角色"]


@pytest.mark.parametrize("row, message", [
    ({"role": "student", "institution": "__inst__"}, "学生账号由学校根据毕业生名单生成激活码"),
    ({"role": "city_hrss", "city": "3405", "institution": "__inst__"}, "只有高校经办人、学生和评审专家指定院校"),
    ({"role": "university_staff"}, "高校经办人和学生必须指定所属院校"),
])
def test_the_admin_refuses_what_the_service_refuses(world, login, row, message):
    client = login(world.admin)
    row = {k: (world.inst.pk if v == "__inst__" else v) for k, v in row.items()}
    response = client.post(reverse("admin:portal_user_add"), _add_form(**row))
    assert response.status_code == 200 and message in response.content.decode()
    assert not User.objects.filter(username="hrss_chuzhou").exists()
    assert not AuditLog.objects.filter(action__startswith="portal.").exists()


def test_role_rows_changed_on_the_admin_are_granted_and_revoked_through_the_service(world, login):
    client = login(world.admin)
    user = world.city_hrss
    url = reverse("admin:portal_user_change", args=[user.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update({"date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
                 "date_joined_1": user.date_joined.strftime("%H:%M:%S"), "groups": [], "user_permissions": []})
    data.pop("date_joined", None)
    data.pop("last_login", None)
    for flag in ("is_staff", "is_superuser"):
        if not data.get(flag):
            data.pop(flag, None)
    old = user.roles.get()
    data.update({"roles-TOTAL_FORMS": "2", "roles-INITIAL_FORMS": "1", "roles-MIN_NUM_FORMS": "0",
                 "roles-MAX_NUM_FORMS": "1000",
                 "roles-0-id": old.pk, "roles-0-user": user.pk, "roles-0-role": "city_hrss", "roles-0-city": "3405",
                 "roles-0-DELETE": "on",
                 "roles-1-role": "expert", "roles-1-organisation": "马鞍山钢铁股份有限公司"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(user.roles.values_list("role", "organisation")) == [("expert", "马鞍山钢铁股份有限公司")]
    actions = list(AuditLog.objects.filter(object_type="portal.user", object_id=str(user.pk))
                   .order_by("id").values_list("action", "actor_id"))
    assert actions == [("portal.revoke_role", world.admin.pk), ("portal.grant_role", world.admin.pk)]


def test_only_a_site_admin_or_the_operator_makes_accounts(world):
    with pytest.raises(PermissionDenied):
        accounts.ensure_account(actor=world.staff, username="x1", full_name="某人",
                                grants=[accounts.Grant(Role.PROVINCIAL_HRSS)])
    made = accounts.ensure_account(actor=None, username="x1", full_name="某人", password=NEW_PASSWORD,
                                   grants=[accounts.Grant(Role.PROVINCIAL_HRSS)])
    assert made.created
    row = AuditLog.objects.get(action="portal.create_account")
    assert row.actor_id is None and row.actor_name == accounts.OPERATOR


def test_grants_are_checked_like_the_model_constraints_and_idempotent(world):
    admin = world.admin
    with pytest.raises(ValidationError) as exc:
        accounts.grant_role(actor=admin, user=world.prov_hrss, grant=accounts.Grant(Role.CITY_EDUCATION))
    assert "市级部门人员必须指定设区市。" in exc.value.messages
    with pytest.raises(ValidationError):
        accounts.grant_role(actor=admin, user=world.prov_hrss, grant=accounts.Grant(Role.STUDENT, world.inst))
    with pytest.raises(ValidationError):  # a weak password is refused by the site's validators
        accounts.ensure_account(actor=admin, username="weak", full_name="弱", password="12345678")
    assert not User.objects.filter(username="weak").exists()

    grant = accounts.Grant(Role.EXPERT, institution=world.inst)
    first = accounts.grant_role(actor=admin, user=world.prov_hrss, grant=grant)
    assert accounts.grant_role(actor=admin, user=world.prov_hrss, grant=grant) == first
    assert AuditLog.objects.filter(action="portal.grant_role").count() == 1

    # An existing account is left as it is: no second account, its name and password untouched.
    again = accounts.ensure_account(actor=admin, username="city_hrss", full_name="改名", password=NEW_PASSWORD,
                                    grants=[accounts.Grant(Role.CITY_HRSS, city_id="3405")])
    assert not again.created and again.user.pk == world.city_hrss.pk
    again.user.refresh_from_db()
    assert again.user.full_name == "city_hrss" and not again.user.check_password(NEW_PASSWORD)
    assert RoleAssignment.objects.filter(user=world.city_hrss).count() == 1
    assert not AuditLog.objects.filter(action="portal.create_account").exists()


def test_the_admin_adds_an_expert_pool_entry_through_the_service(world, login):
    client = login(world.admin)
    response = client.post(reverse("admin:portal_expertprofile_add"), {
        "user": world.expert.pk, "title": "教授", "title_level": "senior", "specialty": "车辆工程",
        "education": "博士研究生", "id_number": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert world.expert.expert_profile.title == "教授"
    row = AuditLog.objects.get(action="portal.expert_profile")
    assert row.actor_id == world.admin.pk and row.object_id == str(world.expert.pk)
    assert audit_labels.action_label(row.action) == "登记专家库信息"
