"""The PAdES backend (pyHanko): one signature per seal, a visible seal at 盖章处, signing time, and — when
``PDF_TSA_URL`` is set — an RFC 3161 timestamp (PAdES B-T) with the chain's revocation info embedded (B-LT).

Speed (issue 17): each body's signer is loaded once per process, the seal's drawing is a ready compressed form
XObject, and ``bytes_reserved`` is sized once per signer from its certificates and key (pyHanko's default estimate
signs twice to size the signature; a fixed 8 KB wrote ~1.5 KB of padding hex into every PDF). Figures:
docs/signing.md § Cost (what remains is asn1crypto building the CMS inside pyHanko).
"""

import logging
import os
import threading
from functools import partial
from io import BytesIO

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.pdf_utils import content, generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext

from . import credentials, seal
from .backends import SigningUnavailable, outside_event_loop

logger = logging.getLogger(__name__)

BYTES_RESERVED = 8192  # the fallback when a signer's own size cannot be worked out (and pyHanko's unit: hex digits)
BYTES_RESERVED_TSA = 32768  # plus a timestamp token and its chain
CMS_OVERHEAD = 1024  # signed attributes (~650 bytes: type, time, digest, algorithm protection, signing cert v2) + slack


def reservation(signer):
    """Hex digits to reserve for ``signer``'s CMS: twice (hex) its certificates, its signature and the attributes.
    RSA-2048 with the demo chain needs 5,614 and gets 6,400 (it was 8,192); ECDSA P-256 less."""
    certs = {cert.dump() for cert in (signer.signing_cert, *(signer.cert_registry or ()))}
    key = signer.signing_cert.public_key
    bits = key.bit_size
    signature = bits // 8 if key.algorithm == "rsa" else 2 * ((bits + 7) // 8) + 9  # ECDSA: DER (r, s)
    needed = 2 * (sum(len(der) for der in certs) + signature + CMS_OVERHEAD)
    return -(-needed // 256) * 256


def _sign_pdf(pdf_signer, writer, reserved):
    """pyHanko's ``sign_pdf`` (``asyncio.run`` inside; in a helper thread where this thread runs a loop). Keeping one
    event loop per thread instead was measured: no fewer instructions (callgrind, docs/performance.md)."""
    return outside_event_loop(partial(pdf_signer.sign_pdf, writer, bytes_reserved=reserved))


class SealContent(content.PdfContent):
    """The seal as a form XObject whose stream is compressed once per body and process."""

    def __init__(self, body, footer):
        self.data, side = seal.seal_stream(body.name, footer)
        super().__init__(box=BoxConstraints(width=side, height=side))

    def render(self):
        side = self.box.width
        xobject = generic.StreamObject({
            pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Form"),
            pdf_name("/BBox"): generic.ArrayObject([generic.FloatObject(v) for v in (0, 0, side, side)]),
            pdf_name("/Filter"): pdf_name("/FlateDecode")}, encoded_data=self.data)
        self.set_resource(content.ResourceType.XOBJECT, pdf_name("/Seal"), self.writer.add_object(xobject))
        return b"/Seal Do"


def _tsa_url():
    return os.environ.get("PDF_TSA_URL") or getattr(settings, "PDF_TSA_URL", "")


class PadesBackend:
    def __init__(self):
        self._signers, self._styles, self._reserved, self._lock = {}, {}, {}, threading.Lock()

    def _signer(self, body):
        key = (body.key, credentials.source_of(body))  # a changed setting or key directory loads again
        with self._lock:
            if key not in self._signers:
                self._signers[key] = self._load(body)
            return self._signers[key]

    @staticmethod
    def _load(body):
        """The body's signer; a configured credential that does not load (file missing, wrong passphrase or PIN,
        token absent) is the same as none: ``SigningUnavailable``, with the cause in the log, not a 500."""
        try:
            return credentials.load_signer(body)
        except SigningUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 — any failure of the key store (OSError, ValueError, PKCS#11 errors)
            logger.exception("signing credential of %s (%s) could not be loaded", body.key, body.name)
            raise SigningUnavailable(f"“{body.name}”的签章证书无法加载，文件不能签发。", body) from exc

    def require(self, bodies):
        for body in bodies:
            self._signer(body)

    def _style(self, body, demo):
        key = (body.key, demo)
        if key not in self._styles:
            self._styles[key] = StaticStampStyle(background=SealContent(body, "演示" if demo else "电子签章"),
                                                 background_opacity=0.9, border_width=0)
        return self._styles[key]

    def _is_demo(self, signer):
        subject = signer.signing_cert.subject.native
        return "演示" in str(subject.get("organizational_unit_name", ""))

    def trust_anchors_pem(self):
        return credentials.trust_anchors_pem()

    def _validation_context(self):
        roots = [asn1_x509.Certificate.load(der) for _type, _headers, der in
                 asn1_pem.unarmor(self.trust_anchors_pem(), multiple=True)]
        return ValidationContext(trust_roots=roots, allow_fetching=True)

    def timestamper(self):
        """The RFC 3161 client when ``PDF_TSA_URL`` is set (PAdES B-T; validation info embedded: B-LT)."""
        url = _tsa_url()
        return timestamps.HTTPTimeStamper(url) if url else None

    def sign(self, document, seals):
        tsa = self.timestamper()
        for number, request in enumerate(seals, start=1):
            signer = self._signer(request.body)
            meta = signers.PdfSignatureMetadata(
                field_name=f"Seal{number}", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
                reason=request.reason, location="安徽", name=request.body.name,
                embed_validation_info=tsa is not None,
                validation_context=self._validation_context() if tsa is not None else None)
            pdf_signer = signers.PdfSigner(
                meta, signer=signer, stamp_style=self._style(request.body, self._is_demo(signer)),
                timestamper=tsa,
                new_field_spec=fields.SigFieldSpec(f"Seal{number}", on_page=request.page,
                                                   box=tuple(round(v, 2) for v in request.box)))
            if tsa is not None:  # a timestamp token and validation data: pyHanko's own loop handling and release
                writer = IncrementalPdfFileWriter(BytesIO(document), strict=False)
                out = outside_event_loop(partial(pdf_signer.sign_pdf, writer, bytes_reserved=BYTES_RESERVED_TSA))
            else:
                out = self._sign_sized(pdf_signer, signer, document)
            document = out.getvalue()
        return document

    def _sign_sized(self, pdf_signer, signer, document):
        """One pass with the signer's own reservation; should it ever be short (an unusual chain), the document
        is signed again with the generous fallback, once, and the larger size is kept for that signer."""
        reserved = self._reserved.get(id(signer))
        if reserved is None:
            try:
                reserved = self._reserved[id(signer)] = reservation(signer)
            except (AttributeError, KeyError, TypeError, ValueError):
                reserved = self._reserved[id(signer)] = BYTES_RESERVED
        try:
            return _sign_pdf(pdf_signer, IncrementalPdfFileWriter(BytesIO(document), strict=False), reserved)
        except SigningError as exc:
            if "larger than expected" not in str(exc) or reserved >= BYTES_RESERVED_TSA:
                raise
            logger.warning("signature reservation of %d too small for %s: signing with %d", reserved,
                           signer.signing_cert.subject.human_friendly, BYTES_RESERVED_TSA)
            self._reserved[id(signer)] = BYTES_RESERVED_TSA
            return _sign_pdf(pdf_signer, IncrementalPdfFileWriter(BytesIO(document), strict=False),
                             BYTES_RESERVED_TSA)
