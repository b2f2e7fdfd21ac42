"""The seal drawn where the paper version is stamped (盖章处): a red round seal as vector paths.

Outer ring, a five-pointed star, the issuing body's name along the upper arc and a line under the star
(``电子签章``; ``演示`` for demo keys). Every glyph is converted to outlines with fontTools from the system's
Noto Sans CJK SC, so the seal embeds no font and no image (the document's font and image inventory stays as it
was) and stays sharp at any zoom. Built once per issuing body and process, and handed to each signature as a
ready Flate-compressed form XObject: the per-document cost is writing a few kilobytes.
"""

import math
import zlib
from functools import lru_cache

from fontTools.pens.basePen import BasePen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTCollection

FONT_FILE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FONT_FAMILY = "Noto Sans CJK SC"
SIZE_PT = 40 / 25.4 * 72  # 40 mm, the usual diameter of an official round seal
RED = "0.86 0.08 0.1"


class _PdfPathPen(BasePen):
    """Writes outlines as PDF path operators (cubic curves; quadratic ones are converted by BasePen)."""

    def __init__(self, glyph_set, out):
        super().__init__(glyph_set)
        self.out = out

    def _moveTo(self, p):
        self.out.append(f"{p[0]:.1f} {p[1]:.1f} m")

    def _lineTo(self, p):
        self.out.append(f"{p[0]:.1f} {p[1]:.1f} l")

    def _curveToOne(self, p1, p2, p3):
        self.out.append(f"{p1[0]:.1f} {p1[1]:.1f} {p2[0]:.1f} {p2[1]:.1f} {p3[0]:.1f} {p3[1]:.1f} c")

    def _closePath(self):
        self.out.append("h")


@lru_cache(maxsize=1)
def _font():
    collection = TTCollection(FONT_FILE, lazy=True)
    return next(f for f in collection.fonts if f["name"].getDebugName(1) == FONT_FAMILY)


def preload():
    """Loads the seal font's cmap, outlines and metrics (~0.2 s, once per process; ``certificates.worker``)."""
    font = _font()
    font.getBestCmap()
    font.getGlyphSet()
    font["hmtx"]
    font["head"]


def _draw_text(out, text, *, size, place):
    """Draws each character of ``text``; ``place(i)`` gives (x, y, angle in radians) of its centre."""
    font = _font()
    cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
    units = font["head"].unitsPerEm
    scale = size / units
    for i, char in enumerate(text):
        name = cmap.get(ord(char))
        if name is None:
            continue
        x, y, angle = place(i)
        cos, sin = math.cos(angle) * scale, math.sin(angle) * scale
        # glyph centre: half the advance, and the middle of the ideographic em box (descender at -0.12 em)
        cx, cy = glyphs[name].width / 2, units * 0.38
        dx, dy = x - (cos * cx - sin * cy), y - (sin * cx + cos * cy)
        glyphs[name].draw(TransformPen(_PdfPathPen(glyphs, out), (cos, sin, -sin, cos, dx, dy)))


def _star(out, cx, cy, r):
    points = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.382
        a = math.pi / 2 + k * math.pi / 5
        points.append((cx + radius * math.cos(a), cy + radius * math.sin(a)))
    out.append(f"{points[0][0]:.1f} {points[0][1]:.1f} m")
    out.extend(f"{x:.1f} {y:.1f} l" for x, y in points[1:])
    out.append("h f")


def _circle(out, cx, cy, r):
    k = 0.5523 * r
    out.append(f"{cx + r:.1f} {cy:.1f} m {cx + r:.1f} {cy + k:.1f} {cx + k:.1f} {cy + r:.1f} {cx:.1f} {cy + r:.1f} c "
               f"{cx - k:.1f} {cy + r:.1f} {cx - r:.1f} {cy + k:.1f} {cx - r:.1f} {cy:.1f} c "
               f"{cx - r:.1f} {cy - k:.1f} {cx - k:.1f} {cy - r:.1f} {cx:.1f} {cy - r:.1f} c "
               f"{cx + k:.1f} {cy - r:.1f} {cx + r:.1f} {cy - k:.1f} {cx + r:.1f} {cy:.1f} c S")


@lru_cache(maxsize=64)
def seal_operators(name, footer):
    """PDF content drawing the seal in a ``SIZE_PT`` square (origin bottom left); bytes, uncompressed."""
    size = SIZE_PT
    c, r = size / 2, size / 2 - 2
    out = [f"{RED} rg {RED} RG {size * 0.035:.2f} w"]
    _circle(out, c, c, r)
    _star(out, c, c + size * 0.02, size * 0.15)
    # The name along the upper arc, read clockwise from the lower left, each character upright to the centre.
    char = min(size * 0.13, size * 2.4 / max(len(name), 1))
    span = min(math.radians(250), len(name) * char * 1.1 / (r * 0.72))
    start = math.pi / 2 + span / 2
    step = span / max(len(name) - 1, 1)
    radius = r - char * 0.72 - size * 0.045

    def on_arc(i):
        a = start - i * step if len(name) > 1 else math.pi / 2
        return c + radius * math.cos(a), c + radius * math.sin(a), a - math.pi / 2

    _draw_text(out, name, size=char, place=on_arc)
    foot = size * 0.09
    _draw_text(out, footer, size=foot,
               place=lambda i: (c + (i - (len(footer) - 1) / 2) * foot * 1.05, c - size * 0.22, 0.0))
    out.append("f")
    return "\n".join(out).encode("ascii")


@lru_cache(maxsize=64)
def seal_stream(name, footer):
    """(Flate-compressed operators, side in pt): what a signature's appearance draws."""
    return zlib.compress(seal_operators(name, footer), 6), SIZE_PT
