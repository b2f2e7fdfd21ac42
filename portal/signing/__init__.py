"""Signed PDFs (issue 17 §1): every PDF the portal issues is sealed by the body that issues it.

A document says who seals it and where (``Seal``: an issuing body and the id of the element at its 盖章处 in the
template); ``portal.pdf`` finds that place in the rendered pages and hands the backend (``backends``) the unsigned
bytes with one ``SealRequest`` per seal. Keys: ``credentials`` (PKCS#12, PKCS#11, or the demo CA ``demo_ca``).
Verification of an uploaded PDF: ``verify``. How to get a real certificate and add a backend: docs/signing.md.
"""

from dataclasses import dataclass

from .backends import SealRequest, SignerBackend, SigningUnavailable, backend, require
from .bodies import IssuingBody

__all__ = ["IssuingBody", "Seal", "SealRequest", "SignerBackend", "SigningUnavailable", "backend", "require"]


@dataclass(frozen=True, slots=True)
class Seal:
    """``body`` seals the document at the element ``id="{anchor}"`` of its template (the seal centred on it)."""

    body: IssuingBody
    anchor: str
    reason: str
