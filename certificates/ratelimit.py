"""Rate limits of the public verification (per client IP and per certificate), kept in Django's cache.

Fixed windows: a counter per (bucket, key) that expires with its window. With Redis (``REDIS_URL``) the
counters are shared by every worker process and every bucket of a request is counted in ONE round trip (a
pipeline of ``SET key 0 EX window NX`` + ``INCR key`` per bucket); with the local-memory cache they are per
process.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

# bucket: (requests, seconds)
DEFAULT_LIMITS = {
    "ip": (60, 60),            # verification pages and status look-ups, per client IP
    "certificate": (120, 60),  # per certificate (or per number typed), whoever asks
    "idcheck_ip": (10, 3600),  # "does this full ID match?": guessing the masked digits must not pay
    "idcheck_certificate": (5, 3600),
}


def limits():
    return {**DEFAULT_LIMITS, **getattr(settings, "CERTIFICATE_RATE_LIMITS", {})}


def _key(bucket, value):
    digest = hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:32]
    return f"certrl:{bucket}:{digest}"


def hit(bucket, value):
    """Counts one request; returns False when the bucket's limit is exceeded."""
    limit, window = limits()[bucket]
    key = _key(bucket, value)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def _redis_client():
    """The redis-py client behind Django's Redis cache backend, or None for other backends."""
    backend = caches["default"]  # the backend itself: ``cache`` is a proxy to it
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(write=True)  # Django's RedisCacheClient (django.core.cache.backends.redis)


def allow(**buckets):
    """``allow(ip="1.2.3.4", certificate="Y0…")``: counts every bucket, True only if all are within limits."""
    items = [(bucket, value) for bucket, value in buckets.items() if value]
    client = _redis_client()
    if client is None:
        return all([hit(bucket, value) for bucket, value in items])
    table = limits()
    pipe = client.pipeline(transaction=False)
    for bucket, value in items:
        key = cache.make_and_validate_key(_key(bucket, value))
        pipe.set(key, 0, ex=table[bucket][1], nx=True)
        pipe.incr(key)
    counts = pipe.execute()[1::2]
    return all(count <= table[bucket][0] for (bucket, _value), count in zip(items, counts, strict=True))
