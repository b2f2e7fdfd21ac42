"""Keeps the shared verification-page cache honest: any save of a certificate that may change its public page
(revocation, superseding, an admin edit) forgets its cached pages (``certificates.pagecache``)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from . import pagecache

# Saves that cannot change the public page: storing the rendered PDF (a batch does it for every certificate).
NOT_SHOWN = frozenset({"pdf", "pdf_sha256"})


@receiver(post_save, sender="certificates.Certificate", dispatch_uid="certificates.forget_public_page")
def forget_public_page(sender, instance, created=False, update_fields=None, **kwargs):
    if created or (update_fields and set(update_fields) <= NOT_SHOWN):
        return  # nothing cached yet / nothing shown changed
    pagecache.invalidate(instance.verification_id)
