"""The signed QR text of a certificate, exactly as ``shared/contracts/certificate-qr.md`` defines it.

``https://<host>/v/<verification-id>#<payload>.<signature>``: the payload is canonical UTF-8 JSON (sorted
keys, no whitespace), base64url without padding; the signature is Ed25519 over exactly those bytes.
``verify_qr_text`` is the reference verifier (the browser's ``verify.js`` does the same).
"""

import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from portal import identifiers

from . import keys


def canonical_json(obj):
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def data_hash(data):
    """``h``: base64url SHA-256 of the frozen data record (its canonical JSON)."""
    return keys.b64url(hashlib.sha256(canonical_json(data)).digest())


def mask_id(number):
    """``3401**********123X``: first 4 and last 4 kept (the contract's ``idm``)."""
    number = identifiers.normalize_ric(number)
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def payload_for(*, kid, kind, number, name, id_number, level, field_label, org, issue_date, h):
    return {
        "v": 1, "kid": kid, "kind": kind, "no": number, "name": identifiers.mask_name(name),
        "idm": mask_id(id_number), "level": level, "field": field_label, "org": org,
        "date": issue_date.isoformat(), "h": h,
    }


def sign_payload(payload, key):
    """Returns (payload_b64, signature_b64)."""
    raw = canonical_json(payload)
    return keys.b64url(raw), keys.b64url(keys.sign(raw, key))


def base_url():
    """Where the QR link points: ``CERTIFICATE_BASE_URL`` (https://host in production)."""
    url = os.environ.get("CERTIFICATE_BASE_URL") or getattr(settings, "CERTIFICATE_BASE_URL", "") \
        or "http://127.0.0.1:8000"
    return url.rstrip("/")


def qr_text(certificate, *, base=None):
    return f"{base or base_url()}/v/{certificate.verification_id}#{certificate.qr_payload}.{certificate.qr_signature}"


QR_MASK = 4  # fixed: choosing the "best" of 8 masks costs ~20 ms per certificate; any mask scans


def qr_png(text, *, scale=4, border=2):
    """The QR code as a PNG (one image for WeasyPrint, not hundreds of SVG rectangles).

    Error correction M (15 %); deterministic for a given text, so a re-rendered PDF is identical. segno
    encodes; Pillow writes the PNG (segno's pure-Python PNG writer costs more than the encoding here).
    """
    import segno
    from PIL import Image

    code = segno.make(text, error="m", micro=False, mask=QR_MASK)
    size = code.symbol_size(scale=1, border=border)[0]
    dark, light = b"\x00", b"\xff"
    quiet = light * size
    rows = [quiet] * border
    for row in code.matrix:
        rows.append(light * border + b"".join(dark if module else light for module in row) + light * border)
    rows.extend([quiet] * border)
    image = Image.frombytes("L", (size, size), b"".join(rows)).convert("1")
    if scale != 1:
        image = image.resize((size * scale, size * scale), Image.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


@dataclass
class Verification:
    ok: bool
    reason: str = ""
    payload: dict = field(default_factory=dict)
    verification_id: str = ""


def split_qr_text(text):
    """(verification_id, payload_b64, signature_b64) from a QR text, or from ``payload.signature`` alone."""
    text = (text or "").strip()
    verification_id = ""
    if "#" in text:
        url, fragment = text.split("#", 1)
        marker = "/v/"
        if marker in url:
            verification_id = url.rsplit(marker, 1)[1].strip("/")
    else:
        fragment = text
    if fragment.count(".") != 1:
        raise ValueError("no payload.signature")
    payload_b64, signature_b64 = fragment.split(".")
    return verification_id, payload_b64, signature_b64


def verify_qr_text(text, key_set):
    """Checks a QR text against a published key set (a dict as served at /.well-known/certificate-keys.json).

    Verifies when the ``kid`` is in the set, the signature checks over the exact payload bytes, and the
    payload's ``date`` lies in that key's ``[nbf, exp)``.
    """
    try:
        verification_id, payload_b64, signature_b64 = split_qr_text(text)
        raw = keys.b64url_decode(payload_b64)
        signature = keys.b64url_decode(signature_b64)
        if keys.b64url(raw) != payload_b64 or keys.b64url(signature) != signature_b64:
            return Verification(False, "编码不规范")
        payload = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return Verification(False, "格式错误")
    if not isinstance(payload, dict) or payload.get("v") != 1:
        return Verification(False, "版本不支持")
    jwk = next((k for k in key_set.get("keys", []) if k.get("kid") == payload.get("kid")), None)
    if jwk is None or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        return Verification(False, "签名密钥未知")
    if len(signature) != 64 or not keys.verify_signature(jwk["x"], raw, signature):
        return Verification(False, "签名无效")
    try:
        day = date.fromisoformat(payload.get("date", ""))
        nbf = date.fromisoformat(jwk["nbf"])
        exp = date.fromisoformat(jwk["exp"]) if jwk.get("exp") else None
    except (TypeError, ValueError):
        return Verification(False, "日期无效")
    if day < nbf or (exp is not None and day >= exp):
        return Verification(False, "签发日期不在该密钥的有效期内")
    return Verification(True, "", payload, verification_id)
