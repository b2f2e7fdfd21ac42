"""Rate limits of the public verification, per requester, kept in Django's cache.

Every bucket is keyed by the requester (the client address, ``portal.audit.client_ip``: behind a trusted
proxy the forwarded address, never a header a client sets itself): a stranger exhausts only their own
allowance, never a holder's check of their own certificate (issue 14 #11). Fixed windows: a counter per
(bucket, key) that expires with its window. With Redis (``REDIS_URL``) the counters are shared by every
worker process and every bucket of a request is counted in ONE round trip (a pipeline of
``SET key 0 EX window NX`` + ``INCR key`` per bucket, and optionally a ``GET`` of a cache entry read along); with
the local-memory cache they are per process.
With the cache down the limiter fails open, with a logged warning: verification stays available.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# bucket: (requests, seconds)
DEFAULT_LIMITS = {
    "ip": (60, 60),            # verification pages and status look-ups, per client address
    "certificate": (30, 60),   # per client address and certificate (or number typed)
    "idcheck_ip": (10, 3600),  # "does this full ID match?": guessing the masked digits must not pay
    "idcheck_certificate": (5, 3600),  # per client address and certificate
}


def limits():
    return {**DEFAULT_LIMITS, **getattr(settings, "CERTIFICATE_RATE_LIMITS", {})}


def _key(bucket, value):
    digest = hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:32]
    return f"certrl:{bucket}:{digest}"


def _fail_open(exc):
    logger.warning("rate limiter fails open: cache unavailable (%s)", exc)
    return True


def hit(bucket, value):
    """Counts one request; returns False when the bucket's limit is exceeded (True when the cache is down)."""
    limit, window = limits()[bucket]
    key = _key(bucket, value)
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr (or the cache is down: portal.cache)
            cache.set(key, 1, timeout=window)
            count = 1
    except Exception as exc:  # noqa: BLE001 - any cache fault: fail open, say so
        return _fail_open(exc)
    return count <= limit


def _redis_client():
    """The redis-py client behind Django's Redis cache backend, or None for other backends."""
    backend = caches["default"]  # the backend itself: ``cache`` is a proxy to it
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(write=True)  # Django's RedisCacheClient (django.core.cache.backends.redis)


def _buckets(ip, certificate, prefix):
    requester = ip or "unknown"
    items = [(f"{prefix}ip", requester)]
    if certificate:
        items.append((f"{prefix}certificate", f"{requester}|{certificate}"))
    return items


def allow(*, ip, certificate=None, prefix=""):
    """Counts the requester's buckets: ``{prefix}ip`` per address and ``{prefix}certificate`` per address and
    certificate. True only if both are within their limits."""
    return allow_and_get(ip=ip, certificate=certificate, prefix=prefix)[0]


def allow_and_get(*, ip, certificate=None, prefix="", key=None):
    """``allow``, and the value of cache entry ``key`` (or None) read in the SAME Redis round trip: the public
    page's cached copy is fetched with its rate-limit counters (``certificates.middleware``)."""
    items = _buckets(ip, certificate, prefix)
    try:
        client = _redis_client()
    except (RedisError, OSError) as exc:
        return _fail_open(exc), None
    if client is None:
        return all([hit(bucket, value) for bucket, value in items]), (cache.get(key) if key else None)
    table = limits()
    try:
        pipe = client.pipeline(transaction=False)
        for bucket, value in items:
            name = cache.make_and_validate_key(_key(bucket, value))
            pipe.set(name, 0, ex=table[bucket][1], nx=True)
            pipe.incr(name)
        if key:
            pipe.get(cache.make_and_validate_key(key))
        replies = pipe.execute()
    except (RedisError, OSError) as exc:
        return _fail_open(exc), None
    counts = replies[1:2 * len(items):2]
    allowed = all(count <= table[bucket][0] for (bucket, _value), count in zip(items, counts, strict=True))
    if not key or replies[-1] is None:
        return allowed, None
    try:  # decoded as Django's Redis backend stores values (an int as digits, anything else pickled)
        return allowed, caches["default"]._cache._serializer.loads(replies[-1])
    except Exception as exc:  # noqa: BLE001 - an unreadable entry is a miss, never an error page
        logger.warning("cache entry %s unreadable (%s): treated as a miss", key, exc)
        return allowed, None

