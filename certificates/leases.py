"""Which process runs a batch: a PostgreSQL session advisory lock, held for the run.

A worker that dies (killed, out of memory, machine lost) loses its database connection, and with it the
lock, so the batch is free for the next attempt at once — no timeout to wait for and no flag left set.
SQLite (the laptop demo) runs tasks in-process, one at a time: the lease is always granted there.
"""

import hashlib
from contextlib import contextmanager

from django.db import connection


def _key(batch_id):
    digest = hashlib.sha256(f"certificates.batch:{batch_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _try_lock(key):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        return bool(cursor.fetchone()[0])


def _unlock(key):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


@contextmanager
def batch_lease(batch_id):
    """``with batch_lease(pk) as held:`` — held is False when another live process runs the batch."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = _key(batch_id)
    held = _try_lock(key)
    try:
        yield held
    finally:
        if held:
            _unlock(key)


def is_running(batch_id):
    """True when a live process holds the batch's lease."""
    if connection.vendor != "postgresql":
        return False
    key = _key(batch_id)
    if _try_lock(key):
        _unlock(key)
        return False
    return True
