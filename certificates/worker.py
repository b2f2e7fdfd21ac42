"""What a worker process loads once, when it starts, instead of in its first certificate.

A Celery worker process that renders certificates imports WeasyPrint (~0.7 s of CPU and ~50 MB) and pyHanko with
its network stack, parses the certificate stylesheets and loads their fonts into the shared
``FontConfiguration``: ~0.8 s of CPU on this machine, 1.3 s with the specimen below (measured,
docs/performance.md). Paid inside the first task, it delayed that batch's first certificate and, in
``make bench``, counted against the batch's per-certificate figure while the reference (rendered later in the
same process) paid none of it. ``prepare`` runs from Celery's
``worker_process_init`` (connected in ``certificates.tasks``) in every worker process, before it takes a task;
the benchmark calls it before it times a batch and prints its cost. A process that never renders (the web, a
command) does not call it and keeps importing WeasyPrint only when it makes a PDF (``certificates.render``).

It then lays out and writes a specimen certificate of made-up values (never stored, never sealed): the first
layout of a process also loads the fonts into Pango and HarfBuzz and checks the one-pass font subsets
(``portal.fontsubset``), ~0.2 s more; and loads the font the seals are drawn from (``portal.signing.seal``).

A pool process must report itself up within ``CELERY_WORKER_PROC_ALIVE_TIMEOUT`` (30 s here; Celery's default, 4 s,
is too close to ~1.5 s of wall time on two busy cores), so ``prepare`` never builds the certificate fonts (tens of
seconds, once per deployment): without them it only imports.

Then the garbage collector: what was loaded lives as long as the process, so it is frozen (``gc.freeze()``) and no
later collection walks it; and the youngest generation is collected after ``YOUNG_OBJECTS`` allocations instead of
700 — a certificate allocates and frees some 10⁵ objects, and a collection every 700 cost ~0.7 ms of CPU a
certificate against ~0.4 ms at 10,000 (measured on 250 certificates, four runs).
"""

import gc
import importlib
import logging
import time

from portal import pdf
from portal.signing import backends, seal

from . import fonts, render
from .models import Certificate, CertificateKind

logger = logging.getLogger(__name__)

YOUNG_OBJECTS = 10_000
# Modules a certificate's rendering, re-stamping and sealing import on first use.
MODULES = ("weasyprint", "weasyprint.images", "weasyprint.formatting_structure.boxes", "weasyprint.text.line_break",
           "weasyprint.pdf", "weasyprint.urls")


def prepare():
    """Loads what every certificate needs (idempotent: a second call finds it loaded). Returns the CPU seconds."""
    start = time.process_time()
    for name in MODULES:
        importlib.import_module(name)
    backends.backend()  # imports pyHanko (its signers are loaded per issuer, on first use)
    seal.preload()
    if fonts.built():  # building them is the first certificate's work (or ``manage.py certificate_fonts``')
        pdf.font_config()
        render.preload()  # parses the stylesheets and loads the certificate fonts into the FontConfiguration
        render.render_certificate(specimen())
    else:
        logger.info("certificate fonts not built yet: the first certificate builds them")
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])
    seconds = time.process_time() - start
    logger.info("certificate worker prepared in %.2f s CPU", seconds)
    return seconds


def specimen():
    """An unsaved skill certificate of made-up values, as long as a real one's (QR text included)."""
    data = {"kind": CertificateKind.SKILL.value, "title": "职业技能等级证书", "number": "S000000000000263000001",
            "issue_date": "2026-07-01", "verification_id": "a" * 26, "version": 1, "replaces": "", "name": "张三丰",
            "id_type": "居民身份证", "id_number": "340104200001010000", "occupation": "电工",
            "occupation_code": "6-31-01-03", "job_type": "维修电工", "level": "三级/高级工", "level_digit": 3,
            "institution_name": "样例评价机构", "institution_code": "S000000000000"}
    return Certificate(kind=CertificateKind.SKILL, data=data, verification_id=data["verification_id"],
                       qr_payload="A" * 330, qr_signature="B" * 86)


def on_worker_start(**_kwargs):
    """Celery's ``worker_process_init`` receiver: a failure here is logged, never stops the worker (the first
    certificate then loads what it needs itself)."""
    try:
        prepare()
    except Exception:  # noqa: BLE001 — fonts missing, a backend setting wrong: the task reports it properly later
        logger.exception("certificate worker could not prepare; certificates will load on first use")
