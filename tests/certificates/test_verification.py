"""Public verification: valid, revoked (red, never 404), superseded (link to the replacement); masked data;
number + name without revealing whether a number exists; the holder's yes/no ID check; rate limits."""

import pytest
from django.urls import reverse

from certificates import services
from tests.certificates.conftest import ric


@pytest.fixture
def cert(make_result, filed):
    return services.issue_from_result(make_result(name="张小明", id_number=ric(11)), issued_by=filed.staff,
                                      render=False)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test its own cache (the counters), whatever CACHES the run uses (Redis in CI)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "certificates-tests"}}
    from django.core.cache import cache

    cache.clear()


def link(cert):
    return reverse("certificate_verify_link", args=[cert.verification_id])


def test_valid_certificate_by_link(client, cert):
    response = client.get(link(cert))
    body = response.content.decode()
    assert response.status_code == 200
    assert "有效" in body and "cert-valid" in body
    assert "张*明" in body and "3401**********" in body and cert.number in body
    assert "张小明" not in body and cert.holder_id_number not in body
    assert "电工" in body and "三级/高级工" in body and "安徽工业大学" in body
    assert 'id="certificate-keys"' in body and "verify.js" in body
    assert response["Cache-Control"] == "no-store"


def test_revoked_certificate_is_a_red_page_not_a_404(client, cert, filed):
    services.revoke_certificate(cert, actor=filed.staff, reason="fraud", note="作弊")
    response = client.get(link(cert))
    body = response.content.decode()
    assert response.status_code == 200
    assert "已撤销" in body and "cert-revoked" in body and "以不正当手段取得" in body
    assert "作弊" not in body  # the internal note stays internal; the category is public
    api = client.get(reverse("certificates:status_api", args=[cert.verification_id])).json()
    assert api["status"] == "revoked" and api["revocation_reason"] == "以不正当手段取得"


def test_superseded_certificate_links_to_its_replacement(client, cert, filed):
    new = services.correct_certificate(cert, actor=filed.staff, changes={"job_type": "电力电工"}, note="工种有误")
    body = client.get(link(cert)).content.decode()
    assert "已更正" in body and link(new) in body and new.number in body
    assert "有效" in client.get(link(new)).content.decode()
    api = client.get(reverse("certificates:status_api", args=[cert.verification_id])).json()
    assert api["status"] == "superseded" and api["replacement_url"] == link(new)


def test_unknown_verification_id_is_404(client, db):
    assert client.get(reverse("certificate_verify_link", args=["a" * 26])).status_code == 404


def test_a_nul_byte_in_a_verification_id_is_a_404_not_a_500(client, cert):
    """PostgreSQL refuses NUL in a query: /v/, the status API and the holder's ID check gave a 500."""
    for url in (f"/v/{cert.verification_id[:5]}%00{cert.verification_id[5:]}", "/certificates/api/status/abc%00"):
        assert client.get(url).status_code == 404, url
    assert client.post("/certificates/v/ab%00c/id-check/", {"id_number": "x"}).status_code == 404


def test_a_number_typed_in_full_width_finds_the_certificate(client, cert):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in cert.number)  # a Chinese IME's full-width letters and digits
    found = client.post(reverse("certificates:verify"), {"number": full_width + "\u3000", "name": "张小明"})
    assert "有效" in found.content.decode() and "张*明" in found.content.decode()


def test_by_number_and_name(client, cert):
    url = reverse("certificates:verify")
    found = client.post(url, {"number": cert.number.lower(), "name": "张小明"})
    assert found.status_code == 200 and "有效" in found.content.decode() and "张*明" in found.content.decode()
    wrong_name = client.post(url, {"number": cert.number, "name": "李四"})
    unknown = client.post(url, {"number": "Y000034000017269999999", "name": "李四"})
    assert wrong_name.status_code == unknown.status_code == 200
    # The same page whichever it was: nothing tells that the number exists.
    strip = [(r.content.decode().replace(cert.number, "").replace("Y000034000017269999999", "")
              .replace(r.cookies.get("csrftoken").value if r.cookies.get("csrftoken") else "", ""))
             for r in (wrong_name, unknown)]
    import re

    strip = [re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", s) for s in strip]
    assert strip[0] == strip[1]
    assert "未找到与该证书编号和姓名相符的证书" in strip[0]


def test_holder_checks_the_full_id_number(client, cert):
    url = reverse("certificates:id_check", args=[cert.verification_id])
    yes = client.post(url, {"id_number": cert.holder_id_number.lower()})
    assert yes.status_code == 200 and "一致" in yes.content.decode() and "不一致" not in yes.content.decode()
    no = client.post(url, {"id_number": ric(12)})
    assert "不一致" in no.content.decode()
    assert cert.holder_id_number not in yes.content.decode() + no.content.decode()


def test_rate_limited_per_ip(client, cert, settings):
    settings.CERTIFICATE_RATE_LIMITS = {"ip": (3, 60)}
    for _ in range(3):
        assert client.get(link(cert)).status_code == 200
    blocked = client.get(link(cert))
    assert blocked.status_code == 429 and "查询过于频繁" in blocked.content.decode()
    # Another client address is not affected.
    assert client.get(link(cert), REMOTE_ADDR="10.0.0.9").status_code == 200


def test_rate_limited_per_requester_and_certificate(client, cert, settings):
    """Per requester, not per certificate (issue 14 #11): one address's look-ups do not use up another's."""
    settings.CERTIFICATE_RATE_LIMITS = {"certificate": (4, 60)}
    for _ in range(4):
        assert client.get(link(cert), REMOTE_ADDR="10.0.1.1").status_code == 200
    assert client.get(link(cert), REMOTE_ADDR="10.0.1.1").status_code == 429
    assert client.get(link(cert), REMOTE_ADDR="10.0.1.99").status_code == 200
    number_url = reverse("certificates:verify")
    for _ in range(4):
        client.post(number_url, {"number": cert.number, "name": "x"}, REMOTE_ADDR="10.0.2.1")
    assert client.post(number_url, {"number": cert.number, "name": "张小明"}, REMOTE_ADDR="10.0.2.1").status_code == 429
    assert client.post(number_url, {"number": cert.number, "name": "张小明"}, REMOTE_ADDR="10.0.2.2").status_code == 200


def test_id_check_is_tightly_limited_per_requester(client, cert):
    url = reverse("certificates:id_check", args=[cert.verification_id])
    statuses = [client.post(url, {"id_number": ric(i)}, REMOTE_ADDR="10.0.3.1").status_code for i in range(6)]
    assert statuses == [200] * 5 + [429]  # 5 guesses per requester and certificate per hour
    # A stranger's guesses do not lock the holder out of checking their own certificate.
    holder = client.post(url, {"id_number": cert.holder_id_number}, REMOTE_ADDR="10.0.3.2")
    assert holder.status_code == 200 and "一致" in holder.content.decode()


def test_offline_page_embeds_the_key_set(client, cert):
    body = client.get(reverse("certificates:offline")).content.decode()
    assert 'id="certificate-keys"' in body and cert.kid in body and "verify.js" in body


def test_verifier_script_and_vendored_fallback_are_local(client, cert):
    from django.contrib.staticfiles import finders

    for path in ("certificates/verify.js", "certificates/vendor/noble-ed25519/index.js",
                 "certificates/vendor/noble-ed25519/LICENSE", "certificates/vendor/noble-hashes/sha2.js",
                 "certificates/vendor/noble-hashes/LICENSE"):
        assert finders.find(path), path
    script = open(finders.find("certificates/verify.js"), encoding="utf-8").read()
    assert "http" not in script.replace("https://<host>", "")  # no CDN, no remote import


def test_the_history_reads_with_names_and_chinese_states(login, cert, filed):
    """Issue 15 §20: "王经办 撤销：有效 → 已撤销", not "univ revoke：valid → revoked"."""
    filed.staff.full_name = "王经办"
    filed.staff.save()
    services.revoke_certificate(cert, actor=filed.staff, reason="fraud", note="作弊")
    body = login(filed.staff).get(reverse("certificates:detail", args=[cert.pk])).content.decode()
    assert "王经办 撤销：有效 → 已撤销" in body
    assert "revoke：" not in body and "valid → revoked" not in body
