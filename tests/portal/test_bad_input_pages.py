"""Malformed input that reached the database or int() and answered 500 (a crawl of every page as every demo
account with malformed values): each is now a clear Chinese answer, and nothing is written."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import MajorMapping
from assessment.services import candidates
from assessment.services.common import AssessmentError
from evaluation.models import ImportBatch
from evaluation.services import imports
from portal.admin import RoleInline
from portal.forms import posted_id
from portal.models import AuditLog, Occupation, User


@pytest.mark.parametrize("path", ["/certificates/?q=%00", "/graduates/?q=a%00b", "/audit/?action=%00",
                                  "/admin/portal/institution/?kind__exact=%00"])
def test_a_nul_in_the_query_string_is_a_bad_request(world, client, path):
    client.force_login(world.admin)
    for user in (world.admin, None):
        if user is None:
            client.logout()
        response = client.get(path)
        assert response.status_code == 400
        assert "请求有误" in response.content.decode()


def test_the_open_api_answers_a_nul_in_its_own_json(client):
    response = client.get("/api/v1/public/certificates/verify?text=%00")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "请求参数含有无效字符（NUL）。"}


def test_a_username_longer_than_any_account_is_refused_like_any_failure(world, client):
    response = client.post(reverse("login"), {"username": "x" * 300, "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert not AuditLog.objects.filter(action="account_locked").exists()


def test_a_garbled_posted_id_finds_nothing(world, client):
    """Hand-built forms post ids; "abc" or "1\\x00" reached int() in the ORM (500)."""
    assert posted_id({"x": "12"}, "x") == 12
    for garbled in ("abc", "1\x00", "１２", "-1", "9" * 40, "", None):
        assert posted_id({"x": garbled}, "x") == 0
    client.force_login(world.staff)
    for data in ({"occupation": "abc", "majors": "车辆工程"}, {"occupation": "1\x00", "majors": ""}):
        assert client.post(reverse("assessment:mapping"), data).status_code == 404
    assert client.post(reverse("assessment:declarations"), {"declaration": "abc", "decision": "confirm"}) \
        .status_code == 404


def test_majors_too_long_for_the_record_are_refused_in_chinese(world):
    occupation, _ = Occupation.objects.get_or_create(code="6-31-01-03", defaults={"name": "电工"})
    for majors in (["车" * 101], ["a\x00b"]):
        with pytest.raises(AssessmentError, match="专业名称.*无效"):
            candidates.save_mapping(user=world.staff, institution=world.inst, occupation=occupation, majors=majors)
    assert not MajorMapping.objects.exists()


def test_a_garbled_institution_on_the_admins_role_row_is_refused_not_a_crash(world, rf):
    request = rf.post("/admin/portal/user/1/change/")
    request.user = world.admin
    formset_class = RoleInline(User, admin.site).get_formset(request, world.staff)
    data = {"roles-TOTAL_FORMS": "1", "roles-INITIAL_FORMS": "0", "roles-0-role": "university_staff",
            "roles-0-institution": "abc"}
    formset = formset_class(data, instance=world.staff, prefix="roles")
    assert not formset.is_valid()
    assert "<select" in str(formset.forms[0]["institution"])  # drawn again for the correction


def test_the_admins_import_batch_page_shows_a_batch_with_checked_rows(world, client):
    batch = imports.upload_transcript(actor=world.staff, upload=SimpleUploadedFile(
        "t.csv", "学号,姓名,身份证号,毕业年份,学历层次,专业\n".encode()))
    ImportBatch.objects.filter(pk=batch.pk).update(checked_rows="imports/checked.jsonl")
    client.force_login(world.admin)
    assert client.get(reverse("admin:evaluation_importbatch_change", args=[batch.pk])).status_code == 200


def test_a_date_beyond_the_calendar_in_the_admins_audit_log_is_a_wrong_filter(world, client):
    client.force_login(world.admin)
    response = client.get(reverse("admin:portal_auditlog_changelist") + "?at__year=99999999999999999999")
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
