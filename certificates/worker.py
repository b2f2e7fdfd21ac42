"""What a worker process loads once, when it starts, instead of in its first certificate.

A Celery worker process that renders certificates imports WeasyPrint (~0.7 s of CPU and ~50 MB) and pyHanko with
its network stack, parses the certificate stylesheets and loads their fonts into the shared ``FontConfiguration``;
~2 s of CPU in all on this machine (measured, docs/performance.md). Paid inside the first task, it delayed that
batch's first certificate and, in ``make bench``, counted against the batch's per-certificate figure while the
reference (rendered later in the same process) paid none of it. ``prepare`` runs from Celery's
``worker_process_init`` (connected in ``certificates.tasks``) in every worker process, before it takes a task;
the benchmark calls it before it times a batch and prints its cost. A process that never renders (the web, a
command) does not call it and keeps importing WeasyPrint only when it makes a PDF (``certificates.render``).

Then ``gc.freeze()``: what was loaded lives as long as the process, so the cyclic garbage collector stops walking
it in every later collection.
"""

import gc
import importlib
import logging
import time

from portal import pdf
from portal.signing import backends

from . import fonts, render

logger = logging.getLogger(__name__)

# Modules a certificate's rendering, re-stamping and sealing import on first use.
MODULES = ("weasyprint", "weasyprint.images", "weasyprint.formatting_structure.boxes", "weasyprint.text.line_break",
           "weasyprint.pdf", "weasyprint.urls")


def prepare():
    """Loads what every certificate needs (idempotent: a second call finds it loaded). Returns the CPU seconds."""
    start = time.process_time()
    for name in MODULES:
        importlib.import_module(name)
    fonts.ensure_fonts()
    pdf.font_config()
    render.preload()  # parses the stylesheets and loads the certificate fonts into the FontConfiguration
    backends.backend()  # imports pyHanko (its signers are loaded per issuer, on first use)
    gc.freeze()
    seconds = time.process_time() - start
    logger.info("certificate worker prepared in %.2f s CPU", seconds)
    return seconds


def on_worker_start(**_kwargs):
    """Celery's ``worker_process_init`` receiver: a failure here is logged, never stops the worker (the first
    certificate then loads what it needs itself)."""
    try:
        prepare()
    except Exception:  # noqa: BLE001 — fonts missing, a backend setting wrong: the task reports it properly later
        logger.exception("certificate worker could not prepare; certificates will load on first use")
