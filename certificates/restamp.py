"""Batch rendering: a certificate laid out once per layout, then re-stamped with each certificate's values.

In a batch every certificate of one institution, level and QR size prints the same page except for its row values
(name, ID number, number, …), the line under the page (``核验码 …``), the QR symbol and the photo. Laying out that
page — style, line breaking, floats, about 45 % of a certificate's rendering — is done once, by WeasyPrint, for the
first certificate of a layout (``layout_key``); for the next ones only the changed texts are measured (Pango,
WeasyPrint's own ``split_first_line``) and put into the laid-out boxes, the two images swapped, and the page
written as its own PDF (``Document.copy([page])``: its own glyph subset, tags, title), as WeasyPrint would have.

A certificate is re-stamped only when its layout cannot differ from a full rendering: every changed text still
fits on its one line with the line's height and baseline unchanged, and a centred line is re-centred the way
WeasyPrint centres (``text_align``). Otherwise — a value that would wrap, a text that needs other font metrics,
a page whose boxes do not look as expected — the certificate is rendered in full and becomes its layout's new
model. The bytes are those of ``render.render_certificate`` (tests/certificates/test_batch_render.py compares
them), so a batch's PDF and a re-issued one are the same file, and ``portal.pdf.store_rendered`` keeps either.
Relies on WeasyPrint's box tree (pinned < 71, like ``render.QRCodeImage``).

WeasyPrint is imported inside the methods that use it, as in ``portal.pdf`` and ``render``, and not to dodge an
import circle: this module is imported with ``certificates.tasks``, which the views import, and WeasyPrint costs
~0.7 s and ~50 MB to import (measured), which a web process or a management command pays only when it makes a PDF.
Every method that imports it runs after a WeasyPrint document exists, so the import is then a dictionary lookup.
"""

import copy
from collections import OrderedDict

from portal import pdf

from . import drawcache, render

SLOT_CLASSES = ("value", "version")  # elements whose text changes: the row values, the 核验码 line
PROTOTYPES = 8  # layouts kept per batch renderer (a batch has one or two: one institution, a QR size or two)


def layout_key(context):
    """Everything the template prints that is not re-stamped (``render.context_for``)."""
    return (context["d"]["title"], context["subtitle"], context["show_photo"], bool(context["photo_uri"]),
            context["qr_mm"], context["issuer_label"], context["issuer_name"], tuple(context["query_lines"]),
            tuple(label for label, _value in context["rows"]))


def slot_texts(context):
    return [value for _label, value in context["rows"]] + [context["version_line"]]


class _Layout:
    """Line breaking needs a layout context only for hyphenation dictionaries (``hyphens: manual`` here)."""

    dictionaries = {}


def _walk(box, ancestors=()):
    yield box, ancestors
    for child in getattr(box, "children", ()):
        yield from _walk(child, (*ancestors, box))


def _classes(box):
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


class Prototype:
    """A laid-out certificate page and where its changing texts and images are. ``usable`` is False when the page
    does not look as expected (then every certificate of its layout is rendered in full)."""

    def __init__(self, document, fetcher, context):
        from weasyprint.formatting_structure import boxes

        self.document, self.fetcher, self.slots, self.usable = document, fetcher, [], False
        if len(document.pages) != 1:
            return
        page_box = document.pages[0]._page_box
        floats = [box for box, _ in _walk(page_box) if box.style["float"] != "none"]
        images, static = {}, []
        for box, ancestors in _walk(page_box):
            if isinstance(box, boxes.ReplacedBox) and box.element is not None:
                images[box.element.get("src")] = box
            elif isinstance(box, boxes.TextBox) and set(_classes(box)) & set(SLOT_CLASSES):
                self.slots.append(self._slot(box, ancestors, floats))
            elif isinstance(box, boxes.TextBox):
                static.append(box)
        self.qr, self.photo = images.get(context["qr_uri"]), images.get(context["photo_uri"])
        texts = slot_texts(context)
        self.usable = (self.qr is not None and (self.photo is not None) == bool(context["photo_uri"])
                       and len(self.slots) == len(texts) and all(slot is not None for slot in self.slots)
                       and [slot["box"].text for slot in self.slots] == texts
                       and self._measure(texts, reuse=False) is not None)
        if self.usable:  # the texts every certificate of the layout prints: drawn once, then replayed
            drawcache.install()
            for box in static:
                drawcache.mark(box)

    @staticmethod
    def _slot(text_box, ancestors, floats):
        """The text box, its line and the width it may take, as WeasyPrint's ``avoid_collisions`` gives it."""
        from weasyprint.formatting_structure import boxes

        lines = [box for box in ancestors if isinstance(box, boxes.LineBox)]
        if not lines:
            return None
        line = lines[-1]
        block = ancestors[ancestors.index(line) - 1]
        left, right = block.content_box_x(), block.content_box_x() + block.width
        beside = [box for box in floats  # a float beside the line narrows it (the photo beside the first rows)
                  if box.position_y < line.position_y + line.height
                  and line.position_y < box.position_y + box.margin_height()]
        for box in beside:
            right = min(right, box.position_x)
        align, centred = line.style["text_align_all"], line.style["text_align_all"] == "center"
        if align not in ("start", "left", "center") or line.style["direction"] != "ltr" \
                or centred and (len(line.children) != 1 or beside):
            return None
        return {"box": text_box, "line": line, "parent": ancestors[-1], "left": left, "centred": centred,
                "available": right - (left if centred else text_box.position_x)}

    def _measure(self, texts, *, reuse=True):
        """[(layout, width)] of ``texts`` in their slots, or None if one would not look as in a full rendering.
        With ``reuse``, a text its box prints already keeps the box's layout (None in the list): it was measured
        and checked when it was put there, and is drawn as it was (``drawcache``)."""
        from weasyprint.text.line_break import split_first_line

        measured = []
        for slot, text in zip(self.slots, texts):
            box = slot["box"]
            if reuse and text == box.text:
                measured.append(None)
                continue
            if not text or text != " ".join(text.split()):  # white space WeasyPrint would collapse or break at
                return None
            layout, length, resume, width, height, baseline = split_first_line(
                text, box.style, _Layout, slot["available"], box.justification_spacing, is_line_start=True)
            if resume is not None or length != len(text.encode()) or width > slot["available"] \
                    or height != box.height or baseline + box.margin_top != box.baseline:
                return None
            if slot["centred"]:
                # WeasyPrint: offset = (available - line width) / 2, added to the line's start
                if box.text == text and box.position_x != slot["left"] + (slot["available"] - width) / 2:
                    return None
            elif box.text == text and width != box.width:
                return None
            measured.append((layout, width))
        return measured

    def restamp(self, context):
        """This page with ``context``'s texts and images written as its own PDF (``pdf.Rendered``), or None."""
        from weasyprint import DEFAULT_OPTIONS
        from weasyprint.images import get_image_from_uri

        measured = self._measure(slot_texts(context))
        if measured is None:
            return None
        qr_image = render.QRCodeImage(context["qr_symbol"])
        if qr_image.extent != self.qr.replacement.extent:
            return None
        images = {context["qr_uri"]: qr_image}
        for slot, text, fitted in zip(self.slots, slot_texts(context), measured):
            box, line, parent = slot["box"], slot["line"], slot["parent"]
            if fitted is None:  # the same text as the last certificate's (an occupation, a date): kept, replayed
                if not drawcache.marked(box):
                    drawcache.mark(box)
                continue
            drawcache.unmark(box)  # a text that changes is drawn by WeasyPrint, not recorded every time
            layout, width = fitted
            shift = width - box.width
            box.text, box.pango_layout, box.width = text, layout, width
            line.width += shift
            if parent is not line:
                parent.width += shift
            if slot["centred"]:
                box.position_x = line.position_x = slot["left"] + (slot["available"] - width) / 2
        self.qr.replacement = qr_image
        if self.photo is not None:
            self.fetcher.photos = {context["photo_uri"]: context["photo"]}
            options = {**DEFAULT_OPTIONS, **pdf.WRITE_OPTIONS, "cache": images}
            self.photo.replacement = get_image_from_uri(
                cache=images, url_fetcher=self.fetcher, options=options, url=context["photo_uri"],
                orientation=self.photo.style["image_orientation"])
        document = self.document.copy()
        document.metadata = copy.copy(self.document.metadata)
        document.metadata.title = context["doc_title"]
        return pdf.rendered(document, cache=images)


class BatchRenderer:
    """``render(certificate)`` → the unsigned ``pdf.Rendered``, byte for byte ``render.render_certificate``'s,
    re-stamping a laid-out page of the same layout when it can. One per batch (it holds a few laid-out pages)."""

    def __init__(self, limit=PROTOTYPES):
        self.prototypes, self.limit = OrderedDict(), limit
        self.restamped = self.full = 0

    def render(self, certificate, *, photo=None):
        context = render.context_for(certificate, photo=photo)
        key = layout_key(context)
        prototype = self.prototypes.get(key)
        if prototype is not None and prototype.usable:
            result = prototype.restamp(context)
            if result is not None:
                self.restamped += 1
                return result
        document, images, fetcher = render.render_document(context)
        result = pdf.rendered(document, cache=images)  # written before the page's boxes are re-stamped
        self.full += 1
        if prototype is None or not prototype.usable:  # a usable page stays the model after one that did not fit
            self.prototypes[key] = Prototype(document, fetcher, context)
        self.prototypes.move_to_end(key)
        while len(self.prototypes) > self.limit:
            self.prototypes.popitem(last=False)
        return result
