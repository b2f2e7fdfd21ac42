"""Certificate PDFs: one A4 page, the right Chinese text, embedded subset CJK fonts, 生僻字 printed from a font
that has them, the photo as an image, size; a rendering saved as PNG under test-artifacts to look at."""

import random
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from fontTools.ttLib import TTCollection, TTFont

from certificates import fonts, services, tasks
from portal import fontsubset
from tests.certificates.conftest import ric

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "certificates"
pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing (make test installs it)")


def _run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _pdf(cert, tmp_path):
    tasks.ensure_pdf(cert)
    path = tmp_path / f"{cert.number}.pdf"
    with cert.pdf.open("rb") as handle:
        path.write_bytes(handle.read())
    return path


def _fonts(path):
    rows = _run("pdffonts", str(path)).splitlines()[2:]
    return [(line.split()[0], line) for line in rows]


@pytest.fixture
def skill_cert(make_result, filed, photo):
    result = make_result(name="张明", id_number=ric(1))
    result.photo.save("p.jpg", ContentFile(photo))
    return services.issue_from_result(result, issued_by=filed.staff, issue_date=date(2026, 7, 10), render=False)


def test_skill_certificate_text_fonts_page(skill_cert, tmp_path):
    path = _pdf(skill_cert, tmp_path)
    info = _run("pdfinfo", str(path))
    assert re.search(r"Pages:\s+1\b", info)
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+", info), info  # A4
    text = _run("pdftotext", "-layout", str(path), "-")
    for expected in ("职业技能等级证书", "张明", "居民身份证", ric(1), "电工", "维修电工", "三级/高级工",
                     skill_cert.number, "安徽工业大学", "2026年7月10日", "评价机构名称", "zscx.osta.org.cn"):
        assert expected in text, expected
    embedded = _fonts(path)
    assert embedded, "no fonts"
    for name, line in embedded:
        assert " yes yes yes " in f" {' '.join(line.split()[-5:-2])} ", line  # embedded, subset, ToUnicode
        assert "Cert-Sans-GB" in name  # the GB2312 subset (regular and bold), nothing else
    assert path.stat().st_size <= 150 * 1024
    images = _run("pdfimages", "-list", str(path)).splitlines()[2:]
    assert len(images) == 1  # the photo; the QR code is vector rectangles (tests/certificates/test_qr_print.py)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _run("pdftoppm", "-png", "-r", "80", "-singlefile", str(path), str(ARTIFACTS / "skill-certificate"))
    assert (ARTIFACTS / "skill-certificate.png").stat().st_size > 10_000


def test_title_certificate_text(filed, tmp_path):
    fields = services.title_fields(name="刘晓雯", gender="女", birth_date=date(2002, 6, 3), id_number=ric(2),
                                   employer="奇瑞汽车股份有限公司", major="车辆工程", qualification="助理工程师",
                                   committee="安徽工业大学工程系列中初级职称自主评审委员会",
                                   approval_no="安工大职评〔2025〕1号", obtained_on=date(2025, 12, 20),
                                   issuer=filed.inst)
    cert = services.issue_certificate(kind="title", frozen_fields=fields, issuer=filed.inst, source_key="t:pdf",
                                      issued_by=filed.staff, issue_date=date(2025, 12, 28), render=False)
    path = _pdf(cert, tmp_path)
    text = _run("pdftotext", str(path), "-")
    for expected in ("职称证书（工程系列）", "刘晓雯", "女", "2002年6月3日", ric(2), "奇瑞汽车股份有限公司", "工程系列",
                     "车辆工程", "助理工程师", "助理级", "评审", "自主评审委员会", "安工大职评〔2025〕1号",
                     "2025年12月20日", cert.number, "安徽工业大学"):
        assert expected in text, expected
    assert re.search(r"Pages:\s+1\b", _run("pdfinfo", str(path)))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _run("pdftoppm", "-png", "-r", "80", "-singlefile", str(path), str(ARTIFACTS / "title-certificate"))


def _all_to_unicode(path):
    """{font name: characters its ToUnicode CMap maps to} for every font of the PDF's page."""
    from pypdf import PdfReader

    page = PdfReader(str(path)).pages[0]
    result = {}
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        chars = set()
        for hexes in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", data):
            target = hexes[1]
            if len(target) % 4 == 0:
                chars.add(bytes.fromhex(target).decode("utf-16-be", "replace"))
        result[str(font["/BaseFont"])] = "".join(chars)
    return result


def _to_unicode_of(path, family):
    return "".join(chars for name, chars in _all_to_unicode(path).items() if family in name)


def _has_glyph(font, char):
    return ord(char) in font.getBestCmap()


@pytest.mark.parametrize("name, rare", [("王堃", "堃"), ("李玥", "玥"), ("张䶮", "䶮")])
def test_rare_characters_print_from_a_font_that_has_them(make_result, filed, tmp_path, name, rare):
    """Outside GB2312: the subset lacks the glyph, the full Noto Sans CJK SC has it and is embedded for it."""
    assert not fonts.in_subset(rare)
    subset = TTFont(fonts.font_path("bold"))
    assert not _has_glyph(subset, rare)
    full = next(f for f in TTCollection(fonts.SOURCES["bold"]).fonts if f["name"].getDebugName(1) == fonts.SOURCE_FAMILY)
    assert _has_glyph(full, rare)
    cert = services.issue_from_result(make_result(name=name, id_number=ric(5)), issued_by=filed.staff, render=False)
    path = _pdf(cert, tmp_path)
    assert name in _run("pdftotext", str(path), "-")  # not an empty box: extracted as the character itself
    names = [n for n, _line in _fonts(path)]
    assert any("Noto-Sans-CJK-SC" in n for n in names), names  # the fallback font, embedded (subset)
    # The character is drawn with the fallback font: its ToUnicode map (not the subset's) holds it.
    assert rare in _to_unicode_of(path, "Noto-Sans-CJK-SC")
    assert all(rare not in chars for font, chars in _all_to_unicode(path).items() if "Cert-Sans-GB" in font)
    png = tmp_path / "page"
    _run("pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(png))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(f"{png}.png", ARTIFACTS / f"rare-{rare}.png")


def test_font_subsets_in_one_pass_are_weasyprints_bytes(make_result, filed, monkeypatch):
    """``portal.fontsubset``: one HarfBuzz pass per embedded font gives the font files WeasyPrint's two passes
    give — the GB2312 subset (regular, bold) and the full Noto Sans CJK SC a 生僻字 falls back to; checked per
    face, and a face whose one pass differs keeps WeasyPrint's bytes."""
    from certificates import render

    cert = services.issue_from_result(make_result(name="王堃", id_number=ric(6)), issued_by=filed.staff, render=False)
    monkeypatch.setattr(fontsubset, "_verdicts", {})
    one_pass = render.render_certificate(cert).data
    assert len(fontsubset._verdicts) >= 3 and all(fontsubset._verdicts.values()), fontsubset._verdicts
    calls = []
    monkeypatch.setattr(fontsubset, "single_pass", lambda *args: calls.append(args))  # None: WeasyPrint's two passes
    assert render.render_certificate(cert).data == one_pass
    assert len(calls) == len(fontsubset._verdicts)
    monkeypatch.setattr(fontsubset, "_verdicts", {})
    monkeypatch.setattr(fontsubset, "single_pass", lambda *args: b"not that font")
    assert render.render_certificate(cert).data == one_pass  # the one pass differed: WeasyPrint's bytes kept
    assert fontsubset._verdicts and not any(fontsubset._verdicts.values())


def test_a_subset_asked_by_character_is_the_subset_asked_by_glyph(make_result, filed, monkeypatch):
    """``portal.fontsubset.characters_for``: names of random GB2312 characters and a 生僻字 in the fallback font;
    every font subset asked for by character is byte for byte the one asked for by glyph ids, and the certificate
    fonts are always asked by character (the full Noto Sans CJK, with variation sequences, by glyph ids)."""
    from certificates import render

    compared = []
    real = fontsubset.single_pass

    def both(font, to_unicode, hinting):
        by_character = real(font, to_unicode, hinting)
        with monkeypatch.context() as m:
            m.setattr(fontsubset, "characters_for", lambda *args: None)
            by_glyph = real(font, to_unicode, hinting)
        compared.append((font.family, fontsubset.characters_for(font, to_unicode) is not None, by_character == by_glyph))
        return by_character

    monkeypatch.setattr(fontsubset, "single_pass", both)
    pick = random.Random(16)
    hanzi = [ch for ch in fonts.gb2312_characters() if "\u4e00" <= ch <= "\u9fff"]
    names = ["".join(pick.sample(hanzi, 3)) for _ in range(6)] + ["王堃"]
    for i, name in enumerate(names):
        render.render_certificate(services.issue_from_result(make_result(name=name, id_number=ric(70 + i)),
                                                             issued_by=filed.staff, render=False))
    assert compared and all(same for _family, _asked, same in compared), compared
    # Every certificate-font subset by character (no ligatures on the page: certificate.css), the fallback by glyph
    assert all(asked == (family == fonts.FAMILY) for family, asked, _same in compared), compared
    assert any(family == fonts.FALLBACK_FAMILY and not asked for family, asked, _same in compared)


@pytest.mark.parametrize("to_unicode, missing", [
    ({5: "一"}, {}),  # the one glyph of its one character
    ({5: "一", 9: "fi"}, {}),  # a ligature
    ({5: "一", 7: "A"}, {}),  # a glyph two characters map to
    ({0: "一"}, {}),  # .notdef
    ({5: "一", 6: "丁"}, {}),  # shaped to another glyph than the cmap's
    ({5: "一"}, {0x4E01: 7553}),  # a character the font lacks
])
def test_only_a_plain_one_to_one_document_is_asked_by_character(monkeypatch, to_unicode, missing):
    monkeypatch.setattr(fontsubset, "_cmaps", {"F": ({0x4E00: 5, 0x41: 7, 0x391: 7, 0x4E01: 8}, {7})})
    font = SimpleNamespace(hash="F", missing=missing, family="Cert Sans GB")
    expected = [0x4E00] if to_unicode == {5: "一"} and not missing else None
    assert fontsubset.characters_for(font, to_unicode) == expected


def test_the_fast_xml_parse_gives_the_same_pdf_as_the_html5_parser(skill_cert, filed):
    """The certificate template is well-formed XML, parsed by expat (issue 16); the PDF is byte for byte the one
    WeasyPrint's own HTML5 parser gives, for both kinds."""
    from xml.etree import ElementTree

    from django.template.loader import render_to_string

    from certificates import render
    from portal import pdf

    fields = services.title_fields(name="刘晓雯", gender="女", birth_date=date(2002, 6, 3), id_number=ric(2),
                                   employer="奇瑞汽车股份有限公司 <R&D>", major="车辆工程", qualification="工程师",
                                   committee="安徽工业大学工程系列中级职称自主评审委员会", approval_no="安工大职评〔2025〕1号",
                                   obtained_on=date(2025, 12, 20), issuer=filed.inst)
    title = services.issue_certificate(kind="title", frozen_fields=fields, issuer=filed.inst, source_key="t:xml",
                                       issued_by=filed.staff, issue_date=date(2025, 12, 28), render=False)
    _ua, author = render._stylesheets()
    for cert in (skill_cert, title):
        context = render.context_for(cert)
        html = render_to_string(render.TEMPLATE, context)
        ElementTree.fromstring(render.DOCTYPE.sub("", html))  # well-formed: the fast path is the one taken
        outputs = []
        for parse in (lambda fetcher, html=html: render._HTML()(string=html, url_fetcher=fetcher),
                      lambda fetcher, html=html: render._HTML().from_xml(html, fetcher)):
            images, fetcher = render.resources([context])
            document = parse(fetcher).render(stylesheets=[author], font_config=pdf.font_config(), cache=images,
                                             **pdf.WRITE_OPTIONS)
            outputs.append(pdf.rendered(document, cache=images).data)
        assert outputs[0] == outputs[1]
        assert outputs[1] == render.render_certificate(cert).data


def test_streams_are_deflated_at_the_portal_level(skill_cert):
    """Every stream of the rendering (content, font subsets, ToUnicode maps) is deflated at
    ``pdf.ZLIB_LEVEL`` (1: its zlib header is 78 01), not at pydyf's hard-coded 9 (78 DA), which cost ~4 ms more
    per certificate; each inflates whole."""
    import zlib

    from certificates import render

    data = render.render_certificate(skill_cert).data
    streams = re.findall(rb"/FlateDecode/Length (\d+)>>\nstream\n", data)
    assert len(streams) >= 5, len(streams)  # content, 2 font files, 2 ToUnicode maps
    for match in re.finditer(rb"/FlateDecode/Length (\d+)>>\nstream\n", data):
        raw = data[match.end():match.end() + int(match.group(1))]
        assert raw[:2] == b"\x78\x01", raw[:2]
        assert zlib.decompress(raw)


def test_objects_are_written_in_the_open_with_a_classic_xref_table(skill_cert):
    """``pdf._classic_xref``: no object stream and no xref stream (sealing would inflate and parse them in Python),
    one classic table covering every object; the sealed file keeps it and its signature still verifies."""
    from certificates import render

    data = render.render_certificate(skill_cert).data
    assert b"/ObjStm" not in data and b"/XRef" not in data
    table = re.search(rb"\nxref\n0 (\d+)\n", data)
    assert table, data[-300:]
    assert data.count(b" 0 obj\n") == int(table.group(1)) - 1  # every object but the free head is listed
    sealed = render.render_certificate_pdf(skill_cert)
    assert sealed.startswith(data) and b"/ObjStm" not in sealed
    from tests.sealing import seals_of

    (seal,) = seals_of(sealed)
    assert seal.intact and seal.valid and seal.trusted and seal.whole_file


def test_regenerating_gives_the_same_pdf(skill_cert):
    tasks.ensure_pdf(skill_cert)
    first = skill_cert.pdf_sha256
    assert not tasks.ensure_pdf(skill_cert)  # stored and intact: not rendered again
    tasks.ensure_pdf(skill_cert, force=True)
    assert skill_cert.pdf_sha256 == first  # deterministic rendering from frozen data


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools not installed: the printed QR is not scanned")
def test_printed_qr_code_scans_to_the_signed_text(skill_cert, tmp_path):
    from certificates import keys, qr

    path = _pdf(skill_cert, tmp_path)
    _run("pdftoppm", "-png", "-r", "300", "-singlefile", str(path), str(tmp_path / "scan"))
    scanned = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "scan.png")], capture_output=True,
                             text=True).stdout.strip()
    assert scanned == qr.qr_text(skill_cert)
    assert qr.verify_qr_text(scanned, keys.public_key_set()).ok
