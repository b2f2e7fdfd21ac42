"""Public verification through the API: the page's masking, same-answer look-up and rate limiter; the docs
page served from the portal's own files under its Content-Security-Policy."""

import re

import pytest

from certificates import qr

pytestmark = pytest.mark.django_db
V1 = "/api/v1/public/certificates"


def test_by_number_and_name_masks_and_hides_existence(api_world, client):
    w = api_world
    found = client.get(f"{V1}/verify", {"number": w.cert.number.lower(), "name": "秘密甲"})
    assert found.status_code == 200
    body = found.json()
    assert body["status"] == "valid" and body["masked_name"] == "秘*甲" and "*" in body["masked_id"]
    assert "340504199801010017" not in found.content.decode() and "秘密甲" not in found.content.decode()
    wrong_name = client.get(f"{V1}/verify", {"number": w.cert.number, "name": "别人"})
    unknown = client.get(f"{V1}/verify", {"number": "Y000034000017259999999", "name": "秘密甲"})
    assert wrong_name.status_code == unknown.status_code == 404
    assert wrong_name.json() == unknown.json()
    blank = client.get(f"{V1}/verify", {"number": " ", "name": "秘密甲"})
    assert blank.status_code == 400 and blank.json()["detail"].startswith("证书编号：")  # the page's form, in Chinese
    revoked = client.get(f"{V1}/verify", {"number": w.revoked.number, "name": "秘密乙"}).json()
    assert revoked["status"] == "revoked" and revoked["revocation_reason"]


def test_qr_text_is_checked_against_the_published_keys(api_world, client):
    w = api_world
    text = qr.qr_text(w.cert)
    ok = client.post(f"{V1}/verify-qr", {"text": text}, content_type="application/json").json()
    assert ok["signature_valid"] and ok["current"]["number"] == w.cert.number
    assert ok["signed"]["name"] == "秘*甲"
    tampered = text[:-3] + ("AAA" if not text.endswith("AAA") else "BBB")
    bad = client.post(f"{V1}/verify-qr", {"text": tampered}, content_type="application/json").json()
    assert not bad["signature_valid"] and bad["current"] is None and "二维码无效" in bad["reason"]
    revoked = client.post(f"{V1}/verify-qr", {"text": qr.qr_text(w.revoked)}, content_type="application/json")
    assert revoked.json()["current"]["status"] == "revoked"
    assert "已撤销，不再有效" in revoked.json()["reason"]  # told in the top-level reason too
    with_nul = client.post(f"{V1}/verify-qr", {"text": text.replace("#", "\u0000#", 1)},
                           content_type="application/json")
    assert with_nul.status_code == 200 and with_nul.json()["current"] is None  # not a 500


def test_same_rate_limit_as_the_page(api_world, client, settings):
    settings.CERTIFICATE_RATE_LIMITS = {"ip": (3, 60)}
    w = api_world
    answers = [client.get(f"{V1}/verify", {"number": w.cert.number, "name": "秘密甲"}).status_code
               for _ in range(3)]
    assert answers == [200, 200, 200]
    limited = client.get(f"{V1}/verify", {"number": w.cert.number, "name": "秘密甲"})
    assert limited.status_code == 429 and "频繁" in limited.json()["detail"]
    # the page's own limiter counted the API's requests: the same bucket
    assert client.post("/certificates/verify/", {"number": w.cert.number, "name": "秘密甲"}).status_code == 429


def test_docs_page_uses_only_local_assets(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|<link[^>]*?href)="([^"]+)"', html)  # scripts and style sheets (not the way back)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "http://" not in html and "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert '"validatorUrl": null' in html
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.") and "/api/v1/school/imports" in schema["paths"]
