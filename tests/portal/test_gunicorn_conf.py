"""What the gunicorn master does before forking, so that no worker — the first ones or one recycled later — pays
it (gunicorn.conf.py with ``preload_app``, ``portal.wsgi``): the application loaded with its URL reverse tables,
then frozen out of the cyclic garbage collector's reach; workers recycled with jitter."""

import gc
import os
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _conf(**environ):
    saved = {name: os.environ.pop(name, None) for name in ("GUNICORN_MAX_REQUESTS", "GUNICORN_MAX_REQUESTS_JITTER")}
    os.environ.update(environ)
    try:
        return runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


def test_the_master_freezes_the_loaded_application_before_forking():
    conf = _conf()
    assert conf["preload_app"] is True  # the application is loaded in the master, then frozen there
    assert gc.get_freeze_count() == 0
    try:
        conf["when_ready"](None)  # gunicorn calls it after the preload, before the first fork
        assert gc.get_freeze_count() > 10_000  # every object tracked so far: the whole loaded application
    finally:
        gc.unfreeze()


def test_workers_are_recycled_with_jitter_and_the_environment_overrides_it():
    conf = _conf()
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (10_000, 1_000)
    conf = _conf(GUNICORN_MAX_REQUESTS="500", GUNICORN_MAX_REQUESTS_JITTER="50")
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (500, 50)


def test_portal_wsgi_builds_every_url_reverse_table_at_import():
    script = ("import portal.wsgi\n"
              "from django.urls import URLResolver, get_resolver\n"
              "pending, seen = [get_resolver()], 0\n"
              "while pending:\n"
              "    resolver = pending.pop()\n"
              "    assert resolver._populated, resolver\n"
              "    seen += 1\n"
              "    pending += [p for p in resolver.url_patterns if isinstance(p, URLResolver)]\n"
              "print(seen)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) > 10  # the included ones too, namespaced or not
