"""Request-wide duties: a query string no field can hold answered 400, the client IP for the audit log, the
idle-session timeout (DOMAIN §8), no caching of personal data (issue 14 #9), and a clear page when a PDF cannot be
sealed (issue 17)."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal import audit
from portal.signing import SigningUnavailable

logger = logging.getLogger(__name__)

# Writing the session on every request would cost a write per page view; a minute's precision is enough.
_TOUCH_EVERY = 60


class NulQueryMiddleware:
    """A NUL character in the query string (``%00``) is a bad request (400, the Chinese page; for the open API its
    JSON error), not a search: PostgreSQL text cannot hold one, so any list filtering on it — the portal's or the
    Django admin's — failed with a 500. POSTed form fields refuse it already (``ProhibitNullCharactersValidator``)."""

    API_PREFIX = "/api/"  # portal/urls.py: the open API answers ``{"detail": "中文说明"}`` (api/main.py)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            if request.path_info.startswith(self.API_PREFIX):
                return JsonResponse({"detail": _("请求参数含有无效字符（NUL）。")}, status=400)
            raise BadRequest("NUL in the query string")
        return self.get_response(request)


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.SESSION_IDLE_TIMEOUT.total_seconds()

    def __call__(self, request):
        token = audit.current_ip.set(audit.client_ip(request))
        try:
            expired = self._check_idle(request)
            if expired is not None:
                return expired
            return self.get_response(request)
        finally:
            audit.current_ip.reset(token)

    def _check_idle(self, request):
        if not request.user.is_authenticated:
            return None
        now = time.time()
        last = request.session.get("_last_seen")
        if last is not None and now - last > self.timeout:
            request._portal_logout_reason = "session_timeout"
            logout(request)
            messages.warning(request, _("由于长时间未操作，您已自动退出登录，请重新登录。"))
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        if last is None or now - last > _TOUCH_EVERY:
            touch(request, now)
        return None


def touch(request, now=None):
    """Restarts the session's idle clock (every signed-in request does, at most once a minute; the timeout
    warning's 继续使用 does it at once)."""
    request.session["_last_seen"] = now if now is not None else time.time()


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user — dashboards, a student's own page,
    full ID numbers, exports, evidence downloads — so neither the browser nor a proxy keeps a copy. Anonymous
    responses get it too unless the view chose its own caching (the public key set, say)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        current = response.get("Cache-Control", "")
        if "no-store" in current:
            return response
        if (user is not None and user.is_authenticated) or not current:
            if current:
                del response["Cache-Control"]  # a signed-in page is never public or cacheable
            patch_cache_control(response, no_store=True, private=True)
        return response


class SigningUnavailableMiddleware:
    """A PDF that cannot be sealed (no usable signing credential for its issuing body: production without its
    certificate) is answered with a Chinese page in the site's layout, status 503, and logged — never a 500.
    Nothing is stored: a document is stored only once sealed (``portal.pdf``), and the views roll back what they
    began. Every page and download that renders a PDF reaches here; tests/portal/test_signing_unavailable.py."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, SigningUnavailable):
            return None
        body = exception.body
        logger.error("PDF not issued, signing unavailable: %s (body %s) on %s %s", exception,
                     body.key if body is not None else "?", request.method, request.path)
        response = render(request, "signing_unavailable.html",
                          {"body_name": body.name if body is not None else ""}, status=503)
        response["Retry-After"] = "3600"
        return response
