"""The signed QR text of a certificate, exactly as ``shared/contracts/certificate-qr.md`` defines it.

``https://<host>/v/<verification-id>#<payload>.<signature>``: the payload is canonical UTF-8 JSON (sorted
keys, no whitespace), base64url without padding; the signature is Ed25519 over exactly those bytes.
``verify_qr_text`` is the reference verifier (the browser's ``verify.js`` does the same).
"""

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date

import zxingcpp
from django.conf import settings

from portal import identifiers

from . import keys


def canonical_json(obj):
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def data_hash(data):
    """``h``: base64url SHA-256 of the frozen data record (its canonical JSON)."""
    return keys.b64url(hashlib.sha256(canonical_json(data)).digest())


def payload_for(*, kid, kind, number, name, id_number, level, field_label, org, issue_date, h):
    return {
        "v": 1, "kid": kid, "kind": kind, "no": number, "name": identifiers.mask_name(name),
        "idm": identifiers.mask_id(id_number), "level": level, "field": field_label, "org": org,
        "date": issue_date.isoformat(), "h": h,
    }


def sign_payload(payload, key):
    """Returns (payload_b64, signature_b64)."""
    raw = canonical_json(payload)
    return keys.b64url(raw), keys.b64url(keys.sign(raw, key))


DEVELOPMENT_BASE_URL = "http://127.0.0.1:8000"


def base_url():
    """Where the QR link and the printed verification line point: the ``PUBLIC_BASE_URL`` setting.

    The environment is read at call time as well (``PUBLIC_BASE_URL``, or its former name
    ``CERTIFICATE_BASE_URL``), so a worker started with it agrees with the web process. Unset, a laptop's
    runserver address is used; ``manage.py check`` warns about that in production (portal.W002).
    """
    url = (os.environ.get("PUBLIC_BASE_URL") or os.environ.get("CERTIFICATE_BASE_URL")
           or getattr(settings, "PUBLIC_BASE_URL", "") or DEVELOPMENT_BASE_URL)
    return url.rstrip("/")


def qr_text(certificate, *, base=None):
    return f"{base or base_url()}/v/{certificate.verification_id}#{certificate.qr_payload}.{certificate.qr_signature}"


# The printed symbol (issue 17 item 4): error correction L, never boosted (a ~490-character text fits version
# 15), a 4-module quiet zone, drawn as one vector path, each module MODULE_MM wide. 0.508 mm is 3 device pixels
# at 150 dpi (a typical office scan), 6 at 300 dpi: every module is ≥ 0.5 mm, and the raster edges of a scan fall
# on whole pixels. Version 15 with its quiet zone is 85 modules, 43.2 mm.
QR_ERROR = "L"
QR_BORDER = 4
MODULE_MM = 25.4 * 3 / 150


@dataclass(frozen=True)
class Symbol:
    """A QR symbol's modules without quiet zone: ``rows[y][x]`` is truthy for a dark module."""

    size: int
    rows: tuple

    @property
    def version(self):
        return (self.size - 17) // 4


def qr_symbol(text):
    """Encodes ``text`` at error correction L without boosting.

    zxing-cpp's encoder (libzint, C): ~1 ms for a certificate's text, where pure-Python segno took ~9 ms of a
    25 ms per-certificate budget. It chooses the mask by the standard's penalty rules and may mix encoding
    modes, so the version is the smallest that holds the text; deterministic for a given text.
    """
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=QR_ERROR)
    image = barcode.to_image(scale=1, add_quiet_zones=False)
    size = image.shape[1]
    pixels = bytes(memoryview(image))
    return Symbol(size, tuple(pixels[y * size:(y + 1) * size].translate(_DARK) for y in range(size)))


_DARK = bytes(1 if value < 128 else 0 for value in range(256))  # zxing-cpp's image: 0 = dark, 255 = light


def dark_runs(row):
    """[(start, length)] of the horizontal runs of dark modules in a row of ``Symbol.rows``. Split at the light
    modules: ~1,500 runs of a certificate's symbol in half the time of a regular expression's matches."""
    runs, x = [], 0
    for part in row.split(b"\x00"):
        if part:
            length = len(part)
            runs.append((x, length))
            x += length + 1
        else:
            x += 1
    return runs


def qr_path(symbol, *, border=QR_BORDER):
    """SVG path data: one rectangle per horizontal run of dark modules, offset by the quiet zone.

    One path filled at once: adjacent rectangles leave no anti-aliasing seams between them.
    """
    return "".join(f"M{x + border} {y}h{length}v1h{-length}z"
                   for y, row in enumerate(symbol.rows, start=border) for x, length in dark_runs(row))


def qr_svg(text, *, border=QR_BORDER, module_mm=MODULE_MM):
    """The QR symbol as an SVG document (vector: sharp at any resolution), ``module_mm`` per module. For web
    pages and tests; the PDF draws the same runs itself (``certificates.render.QRCodeImage``): WeasyPrint's SVG
    path parser takes ~400 ms for this path."""
    symbol = qr_symbol(text)
    extent = symbol.size + 2 * border
    mm = f"{extent * module_mm:.3f}mm"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{mm}" height="{mm}" viewBox="0 0 {extent} {extent}">'
            f'<rect width="{extent}" height="{extent}" fill="#fff"/>'
            f'<path fill="#000" d="{qr_path(symbol, border=border)}"/></svg>')


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
