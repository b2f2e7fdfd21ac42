"""Certificates' files (PDFs with full ID numbers, photos) are never under the public media URL.

They are served only through views that check who asks."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage():
    """Callable storage (kept out of migrations): ``MEDIA_ROOT/private``, no public URL."""
    return FileSystemStorage(location=settings.MEDIA_ROOT / "private", base_url="/nonexistent/")
