"""The certificate fonts: Noto Sans CJK SC (regular + bold) pre-subset to the GB2312 repertoire.

Why: a full CJK font makes every certificate PDF slow and big (the subsetter walks ~65,000 glyphs per
document); the ~7,400 characters of GB2312 cover nearly every name, institution and occupation. A
character outside it (生僻字 such as 堃, 玥, 䶮) is still printed: the PDF templates list the full system
font after the subset font, and Pango falls back glyph by glyph.

The subsets are built with fontTools from the system's Noto Sans CJK (Debian ``fonts-noto-cjk``) the first
time a certificate is rendered (or with ``manage.py certificate_fonts``), into ``CERTIFICATE_FONT_DIR``
(default ``MEDIA_ROOT/cache/fonts``). They are not committed (~3.9 MB each). Licence: SIL Open Font
License 1.1 (``OFL.txt`` beside this file). The upstream Reserved Font Name is "Source"; the subsets are
renamed "Cert Sans GB" (a Modified Version must not carry a reserved name, and nobody should mistake them for
the complete fonts); the copyright and licence name records are kept.
"""

import os
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings

FAMILY = "Cert Sans GB"
FALLBACK_FAMILY = "Noto Sans CJK SC"
SOURCES = {
    "regular": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "bold": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
}
SOURCE_FAMILY = "Noto Sans CJK SC"
VERSION = "4"  # bump when the subset recipe changes: the cached files are rebuilt
_lock = threading.Lock()


def font_dir():
    return Path(os.environ.get("CERTIFICATE_FONT_DIR") or getattr(settings, "CERTIFICATE_FONT_DIR", "")
                or Path(settings.MEDIA_ROOT) / "cache" / "fonts")


def font_path(weight):
    return font_dir() / f"cert-sans-gb2312-{weight}-v{VERSION}.ttf"


@lru_cache(maxsize=1)
def gb2312_characters():
    """Every character of GB2312 (6,763 汉字 and 682 symbols), plus printable ASCII."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    chars |= set("·—‘’“”…、。〈〉《》「」『』【】〔〕（），：；！？／－＊＿")
    return "".join(sorted(chars))


@lru_cache(maxsize=1)
def gb2312_characters_in_code_order():
    """``gb2312_characters`` in code order: printable ASCII, then GB2312 row by row (symbols, level 1, level 2)."""
    chars = [chr(c) for c in range(0x20, 0x7F)]
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(dict.fromkeys(chars))


def in_subset(text):
    subset = set(gb2312_characters())
    return all(ch in subset for ch in text)


def _source_font(path):
    from fontTools.ttLib import TTCollection, TTFont

    if path.endswith(".ttc"):
        for font in TTCollection(path).fonts:
            if font["name"].getDebugName(1) == SOURCE_FAMILY:
                return font
        raise RuntimeError(f"{SOURCE_FAMILY} not found in {path}")
    return TTFont(path)


def build_subset(weight, target=None):
    """Builds the GB2312 subset of one weight; returns its path."""
    from fontTools import subset

    source = SOURCES[weight]
    if not Path(source).exists():
        raise FileNotFoundError(f"{source} missing: apt-get install fonts-noto-cjk")
    target = Path(target or font_path(weight))
    font = _source_font(source)
    options = subset.Options()
    # Only the features shaping applies to zh-Hans text by default: ``locl`` (Japanese, Korean, traditional forms)
    # and ``palt`` (off unless asked for) pulled in ~5,800 glyphs no certificate prints (13,353 → 7,553).
    options.layout_features = ["kern", "liga", "ccmp"]
    options.drop_tables += ["vhea", "vmtx", "VORG"]  # horizontal text only
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep copyright, licence and its URL (OFL 1.1 §2)
    options.hinting = False
    options.notdef_outline = True
    options.recalc_bounds = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=gb2312_characters())
    subsetter.subset(font)
    names = font["name"]
    style = "Bold" if weight == "bold" else "Regular"
    for record in list(names.names):
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} {style}"
        elif record.nameID == 6:
            record.string = f"CertSansGB-{style}"
        elif record.nameID == 3:
            record.string = f"CertSansGB-{style}-GB2312-v{VERSION}"
    _cff_to_truetype(font)
    _gb2312_glyph_order(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    font.save(tmp)
    tmp.replace(target)  # atomic: a concurrent worker never reads half a font
    return target


def _gb2312_glyph_order(font):
    """Glyph ids in GB2312 order: ASCII, symbols, the 3,755 common 汉字 (level 1), then level 2, then glyphs no
    character maps to (ligatures, components).

    WeasyPrint keeps glyph ids when it subsets a font for a PDF, so the embedded font's ``loca`` and ``hmtx``
    tables are as long as the highest glyph id printed: ~4,500 for a certificate in common characters instead of
    ~13,000 (measured: ~290 KB fewer bytes to subset and compress per certificate, two fonts).
    """
    from fontTools.ttLib.reorderGlyphs import reorderGlyphs

    old = font.getGlyphOrder()
    cmap = font.getBestCmap()
    rank = {ch: i for i, ch in enumerate(gb2312_characters_in_code_order())}
    mapped = sorted(((rank.get(chr(code), len(rank) + code), name) for code, name in cmap.items()))
    order, seen = [old[0]], {old[0]}  # .notdef stays glyph 0
    for _rank, name in mapped:
        if name not in seen:
            order.append(name)
            seen.add(name)
    order += [name for name in old if name not in seen]
    reorderGlyphs(font, order)


def _cff_to_truetype(font):
    """CFF outlines → TrueType (quadratic) outlines, in place.

    Measured here: HarfBuzz subsets a glyf font much faster than a CID-keyed CFF one (which it must
    desubroutinize for every document), and the embedded subset is ~3× smaller (a certificate PDF
    of ~35 KB instead of ~100 KB).
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_set = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxPoints", "maxContours",
                 "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


def built():
    return all(font_path(weight).exists() for weight in SOURCES)


def ensure_fonts():
    """Returns {weight: path}, building what is missing (once per process, under a lock)."""
    paths = {weight: font_path(weight) for weight in SOURCES}
    if all(p.exists() for p in paths.values()):
        return paths
    with _lock:
        for weight, path in paths.items():
            if not path.exists():
                build_subset(weight, path)
    return paths


def font_face_css():
    """The @font-face rules for the certificate templates (absolute file URLs)."""
    paths = ensure_fonts()
    return "\n".join(
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {css_weight}; src: url("{paths[weight].as_uri()}"); }}'
        for weight, css_weight in (("regular", 400), ("bold", 700))
    )
