"""The Celery app. Without a broker (the demo, the default test run) tasks run in-process.

Every task is a ``PortalTask``: sending one while the broker (Redis) is down logs a warning and returns None
instead of raising, so a page that queued work after its transaction committed does not answer 500; the
sweeper (``portal.sweeper``, run by Celery beat) sends what was left behind once the broker is back.
Callers that must tell the user use ``portal.queue.send``, which reports whether the task was sent.
"""

import logging
import os

from celery import Celery, Task
from celery.backends.asynchronous import E_RETRY_LIMIT_EXCEEDED
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

logger = logging.getLogger("portal.queue")

BROKER_ERRORS = (OperationalError, ConnectionError, TimeoutError)


class PortalTask(Task):
    def apply_async(self, args=None, kwargs=None, **options):
        if self.app.conf.task_always_eager:
            return super().apply_async(args, kwargs, **options)
        try:
            return super().apply_async(args, kwargs, **options)
        except BROKER_ERRORS as exc:
            logger.warning("broker unavailable: task %s%r not sent (%s); the sweeper will retry", self.name,
                           tuple(args or ()), exc)
            return None
        except RuntimeError as exc:
            # The Redis result store (the same Redis) gave up reconnecting before the message was sent:
            # the same fault as a broker error, raised by Celery as a bare RuntimeError.
            if str(exc) != E_RETRY_LIMIT_EXCEEDED:
                raise
            logger.warning("result store unavailable: task %s%r not sent; the sweeper will retry", self.name,
                           tuple(args or ()))
            return None


app = Celery("portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
