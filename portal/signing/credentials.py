"""Where each issuing body's certificate and key come from.

Production: ``PDF_SIGNERS`` (settings dict, or JSON text in the environment variable of that name) maps a body's
key (``inst-<统一社会信用代码>``, ``hrss-34`` for the provincial office, ``hrss-<city code>``) to either

- ``{"pkcs12": "/path/file.p12", "passphrase_env": "VAR"}`` — a PKCS#12 file (passphrase read from ``VAR``), or
- ``{"pkcs11": {"module": "/usr/lib/…/libxx.so", "token": "LABEL", "key_label": "…", "cert_label": "…",
  "pin_env": "VAR"}}`` — a key on a token or HSM (needs ``pip install 'pyHanko[pkcs11]'``).

``PDF_SIGNING_CA_FILE`` is the PEM bundle of the CA(s) that issued them: the trust anchor served at
``/.well-known/pdf-signing-ca.pem``. Without a configured credential, a body signs with its demo certificate
(``demo_ca``) — outside production, or in production only when ``PDF_SIGNING_DEMO=1``.
"""

import json
import os
from dataclasses import replace
from functools import partial
from pathlib import Path

from asn1crypto import cms
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from pyhanko.sign import signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

from . import cms_template, demo_ca
from .backends import SigningUnavailable


class LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's in-memory signer, with the private key parsed once instead of at every signature, and the
    signature container filled in from a template after the first (``cms_template``).

    ``SimpleSigner.sign_raw`` loads the key from DER for each signature; for RSA that includes the key's
    consistency check, measured at ~15 ms — as much as the rest of a seal. The parsed key is kept instead, for RSA
    (PKCS#1 v1.5) and ECDSA keys alike (a production certificate may be either); other mechanisms go to pyHanko."""

    _loaded = None

    async def async_sign(self, data_digest, digest_algorithm, **kwargs):
        attrs = kwargs.get("signed_attr_settings")
        use_pades = kwargs.get("use_pades", False)
        signing_time = attrs.signing_time if attrs is not None else None
        plain = (not kwargs.get("dry_run") and kwargs.get("timestamper") is None and kwargs.get("is_pdf_sig", True)
                 and kwargs.get("encap_content_info") is None and (use_pades or signing_time is not None)
                 and (attrs is None or replace(attrs, signing_time=None) == PdfCMSSignedAttributes()))
        if not plain:
            return await super().async_sign(data_digest, digest_algorithm, **kwargs)
        templates = self.__dict__.setdefault("_templates", {})
        key = (digest_algorithm, use_pades)
        template = templates.get(key)
        sign = partial(self.sign_raw, digest_algorithm=digest_algorithm)
        if template is not None:
            time_der = cms_template.time_value_der(signing_time) if template.time_at is not None else None
            der = template.fill(data_digest, time_der, sign)
            if der is not None:
                return cms.ContentInfo.load(der)
        result = await super().async_sign(data_digest, digest_algorithm, **kwargs)
        if key not in templates:
            templates[key] = cms_template.learn(result, data_digest, signing_time, sign)
        return result

    def sign_raw(self, data, digest_algorithm):
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism not in ("rsassa_pkcs1v15", "ecdsa"):
            return super().sign_raw(data, digest_algorithm)
        if self._loaded is None:
            self._loaded = serialization.load_der_private_key(self.signing_key.dump(), password=None)
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "ecdsa":
            return self._loaded.sign(data, ec.ECDSA(digest))
        return self._loaded.sign(data, PKCS1v15(), digest)


def _from_pkcs12(data, passphrase):
    loaded = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=passphrase)
    return LoadedKeySigner(signing_key=loaded.signing_key, signing_cert=loaded.signing_cert,
                           cert_registry=loaded.cert_registry)


def configured():
    raw = os.environ.get("PDF_SIGNERS") or getattr(settings, "PDF_SIGNERS", None) or {}
    return json.loads(raw) if isinstance(raw, str) else dict(raw)


def demo_allowed():
    explicit = os.environ.get("PDF_SIGNING_DEMO")
    if explicit is not None:
        return explicit.lower() in ("1", "true", "yes", "on")
    return not getattr(settings, "PRODUCTION", False)


def _secret(spec, name):
    var = spec.get(name)
    value = os.environ.get(var) if var else None
    return value.encode() if value else None


def _pkcs11_signer(spec):
    """A key on a PKCS#11 token or HSM. python-pkcs11 is an optional dependency (``pip install '.[pkcs11]'``;
    installed for the tests, which sign through SoftHSM: tests/certificates/test_pkcs11_signing.py), so it is
    imported only where a token is configured; without it the body's signing is unavailable (logged), not a 500."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    session = pkcs11.open_pkcs11_session(spec["module"], slot_no=spec.get("slot"),
                                         token_criteria=TokenCriteria(label=spec.get("token")),
                                         user_pin=(_secret(spec, "pin_env") or b"").decode() or None)
    return pkcs11.PKCS11Signer(session, cert_label=spec.get("cert_label"), key_label=spec.get("key_label"))


def source_of(body):
    """Where ``body``'s credential comes from, as text (the backend's cache key)."""
    spec = configured().get(body.key)
    if spec:
        return json.dumps(spec, sort_keys=True)
    return f"demo:{demo_ca.signing_dir()}" if demo_allowed() else "none"


def load_signer(body):
    """A pyHanko signer for ``body`` (loaded once per process by the backend)."""
    spec = configured().get(body.key)
    if spec and "pkcs12" in spec:
        return _from_pkcs12(Path(spec["pkcs12"]).read_bytes(), _secret(spec, "passphrase_env"))
    if spec and "pkcs11" in spec:
        return _pkcs11_signer(spec["pkcs11"])
    if demo_allowed():
        return _from_pkcs12(demo_ca.pkcs12_for(body), None)
    raise SigningUnavailable(f"“{body.name}”未配置签章证书（PDF_SIGNERS: {body.key}），文件不能签发。", body)


def trust_anchors_pem():
    """The configured CA bundle, plus the demo root where demo keys are in use (labelled 演示)."""
    parts = []
    path = os.environ.get("PDF_SIGNING_CA_FILE") or getattr(settings, "PDF_SIGNING_CA_FILE", "")
    if path:
        parts.append(Path(path).read_bytes().strip() + b"\n")
    if demo_allowed():
        parts.append(demo_ca.ca_pem())
    return b"".join(parts)
