"""Uploaded evidence and attachments: type and size limits checked before anything is stored.

The type is judged by the file's first bytes, not only by its name, so a renamed executable is
refused. Messages are in Chinese and name the limit.
"""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024

SIGNATURES = {
    "pdf": [b"%PDF-"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
    "zip": [b"PK\x03\x04"],
    "doc": [b"\xd0\xcf\x11\xe0"],
    "xls": [b"\xd0\xcf\x11\xe0"],
}
DOCUMENTS = ("pdf", "jpg", "jpeg", "png", "docx", "doc")
IMAGES = ("jpg", "jpeg", "png")


def check_upload(upload, *, kinds=DOCUMENTS, max_mb=10):
    """Raises ValidationError unless ``upload`` is one of ``kinds`` and at most ``max_mb`` MB."""
    if upload is None:
        return
    if upload.size > max_mb * MB:
        raise ValidationError(_("文件“%(name)s”大小为%(size).1fMB，超过上限%(max)dMB。")
                              % {"name": upload.name, "size": upload.size / MB, "max": max_mb}, code="too_large")
    ext = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if ext not in kinds:
        raise ValidationError(_("文件“%(name)s”类型不支持，只接受：%(kinds)s。")
                              % {"name": upload.name, "kinds": "、".join(kinds)}, code="bad_type")
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES.get(ext, [])):
        raise ValidationError(_("文件“%(name)s”的内容与扩展名不符，请上传真实的%(ext)s文件。")
                              % {"name": upload.name, "ext": ext.upper()}, code="bad_content")


class UploadValidator:
    """A field validator: ``FileField(validators=[UploadValidator(kinds=..., max_mb=...)])``."""

    def __init__(self, kinds=DOCUMENTS, max_mb=10):
        self.kinds, self.max_mb = tuple(kinds), max_mb

    def __call__(self, value):
        check_upload(getattr(value, "file", value), kinds=self.kinds, max_mb=self.max_mb) \
            if not getattr(value, "_committed", False) else None

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and (self.kinds, self.max_mb) == (other.kinds, other.max_mb)

    def deconstruct(self):
        return ("portal.uploads.UploadValidator", (), {"kinds": list(self.kinds), "max_mb": self.max_mb})
