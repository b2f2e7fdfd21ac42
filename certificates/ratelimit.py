"""Rate limits of the public verification (per client IP and per certificate), kept in Django's cache.

Fixed windows: a counter per (bucket, key) that expires with its window. With Redis (``REDIS_URL``) the
counters are shared by every worker process; with the local-memory cache they are per process.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

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


def allow(**buckets):
    """``allow(ip="1.2.3.4", certificate="Y0…")``: counts every bucket, True only if all are within limits."""
    results = [hit(bucket, value) for bucket, value in buckets.items() if value]
    return all(results)
