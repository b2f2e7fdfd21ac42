"""The data generation: a number in Redis that changes after every committed write to the database.

``portal.pagecache`` keys a signed-in user's kept page by it, so that no page is served from before a change.
How it stays right:

- Every database connection runs its statements through ``_watch`` (installed when the connection opens). A
  statement that writes (INSERT, UPDATE, DELETE, TRUNCATE, MERGE, a writing WITH, COPY) outside a transaction bumps
  the generation at once; inside one it registers a bump to run when the outermost transaction commits, once per
  transaction. COPY through psycopg's ``cursor.copy`` does not pass the wrappers; the two imports that use it
  (transcripts, verdicts) write with ORM/SQL statements in the same transaction, which bump.
- The bump runs after the commit, and a request reads the generation before it reads any data — the session and
  the user included (``pagecache.GenerationMiddleware``, ahead of them). So a page rendered from data older than
  a commit is stored under a generation older than the bump, which no later request asks for.
- Writes to tables no kept page shows (sessions, sign-in attempts) do not bump.
- Redis: the ``pages`` cache, with 0.1 s timeouts. A failure opens a breaker: for ``BREAK_SECONDS`` this process
  neither reads, keeps nor bumps (every page is rendered, no request waits on Redis), and its first call after
  that gives the generation a new value, since a bump may have been lost meanwhile. What another process lost
  is bounded by a kept page's lifetime (``PAGE_CACHE_SECONDS``).
- ``PAGE_CACHE_SECONDS = 0``: nothing is read or bumped.
"""

import logging
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from redis.exceptions import RedisError

logger = logging.getLogger("portal.pagecache")

KEY = "portal:datagen"
BREAK_SECONDS = 30.0
_WRITE = re.compile(r"\s*(?:insert|update|delete|truncate|merge|copy)\b", re.IGNORECASE)
_WITH = re.compile(r"\s*with\b.*\b(?:insert|update|delete)\b", re.IGNORECASE | re.DOTALL)
_TABLE = re.compile(r'\s*(?:insert\s+into|update|delete\s+from)\s+"?([\w.]+)', re.IGNORECASE)
UNSHOWN = frozenset({"django_session", "axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"})
UNAVAILABLE = object()
_breaker = {"open_until": 0.0, "lost": False}


def _seed():
    """A value no earlier generation had (a new Redis, or after an outage: no older kept page can match)."""
    return time.time_ns()


def use(operation):
    """``operation(cache)`` on the pages cache, or ``UNAVAILABLE`` while Redis fails (see the breaker above)."""
    now = time.monotonic()
    if now < _breaker["open_until"]:
        return UNAVAILABLE
    cache = caches["pages"]
    try:
        if _breaker["lost"]:
            cache.set(KEY, _seed(), timeout=None)
            _breaker["lost"] = False
        return operation(cache)
    except (RedisError, OSError) as exc:
        _breaker.update(open_until=now + BREAK_SECONDS, lost=True)
        logger.warning("page cache unavailable (%s): pages are rendered for the next %d s", exc, BREAK_SECONDS)
        return UNAVAILABLE


def current():
    """The generation now, or None when there is none to be had (Redis out, or a race to create it)."""
    value = use(lambda cache: cache.get(KEY))
    if value is UNAVAILABLE:
        return None
    if value is None:
        seed = _seed()
        return seed if use(lambda cache: cache.add(KEY, seed, timeout=None)) is True else None
    return value


def _incr(cache):
    try:
        cache.incr(KEY)
    except ValueError:  # missing: a new Redis
        cache.add(KEY, _seed(), timeout=None)


def bump():
    use(_incr)


def writes(sql):
    """Whether a statement may change what a kept page shows."""
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
    if settings.PAGE_CACHE_SECONDS and writes(sql):
        changed(context["connection"])
    return result


@receiver(connection_created)
def _install(sender, connection, **kwargs):
    if _watch not in connection.execute_wrappers:
        # first: a connection opened inside ``with connection.execute_wrapper(w)`` keeps it after that block pops
        connection.execute_wrappers.insert(0, _watch)
