"""Where personal files go: evidence and uploaded transcripts are never under the public media URL.

They are served only through views that check who asks (``evaluation:evidence``)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """``MEDIA_ROOT/private``, read lazily (so that tests may move MEDIA_ROOT); no public URL."""

    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, "private")

    def url(self, name):
        raise ValueError("private files have no public URL; serve them through a view that checks access")


_PRIVATE = PrivateStorage()


def private_storage():
    """Callable storage (kept out of migrations)."""
    return _PRIVATE
