"""Celery tasks of the evaluation app: they take ids, are idempotent, and call services."""

from celery import shared_task


@shared_task
def evaluate_cohort(run_id):
    """Evaluates a cohort run (see services.cohort.execute_run); a finished run is left as it is."""
    from evaluation.services import cohort

    run = cohort.execute_run(run_id)
    return {"status": run.status, "done": run.done}
