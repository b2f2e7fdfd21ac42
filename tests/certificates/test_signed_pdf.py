"""Signed certificate PDFs (issue 17 §1): PAdES seal of the issuing institution at 盖章处, valid against the served
trust anchor; one changed byte breaks it; the public upload page says 有效 / 已被篡改 / 已撤销; the command
``certificate_pdf`` writes the stored file."""

from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from certificates import services, tasks
from certificates.render import render_certificate_pdf
from portal.models import AuditLog
from portal.signing import demo_ca
from portal.signing.backends import outside_event_loop
from portal.signing.pades import PadesBackend
from tests.certificates.conftest import ric
from tests.sealing import seals_of, served_trust_anchor


@pytest.fixture
def certificate(make_result, filed):
    cert = services.issue_from_result(make_result(name="张明", id_number=ric(7)), issued_by=filed.staff,
                                      issue_date=date(2026, 7, 10), render=False)
    tasks.ensure_pdf(cert)
    return cert


def _stored(cert):
    with cert.pdf.open("rb") as handle:
        return handle.read()


def _flip(data, at):
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def _upload(client, data, name="certificate.pdf"):
    return client.post(reverse("certificates:verify_pdf"), {"file": SimpleUploadedFile(name, data, "application/pdf")})


def test_certificate_is_sealed_by_its_issuer_and_one_changed_byte_breaks_the_seal(certificate, filed):
    data = _stored(certificate)
    (seal,) = seals_of(data)
    assert seal.signer == filed.inst.name  # 谁发证谁负责: the school's seal, no government seal
    assert seal.intact and seal.valid and seal.trusted and seal.whole_file
    x1, y1, x2, y2 = seal.rect
    assert seal.page == 0 and 100 < x2 - x1 < 120  # a visible 40 mm seal on the certificate's page
    # One byte of the certificate's own content (inside the signed range), changed.
    tampered = _flip(data, len(data) // 4)
    broken = seals_of(tampered)
    assert not (broken[0].intact and broken[0].valid)


def test_upload_page_says_valid_for_the_original_and_tampered_for_a_changed_copy(certificate, client):
    data = _stored(certificate)
    response = _upload(client, data)
    page = response.content.decode()
    assert response.status_code == 200 and 'data-code="valid"' in page and "有效" in page
    assert "安徽工业大学" in page and certificate.number in page and certificate.pdf_sha256 in page
    response = _upload(client, _flip(data, len(data) // 4))
    page = response.content.decode()
    assert 'data-code="tampered"' in page and "已被篡改" in page


def test_upload_of_a_revoked_certificate_is_red_with_the_reason(certificate, filed, client):
    data = _stored(certificate)
    services.revoke_certificate(certificate, reason="issued_in_error", note="重复发证", actor=filed.staff)
    page = _upload(client, data).content.decode()
    assert 'data-code="revoked"' in page and "cert-revoked" in page and "误发" in page


def test_bytes_appended_after_the_seal_are_tampering_and_keep_the_revocation(certificate, filed, client):
    """pyHanko accepts a revision appended after the seal that changes nothing on the page (a comment line, a new
    /Info) as unchanged; the register then missed the file and a revoked certificate's PDF was shown amber
    (签章有效，但与登记不符) without its 已撤销 (the forgery audit of 2026-12-07)."""
    data = _stored(certificate)
    page = _upload(client, data + b"\n% x\n").content.decode()
    assert 'data-code="tampered"' in page and "签章之后被追加了内容" in page
    services.revoke_certificate(certificate, reason="issued_in_error", note="重复发证", actor=filed.staff)
    page = _upload(client, data + b"\n% x\n").content.decode()
    assert 'data-code="tampered"' in page and "已撤销" in page and "误发" in page


def test_upload_refuses_what_is_not_a_pdf_and_an_unsigned_pdf_is_not_valid(client, db):
    page = _upload(client, b"MZ\x90\x00 not a pdf", name="x.pdf").content.decode()
    assert "内容与扩展名不符" in page and "data-code" not in page
    page = _upload(client, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").content.decode()
    assert 'data-code="unsigned"' in page or 'data-code="unreadable"' in page


def test_regenerating_keeps_the_stored_sealed_file(certificate):
    first = certificate.pdf_sha256
    assert not tasks.ensure_pdf(certificate, force=True)  # same content: the sealed file is kept
    certificate.refresh_from_db()
    assert certificate.pdf_sha256 == first


def test_trust_anchor_is_listed_with_the_qr_keys(client, db):
    page = client.get(reverse("certificates:offline")).content.decode()
    assert "/.well-known/pdf-signing-ca.pem" in page and "/.well-known/certificate-keys.json" in page
    assert client.get("/.well-known/pdf-signing-ca.pem").content.startswith(b"-----BEGIN CERTIFICATE-----")


def test_certificate_pdf_command_writes_the_stored_file(certificate):
    out = BytesIO()
    call_command("certificate_pdf", certificate.number, stdout=out)
    assert out.getvalue() == _stored(certificate)
    assert AuditLog.objects.filter(action="certificates.print_pdf", object_id=str(certificate.pk)).exists()


def _local_tsa():
    """A timestamp authority certified by the demo CA (no network: pyHanko's in-process TSA)."""
    ca_cert, ca_key = demo_ca._ca()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC) - timedelta(hours=1)
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试时间戳")]))
            .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(ca_key, hashes.SHA256()))
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return DummyTimeStamper(tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
                            tsa_key=asn1_keys.PrivateKeyInfo.load(der_key))


def test_with_a_timestamp_service_the_seal_is_timestamped_with_validation_data(certificate, monkeypatch, client):
    """PDF_TSA_URL set: an RFC 3161 token in the signature (PAdES B-T) and the chain in the DSS (B-LT)."""
    stamper = _local_tsa()
    monkeypatch.setattr(PadesBackend, "timestamper", lambda self: stamper)
    data = render_certificate_pdf(certificate)
    reader = PdfFileReader(BytesIO(data))
    assert "/DSS" in reader.root  # validation data embedded (B-LT)
    status = outside_event_loop(validate_pdf_signature, reader.embedded_signatures[0],  # browser tests' loop
                                ValidationContext(trust_roots=served_trust_anchor(), allow_fetching=False))
    assert status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    page = _upload(client, data).content.decode()
    assert "可信时间戳" in page and "已被篡改" not in page
