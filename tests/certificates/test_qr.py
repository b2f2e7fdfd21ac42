"""The signed QR (contract certificate-qr.md): format, tamper resistance, key rotation and retirement."""

import base64
import json
import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from certificates import keys, qr, services
from certificates.models import Certificate
from certificates.render import QRCodeImage


def _b64d(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture
def cert(make_result, filed):
    return services.issue_from_result(make_result(), issued_by=filed.staff, issue_date=date(2026, 7, 1),
                                      render=False)


def key_set():
    return keys.public_key_set()


def test_qr_text_shape_and_payload(cert):
    text = qr.qr_text(cert)
    assert text.startswith(f"https://verify.example.cn/v/{cert.verification_id}#")
    assert len(cert.verification_id) == 26 and cert.verification_id.isalnum()  # 128 bits, base32
    payload_b64, signature_b64 = text.split("#", 1)[1].split(".")
    assert "=" not in payload_b64 + signature_b64
    raw = _b64d(payload_b64)
    payload = json.loads(raw)
    # Canonical: sorted keys, no whitespace, UTF-8 (not \u escapes).
    assert raw == json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert set(payload) == {"v", "kid", "kind", "no", "name", "idm", "level", "field", "org", "date", "h"}
    assert payload["v"] == 1 and payload["kind"] == "skill"
    assert payload["no"] == cert.number and len(cert.number) == 22
    assert payload["name"] == "张*"
    assert payload["idm"] == "3405**********0017"
    assert payload["level"] == "三级/高级工" and payload["field"] == "电工"
    assert payload["org"] == "Y000034000017" and payload["date"] == "2026-07-01"
    assert payload["h"] == qr.data_hash(cert.data)
    assert len(_b64d(signature_b64)) == 64
    assert payload["kid"] in {k["kid"] for k in key_set()["keys"]}


def test_three_character_name_is_masked_in_the_middle(make_result, filed):
    cert = services.issue_from_result(make_result(name="欧阳明月"), issued_by=filed.staff, render=False)
    assert json.loads(_b64d(cert.qr_payload))["name"] == "欧**月"


def test_genuine_payload_verifies(cert):
    result = qr.verify_qr_text(qr.qr_text(cert), key_set())
    assert result.ok, result.reason
    assert result.verification_id == cert.verification_id
    assert result.payload["no"] == cert.number


def test_any_single_byte_changed_fails(cert):
    """Every byte of the payload and of the signature, each flipped in turn: none verifies."""
    ks = key_set()
    raw = _b64d(cert.qr_payload)
    signature = _b64d(cert.qr_signature)
    prefix = f"https://verify.example.cn/v/{cert.verification_id}#"
    for i in range(len(raw)):
        for flip in (0x01, 0x80):
            bad = bytearray(raw)
            bad[i] ^= flip
            text = prefix + keys.b64url(bytes(bad)) + "." + cert.qr_signature
            assert not qr.verify_qr_text(text, ks).ok, f"payload byte {i} ^ {flip:#x} verified"
    for i in range(len(signature)):
        bad = bytearray(signature)
        bad[i] ^= 0x01
        text = prefix + cert.qr_payload + "." + keys.b64url(bytes(bad))
        assert not qr.verify_qr_text(text, ks).ok, f"signature byte {i} verified"


def test_any_character_of_the_fragment_changed_fails(cert):
    ks = key_set()
    fragment = f"{cert.qr_payload}.{cert.qr_signature}"
    alphabet = "AQgw-_"
    for i, ch in enumerate(fragment):
        if ch == ".":
            continue
        other = next(c for c in alphabet if c != ch)
        tampered = fragment[:i] + other + fragment[i + 1:]
        assert not qr.verify_qr_text("https://x/v/y#" + tampered, ks).ok, f"char {i} changed verified"


def test_unknown_key_and_garbage_fail(cert):
    assert not qr.verify_qr_text(qr.qr_text(cert), {"keys": []}).ok
    for junk in ("", "https://x/v/abc", "https://x/v/abc#a.b", "#..", "https://x/v/a#" + "A" * 50 + ".B"):
        assert not qr.verify_qr_text(junk, key_set()).ok


def _issue_on(make_result, filed, day, name):
    return services.issue_from_result(make_result(name=name), issued_by=filed.staff, issue_date=day, render=False)


def test_rotation_keeps_old_certificates_verifying(make_result, filed, tmp_path):
    """A retired key stays in the set: what it signed while valid verifies; a payload it signs after its
    retirement does not."""
    old = _issue_on(make_result, filed, date(2026, 3, 1), "王一")
    old_kid = old.kid
    call_command("certificate_keys", "rotate", "--on", "2026-06-01", stdout=StringIO())
    ring = {k.kid: k for k in keys.ring()}
    assert ring[old_kid].exp == date(2026, 6, 1)
    new = _issue_on(make_result, filed, date(2026, 7, 1), "王二")
    assert new.kid != old_kid
    published = key_set()
    retired = next(k for k in published["keys"] if k["kid"] == old_kid)
    assert retired["exp"] == "2026-06-01" and retired["nbf"] == "2020-01-01"
    assert qr.verify_qr_text(qr.qr_text(old), published).ok
    assert qr.verify_qr_text(qr.qr_text(new), published).ok
    # The retired key signing a certificate dated after its exp: refused, although the signature is valid.
    forged = qr.payload_for(kid=old_kid, kind="skill", number=new.number, name="王二",
                            id_number=new.holder_id_number, level=new.level_label, field_label=new.field_label,
                            org=new.issuer_code, issue_date=date(2026, 7, 1), h=new.data_hash)
    payload_b64, signature_b64 = qr.sign_payload(forged, ring[old_kid])
    verdict = qr.verify_qr_text(f"https://x/v/{new.verification_id}#{payload_b64}.{signature_b64}", published)
    assert not verdict.ok and "有效期" in verdict.reason
    # Dropping the retired private key does not break verification of what it signed.
    call_command("certificate_keys", "rotate", "--on", "2027-01-01", "--drop-private", stdout=StringIO())
    assert all(k.d is None for k in keys.ring() if k.exp and k.exp <= date(2027, 1, 1))
    assert qr.verify_qr_text(qr.qr_text(old), key_set()).ok


def test_a_key_signs_nothing_before_its_nbf(make_result, filed):
    call_command("certificate_keys", "rotate", "--on", "2026-06-01", stdout=StringIO())
    # 2026-05-31 is signed by the old key (exp 2026-06-01 excluded), 2026-06-01 by the new one.
    before = _issue_on(make_result, filed, date(2026, 5, 31), "李一")
    after = _issue_on(make_result, filed, date(2026, 6, 1), "李二")
    assert before.kid != after.kid
    assert qr.verify_qr_text(qr.qr_text(before), key_set()).ok
    assert qr.verify_qr_text(qr.qr_text(after), key_set()).ok


def test_key_set_endpoint(client, cert):
    response = client.get("/.well-known/certificate-keys.json")
    assert response.status_code == 200
    body = response.json()
    assert body == key_set()
    (key,) = body["keys"]
    assert set(key) == {"kty", "crv", "kid", "x", "use", "nbf", "exp"}
    assert (key["kty"], key["crv"], key["use"], key["exp"]) == ("OKP", "Ed25519", "sig", None)
    assert len(_b64d(key["x"])) == 32
    assert '"d"' not in response.content.decode()  # no private part
    assert reverse("certificate_keys") == "/.well-known/certificate-keys.json"


def test_private_keys_never_published_and_come_from_configuration(monkeypatch, settings, tmp_path):
    key = keys.new_key(nbf=date(2026, 1, 1), kid="from-env")
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEYS", json.dumps({"keys": [key.to_json()]}))
    keys._cache.clear()
    assert [k["kid"] for k in key_set()["keys"]] == ["from-env"]
    assert keys.signing_key(date(2026, 5, 1)).kid == "from-env"
    assert key.d not in json.dumps(key_set())


def test_certificate_qr_command(cert, make_result, filed):
    out = StringIO()
    call_command("certificate_qr", cert.number, stdout=out)
    assert out.getvalue().strip() == qr.qr_text(cert)
    second = services.issue_from_result(make_result(name="赵二"), issued_by=filed.staff, render=False)
    out = StringIO()
    call_command("certificate_qr", "--all", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines == [f"{c.number}\t{qr.qr_text(c)}" for c in Certificate.objects.order_by("id")]
    assert second.number in out.getvalue()


@pytest.mark.parametrize("row", [b"", b"\x00\x00", b"\x01", b"\x01\x01\x00\x01", b"\x00\x01\x01\x01\x00\x00\x01\x01"])
def test_dark_runs_are_the_runs_of_dark_modules(row):
    expected = [(m.start(), m.end() - m.start()) for m in re.finditer(b"\x01+", row)]
    assert qr.dark_runs(row) == expected


def test_the_drawn_symbol_is_one_rectangle_per_run_of_a_real_symbol():
    """The PDF's operators and the SVG path cover exactly the dark modules of an encoded symbol."""
    symbol = qr.qr_symbol("https://verify.example.cn/v/" + "a" * 26 + "#" + "B" * 400)
    runs = [(x + qr.QR_BORDER, y + qr.QR_BORDER, len(m.group()))
            for y, row in enumerate(symbol.rows) for m in re.finditer(b"\x01+", row) for x in (m.start(),)]
    drawn = re.findall(rb"(\d+) (\d+) (\d+) 1 re", QRCodeImage(symbol).operators)
    assert QRCodeImage(symbol).operators.startswith(b"1 g 0 0 ")  # the white quiet zone first
    assert [tuple(map(int, r)) for r in drawn] == runs
    assert qr.qr_path(symbol) == "".join(f"M{x} {y}h{n}v1h-{n}z" for x, y, n in runs)
    assert sum(n for _x, _y, n in runs) == sum(row.count(1) for row in symbol.rows)
