"""Helpers shared by the benchmark scripts: a throw-away PostgreSQL database and Django set-up."""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def pg_available():
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


TEMPLATE_ENV = "BENCH_TEMPLATE_DB"  # a migrated database that fresh_pg_database(..., migrated=True) clones


def _admin(sql):
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def _suffixed(name):
    """``BENCH_DB_SUFFIX`` (or ``CACHE_KEY_PREFIX``) appended, so that runs from several checkouts on one server do
    not drop each other's database."""
    suffix = os.environ.get("BENCH_DB_SUFFIX") or os.environ.get("CACHE_KEY_PREFIX") or ""
    return f"{name}_{suffix}" if suffix else name


def migrate_env(url):
    """What ``manage.py migrate`` runs with: the caller's environment, the development settings, ``url``."""
    env = {k: v for k, v in os.environ.items() if k not in ("PORTAL_TESTING", "DJANGO_ENV", "SECRET_KEY")}
    return {**env, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "portal.settings"}


@contextmanager
def fresh_pg_database(name, *, migrated=False):
    """Creates database ``name`` (dropping a leftover one), yields its URL, drops it afterwards.

    ``migrated``: with every migration applied — a copy of the migrated template (``migrated_template``: one per
    ``make bench`` run or smoke-test session, ``CREATE DATABASE … TEMPLATE``, ~1 s) when there is one, else
    migrated here (~45 s of CPU)."""
    name = _suffixed(name)
    template = os.environ.get(TEMPLATE_ENV) if migrated else None
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        if migrated and not template:
            manage("migrate", "--noinput", env=migrate_env(url))
        yield url
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def migrated_template():
    """A database with every migration applied, for the benchmarks run meanwhile to copy (``TEMPLATE_ENV`` names
    it in this process's environment, which they inherit); dropped afterwards. Nothing is cached across runs: a
    template built from other migrations can never be copied."""
    if os.environ.get(TEMPLATE_ENV):
        yield os.environ[TEMPLATE_ENV]
        return
    with fresh_pg_database(f"bench_template_{os.getpid()}", migrated=True) as url:
        os.environ[TEMPLATE_ENV] = url.rsplit("/", 1)[1]
        try:
            yield os.environ[TEMPLATE_ENV]
        finally:
            os.environ.pop(TEMPLATE_ENV, None)


def manage(*args, env):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-4000:])
        done.check_returncode()
    return done


def setup_django(env_updates):
    os.environ.update(env_updates)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- figures: every benchmark reports through ``figure``; ``run_all`` gathers them ------------------------------
SCALE = int(os.environ.get("SCALE", "1"))  # data size: 1 (province today) or 10 (ten times that)
SMOKE = os.environ.get("BENCH_SMOKE") == "1"  # tiny sizes, to prove the benchmark still runs (tests/perf)
FIGURES_FILE = os.environ.get("BENCH_FIGURES")  # JSON lines written here when set (run_all sets it)


def figure(name, *, value, unit, goal, ok, reference=None, note=""):
    """Records one measured figure next to its reference measured in the same run.

    ``ratio`` is value / reference; ``goal`` says in words what passes (``"≤ 0.45× reference and ≤ 25 ms"``);
    ``ok`` is whether this run met it. Printed, and appended to ``BENCH_FIGURES`` for ``benchmarks/results.json``.
    """
    import json

    ratio = round(value / reference, 3) if reference else None
    row = {"value": round(value, 3), "unit": unit, "reference": round(reference, 3) if reference else None,
           "ratio": ratio, "goal": goal, "ok": bool(ok)}
    if note:
        row["note"] = note
    shown = f"{name}: {row['value']} {unit}"
    if reference:
        shown += f" (reference {row['reference']} {unit}, ratio {ratio})"
    print(f"{shown}; goal {goal}: {'OK' if ok else 'MISSED'}", flush=True)
    if FIGURES_FILE:
        with open(FIGURES_FILE, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({name: row}, ensure_ascii=False) + "\n")
    return row
