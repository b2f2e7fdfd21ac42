"""The demo CA (``make demo`` and tests): a local root and one signing certificate per issuing body.

Everything is marked 演示 (the CA's name, each certificate's organisation unit) and is never used in
production unless ``PDF_SIGNING_DEMO=1`` says so explicitly (``manage.py check --deploy`` warns). Files live in
``PDF_SIGNING_DIR`` (default ``MEDIA_ROOT/private/pdf-signing``: outside the repository, no URL), private keys
mode 0600. Created on first use, kept afterwards: a document signed yesterday still validates against the
trust anchor served today.
"""

import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

CA_NAME = "一试三证平台 演示根证书"
DEMO_UNIT = "演示证书 仅供演示 生产环境无效"
_lock = threading.Lock()


def signing_dir():
    path = os.environ.get("PDF_SIGNING_DIR") or getattr(settings, "PDF_SIGNING_DIR", "")
    return Path(path) if path else Path(settings.MEDIA_ROOT) / "private" / "pdf-signing"


def _write_private(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}.{threading.get_ident()}")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def _fit(text, limit=64):
    """X.509 names allow 64 bytes (UTF-8) per attribute: a long name is shortened, never refused."""
    while len(text.encode()) > limit:
        text = text[:-1]
    return text


def _name(common, organisation=None, code=None):
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
             x509.NameAttribute(NameOID.COMMON_NAME, _fit(common))]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organisation)))
    parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_UNIT))
    if code:
        parts.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, code))
    return x509.Name(parts)


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _ca():
    """(certificate, key) of the demo root, created once."""
    cert_path, key_path = signing_dir() / "demo-ca.pem", signing_dir() / "demo-ca.key.pem"
    if not cert_path.exists():
        key = _new_key()
        now = datetime.now(UTC) - timedelta(days=1)
        subject = _name(CA_NAME)
        cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now)
                .not_valid_after(now + timedelta(days=3650))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                             crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .sign(key, hashes.SHA256()))
        _write_private(key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
        _write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    return cert, key


def ca_pem():
    """The demo trust anchor (PEM), created if missing."""
    with _lock:
        _ca()
    return (signing_dir() / "demo-ca.pem").read_bytes()


def pkcs12_for(body):
    """The PKCS#12 bytes (no passphrase; the file is 0600) of ``body``'s demo signing certificate, created once."""
    path = signing_dir() / f"{body.key}.p12"
    with _lock:
        if not path.exists():
            ca_cert, ca_key = _ca()
            key = _new_key()
            now = datetime.now(UTC) - timedelta(days=1)
            cert = (x509.CertificateBuilder()
                    .subject_name(_name(f"{_fit(body.name, 52)}（演示）", body.name, body.code))
                    .issuer_name(ca_cert.subject).public_key(key.public_key())
                    .serial_number(x509.random_serial_number()).not_valid_before(now)
                    .not_valid_after(now + timedelta(days=5 * 365))
                    .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                    .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                                 key_encipherment=False, data_encipherment=False, key_agreement=False,
                                                 key_cert_sign=False, crl_sign=False, encipher_only=False,
                                                 decipher_only=False), critical=True)
                    .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                                          x509.ObjectIdentifier("1.2.840.113583.1.1.5")]),
                                   critical=False)  # 1.2.840.113583.1.1.5: Adobe Authentic Documents Trust
                    .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                                   critical=False)
                    .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                    .sign(ca_key, hashes.SHA256()))
            data = pkcs12.serialize_key_and_certificates(body.key.encode(), key, cert, [ca_cert],
                                                         serialization.NoEncryption())
            _write_private(path, data)
    return path.read_bytes()
