"""Sending work to the Celery workers when the caller must know whether it went (issue 14 #5)."""

from django.db import transaction


class Dispatch:
    """Filled in when the transaction commits: ``sent`` is True, or False when the broker was unreachable."""

    sent = None

    @property
    def deferred(self):
        return self.sent is False


def send(task, *args):
    """Sends ``task(*args)`` now; True when it was handed to the broker (or ran in-process), else False."""
    return task.delay(*args) is not None


def send_on_commit(task, *args):
    """Sends ``task(*args)`` after the current transaction commits (at once outside one, so that a view
    calling a service in autocommit mode knows the outcome before it answers)."""
    dispatch = Dispatch()

    def _send():
        dispatch.sent = send(task, *args)

    transaction.on_commit(_send)
    return dispatch
