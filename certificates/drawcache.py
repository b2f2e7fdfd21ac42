"""The static texts of a re-stamped page drawn once, then replayed (``certificates.restamp``; WeasyPrint pinned < 71).

A laid-out certificate page is written again for every certificate of its layout, and most of its text boxes
(labels, headings, the query lines) are the very same box objects each time. WeasyPrint's ``draw_text`` rebuilds
the box's Pango layout and walks its glyphs every time (~half of painting a page); for a box marked by ``mark``,
the first draw is recorded — the content-stream operators it appended and what it did to the fonts' width and
ToUnicode tables — and later draws replay it, only when nothing the draw reads differs: the box's text, layout,
style and position, the stream's text state (colour, alpha, font, an open ``ET`` it would reopen) and, for every
glyph, the width and ToUnicode entries as they were when recorded. A draw that added a font to the document (the
first text of each face on a page) replays it into a document that has not got it yet: a copy of the recorded
``Font`` with the face's full file and the glyph tables as the draw left them — what WeasyPrint's ``Font()`` would
build again, without copying the ~2 MB face out of HarfBuzz once more. Anything else — a glyph missing from the
fonts, emoji or variable fonts, a new graphics state, ellipsis — is drawn by WeasyPrint as always.
The bytes are WeasyPrint's (tests/certificates/test_batch_render.py compares them with the single path).
``install`` imports WeasyPrint when it is called, as ``certificates.restamp`` does: not to dodge an import circle,
but to keep its ~0.7 s and ~50 MB out of every process that merely imports this module.
"""

import copy

ATTRIBUTE = "_restamp_drawn"  # on a marked TextBox: None (not recorded yet), False (never replayed) or a record
_MISSING = object()
_original = {}  # "draw_text": WeasyPrint's, once ``install`` ran


class _Watched(dict):
    """A font's ``widths`` or ``to_unicode`` while a draw is recorded: notes each glyph's entry before its first use."""

    def __init__(self, data):
        super().__init__(data)
        self.before = {}

    def _note(self, key):
        if key not in self.before:
            self.before[key] = dict.get(self, key, _MISSING)

    def __contains__(self, key):
        self._note(key)
        return dict.__contains__(self, key)

    def __getitem__(self, key):
        self._note(key)
        return dict.__getitem__(self, key)

    def __setitem__(self, key, value):
        self._note(key)
        dict.__setitem__(self, key, value)


def mark(text_box):
    """Lets ``text_box``'s draws be recorded and replayed."""
    setattr(text_box, ATTRIBUTE, None)


def marked(text_box):
    return getattr(text_box, ATTRIBUTE, False) is not False


def unmark(text_box):
    """``text_box`` is drawn by WeasyPrint again, its record dropped."""
    setattr(text_box, ATTRIBUTE, False)


def _box_key(box, offset_x, text_overflow, block_ellipsis):
    return (box.text, box.position_x, box.position_y, box.baseline, offset_x, text_overflow, block_ellipsis)


def _state(stream):
    return (bool(stream.stream) and stream.stream[-1] == b"ET", stream._current_color, stream._current_alpha,
            stream._current_color_stroke, stream._current_alpha_stroke, stream._current_font, stream._old_font)


def _set_state(stream, state):
    (_et, stream._current_color, stream._current_alpha, stream._current_color_stroke, stream._current_alpha_stroke,
     stream._current_font, stream._old_font) = state


def draw_text(stream, textbox, offset_x, text_overflow="clip", block_ellipsis="none"):
    record = getattr(textbox, ATTRIBUTE, False)
    if record is False or text_overflow == "ellipsis" or block_ellipsis != "none":
        return _original["draw_text"](stream, textbox, offset_x, text_overflow, block_ellipsis)
    key = _box_key(textbox, offset_x, text_overflow, block_ellipsis)
    if record is None or not _replay(stream, textbox, key, record):
        setattr(textbox, ATTRIBUTE, _record(stream, textbox, key, offset_x, text_overflow, block_ellipsis))
    return None


def _base(stream, entry):
    """Where the draw's operators start: ``begin_text`` reopens a text object the stream just closed."""
    return len(stream.stream) - (1 if entry[0] else 0)


def _replay(stream, textbox, key, record):
    recorded_key, layout, style, entry, operators, exit_state, glyphs, created = record
    if key != recorded_key or textbox.pango_layout is not layout or textbox.style is not style \
            or _state(stream) != entry:
        return False
    fonts = stream._fonts
    if any(font_key in fonts for font_key, *_rest in created):
        return False
    for font_key, table, glyph, before, _after in glyphs:
        font = fonts.get(font_key)
        if font is None or getattr(font, table).get(glyph, _MISSING) != before:
            return False
    for font_key, template, content, widths, to_unicode in created:
        font = fonts[font_key] = copy.copy(template)
        font.file_content, font.widths, font.to_unicode = content, dict(widths), dict(to_unicode)
        font.missing, font.used_in_forms = {}, False
    for font_key, table, glyph, before, after in glyphs:
        if after is not before:
            getattr(fonts[font_key], table)[glyph] = after
    del stream.stream[_base(stream, entry):]
    stream.stream.extend(operators)
    _set_state(stream, exit_state)
    return True


def _record(stream, textbox, key, offset_x, text_overflow, block_ellipsis):
    """Draws ``textbox`` as WeasyPrint does and returns what replaying it needs, or False if it cannot be."""
    entry, fonts = _state(stream), stream._fonts
    base, known = _base(stream, entry), dict(fonts)
    states = set(stream._resources["ExtGState"])
    missing = {font_key: len(font.missing) for font_key, font in known.items()}
    for font in known.values():
        font.widths, font.to_unicode = _Watched(font.widths), _Watched(font.to_unicode)
    try:
        _original["draw_text"](stream, textbox, offset_x, text_overflow, block_ellipsis)
    finally:
        watched = {font_key: (font.widths, font.to_unicode) for font_key, font in known.items()}
        for font in known.values():
            font.widths, font.to_unicode = dict(font.widths), dict(font.to_unicode)
    if set(stream._resources["ExtGState"]) != states:
        return False  # a graphics state created by the draw: a new document would need it too
    created = []
    for font_key, font in fonts.items():
        if font_key not in known:  # in the order the draw added them, as the document's font resources are
            if font.missing or font.png or font.svg or font.colr or "fvar" in font.tables:
                return False
            created.append((font_key, font, font.file_content, dict(font.widths), dict(font.to_unicode)))
    glyphs = []
    for font_key, font in known.items():
        touched = [(table, data) for table, data in zip(("widths", "to_unicode"), watched[font_key]) if data.before]
        if touched and (len(font.missing) != missing[font_key] or font.png or font.svg or font.colr):
            return False  # .notdef glyphs (numbered in drawing order) or emoji images
        for table, data in touched:
            for glyph, before in data.before.items():
                after = dict.get(data, glyph, _MISSING)
                glyphs.append((font_key, table, glyph, before, before if after == before else after))
    return (key, textbox.pango_layout, textbox.style, entry, list(stream.stream[base:]), _state(stream), glyphs,
            created)


def install():
    """WeasyPrint's painter calls this module's ``draw_text``; only boxes given to ``mark`` are recorded."""
    from weasyprint import draw

    if not _original:
        _original["draw_text"] = draw.draw_text
        draw.draw_text = draw_text
