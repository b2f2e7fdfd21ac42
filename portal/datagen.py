"""The data generation: a number in the cache (Redis) that changes after every committed write to the database.

``portal.pagecache`` keys a signed-in user's cached page by it, so that no page is served from before a change.
How it stays right:

- Every database connection runs its statements through ``_watch`` (installed when the connection opens). A
  statement that writes (INSERT, UPDATE, DELETE, TRUNCATE, MERGE, a writing WITH, COPY) outside a transaction bumps
  the generation at once; inside one it registers a bump to run when the outermost transaction commits, once per
  transaction. COPY through psycopg's ``cursor.copy`` does not pass the wrappers; the two imports that use it
  (transcripts, verdicts) write with ORM/SQL statements in the same transaction, which bump.
- The bump runs after the commit, and a page reads the generation before it reads the data. So a page rendered
  from data older than a commit is stored under a generation older than the bump, which no later request asks for.
- Writes to tables no cached page shows (sessions, sign-in attempts) do not bump.
- Redis down: ``current`` answers None and nothing is cached or served from the cache; a bump that cannot be
  stored is lost, which is why cached pages also expire (``PAGE_CACHE_SECONDS``).
"""

import re
import time

from django.core.cache import cache
from django.db.backends.signals import connection_created
from django.dispatch import receiver

KEY = "portal:datagen"
_WRITE = re.compile(r"\s*(?:insert|update|delete|truncate|merge|copy)\b", re.IGNORECASE)
_WITH = re.compile(r"\s*with\b.*\b(?:insert|update|delete)\b", re.IGNORECASE | re.DOTALL)
_TABLE = re.compile(r'\s*(?:insert\s+into|update|delete\s+from)\s+"?([\w.]+)', re.IGNORECASE)
UNSHOWN = frozenset({"django_session", "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"})


def _seed():
    """A starting value no earlier generation had (Redis restarted empty: old pages are gone, none collide)."""
    return time.time_ns()


def current():
    """The generation now, or None when the cache cannot hold one (Redis down)."""
    value = cache.get(KEY)
    if value is None:
        seed = _seed()
        value = seed if cache.add(KEY, seed, timeout=None) else None  # lost a race or Redis down: no cache now
    return value


def bump():
    try:
        cache.incr(KEY)
    except ValueError:  # missing (a new Redis), or Redis down: then this is dropped too, and pages expire
        cache.add(KEY, _seed(), timeout=None)


def writes(sql):
    """Whether a statement may change what a cached page shows."""
    if not (_WRITE.match(sql) or _WITH.match(sql)):
        return False
    table = _TABLE.match(sql)
    return table is None or table.group(1) not in UNSHOWN


def changed(connection):
    """A write on ``connection``: bump now, or when its transaction commits (once per transaction)."""
    if not connection.in_atomic_block:
        bump()
        return
    current_ids = set(connection.savepoint_ids)
    # A bump registered where every savepoint it depends on is still open runs with this write's commit.
    if any(func is bump and sids <= current_ids for sids, func, _robust in connection.run_on_commit):
        return
    connection.on_commit(bump, robust=True)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if writes(sql):
        changed(context["connection"])
    return result


@receiver(connection_created)
def _install(sender, connection, **kwargs):
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)
