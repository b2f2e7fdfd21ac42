"""The portal's cache shares Redis with Celery's broker: clearing it must not flush the database."""

import os

import pytest
import redis
from django.core.cache import cache, caches


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)")
def test_clear_deletes_only_the_caches_own_keys():
    raw = redis.Redis.from_url(os.environ["REDIS_URL"])
    foreign = f"celery-queue-{os.getpid()}"  # as a queued task in the broker would be
    raw.set(foreign, "queued task")
    try:
        cache.set("a", 1)
        cache.set("b", 2)
        assert cache.get("a") == 1
        assert cache.clear() is True
        assert cache.get("a") is None and cache.get("b") is None
        assert raw.get(foreign) == b"queued task"
    finally:
        raw.delete(foreign)


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)")
def test_the_page_cache_clears_only_its_own_keys_too():
    raw = redis.Redis.from_url(os.environ["REDIS_URL"])
    foreign = f"celery-queue-pages-{os.getpid()}"
    raw.set(foreign, "queued task")
    try:
        caches["pages"].set("page:x", b"<html>")
        assert caches["pages"].clear() is True and caches["pages"].get("page:x") is None
        assert raw.get(foreign) == b"queued task"
    finally:
        raw.delete(foreign)
