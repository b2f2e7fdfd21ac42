"""A worker process loads WeasyPrint, the stylesheets with their fonts and pyHanko when it starts
(``certificates.worker``), not inside its first certificate; a failure there never stops the worker."""

import gc
import logging

import pytest
from celery.signals import worker_process_init

from certificates import fonts, render, tasks, worker
from certificates.models import Certificate
from portal import pdf
from portal.signing import backends, seal


def test_the_worker_start_signal_prepares_the_process():  # tests/conftest.py gives the collector back after it
    assert tasks.worker is worker  # connected where the worker imports its tasks
    receivers = [receiver() for _key, receiver in worker_process_init.receivers]
    assert worker.on_worker_start in receivers
    fonts.ensure_fonts()  # built once per deployment (a starting pool process never builds them)
    seconds = worker.prepare()
    assert seconds >= 0
    assert render._stylesheets.cache_info().currsize == 1 and pdf.font_config.cache_info().currsize == 1
    assert backends.backend.cache_info().currsize == 1
    assert gc.get_freeze_count() > 0 and gc.get_threshold()[0] == worker.YOUNG_OBJECTS
    assert seal._font.cache_info().currsize == 1


def test_the_specimen_is_a_whole_certificate_never_stored(db):
    specimen = worker.specimen()
    rendered = render.render_certificate(specimen)
    assert rendered.data.startswith(b"%PDF-") and len(rendered.pages) == 1
    assert specimen.pk is None and not Certificate.objects.exists()


def test_a_failed_preparation_is_logged_and_the_worker_goes_on(monkeypatch, caplog):
    def broken():
        raise FileNotFoundError("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

    monkeypatch.setattr(worker, "prepare", broken)
    with caplog.at_level(logging.ERROR, logger="certificates.worker"):
        worker.on_worker_start(sender=None)
    assert "could not prepare" in caplog.text


def test_a_pool_process_has_time_to_prepare_and_never_builds_the_fonts_there(monkeypatch):
    from portal.celery import app

    assert app.conf.worker_proc_alive_timeout >= 30  # Celery's default 4 s would kill a slow start
    monkeypatch.setattr(fonts, "built", lambda: False)
    monkeypatch.setattr(fonts, "build_subset", lambda *args: pytest.fail("fonts built in a starting pool process"))
    drawn = []
    monkeypatch.setattr(render, "render_certificate", lambda *args: drawn.append(args))
    worker.prepare()
    assert drawn == []
