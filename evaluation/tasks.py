"""Celery tasks of the evaluation app: they take ids, are idempotent, and call services."""

from celery import shared_task


@shared_task
def evaluate_cohort(run_id):
    """Evaluates a cohort run (see services.cohort.execute_run); a finished run is left as it is."""
    from evaluation.services import cohort

    run = cohort.execute_run(run_id)
    return {"status": run.status, "done": run.done}


@shared_task
def preview_import(batch_id):
    """Checks an uploaded transcript (services.imports.preview); a batch already checked is left as it is."""
    from evaluation.models import ImportBatch
    from evaluation.services import imports

    batch = ImportBatch.objects.filter(pk=batch_id).select_related("uploaded_by", "institution").first()
    if batch is None:
        return None
    return imports.preview(batch).status
