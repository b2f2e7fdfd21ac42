"""Sending work to the Celery workers (issue 14 #5), by task name.

Services name the task they want run (``"evaluation.tasks.evaluate_cohort"``) instead of importing the tasks
module, which imports the services: the layers stay one-way (tasks → services), with no import circle and no
import hidden inside a function. Celery's own task registry is the registry; ``task_named`` fills it once per
process from every app's ``tasks`` module (``app.autodiscover_tasks()`` in portal/celery.py).
"""

from django.db import transaction

from portal.celery import app

_discovered = []


def task_named(name):
    """The registered Celery task called ``name``; KeyError (celery's NotRegistered) for an unknown name."""
    if name not in app.tasks and not _discovered:
        app.loader.import_default_modules()  # fires autodiscovery: imports each installed app's tasks module
        _discovered.append(True)
    return app.tasks[name]


class Dispatch:
    """Filled in when the transaction commits: ``sent`` is True, or False when the broker was unreachable."""

    sent = None

    @property
    def deferred(self):
        return self.sent is False


def send(task, *args):
    """Sends ``task(*args)`` now (a task or its name); True when it was handed to the broker (or ran
    in-process), else False."""
    if isinstance(task, str):
        task = task_named(task)
    return task.delay(*args) is not None


def send_on_commit(task, *args):
    """Sends ``task(*args)`` after the current transaction commits (at once outside one, so that a view
    calling a service in autocommit mode knows the outcome before it answers)."""
    dispatch = Dispatch()

    def _send():
        dispatch.sent = send(task, *args)

    transaction.on_commit(_send)
    return dispatch
