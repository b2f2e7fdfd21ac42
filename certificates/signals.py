"""Keeps the shared verification-page cache honest: any save of a certificate (revocation, superseding, a new
PDF, an admin edit) forgets its cached public pages (``certificates.pagecache``)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from . import pagecache


@receiver(post_save, sender="certificates.Certificate", dispatch_uid="certificates.forget_public_page")
def forget_public_page(sender, instance, **kwargs):
    pagecache.invalidate(instance.verification_id)
