"""PDF rendering with WeasyPrint: HTML templates in, sealed PDF bytes out, Chinese fonts embedded.

One ``FontConfiguration`` is shared per process: building it per document costs time and memory. Called from
Celery tasks (in-process in the demo). Every issued PDF is sealed (``portal.signing``): a template marks each
盖章处 with an empty element ``<span id="seal-…"></span>``; ``render`` records where those fall on the pages,
``sign`` seals there. The unsigned rendering is deterministic (no creation date), and a signature is an
incremental update, so a stored signed file *begins with* the unsigned bytes it sealed: ``store_rendered``
keeps the stored file when the same content renders again (its SHA-256 in the register stays valid).
"""

import hashlib
import zlib
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

import pydyf
from django.core.files.base import ContentFile
from django.template.loader import render_to_string

from portal import fontsubset, signing
from portal.signing import seal as seal_drawing

# Tagged PDF (issue 18, WCAG 1.3.1 / GB/T 37668): a structure tree for screen readers, the <title> as the document
# Title and <html lang> as its language, <img alt> as the figures' alternative text. Used by every render call.
WRITE_OPTIONS = {"pdf_tags": True}

PT_PER_PX = 0.75  # WeasyPrint lays out in CSS px (1/96 in); PDF user space is in points (1/72 in)

# The deflate level of every stream ``rendered`` writes (content, font subsets, ToUnicode maps). pydyf, which
# WeasyPrint writes with, hard-codes level 9. A certificate's streams (the QR's ~1,500 rectangles in the content
# stream, two font subsets: ~128 KB before deflating) measured in one process, CPU per certificate and bytes:
# level 9 4.9 ms / 29,835; level 6 2.0 ms / 29,932; level 1 0.9 ms / 32,307. Level 1 saves ~1 ms of a
# certificate's ~25 for 2.4 KB more in a ~52 KB file (goal ≤ 150 KB).
ZLIB_LEVEL = 1
_zlib_level = ContextVar("pdf_zlib_level", default=None)


class _PydyfZlib:
    """pydyf's ``zlib`` module (pinned pydyf 0.x calls ``zlib.compressobj(level=9)`` in ``Stream.data``): the
    level ``rendered`` sets while it writes, pydyf's own elsewhere. A context variable, so a thread or task that
    writes a PDF some other way meanwhile keeps its level."""

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        chosen = _zlib_level.get()
        return zlib.compressobj(level if chosen is None else chosen, *args, **kwargs)


pydyf.zlib = _PydyfZlib()


def _classic_xref(_document, pdf_object):
    """WeasyPrint's ``finisher``: the file is written with its objects in the open and a classic cross-reference
    table, not packed into an object stream with an xref stream (pydyf's ``compress``; every content, font and
    image stream stays deflated). Sealing reads the file back (pyHanko's incremental writer): an object stream
    has to be inflated and parsed in Python to reach the catalog, the page and the fields, ~2 ms of a
    certificate's 6 ms seal, and pydyf no longer builds and deflates the object stream. A certificate grows by
    ~8 KB (goal ≤ 150 KB in all). Measured on 60 certificates: seal 5.8–6.2 → 4.4–4.7 ms CPU."""
    write = type(pdf_object).write
    pdf_object.write = lambda output, version=b"1.7", identifier=False, compress=False: write(
        pdf_object, output, version, identifier, False)


@lru_cache(maxsize=1)
def font_config():
    from weasyprint.text.fonts import FontConfiguration

    fontsubset.install()  # one HarfBuzz pass per embedded font subset, the same bytes (checked per font)
    return FontConfiguration()


@dataclass(frozen=True)
class Rendered:
    """Unsigned PDF bytes, the page sizes (pt) and where each ``seal…`` element fell: name → (page, (x, y) pt)."""

    data: bytes
    pages: list = field(default_factory=list)
    anchors: dict = field(default_factory=dict)


def rendered(document, **write_options):
    """A WeasyPrint ``Document`` written to PDF, with its seal places."""
    pages, anchors = [], {}
    for index, page in enumerate(document.pages):
        width, height = page.width * PT_PER_PX, page.height * PT_PER_PX
        pages.append((width, height))
        for name, (x1, y1, x2, y2) in page.anchors.items():
            if name.startswith("seal") and name not in anchors:
                anchors[name] = (index, ((x1 + x2) / 2 * PT_PER_PX, height - (y1 + y2) / 2 * PT_PER_PX))
    token = _zlib_level.set(ZLIB_LEVEL)
    try:
        data = document.write_pdf(finisher=_classic_xref, **{**WRITE_OPTIONS, **write_options})
    finally:
        _zlib_level.reset(token)
    return Rendered(data, pages, anchors)


def render(template_name, context, *, base_url=None):
    """Renders ``template_name`` (a full HTML page with its own @page CSS) unsigned."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return rendered(HTML(string=html, base_url=base_url).render(font_config=font_config(), **WRITE_OPTIONS))


def seal_requests(result, seals):
    """Each seal centred on its element; a template without the element gets it at the last page's lower right."""
    side, margin = seal_drawing.SIZE_PT, 28  # the seal stays 10 mm inside the paper's edge
    requests = []
    for seal in seals:
        if seal.anchor in result.anchors:
            page, (x, y) = result.anchors[seal.anchor]
        else:
            page = len(result.pages) - 1
            x, y = result.pages[page][0] - 60 - side / 2, 60 + side / 2
        width, height = result.pages[page]
        x = min(max(x, margin + side / 2), width - margin - side / 2)
        y = min(max(y, margin + side / 2), height - margin - side / 2)
        requests.append(signing.SealRequest(body=seal.body, page=page, reason=seal.reason,
                                            box=(x - side / 2, y - side / 2, x + side / 2, y + side / 2)))
    return requests


def sign(result, seals):
    return signing.backend().sign(result.data, seal_requests(result, seals))


def render_pdf(template_name, context, *, seals, base_url=None):
    """Renders and seals: the PDF bytes as issued."""
    return sign(render(template_name, context, base_url=base_url), seals)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def is_sealed_copy(stored, result):
    """True when ``stored`` is this very rendering with signatures appended (incremental updates)."""
    return len(stored) > len(result.data) and stored.startswith(result.data)


def stored_bytes(file_field):
    if not file_field:
        return None
    try:
        with file_field.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def store_rendered(instance, field_name, filename, result, seals, *, sha_field=None):
    """Seals and stores ``result`` unless the stored file is already this rendering sealed. True if stored."""
    existing = stored_bytes(getattr(instance, field_name))
    if existing is not None and is_sealed_copy(existing, result):
        if sha_field and getattr(instance, sha_field) != sha256(existing):
            setattr(instance, sha_field, sha256(existing))
            instance.save(update_fields=[sha_field])
        return False
    store_pdf(instance, field_name, filename, sign(result, seals), sha_field=sha_field)
    return True


def store_pdf(instance, field_name, filename, data, *, sha_field=None):
    """Saves ``data`` into ``instance.<field_name>`` (replacing the old file) and its hash into ``sha_field``."""
    field_file = getattr(instance, field_name)
    if field_file:
        field_file.delete(save=False)
    field_file.save(filename, ContentFile(data), save=False)
    if sha_field:
        setattr(instance, sha_field, sha256(data))
    instance.save(update_fields=[field_name] + ([sha_field] if sha_field else []))
    return instance
