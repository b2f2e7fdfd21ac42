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


@contextmanager
def fresh_pg_database(name):
    """Creates database ``name`` (dropping a leftover one), yields its URL, drops it afterwards.

    ``BENCH_DB_SUFFIX`` (or ``CACHE_KEY_PREFIX``) is appended so that runs from several checkouts on one server
    do not drop each other's database."""
    import psycopg

    suffix = os.environ.get("BENCH_DB_SUFFIX") or os.environ.get("CACHE_KEY_PREFIX") or ""
    if suffix:
        name = f"{name}_{suffix}"

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)


def setup_django(env_updates):
    os.environ.update(env_updates)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
