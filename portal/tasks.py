from celery import shared_task


@shared_task
def ping(value="pong"):
    """A task that proves the task pipeline works end to end (broker, worker, result backend)."""
    return value
