"""Receivers that keep certificates true to what they stand on.

- The shared verification-page cache: any save of a certificate that may change its public page (revocation,
  superseding, an admin edit) forgets its cached pages (``certificates.pagecache``).
- A title certificate and the decision behind it (DOMAIN §7): when a 复查 ends with 未通过, or the office that
  filed the committee refuses to record the result, the graduate's valid title certificate from that decision (or
  from one it took the place of) is revoked at once, in the same transaction, logged with the cause. A 复查 that
  ends with 通过 leaves it valid until the new decision's certificate supersedes it (``certificates.titles``).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from evaluation.rounds.signals import decision_superseded, result_refused
from portal.models import Role

from . import pagecache, services
from .models import RevocationReason
from .titles import earlier_source_keys, valid_certificate_of

# Saves that cannot change the public page: storing the rendered PDF (a batch does it for every certificate).
NOT_SHOWN = frozenset({"pdf", "pdf_sha256"})


@receiver(post_save, sender="certificates.Certificate", dispatch_uid="certificates.forget_public_page")
def forget_public_page(sender, instance, created=False, update_fields=None, **kwargs):
    if created or (update_fields and set(update_fields) <= NOT_SHOWN):
        return  # nothing cached yet / nothing shown changed
    pagecache.invalidate(instance.verification_id)


def _revoke_title_of(decision, *, actor, note, role=Role.UNIVERSITY_STAFF):
    certificate = valid_certificate_of([decision.source_key, *earlier_source_keys(decision)])
    if certificate is not None:
        services.revoke_certificate(certificate, actor=actor, reason=RevocationReason.NOT_ELIGIBLE, note=note,
                                    role=role)


@receiver(decision_superseded, dispatch_uid="certificates.revoke_title_after_failed_rereview")
def revoke_title_after_failed_rereview(sender, old, new, actor, **kwargs):
    if not new.passed:
        _revoke_title_of(old, actor=actor, note=f"经评委会复查，评审结果改为未通过（{new.approval_number}）")


@receiver(result_refused, dispatch_uid="certificates.revoke_title_of_refused_result")
def revoke_title_of_refused_result(sender, decision, reason, actor, role, **kwargs):
    _revoke_title_of(decision, actor=actor, note=f"人社部门对评审结果不予备案：{reason}", role=role)
