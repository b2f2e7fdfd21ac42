"""Celery tasks: take ids, idempotent, safe to redo after a worker died (late acknowledgement is on for
every task in settings: ``CELERY_TASK_ACKS_LATE`` and ``CELERY_TASK_REJECT_ON_WORKER_LOST``).

A batch renders its certificates in the worker that runs it — many certificates per process, one shared
WeasyPrint ``FontConfiguration`` — rather than one task or one process per certificate.
"""

import logging
import time
from datetime import timedelta

from celery import shared_task
from celery.signals import worker_process_init
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import pdf, queue
from portal.signing import SigningUnavailable

from . import leases, worker
from .filing import filing_of
from .models import AssessmentResult, Certificate, IssuanceBatch
from .render import render_certificate as render_unsigned
from .render import seals_for
from .restamp import BatchRenderer
from .services import IssuanceError, holder_users_for, issue_from_result

logger = logging.getLogger(__name__)
worker_process_init.connect(worker.on_worker_start, dispatch_uid="certificates.worker")


def ensure_pdf(certificate, *, force=False, render=render_unsigned):
    """Renders, seals and stores the certificate's PDF unless a stored one matches its hash (or is the same
    rendering, sealed: ``portal.pdf.store_rendered``). Returns True if a new file was stored. ``render``: a
    batch's ``BatchRenderer.render`` (the same bytes, laid out once per layout)."""
    if certificate.pdf and certificate.pdf_sha256 and not force:
        try:
            with certificate.pdf.open("rb") as handle:
                if pdf.sha256(handle.read()) == certificate.pdf_sha256:
                    return False
        except FileNotFoundError:
            pass
    return pdf.store_rendered(certificate, "pdf", f"{certificate.number}.pdf", render(certificate),
                              seals_for(certificate), sha_field="pdf_sha256")


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_certificate(certificate_id, force=False):
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return False
    return ensure_pdf(certificate, force=force)


class _Progress:
    """Writes a batch's ``done`` count at most once per ``INTERVAL`` seconds (the page polls every second or so),
    not once per certificate: an UPDATE per certificate cost ~1 ms of a 25 ms budget and a dead tuple each."""

    INTERVAL = 1.0

    def __init__(self, batch_id):
        self.batch_id, self.last = batch_id, time.monotonic()

    def report(self, done):
        now = time.monotonic()
        if now - self.last >= self.INTERVAL:
            IssuanceBatch.objects.filter(pk=self.batch_id).update(done=done)
            self.last = now


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_batch(batch_id):
    """Issues every result of the batch that has no certificate yet, renders missing PDFs, reports progress.

    Redone after a crash, it skips what is already issued (unique per source) and rendered (hash check). Only
    one process runs a batch at a time (``leases.batch_lease``): a duplicate message — the sweeper's resend,
    a redelivery after the visibility timeout — finds the batch done or held and does nothing.
    """
    with leases.batch_lease(batch_id) as held:
        if not held:
            logger.info("batch %s is being run by another worker", batch_id)
            return 0
        return _run_batch(batch_id)


def _run_batch(batch_id):
    batch = IssuanceBatch.objects.select_related("created_by", "institution").filter(pk=batch_id).first()
    if batch is None or batch.status == IssuanceBatch.Status.DONE:
        return 0
    IssuanceBatch.objects.filter(pk=batch.pk).update(status=IssuanceBatch.Status.RUNNING, done=0, error="")
    # One query each for the results (with what result_problem reads: candidate, session), the holders' accounts
    # and what is issued already — not one per certificate.
    results = {r.pk: r for r in AssessmentResult.objects.filter(pk__in=batch.result_ids)
               .select_related("institution", "occupation", "candidate__session")}
    holders = holder_users_for(r.id_number for r in results.values())
    # Certificates already issued (a batch redone after a crash): one query, the latest version per source.
    issued = {}
    for certificate in (Certificate.objects.filter(source_key__in=[f"skill-result:{i}" for i in batch.result_ids])
                        .order_by("source_key", "version")):
        issued[certificate.source_key] = certificate
    errors = []
    filing = filing_of(batch.institution)
    progress = _Progress(batch.pk)
    renderer = BatchRenderer()  # one layout per institution, level and QR size; each certificate its own PDF
    for done, result_id in enumerate(batch.result_ids, start=1):
        result = results.get(result_id)
        try:
            if result is not None:
                certificate = issued.get(f"skill-result:{result_id}")
                if certificate is None:
                    certificate = issue_from_result(result, issued_by=batch.created_by, issue_date=batch.issue_date,
                                                    batch=batch, render=False, filing=filing, fresh=True,
                                                    holder_user=holders.get(result.id_number), holder_known=True)
                ensure_pdf(certificate, render=renderer.render)
        except (IssuanceError, SigningUnavailable) as exc:
            errors.append(str(exc))
        except DatabaseError:
            raise  # the connection or transaction is gone: the batch stays running; the sweeper sends it again
        except Exception as exc:  # one result's lasting fault (e.g. its photo file missing) ends only its own item
            logger.exception("batch %s: result %s failed", batch.pk, result_id)
            errors.append(_("第%(n)d项（评价结果%(id)s）未能生成证书：%(error)s") % {
                "n": done, "id": result_id, "error": exc.__class__.__name__})
        progress.report(done)
    with transaction.atomic():
        IssuanceBatch.objects.filter(pk=batch.pk).update(
            status=IssuanceBatch.Status.DONE, done=len(batch.result_ids), finished_at=timezone.now(),
            error="\n".join(errors)[:5000])
    return len(batch.result_ids)


RENDERS_PER_SWEEP = 200


def sweep_grace():
    return timedelta(seconds=getattr(settings, "WORK_SWEEP_GRACE_SECONDS", 120))


@shared_task
def sweep_stale_work(now=None):
    """The sweeper (Celery beat, every ``WORK_SWEEP_SECONDS``; issue 14 #4 and #5).

    Work is left behind when the broker was down as a batch was started (the batch is committed as queued,
    its message never left) or when the worker running it died. Redis redelivers an unacknowledged message
    only after the visibility timeout, so the sweeper does not wait for that: every queued or running batch
    older than ``WORK_SWEEP_GRACE_SECONDS`` whose lease no live process holds is sent again, and certificates
    still without a PDF get a render. Both are idempotent (a resent batch that is running or done does
    nothing; a render checks the stored PDF's hash). Returns what was sent.
    """
    cutoff = (now or timezone.now()) - sweep_grace()
    sent = {"batches": 0, "renders": 0}
    pending = [IssuanceBatch.Status.QUEUED, IssuanceBatch.Status.RUNNING]
    stale = IssuanceBatch.objects.filter(status__in=pending, created_at__lt=cutoff).order_by("created_at")
    for batch_id in stale.values_list("pk", flat=True):
        if not leases.is_running(batch_id) and queue.send(run_batch, batch_id):
            sent["batches"] += 1
    unrendered = (Certificate.objects.filter(pdf_sha256="", created_at__lt=cutoff)
                  .exclude(batch__status__in=pending).order_by("pk").values_list("pk", flat=True))
    for certificate_id in unrendered[:RENDERS_PER_SWEEP]:
        if queue.send(render_certificate, certificate_id):
            sent["renders"] += 1
    if sent["batches"] or sent["renders"]:
        logger.warning("sweeper resent %(batches)d batch(es) and %(renders)d PDF render(s)", sent)
    return sent
