"""A signed-in user's dashboards and lists, cached per session until the data changes (issue 16 item 2).

``@cached_page`` on a view: a ``GET`` by a signed-in user is answered with the page this session was last shown
for the same address, if nothing was written to the database since (``portal.datagen``, read by
``GenerationMiddleware`` before the session and the user), the day and the release are the same and it is at
most ``PAGE_CACHE_SECONDS`` old; otherwise the view runs and its page is kept. The middleware still run
on every request (sign-in, second step, idle timeout, headers), so a cached page is never shown to anyone but
the session that was shown it, and a change to roles or permissions is a write, after which the view decides again.

Not kept: anything but a plain 200 HTML page, a page shown with a message (or while one waits), a response that
sets a cookie or a header of its own, a view that changed the session. The key holds the session's CSRF cookie,
so the forms on a kept page carry a token that is still this session's. ``PAGE_CACHE_SECONDS=0`` turns it off
(the test settings do; ``tests/portal/test_pagecache.py`` turns it on).
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from portal import datagen

HTML = "text/html; charset=utf-8"


class GenerationMiddleware:
    """Reads the data generation for a signed-in ``GET`` before anything else is read: placed ahead of the
    session, sign-in and second-step middleware, which load the session, the user and the roles the view then
    checks. Read after them, a role revoked and committed in between would be checked as it was and the page kept
    under the new generation (tests/portal/test_pagecache_faults.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_CACHE_SECONDS and request.method == "GET" \
                and settings.SESSION_COOKIE_NAME in request.COOKIES:
            request.data_generation = datagen.current()
        return self.get_response(request)


def _key(request):
    """The page's cache key for this request, or None when it may not be served from the cache."""
    generation = getattr(request, "data_generation", None)
    if generation is None or not settings.PAGE_CACHE_SECONDS or not request.user.is_authenticated:
        return None
    session_key = request.session.session_key
    if not session_key or len(messages.get_messages(request)):  # a waiting message is shown by a rendered page
        return None
    parts = (session_key, request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""), request.get_full_path(),
             get_language() or "", str(generation), timezone.localdate().isoformat(), _release())
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _release():
    """The static files' manifest hash in production: a page kept by the previous release, which links its
    hashed CSS and scripts, is not served by the next one."""
    return getattr(staticfiles_storage, "manifest_hash", "") or ""


def _keepable(request, response, session_was_modified):
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and set(response.headers) == {"Content-Type"} and response["Content-Type"] == HTML
            and not len(messages.get_messages(request))
            and (session_was_modified or not request.session.modified))


def cached_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _key(request)
        if key is None:
            return view(request, *args, **kwargs)
        body = datagen.use(lambda cache: cache.get(key))
        if body is not None and body is not datagen.UNAVAILABLE:
            return HttpResponse(body, content_type=HTML)
        session_was_modified = request.session.modified
        response = view(request, *args, **kwargs)
        if body is None and _keepable(request, response, session_was_modified):
            datagen.use(lambda cache: cache.set(key, response.content, settings.PAGE_CACHE_SECONDS))
        return response

    return wrapper
