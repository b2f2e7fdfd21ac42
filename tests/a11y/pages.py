"""The pages the accessibility checks visit: every GET URL pattern of the access matrix, once, as the first role
the matrix allows to see it (anonymous first where the page is public), plus each role's dashboard.

The matrix's cases build what their URLs need into the shared world lazily, and the worlds of different apps
may not coexist (two filings with one code), so each page is opened in a world of its own, inside a savepoint
rolled back afterwards: ``opened(page)`` yields (world, url, client signed in as the page's role).
"""

from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import build_world
from tests.matrix import ROLES
from tests.portal.test_access_matrix import CASES


@dataclass(frozen=True)
class Page:
    label: str       # the matrix case's label
    role: str        # "anonymous" or a role of tests.matrix.ROLES
    case: object = None

    def url(self, world):
        if self.case is None:
            return reverse("home")
        url = reverse(self.case.name, kwargs=self.case.kwargs(world))
        query = self.case.data(world)
        return f"{url}?{urlencode(query, doseq=True)}" if query else url


def _allowed_role(case):
    return next((role for role in ROLES if case.expected(role) == 200), None)


def pages():
    """One ``Page`` per GET URL pattern that some role may open (the first such case of the matrix)."""
    seen, found = set(), []
    for case in CASES:
        role = _allowed_role(case)
        if case.method != "get" or case.name in seen or role is None:
            continue
        seen.add(case.name)
        found.append(Page(case.label, role, case))
    return found


def dashboards():
    """Each role's dashboard (the home page)."""
    return [Page(f"dashboard of {role}", role) for role in ROLES if role != "anonymous"]


class _Rollback(Exception):
    pass


@contextmanager
def fresh_world():
    """A world of its own, rolled back on leaving."""
    try:
        with transaction.atomic():
            yield build_world()
            raise _Rollback
    except _Rollback:
        pass


@contextmanager
def opened(page):
    """(world, url, client) for ``page`` in a fresh world that is rolled back on leaving."""
    with fresh_world() as world:
        client = Client()
        if page.role != "anonymous":
            client.force_login(world.by_role[page.role])
        yield world, page.url(world), client


def body(response):
    """The bytes of a response, streamed (files) or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def outside_event_loop(function, *args):
    """Runs ``function`` in the test's thread and context, on the test's database connection. (It used to hide
    Playwright's running loop from the code behind a view, which calls ``asyncio.run`` to sign PDFs; the signer
    now runs pyHanko in a helper thread when a loop runs, and hiding the loop moved Django to another database
    connection — asgiref keeps thread-critical locals per context while a loop runs — outside the test's
    transaction.)"""
    return function(*args)
