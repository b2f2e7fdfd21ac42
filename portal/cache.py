"""A Redis cache that fails open (issue 14 #5): Redis down must not take the portal down.

Sessions are in the database; the cache holds only counters (rate limits) and conveniences. When Redis is
unreachable a read misses, a write is dropped and ``incr`` raises ``ValueError`` (as for a missing key, which
the callers already handle), each with a warning in the log — at most one every 30 seconds per process.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("portal.cache")
_WARN_EVERY = 30.0
_last_warning = [0.0]


def _warn(operation, exc):
    now = time.monotonic()
    if now - _last_warning[0] >= _WARN_EVERY:
        _last_warning[0] = now
        logger.warning("cache unavailable (%s failed: %s): failing open", operation, exc)


class FailOpenRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except (RedisError, OSError) as exc:
            _warn("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except (RedisError, OSError) as exc:
            _warn("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except (RedisError, OSError) as exc:
            _warn("has_key", exc)
            return False

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except (RedisError, OSError) as exc:
            _warn("add", exc)
            return False

    def set(self, key, value, timeout=None, version=None):
        try:
            return super().set(key, value, timeout, version)
        except (RedisError, OSError) as exc:
            _warn("set", exc)
            return None

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except (RedisError, OSError) as exc:
            _warn("set_many", exc)
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except (RedisError, OSError) as exc:
            _warn("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except (RedisError, OSError) as exc:
            _warn("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except (RedisError, OSError) as exc:
            _warn("delete_many", exc)
            return None

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except (RedisError, OSError) as exc:
            _warn("incr", exc)
            raise ValueError("cache unavailable") from exc

    def clear(self):
        """Deletes this cache's own keys (``KEY_PREFIX:*``), not the whole Redis database: Celery's broker and
        results may share it, and FLUSHDB would drop queued tasks (and another test worker's keys)."""
        try:
            client = self._cache.get_client(None, write=True)
            batch = []
            for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    client.delete(*batch)
                    batch.clear()
            if batch:
                client.delete(*batch)
            return True
        except (RedisError, OSError) as exc:
            _warn("clear", exc)
            return False


class PagesRedisCache(RedisCache):
    """The ``pages`` alias (``portal.datagen``): errors are raised, for datagen's breaker; ``clear`` deletes only
    this prefix's keys, as above (the base class would empty the whole Redis database)."""

    clear = FailOpenRedisCache.clear
