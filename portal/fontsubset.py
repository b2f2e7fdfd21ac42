"""Font subsetting in one HarfBuzz pass instead of WeasyPrint's two, for the same bytes (pinned WeasyPrint < 71).

WeasyPrint (``weasyprint.pdf.fonts.Font._harfbuzz_subset``) subsets every embedded font twice: first to the glyphs
used, keeping their ids (``RETAIN_GIDS``), then the result again to glyphs ``0 … max used`` (passing a Python
array of every id below it, ~7,000 for a CJK font) without hinting, "to drop empty glyphs after the last one
used". The HarfBuzz this runs on already ends a ``RETAIN_GIDS`` subset at the last glyph used, so one pass with
``NO_HINTING`` gives the very same font file: measured on the certificate font (GB2312 subset of Noto Sans CJK,
7,553 glyphs), 0.55 ms instead of 1.74 ms per font, two fonts per certificate.

The sameness is not assumed: the first subset of each font face in a process is made both ways and compared; a
face whose bytes differ (another HarfBuzz, another font) keeps WeasyPrint's two passes for the rest of the process.
``install`` is called with the process's ``FontConfiguration`` (``portal.pdf.font_config``). WeasyPrint is imported
inside the functions, as in ``portal.pdf`` and ``certificates.restamp``: not to dodge an import circle, but to keep
its ~0.7 s and ~50 MB out of every process that merely imports this module (web workers, commands).

The request names the characters, not the glyphs, when that keeps the very same subset: HarfBuzz, asked for glyph
ids, first maps the font's whole ``cmap`` back to glyphs (to keep the characters of each glyph), ~0.6 ms of the
~1 ms a subset of the 7,553-glyph certificate font takes; asked for characters, it looks up just those (measured:
0.38 against 0.96 ms, the same bytes). Both requests keep the same glyphs and write the same ``cmap`` when every
glyph used is the one glyph its one character maps to and no other character maps to it (no ligature, no
fallback glyph, no shared glyph); a face with Unicode variation sequences (``cmap`` format 14, which a request by
character would widen) or a document with any other glyph is asked by glyph ids. The face's ``cmap`` is read once
per process (fontTools), and the first subset of each face is still compared with WeasyPrint's.
"""

import io
import logging

from fontTools.ttLib import TTFont

logger = logging.getLogger(__name__)

DROP_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")
_verdicts = {}  # Font.hash (a face, weight and style) → True when one pass gave WeasyPrint's bytes
_cmaps = {}  # Font.hash → ({character: glyph id}, glyph ids with more than one character), or None: ask by glyph


def read_cmap(font):
    """The face's best Unicode ``cmap`` as HarfBuzz chooses it and the glyphs more than one character maps to, or
    None when a request by character could keep more than the glyphs (variation sequences) or it cannot be read."""
    try:
        face = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
        tables = face["cmap"].tables
        best = face["cmap"].getBestCmap()
        if best is None or any(table.format == 14 for table in tables):
            return None
        ids = {name: face.getGlyphID(name) for name in set(best.values())}
    except Exception:  # noqa: BLE001 — any font fontTools cannot read is simply asked by glyph ids
        logger.warning("cmap of %s not readable: its subsets are asked by glyph ids", font.family)
        return None
    mapping, shared, seen = {}, set(), set()
    for codepoint, name in best.items():
        glyph = ids[name]
        mapping[codepoint] = glyph
        (shared if glyph in seen else seen).add(glyph)
    return mapping, shared


def characters_for(font, to_unicode):
    """The characters whose subset is the subset of the glyphs of ``to_unicode``, or None (ask by glyph ids)."""
    if font.missing:
        return None
    if font.hash not in _cmaps:
        _cmaps[font.hash] = read_cmap(font)
    known = _cmaps[font.hash]
    if known is None:
        return None
    mapping, shared = known
    characters = []
    for glyph, text in to_unicode.items():
        if glyph == 0 or glyph in shared or len(text) != 1 or mapping.get(ord(text)) != glyph:
            return None
        characters.append(ord(text))
    return sorted(characters)


def single_pass(font, to_unicode, hinting):
    """The subset of ``font`` to the glyphs of ``to_unicode`` (glyph id → text), in one pass: the font file bytes,
    or None when HarfBuzz fails (WeasyPrint's own method then runs and warns)."""
    from weasyprint.pdf.fonts import get_hb_object_data
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

    hb_subset = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
    characters = characters_for(font, to_unicode)
    wanted = sorted(to_unicode) if characters is None else characters
    request = harfbuzz_subset.hb_subset_input_set(hb_subset, harfbuzz_subset.HB_SUBSET_SETS_GLYPH_INDEX
                                                  if characters is None else harfbuzz_subset.HB_SUBSET_SETS_UNICODE)
    harfbuzz.hb_set_add_sorted_array(request, ffi.new(f"hb_codepoint_t[{len(wanted)}]", wanted), len(wanted))
    flags = (harfbuzz_subset.HB_SUBSET_FLAGS_RETAIN_GIDS | harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
             | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE)
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if font.missing:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(hb_subset, flags)
    drop_set = harfbuzz_subset.hb_subset_input_set(hb_subset, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    drop = sorted(harfbuzz.hb_tag_from_string(name, -1) for name in DROP_TABLES)
    harfbuzz.hb_set_add_sorted_array(drop_set, ffi.new(f"hb_codepoint_t[{len(drop)}]", drop), len(drop))
    face = ffi.gc(harfbuzz_subset.hb_subset_or_fail(font.hb_face, hb_subset), harfbuzz.hb_face_destroy)
    return (get_hb_object_data(face) or None) if face else None


def install():
    """Replaces ``Font._harfbuzz_subset`` with the checked single pass (once per process)."""
    from weasyprint.pdf.fonts import Font

    if getattr(Font._harfbuzz_subset, "single_pass", False):
        return
    two_passes = Font._harfbuzz_subset

    def _harfbuzz_subset(self, to_unicode, hinting):
        verdict = _verdicts.get(self.hash)
        if verdict is False:
            return two_passes(self, to_unicode, hinting)
        data = single_pass(self, to_unicode, hinting)
        if data is None:
            return two_passes(self, to_unicode, hinting)
        if verdict is None:
            two_passes(self, to_unicode, hinting)
            _verdicts[self.hash] = data == self.file_content
            if not _verdicts[self.hash]:
                logger.warning("one-pass font subset differs from WeasyPrint's for %s: two passes kept", self.family)
                return
        self.file_content = data

    _harfbuzz_subset.single_pass = True
    Font._harfbuzz_subset = _harfbuzz_subset
