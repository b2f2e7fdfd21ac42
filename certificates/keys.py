"""The Ed25519 keys that sign certificate QR payloads, and the public key set (contract: certificate-qr.md).

Private keys never live in the code or the repository. They come, in this order, from:

1. ``CERTIFICATE_SIGNING_KEYS`` — the key ring as JSON text (environment or settings);
2. ``CERTIFICATE_KEYS_FILE`` — a JSON file outside the repository (environment or settings); default
   ``MEDIA_ROOT/private/certificate-keys.json`` (never served: MEDIA_ROOT/private has no URL).

The key ring: ``{"keys": [{"kid": "...", "x": "<b64url public>", "d": "<b64url private seed>",
"nbf": "YYYY-MM-DD", "exp": "YYYY-MM-DD" | null}]}``. A key signs certificates whose issue date lies in
``[nbf, exp)``. Rotation: add a key with a later ``nbf`` and set the old one's ``exp`` to it
(``manage.py certificate_keys rotate``). A retired key stays in the published set with its ``exp``, so the
certificates it signed keep verifying; its private part may be dropped (``--drop-private``).

Outside production, when no ring exists, one key is generated into the key file (demo, tests).
"""

import base64
import json
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEV_NBF = "2020-01-01"
_lock = threading.Lock()
_cache = {}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    if not isinstance(text, str) or any(c not in _B64URL for c in text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True)
class Key:
    kid: str
    x: str
    nbf: date
    exp: date | None
    d: str | None = None

    def covers(self, day):
        return self.nbf <= day and (self.exp is None or day < self.exp)

    @property
    def public_key(self):
        return Ed25519PublicKey.from_public_bytes(b64url_decode(self.x))

    @property
    def private_key(self):
        if not self.d:
            raise ImproperlyConfigured(f"certificate key {self.kid} has no private part")
        return Ed25519PrivateKey.from_private_bytes(b64url_decode(self.d))

    def jwk(self):
        return {"kty": "OKP", "crv": "Ed25519", "kid": self.kid, "x": self.x, "use": "sig",
                "nbf": self.nbf.isoformat(), "exp": self.exp.isoformat() if self.exp else None}

    def to_json(self):
        entry = {"kid": self.kid, "x": self.x, "nbf": self.nbf.isoformat(),
                 "exp": self.exp.isoformat() if self.exp else None}
        if self.d:
            entry["d"] = self.d
        return entry


def keys_file():
    path = os.environ.get("CERTIFICATE_KEYS_FILE") or getattr(settings, "CERTIFICATE_KEYS_FILE", "")
    return Path(path) if path else Path(settings.MEDIA_ROOT) / "private" / "certificate-keys.json"


def _parse(text):
    ring = json.loads(text)
    keys = []
    for entry in ring.get("keys", []):
        key = Key(kid=entry["kid"], x=entry["x"], nbf=date.fromisoformat(entry["nbf"]),
                  exp=date.fromisoformat(entry["exp"]) if entry.get("exp") else None, d=entry.get("d") or None)
        if key.d and b64url(key.private_key.public_key().public_bytes_raw()) != key.x:
            raise ImproperlyConfigured(f"certificate key {key.kid}: private and public parts do not match")
        keys.append(key)
    return keys


def new_key(*, nbf, kid=None):
    private = Ed25519PrivateKey.generate()
    kid = kid or f"k{nbf:%Y%m%d}-{secrets.token_hex(3)}"
    return Key(kid=kid, x=b64url(private.public_key().public_bytes_raw()), nbf=nbf, exp=None,
               d=b64url(private.private_bytes_raw()))


def save_ring(keys, path=None):
    path = Path(path or keys_file())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps({"keys": [k.to_json() for k in keys]}, indent=2))
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    _cache.clear()


def ring():
    """All keys (public and, where present, private), oldest ``nbf`` first."""
    inline = os.environ.get("CERTIFICATE_SIGNING_KEYS") or getattr(settings, "CERTIFICATE_SIGNING_KEYS", "")
    if inline:
        source = ("inline", inline)
    else:
        path = keys_file()
        if not path.exists():
            if getattr(settings, "PRODUCTION", False):
                raise ImproperlyConfigured("No certificate signing keys: set CERTIFICATE_SIGNING_KEYS or "
                                           "CERTIFICATE_KEYS_FILE (manage.py certificate_keys generate).")
            with _lock:
                if not path.exists():
                    save_ring([new_key(nbf=date.fromisoformat(DEV_NBF))], path)
        source = ("file", str(path), path.stat().st_mtime_ns)
    cached = _cache.get(source)
    if cached is None:
        text = source[1] if source[0] == "inline" else Path(source[1]).read_text()
        cached = sorted(_parse(text), key=lambda k: (k.nbf, k.kid))
        _cache.clear()
        _cache[source] = cached
    return cached


def signing_key(day):
    """The key that signs a certificate issued on ``day``: a private key whose [nbf, exp) covers it."""
    usable = [k for k in ring() if k.d and k.covers(day)]
    if not usable:
        raise ImproperlyConfigured(f"no certificate signing key covers {day} (manage.py certificate_keys)")
    return usable[-1]


def public_key_set():
    """The published key set, retired keys included (they still verify what they signed)."""
    return {"keys": [k.jwk() for k in ring()]}


def sign(payload_bytes, key):
    return key.private_key.sign(payload_bytes)


def verify_signature(public_x, payload_bytes, signature):
    try:
        Ed25519PublicKey.from_public_bytes(b64url_decode(public_x)).verify(signature, payload_bytes)
    except (InvalidSignature, ValueError):
        return False
    return True
