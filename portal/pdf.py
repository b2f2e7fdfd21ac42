"""PDF rendering with WeasyPrint: HTML templates in, PDF bytes out, Chinese fonts embedded.

One ``FontConfiguration`` is shared per process: building it per document costs time and
memory. Called from Celery tasks (in-process in the demo); the callers store the bytes with
their SHA-256 (``store_pdf``) so that a regenerated document can be compared with the stored one.
"""

import hashlib
from functools import lru_cache

from django.core.files.base import ContentFile
from django.template.loader import render_to_string

# Tagged PDF (issue 18, WCAG 1.3.1 / GB/T 37668): a structure tree for screen readers, the <title> as the document
# Title and <html lang> as its language, <img alt> as the figures' alternative text. Used by every render call.
WRITE_OPTIONS = {"pdf_tags": True}


@lru_cache(maxsize=1)
def font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(template_name, context, *, base_url=None):
    """Renders ``template_name`` (a full HTML page with its own @page CSS) to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=base_url).write_pdf(font_config=font_config(), **WRITE_OPTIONS)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def store_pdf(instance, field_name, filename, data, *, sha_field=None):
    """Saves ``data`` into ``instance.<field_name>`` (replacing the old file) and its hash into ``sha_field``."""
    field = getattr(instance, field_name)
    if field:
        field.delete(save=False)
    field.save(filename, ContentFile(data), save=False)
    if sha_field:
        setattr(instance, sha_field, sha256(data))
    instance.save(update_fields=[field_name] + ([sha_field] if sha_field else []))
    return instance
