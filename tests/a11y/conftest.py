"""The accessibility checks drive Debian's Chromium like tests/e2e, but the browser never reaches a live server:
every request of a page (the page, its CSS and scripts, its fetches) is answered by Django's test client, signed in
as the page's role, inside the test's own transaction. So each page can be opened in a world of its own and rolled
back (the matrix's worlds do not coexist), with one browser for the whole run and no server thread or flush."""

import contextvars
import os
from urllib.parse import urlsplit

import pytest

from tests.a11y.pages import body, outside_event_loop

# Playwright's sync API runs an event loop in this thread; Django's calls here are synchronous (as in tests/e2e).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ORIGIN = "http://testserver"


class Portal:
    """A Playwright page whose requests to ``ORIGIN`` are answered by ``self.client`` (set per page)."""

    def __init__(self, browser, width, height=900):
        self.client = None
        self.context_vars = None
        self.errors = []
        self.context = browser.new_context(base_url=ORIGIN, locale="zh-CN", bypass_csp=True,
                                           viewport={"width": width, "height": height})
        self.context.set_default_timeout(15000)
        self.context.route(f"{ORIGIN}/**", self._answer)
        self.page = self.context.new_page()

    def _answer(self, route, request):
        # Playwright calls this in a greenlet of its own, whose context variables would give Django a new database
        # connection outside the test's transaction: Django runs in the test's context instead (and yields to no
        # other greenlet meanwhile; fulfilling the route may, so it is done outside).
        try:
            answer = self.context_vars.run(outside_event_loop, self._respond, request.method, request.url,
                                           request.post_data_buffer, request.headers.get("content-type", ""))
        except Exception as exc:  # a failure here would otherwise surface as a DNS error in the browser
            self.errors.append(f"{request.method} {request.url}: {exc!r}")
            route.abort()
            return
        route.fulfill(**answer)

    def _respond(self, method, url, data, content_type):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        # Redirects are followed here: Chromium does not route the request a fulfilled redirect leads to (the
        # browser shows the page it ends on under the first address).
        if method == "POST":
            response = self.client.post(path, data=data or b"", content_type=content_type, follow=True)
        else:
            response = self.client.get(path, follow=True)
        headers = {key: value for key, value in response.items() if key.lower() != "content-length"}
        return {"status": response.status_code, "headers": headers, "body": body(response)}

    def serve(self, client):
        """Answers from now on with ``client``, in the calling test's context (its database connection)."""
        self.client = client
        self.context_vars = contextvars.copy_context()

    def close(self):
        self.context.close()


@pytest.fixture
def portal(browser):
    """``portal(width)``: a fresh browser context answered by the test client, closed after the test."""
    opened = []

    def make(width, height=900):
        opened.append(Portal(browser, width, height))
        return opened[-1]

    yield make
    for p in opened:
        p.close()
