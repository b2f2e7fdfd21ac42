"""Cached hits of the public verification page ``/v/<verification-id>`` served before the session, sign-in and
second-step machinery, which an anonymous visitor's cached page does not need (issue 16 item 3).

Placed right after ``SecurityMiddleware`` and WhiteNoise. For a ``GET`` of the page from a visitor who carries no
session and no messages cookie (nobody signed in, nothing to tell them), the rate-limit counters and the cached
page are read in ONE Redis round trip (``ratelimit.allow_and_get``). A hit within the limits is answered through
the response-shaping middleware that follow this one in ``settings.MIDDLEWARE`` (``CommonMiddleware``, CSRF —
the visitor's own token and cookie —, ``X-Frame-Options``, CSP, and any added later) minus ``SKIPPED``: those
that do nothing for such a visitor. ``SecurityMiddleware`` (HSTS, nosniff, Referrer-Policy) wraps both paths.
Everything else — a miss, the 429 page, an unknown id, a signed-in visitor — goes down the full stack to
``certificates.public.verify_link``, which is told the request was counted already (``COUNTED``).
``tests/certificates/test_public_fast_path.py`` checks that a hit has the headers of a miss, 0 SQL and one
Redis round trip.
"""

from functools import cached_property

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import Resolver404, resolve, reverse
from django.utils.module_loading import import_string

from portal import audit

from . import pagecache, ratelimit
from .selectors import VERIFICATION_ID

# Middleware that leave an anonymous visitor's cached page as it is: the data generation (sessions only),
# sessions (not read: Vary comes from the CSRF cookie), sign-in, OTP, messages (no cookie), idle timeout and
# second step (signed-in users only), no-store (the page says no-store), the PDF-signing error page, axes (a
# login lockout).
SKIPPED = frozenset({
    "portal.pagecache.GenerationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.IdleTimeoutMiddleware",
    "portal.twofactor.middleware.SecondStepMiddleware",
    "portal.middleware.NoStoreMiddleware",
    "portal.middleware.SigningUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
})
COUNTED = "certificate_rate_limit_counted"  # request attribute: (verification id, allowed) already counted
VIEW = "certificate_verify_link"


def _serve_cached(request):
    return pagecache.respond(request, request._certificate_page)  # found fresh by the middleware


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        following = settings.MIDDLEWARE[settings.MIDDLEWARE.index(f"{__name__}.{type(self).__name__}") + 1:]
        handler = _serve_cached
        for path in reversed([p for p in following if p not in SKIPPED]):
            handler = import_string(path)(handler)
        self.serve_hit = handler

    @cached_property
    def prefix(self):
        return reverse(VIEW, args=["x"])[:-1]  # resolved at the first request: the URLconf is final by then

    def __call__(self, request):
        verification_id = self._verification_id(request)
        if verification_id is None:
            return self.get_response(request)
        allowed, entry = ratelimit.allow_and_get(ip=audit.client_ip(request), certificate=verification_id.lower(),
                                                 key=pagecache.page_key(verification_id))
        setattr(request, COUNTED, (verification_id, allowed))
        if allowed and pagecache.fresh(entry):
            request._certificate_page = entry
            return self.serve_hit(request)
        return self.get_response(request)

    def _verification_id(self, request):
        """The id of a ``GET /v/<id>`` this middleware may answer, else None."""
        if request.method != "GET" or not request.path_info.startswith(self.prefix):
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES:
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.url_name != VIEW:
            return None
        verification_id = match.kwargs["verification_id"]  # text that is no id is left to the view (a 404)
        return verification_id if VERIFICATION_ID.fullmatch(verification_id.lower()) else None
