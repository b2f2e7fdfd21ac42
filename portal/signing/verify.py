"""Checks an uploaded PDF's signatures against the portal's trust anchors (the public upload-to-verify page).

For each signature: who signed (the certificate's organisation), when (the timestamp token's time when there is
one, else the signer's claimed time), whether the signed bytes are unchanged (intact digest, valid signature,
and nothing but later signatures or validation data added after it), whether the chain leads to a served trust
anchor. Uses the maintained validator (pyHanko); nothing here re-implements signature checking.
"""

import logging
from dataclasses import dataclass, field
from io import BytesIO

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .backends import backend, outside_event_loop

logger = logging.getLogger(__name__)


@dataclass
class SignatureReport:
    signer: str
    signed_at: object  # aware datetime or None
    timestamped: bool
    unchanged: bool
    trusted: bool
    demo: bool


@dataclass
class PdfReport:
    readable: bool
    signatures: list = field(default_factory=list)

    @property
    def signed(self):
        return bool(self.signatures)

    @property
    def unchanged(self):
        """Every signature intact and the file not altered after the last one."""
        return self.signed and all(s.unchanged for s in self.signatures)

    @property
    def trusted(self):
        return self.signed and all(s.trusted for s in self.signatures)


def trust_roots():
    return [asn1_x509.Certificate.load(der) for _type, _headers, der in
            asn1_pem.unarmor(backend().trust_anchors_pem(), multiple=True)]


def _signer_name(cert):
    subject = cert.subject.native
    return subject.get("organization_name") or subject.get("common_name") or cert.subject.human_friendly


def _report(embedded, roots):
    status = outside_event_loop(validate_pdf_signature, embedded,
                                ValidationContext(trust_roots=roots, allow_fetching=False))
    covered = status.coverage in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)
    unchanged = bool(status.intact and status.valid and covered
                     and (status.coverage == SignatureCoverageLevel.ENTIRE_FILE or status.docmdp_ok))
    timestamp = status.timestamp_validity
    cert = status.signing_cert
    unit = str(cert.subject.native.get("organizational_unit_name", "")) if cert is not None else ""
    return SignatureReport(
        signer=_signer_name(cert) if cert is not None else "", timestamped=timestamp is not None,
        signed_at=timestamp.timestamp if timestamp is not None else status.signer_reported_dt,
        unchanged=unchanged, trusted=bool(status.trusted), demo="演示" in unit)


def check_pdf(data):
    """A ``PdfReport`` of ``data`` (bytes). A file that cannot be read as a PDF is reported, never raised."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        logger.info("uploaded PDF not readable: %s", exc)
        return PdfReport(readable=False)
    roots = trust_roots()
    reports = []
    for signature in embedded:
        try:
            reports.append(_report(signature, roots))
        except Exception as exc:  # noqa: BLE001 — a broken signature is reported as changed, not a 500
            logger.info("signature not verifiable: %s", exc)
            reports.append(SignatureReport(signer="", signed_at=None, timestamped=False, unchanged=False,
                                           trusted=False, demo=False))
    return PdfReport(readable=True, signatures=reports)
