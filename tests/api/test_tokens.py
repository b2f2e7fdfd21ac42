"""Institution and office tokens: scoped exactly as the pages (another school's object is a 404), revoked or
orphaned tokens refused, the write scope needed to upload, every use audited, the token page."""

import json

import pytest
from django.urls import reverse

from api.models import ApiToken
from applications.track_b.models import FilingApplication
from evaluation.models import Graduate, ImportBatch
from portal.models import AuditLog, RoleAssignment
from tests.evaluation.test_import import csv_file, good_row

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def test_school_token_cannot_read_another_schools_graduates(api_world, client, bearer):
    w = api_world
    own = client.get(f"{V1}/school/graduates/{w.ev.own.pk}/verdict", headers=bearer(w.tokens.read))
    assert own.status_code == 200, own.content
    assert own.json()["graduate"]["student_number"] == "A0001"
    assert own.json()["result"]  # the engine's verdict with its clauses, as stored
    other = client.get(f"{V1}/school/graduates/{w.ev.other.pk}/verdict", headers=bearer(w.tokens.read))
    assert other.status_code == 404
    assert "李四光" not in other.content.decode()
    listed = client.get(f"{V1}/school/graduates", headers=bearer(w.tokens.read)).json()
    numbers = {g["student_number"] for g in listed["items"]}
    assert {"A0001", "A0002"} <= numbers and "B0001" not in numbers
    assert all("*" in g["masked_id"] for g in listed["items"])
    # …and the other school's token sees only its own
    theirs = client.get(f"{V1}/school/graduates/{w.ev.own.pk}/verdict", headers=bearer(w.tokens.other_write))
    assert theirs.status_code == 404


def test_school_certificates_are_its_own(api_world, client, bearer):
    w = api_world
    numbers = {c["number"] for c in client.get(f"{V1}/school/certificates", headers=bearer(w.tokens.read))
               .json()["items"]}
    assert numbers == {w.cert.number, w.revoked.number, w.title.number}
    theirs = client.get(f"{V1}/school/certificates", headers=bearer(w.tokens.other_write)).json()["items"]
    assert theirs == []


def test_revoked_token_is_refused_and_the_refusal_audited(api_world, client, bearer):
    w = api_world
    token = ApiToken.objects.get(created_by=w.staff, scope="read")
    client.force_login(w.staff)
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 302
    client.logout()
    response = client.get(f"{V1}/school/graduates", headers=bearer(w.tokens.read))
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]
    assert AuditLog.objects.filter(action="api.token_refused", object_id=str(token.pk), outcome="denied").exists()
    assert AuditLog.objects.filter(action="api.revoke_token", actor=w.staff).exists()


def test_token_stops_when_its_maker_leaves_the_school(api_world, client, bearer):
    w = api_world
    RoleAssignment.objects.filter(user=w.staff).delete()
    assert client.get(f"{V1}/school/graduates", headers=bearer(w.tokens.read)).status_code == 401


def test_upload_needs_the_write_scope_then_runs_the_pages_pipeline(api_world, client, bearer):
    w = api_world
    url = f"{V1}/school/imports"
    refused = client.post(url, {"file": csv_file([good_row("2025009001")])}, headers=bearer(w.tokens.read))
    assert refused.status_code == 403
    assert not ImportBatch.objects.filter(original_name="transcript.csv").exists()
    office = client.post(url, {"file": csv_file([good_row("2025009001")])}, headers=bearer(w.tokens.office))
    assert office.status_code == 403
    created = client.post(url, {"file": csv_file([good_row("2025009001")]), "graduation_year": 2025},
                          headers=bearer(w.tokens.write))
    assert created.status_code == 201, created.content
    batch = created.json()
    assert batch["status"] == "previewed" and batch["new"] == 1 and batch["progress"]["finished"]
    polled = client.get(f"{url}/{batch['id']}", headers=bearer(w.tokens.read)).json()
    assert polled["status"] == "previewed"
    # another school's token neither sees nor confirms it
    assert client.get(f"{url}/{batch['id']}", headers=bearer(w.tokens.other_write)).status_code == 404
    assert client.post(f"{url}/{batch['id']}/confirm", {}, content_type="application/json",
                       headers=bearer(w.tokens.other_write)).status_code == 404
    assert client.post(f"{url}/{batch['id']}/confirm", {}, content_type="application/json",
                       headers=bearer(w.tokens.read)).status_code == 403
    done = client.post(f"{url}/{batch['id']}/confirm", {}, content_type="application/json",
                       headers=bearer(w.tokens.write))
    assert done.status_code == 202, done.content
    assert done.json()["status"] in ("importing", "imported") and not done.json()["queued"]
    polled = client.get(f"{url}/{batch['id']}", headers=bearer(w.tokens.read)).json()
    assert polled["status"] == "imported" and polled["progress"]["finished"]  # tasks run in-process in tests
    assert Graduate.objects.get(student_number="2025009001").institution == w.inst
    assert AuditLog.objects.filter(action="evaluation.import_transcript", actor=w.staff).exists()
    again = client.post(f"{url}/{batch['id']}/confirm", {}, content_type="application/json",
                        headers=bearer(w.tokens.write))
    assert again.status_code == 400 and "数据库未作任何修改" in again.json()["detail"]


def test_a_bad_file_is_refused_in_chinese_and_nothing_is_stored(api_world, client, bearer):
    w = api_world
    before = Graduate.objects.count()
    response = client.post(f"{V1}/school/imports", {"file": csv_file([good_row("1", 身份证号="123")])},
                           headers=bearer(w.tokens.write))
    assert response.status_code == 201
    assert response.json()["status"] == "invalid" and response.json()["error_count"] >= 1
    junk = client.post(f"{V1}/school/imports", {"file": csv_file([], headers=["甲", "乙"])},
                       headers=bearer(w.tokens.write))
    assert junk.status_code in (201, 400)
    assert Graduate.objects.count() == before


def test_every_use_is_audited_with_the_path(api_world, client, bearer):
    w = api_world
    client.get(f"{V1}/school/certificates?limit=1", headers=bearer(w.tokens.read))
    row = AuditLog.objects.filter(action="api.token_use").latest("id")
    assert row.actor == w.staff and row.changes["path"] == f"{V1}/school/certificates"
    assert row.changes["method"] == "GET" and row.role == "university_staff"


def _all_lines(client, headers, url):
    lines, pages = [], 0
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("application/x-ndjson")
        lines += [json.loads(line) for line in response.content.decode().splitlines()]
        after = response.get("X-Next-After")
        url = f"{url.split('?')[0]}?after={after}&limit=1" if after else None
        pages += 1
    return lines, pages


def test_office_exports_are_json_lines_with_a_cursor(api_world, client, bearer):
    w = api_world
    headers = bearer(w.tokens.office)
    certificates, pages = _all_lines(client, headers, f"{V1}/office/certificates.jsonl?limit=1")
    assert [c["number"] for c in certificates] == sorted(
        [w.cert.number, w.revoked.number, w.title.number], key=lambda n: [c for c in certificates
                                                                          if c["number"] == n][0]["id"])
    assert pages >= 3
    filings, _pages = _all_lines(client, headers, f"{V1}/office/filings.jsonl?limit=1")
    assert filings == []  # the filing of this world goes to the city HRSS, not the province (as office_cases)
    results, _pages = _all_lines(client, headers, f"{V1}/office/assessment-results.jsonl?limit=1")
    assert results == []  # nor may the province download this city-filed session's report on its page
    FilingApplication.objects.filter(pk=w.filing.pk).update(authority_role="provincial_hrss", authority_city=None,
                                                               revision=1)
    filings, _pages = _all_lines(client, headers, f"{V1}/office/filings.jsonl?limit=1")
    assert [f["filing_code"] for f in filings] == [w.filing.filing_code]
    results, _pages = _all_lines(client, headers, f"{V1}/office/assessment-results.jsonl?limit=1")
    assert results and results[0]["schema"] == "anhui-skill-assessment-results/1"
    assert AuditLog.objects.filter(action="assessment.export_results", actor=w.prov_hrss).exists()
    assert client.get(f"{V1}/office/certificates.jsonl", headers=bearer(w.tokens.read)).status_code == 403


def test_token_page_shows_the_secret_once_and_stores_only_its_digest(world, client):
    client.force_login(world.staff)
    response = client.post(reverse("api:tokens"), {"name": "教务系统", "holder": f"university_staff:{world.inst.pk}",
                                                   "scope": "read write"}, follow=True)
    assert response.status_code == 200 and response.redirect_chain
    secret = response.context["secret"]
    assert secret and secret in response.content.decode()
    token = ApiToken.objects.get(name="教务系统")
    assert token.key_hash != secret and secret not in token.key_hash and token.institution == world.inst
    assert secret not in client.get(reverse("api:tokens")).content.decode()
    client.force_login(world.other_staff)
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    # no holder other than the user's own school can be chosen
    forged = client.post(reverse("api:tokens"), {"name": "x", "holder": f"university_staff:{world.inst.pk}",
                                                 "scope": "read"})
    assert forged.status_code == 400 and ApiToken.objects.count() == 1


def test_a_big_file_is_previewed_by_the_celery_task_while_the_client_polls(api_world, client, bearer, settings,
                                                                           django_capture_on_commit_callbacks):
    settings.EVALUATION_IMPORT_BACKGROUND_MB = 0  # every file counts as big: the page's background path
    w = api_world
    with django_capture_on_commit_callbacks(execute=False) as queued:
        created = client.post(f"{V1}/school/imports", {"file": csv_file([good_row("2025009101")])},
                              headers=bearer(w.tokens.write))
    assert created.status_code == 201
    batch = created.json()
    assert batch["status"] == "checking" and not batch["progress"]["finished"]
    assert len(queued) == 1
    queued[0]()  # after the commit: evaluation.tasks.preview_import (in-process in tests)
    polled = client.get(f"{V1}/school/imports/{batch['id']}", headers=bearer(w.tokens.read)).json()
    assert polled["status"] == "previewed" and polled["new"] == 1 and polled["progress"]["finished"]
