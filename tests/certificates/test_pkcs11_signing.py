"""The PKCS#11 signer path for real (issue 17): a SoftHSM token made for the test holds an issuing body's signing key
and certificate; ``PDF_SIGNERS`` names the token as production would; a certificate issued through the normal service
is sealed by the token and validates with pyHanko against the served trust anchor (intact, trusted).

Needs Debian's ``softhsm2`` and ``opensc`` (``make test`` installs them: TEST_PKGS) and python-pkcs11 (the dev
extra): without them this test fails, it does not skip.
"""

import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

import pkcs11  # noqa: F401 — python-pkcs11 must be installed: an ImportError here fails the run
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from certificates import services, tasks
from portal.signing import IssuingBody, SigningUnavailable, backend, demo_ca
from tests.certificates.conftest import ric
from tests.sealing import seals_of

MODULE = "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"
TOKEN, PIN, SO_PIN, LABEL = "PORTAL-TEST", "246810", "13579111", "seal"


def _run(*args, env):
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{args[0]} failed: {done.stdout}{done.stderr}"
    return done.stdout


def _signing_certificate(body, key):
    """The body's signing certificate, issued by the tests' demo CA (the served trust anchor) — not 演示-marked in
    its name so that it is told apart from the demo key the body would otherwise use."""
    ca_cert, ca_key = demo_ca._ca()
    now = datetime.now(UTC) - timedelta(hours=1)
    name = x509.Name([x509.NameAttribute(x509.NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(x509.NameOID.COMMON_NAME, f"{body.name}（令牌）"),
                      x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, body.name),
                      x509.NameAttribute(x509.NameOID.SERIAL_NUMBER, body.code)])
    return (x509.CertificateBuilder().subject_name(name).issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(ca_key, hashes.SHA256()))


@pytest.fixture
def token(tmp_path, monkeypatch):
    """A SoftHSM token in a temporary directory (SOFTHSM2_CONF points at its own configuration)."""
    for tool in ("softhsm2-util", "pkcs11-tool"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} missing: apt-get install softhsm2 opensc (make test installs TEST_PKGS)")
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    env = {"SOFTHSM2_CONF": str(conf), "PATH": "/usr/bin:/bin"}
    _run("softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--so-pin", SO_PIN, "--pin", PIN, env=env)
    return tmp_path, env


def test_a_certificate_is_sealed_by_a_key_on_a_pkcs11_token(token, make_result, filed, settings, monkeypatch):
    tmp_path, env = token
    body = IssuingBody.of_institution(filed.inst)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # CKM_SHA256_RSA_PKCS on the token
    certificate = _signing_certificate(body, key)
    key_file, cert_file = tmp_path / "key.pem", tmp_path / "cert.der"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.DER))
    _run("softhsm2-util", "--import", str(key_file), "--token", TOKEN, "--label", LABEL, "--id", "01",
         "--pin", PIN, env=env)
    _run("pkcs11-tool", "--module", MODULE, "--token-label", TOKEN, "--login", "--pin", PIN, "--write-object",
         str(cert_file), "--type", "cert", "--label", LABEL, "--id", "01", env=env)
    key_file.unlink()  # the private key now lives on the token only

    monkeypatch.setenv("PORTAL_TEST_TOKEN_PIN", PIN)
    settings.PDF_SIGNERS = {body.key: {"pkcs11": {"module": MODULE, "token": TOKEN, "key_label": LABEL,
                                                  "cert_label": LABEL, "pin_env": "PORTAL_TEST_TOKEN_PIN"}}}

    issued = services.issue_from_result(make_result(name="张明", id_number=ric(11)), issued_by=filed.staff,
                                        issue_date=date(2026, 7, 10), render=False)
    assert tasks.ensure_pdf(issued)
    with issued.pdf.open("rb") as handle:
        data = handle.read()
    (seal,) = seals_of(data)
    assert seal.signer == filed.inst.name
    assert seal.intact and seal.valid and seal.trusted and seal.whole_file
    assert seal.serial == certificate.serial_number  # the token's certificate, not the body's demo one
    tampered = data[:len(data) // 4] + bytes([data[len(data) // 4] ^ 1]) + data[len(data) // 4 + 1:]
    (broken,) = seals_of(tampered)
    assert not (broken.intact and broken.valid)

    # A wrong PIN (a changed setting loads the signer again): that body cannot sign — unavailable, not a crash.
    monkeypatch.setenv("PORTAL_TEST_TOKEN_PIN_WRONG", "000000")
    settings.PDF_SIGNERS = {body.key: {"pkcs11": {**settings.PDF_SIGNERS[body.key]["pkcs11"],
                                                  "pin_env": "PORTAL_TEST_TOKEN_PIN_WRONG"}}}
    with pytest.raises(SigningUnavailable, match="无法加载"):
        backend().require([body])
