"""Celery tasks of the evaluation app: they take ids, are idempotent, and call services."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from evaluation.models import ImportBatch
from evaluation.services import cohort, imports
from portal import queue

logger = logging.getLogger(__name__)


@shared_task
def evaluate_cohort(run_id):
    """Evaluates a cohort run (see services.cohort.execute_run); a finished run is left as it is."""
    run = cohort.execute_run(run_id)
    return {"status": run.status, "done": run.done}


@shared_task
def preview_import(batch_id):
    """Checks an uploaded transcript (services.imports.preview); a batch already checked is left as it is."""
    batch = ImportBatch.objects.filter(pk=batch_id).select_related("uploaded_by", "institution").first()
    if batch is None:
        return None
    return imports.preview(batch).status


@shared_task
def confirm_import(batch_id):
    """Imports a batch the registrar confirmed (services.imports.run_confirm); a batch imported, or being
    imported by another worker, is left as it is."""
    batch = imports.run_confirm(batch_id)
    return None if batch is None else batch.status


@shared_task
def sweep_stale_imports(now=None):
    """Celery beat, every ``WORK_SWEEP_SECONDS`` (issue 14 #4/#5): a batch marked 导入中 for longer than
    ``WORK_SWEEP_GRACE_SECONDS`` — its message lost while the broker was down, or its worker killed — is sent
    again. A batch still being imported holds its row lock, so the resent task finds it busy and does nothing."""
    cutoff = (now or timezone.now()) - timedelta(seconds=getattr(settings, "WORK_SWEEP_GRACE_SECONDS", 120))
    sent = sum(1 for batch_id in imports.stale_confirms(cutoff) if queue.send(confirm_import, batch_id))
    # A preview no worker took (the broker reachable, no worker running): sent again; it is idempotent.
    previews = sum(1 for batch_id in imports.stale_previews(cutoff) if queue.send(preview_import, batch_id))
    if sent or previews:
        logger.warning("sweeper resent %d transcript import(s) and %d preview(s)", sent, previews)
    return {"imports": sent, "previews": previews}
