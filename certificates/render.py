"""Certificate PDFs: one A4 page per certificate, rendered from the frozen data only.

Uses ``portal.pdf`` (one shared WeasyPrint ``FontConfiguration`` per process). Fonts: the GB2312 subset of
Noto Sans CJK SC (``certificates.fonts``), regular and bold, with the full system font as per-glyph
fallback. The QR code is drawn as vector rectangles at 0.508 mm per module (``QRCodeImage``, ``certificates.qr``);
the photo is the frozen copy stored with the certificate.
"""

import atexit
import gc
import re
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

import cssselect2
from django.conf import settings
from django.template.loader import render_to_string

from portal import pdf
from portal.signing import IssuingBody, Seal

from . import fonts, qr
from .models import CertificateKind

TEMPLATE = "pdf/certificates/certificate.html"
DOCTYPE = re.compile(r"^\s*<!doctype html>", re.IGNORECASE)
STYLESHEET = Path(settings.BASE_DIR) / "templates" / "pdf" / "certificates" / "certificate.css"
# A minimal user-agent stylesheet: WeasyPrint matches every element against its default HTML stylesheet
# (~18 KB, hundreds of rules); a certificate needs a handful. Measured: ~10 % of the rendering time.
UA_CSS = """
html, body, div, h1, p { display: block; } html { line-height: normal; } head, style, title, meta, script { display: none; }
span, b, br { display: inline; } img { display: inline-block; } b { font-weight: bold; }
br::before { content: "\\A"; white-space: pre-line; }
h1 { font-weight: bold; }
"""
SKILL_QUERY = (
    "证书查询：技能人才评价证书全国联网查询 http://zscx.osta.org.cn",
    "人力资源和社会保障部 http://www.mohrss.gov.cn",
)


def _image_mime(data):
    return "image/png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"


def context_for(certificate, *, photo=None):
    d = certificate.data
    if photo is None and certificate.photo:
        with certificate.photo.open("rb") as handle:
            photo = handle.read()
    photo_uri = f"{PHOTO_SCHEME}{certificate.verification_id}" if photo else ""  # served by the fetcher below
    symbol = qr.qr_symbol(qr.qr_text(certificate))
    qr_mm = f"{(symbol.size + 2 * qr.QR_BORDER) * qr.MODULE_MM:.3f}mm"
    qr_uri = f"{QR_SCHEME}{certificate.verification_id}"  # drawn by QRCodeImage, never fetched
    verify_line = f"电子证书核验：{qr.base_url()}/certificates/verify/（证书编号＋姓名）或扫描右侧二维码"
    # What differs between two certificates of one layout (certificates.restamp): the row values, these two texts,
    # the QR symbol and the photo. Everything else the template prints is in ``restamp.layout_key``.
    texts = {"doc_title": f"{d['title']} {d['number']}",
             "version_line": f"核验码 {d['verification_id']}" + (f" · 本证书更正并替代 {d['replaces']}" if d.get("replaces") else "")}
    if certificate.kind == CertificateKind.SKILL:
        rows = [("姓　　名", d["name"]), ("证件类型", d["id_type"]), ("证件号码", d["id_number"]),
                ("职业名称", d["occupation"]), ("工种/职业方向", d["job_type"] or "--"),
                ("职业技能等级", d["level"]), ("证书编号", d["number"]), ("发证日期", _cn_date(d["issue_date"]))]
        return {"d": d, **texts, "rows": rows, "subtitle": "Vocational Skill Level Certificate", "show_photo": True,
                "photo_uri": photo_uri, "photo": photo,
                "qr_uri": qr_uri, "qr_mm": qr_mm, "qr_symbol": symbol, "issuer_label": "评价机构名称", "issuer_name": d["institution_name"],
                "query_lines": [*SKILL_QUERY, verify_line]}
    rows = [("姓　　名", d["name"]), ("性　　别", d["gender"]), ("出生日期", _cn_date(d["birth_date"])),
            ("身份证号", d["id_number"]), ("工作单位", d["employer"]), ("系　　列", d["series"]),
            ("专　　业", d["major"]), ("资格名称", d["qualification"]), ("级　　别", d["grade"]),
            ("取得方式", d["method"]), ("评  委  会", d["committee"]), ("批准文号", d["approval_no"]),
            ("取得时间", _cn_date(d["obtained_on"])), ("证书编号", d["number"])]
    return {"d": d, **texts, "rows": rows, "subtitle": "Professional Title Certificate · Engineering Series",
            "show_photo": bool(photo), "photo_uri": photo_uri, "photo": photo,
            "qr_uri": qr_uri, "qr_mm": qr_mm, "qr_symbol": symbol, "issuer_label": "发证单位", "issuer_name": d["issuer_name"],
            "query_lines": [f"发证日期：{_cn_date(d['issue_date'])}", verify_line]}


def _cn_date(iso):
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


@lru_cache(maxsize=1)
def _stylesheets():
    """(user-agent, author) stylesheets, parsed once per process with the shared FontConfiguration."""
    from weasyprint import CSS

    font_config = pdf.font_config()
    author = CSS(string=fonts.font_face_css() + "\n" + STYLESHEET.read_text(encoding="utf-8"),
                 font_config=font_config)
    return CSS(string=UA_CSS), author


def _html_class():
    from weasyprint import HTML

    class CertificateHTML(HTML):
        def _ua_stylesheets(self, forms=False):  # WeasyPrint's hook for the default stylesheet (pinned < 71)
            return [_stylesheets()[0]]

        @classmethod
        def from_xml(cls, html, url_fetcher):
            """The document parsed by expat (C) when the template's output is well-formed XML, which the
            certificate template is written to be; WeasyPrint's HTML5 parser (pure Python) otherwise. Sets what
            ``HTML.__init__`` sets (pinned WeasyPrint < 71); the element tree is the same as the HTML5 parser's
            (no namespaces, no base URL), so the PDF is byte for byte the same (tests/certificates/test_pdf.py)."""
            try:
                root = ElementTree.fromstring(DOCTYPE.sub("", html, count=1))
            except ElementTree.ParseError:
                return cls(string=html, url_fetcher=url_fetcher)
            document = cls.__new__(cls)
            document.base_url, document.url_fetcher, document.media_type = None, url_fetcher, "print"
            document.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            document.etree_element = document.wrapper_element.etree_element
            return document

    return CertificateHTML


QR_SCHEME = "qr-symbol:"
# The photo reaches WeasyPrint through its URL fetcher, not as a data: URI in the HTML: a ~6 KB base64 attribute
# was tokenized character by character by the HTML parser and decoded again for every certificate.
PHOTO_SCHEME = "cert-photo:"


class QRCodeImage:
    """The QR symbol as a WeasyPrint replaced image that draws itself as vector rectangles.

    One filled path of one rectangle per horizontal run of dark modules, in module units, with the 4-module quiet
    zone painted white: sharp at any resolution, no seams, ~0.3 ms. WeasyPrint's own SVG path parser takes
    ~400 ms for the same path, and a PNG drawn without interpolation is resampled unevenly when its edges do not
    fall on device pixels (zbar then fails at 150 dpi). Handed to WeasyPrint through its image ``cache`` (keyed
    by the ``<img src>``), the documented way to give it an image object; the object implements the two methods
    WeasyPrint calls on every image (``get_intrinsic_size`` and ``draw``; pinned WeasyPrint < 71).
    """

    def __init__(self, symbol, border=qr.QR_BORDER):
        self.extent = symbol.size + 2 * border
        runs = []
        for y, row in enumerate(symbol.rows, start=border):
            at_y = f" {y} "
            runs += [f"{x + border}{at_y}{length} 1 re" for x, length in qr.dark_runs(row)]
        self.operators = (f"1 g 0 0 {self.extent} {self.extent} re f 0 g " + " ".join(runs) + " f").encode("ascii")

    def get_intrinsic_size(self, image_resolution, font_size):
        side = self.extent * qr.MODULE_MM * 96 / 25.4  # CSS px
        return side, side, 1

    def draw(self, stream, concrete_width, concrete_height, style):
        scale = concrete_width / self.extent
        stream.transform(a=scale, d=concrete_height / self.extent)
        stream.stream.append(self.operators)


def resources(contexts):
    """What the certificates of ``contexts`` load besides their HTML: (image cache with the QR symbols, URL
    fetcher serving the photos). One pair may serve many certificates (the benchmark's one-document reference)."""
    images = {context["qr_uri"]: QRCodeImage(context["qr_symbol"]) for context in contexts}
    photos = {context["photo_uri"]: context["photo"] for context in contexts if context["photo_uri"]}
    return images, _fetcher_class()(photos)


def render_document(context):
    """The certificate of ``context`` laid out by WeasyPrint: (``Document``, image cache, URL fetcher)."""
    html = render_to_string(TEMPLATE, context)
    _ua, author = _stylesheets()
    images, fetcher = resources([context])
    document = _HTML().from_xml(html, fetcher).render(
        stylesheets=[author], font_config=pdf.font_config(), cache=images, **pdf.WRITE_OPTIONS)
    return document, images, fetcher


def render_certificate(certificate, *, photo=None):
    """The certificate rendered, unsigned (``portal.pdf.Rendered``; many per process: fonts and stylesheets are
    loaded once). A batch renders through ``certificates.restamp``, which gives the same bytes."""
    document, images, _fetcher = render_document(context_for(certificate, photo=photo))
    return pdf.rendered(document, cache=images)


def seals_for(certificate):
    """谁评价、谁发证、谁负责: the issuing school or filed institution seals its certificate, no one else."""
    return [Seal(IssuingBody.of_institution(certificate.issuer), "seal-issuer",
                 f"颁发{certificate.get_kind_display()} {certificate.number}")]


def render_certificate_pdf(certificate, *, photo=None):
    """The certificate's PDF as issued: rendered and sealed by its issuer."""
    return pdf.sign(render_certificate(certificate, photo=photo), seals_for(certificate))


def preload():
    """The stylesheets (with their fonts), the HTML class and the fetcher class, as the first certificate would
    load them (``certificates.worker``)."""
    _stylesheets()
    _HTML()
    _fetcher_class()


@lru_cache(maxsize=1)
def _HTML():
    return _html_class()


@lru_cache(maxsize=1)
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PhotoFetcher(URLFetcher):
        """Serves ``cert-photo:`` URLs from memory (the frozen photo bytes); anything else as WeasyPrint would."""

        def __init__(self, photos):
            super().__init__()
            self.photos = photos

        def fetch(self, url, headers=None):
            if url in self.photos:
                data = self.photos[url]
                return URLFetcherResponse(url, data, headers={"Content-Type": _image_mime(data)})
            return super().fetch(url, headers)

    return PhotoFetcher


@atexit.register
def _release_fonts():
    """Frees the shared FontConfiguration while the interpreter is intact: its ``__del__`` (a temp-folder
    cleanup) otherwise runs during shutdown, when the modules it needs are gone, and prints a traceback."""
    _stylesheets.cache_clear()
    pdf.font_config.cache_clear()
    gc.collect()
