"""The signer-backend interface: what a document asks of "a signer", whatever the technology behind it.

A document (certificate, receipt, report, minutes) only says *who* seals it and *where*: a list of ``SealRequest``
(issuing body, page, box in PDF points, reason). A backend turns the unsigned PDF bytes into sealed bytes and
names the trust anchors a verifier needs. The PAdES backend (``portal.signing.pades``, pyHanko, X.509) is the
default; another — e.g. an SM2 electronic seal under GB/T 38540 — is a class with the same two methods named in
``PDF_SIGNING_BACKEND``; no document, template or task changes (docs/signing.md).
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .bodies import IssuingBody

DEFAULT_BACKEND = "portal.signing.pades.PadesBackend"


@dataclass(frozen=True, slots=True)
class SealRequest:
    body: IssuingBody
    page: int  # 0-based page index
    box: tuple[float, float, float, float]  # (x1, y1, x2, y2) in PDF points, origin bottom left
    reason: str


class SigningUnavailable(Exception):
    """No usable credential for an issuing body (production without its certificate, or one that does not load):
    the document is not issued. A page that meets it answers 503 with a Chinese explanation
    (``portal.middleware.SigningUnavailableMiddleware``), never a 500 and never an unsigned file."""

    def __init__(self, message, body=None):
        super().__init__(message)
        self.body = body


class SignerBackend(Protocol):
    def sign(self, document: bytes, seals: list[SealRequest]) -> bytes:
        """The document with one signature per seal, applied in order (each an incremental update)."""

    def trust_anchors_pem(self) -> bytes:
        """The root certificates (PEM) a verifier trusts for documents this backend signs."""

    def require(self, bodies: list[IssuingBody]) -> None:
        """Raises ``SigningUnavailable`` unless every body of ``bodies`` can sign now (checked before a rendering
        is queued, so that a page can say so at once instead of waiting for a task that will fail)."""


@lru_cache(maxsize=1)
def backend() -> SignerBackend:
    """The configured backend, created once per process (it caches each body's signer)."""
    return import_string(getattr(settings, "PDF_SIGNING_BACKEND", "") or DEFAULT_BACKEND)()


def require(seals):
    """``SigningUnavailable`` unless the configured backend can sign for every seal's body (a backend without a
    ``require`` method is asked nothing here: it raises when it signs)."""
    check = getattr(backend(), "require", None)
    if check is not None:
        check([seal.body for seal in seals])


def outside_event_loop(function, *args):
    """Calls ``function(*args)``, in a helper thread when this thread runs an asyncio loop: pyHanko's synchronous
    API uses ``asyncio.run``, which refuses to run inside a loop (an async view, or a browser test's thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()
