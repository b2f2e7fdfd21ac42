"""Test helper: the seals of a PDF as pyHanko validates them against the portal's served trust anchor."""

from dataclasses import dataclass
from io import BytesIO

from asn1crypto import pem, x509
from django.test import Client
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from portal.signing.backends import outside_event_loop


@dataclass
class Seal:
    signer: str
    intact: bool
    valid: bool
    trusted: bool
    whole_file: bool
    page: int
    rect: tuple
    serial: int = 0  # the signing certificate's serial number


def served_trust_anchor():
    response = Client().get("/.well-known/pdf-signing-ca.pem")
    assert response.status_code == 200 and response["Content-Type"] == "application/x-pem-file"
    return [x509.Certificate.load(der) for _t, _h, der in pem.unarmor(response.content, multiple=True)]


def seals_of(data, roots=None):
    roots = roots or served_trust_anchor()
    reader = PdfFileReader(BytesIO(data))
    seals = []
    for embedded in reader.embedded_signatures:
        status = outside_event_loop(validate_pdf_signature, embedded,
                                    ValidationContext(trust_roots=roots, allow_fetching=False))
        widget = embedded.sig_field["/Kids"][0].get_object() if "/Kids" in embedded.sig_field else embedded.sig_field
        pages = [p.idnum for p in reader.root["/Pages"]["/Kids"]]
        seals.append(Seal(signer=status.signing_cert.subject.native["organization_name"], intact=status.intact,
                          valid=status.valid, trusted=status.trusted,
                          whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                          page=pages.index(widget.raw_get("/P").idnum) if "/P" in widget else -1,
                          rect=tuple(float(v) for v in widget["/Rect"]),
                          serial=status.signing_cert.serial_number))
    return seals
