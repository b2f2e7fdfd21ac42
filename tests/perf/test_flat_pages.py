"""Pages flat from 1× to 10× data (issue 16 item 2): every page of the access matrix that a role may GET runs
the same number of SQL queries with one unit of data as with ten, and no list renders more rows than its
page size.

The pages come from the access matrix (``tests/<app>/access_cases.py``): a new page is measured here as soon
as it has its access cases. Skipped, with the reason: none.
"""

import os
import re
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.matrix import ROLES
from tests.perf.grow import grow
from tests.portal.test_access_matrix import CASES

SKIP_NAMES = ()  # URL names not measured (each with its reason in the docstring above)
PRINT_COUNTS = os.environ.get("FLAT_PAGES_PRINT") == "1"  # print each page's queries at 1× and 10× (for reports)
MAX_ROWS = 100  # the largest page size of any list (certificates: 100; most lists 20–50)


# Per page, the two roles that see the most of its data (the whole province, then one school): enough to find a
# query per row, and the suite stays affordable (the access matrix checks every role's answer already).
ROLE_ORDER = ("site_admin", "university_staff", "provincial_hrss", "provincial_education", "city_hrss",
              "city_education", "expert", "student", "anonymous")
assert set(ROLE_ORDER) == set(ROLES)


def _cases():
    for case in CASES:
        if case.method != "get" or case.name in SKIP_NAMES:
            continue
        roles = [role for role in ROLE_ORDER if case.expected(role) == 200][:2]
        if roles:
            yield case, roles


CASES_200 = list(_cases())


def _id(case):
    """The case's label, with its URL name when the label lacks it (so that ``-k rounds`` selects a whole app)."""
    return case.label if case.name in case.label else f"{case.name}: {case.label}"


def _client(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world.by_role[role])
    return client


def _measure(client, url, params):
    # The idle-timeout middleware writes the session at most once a minute: restart its clock first, so that a slow
    # request before (the certificate fonts built in a fresh checkout take ~45 s) cannot put that write into one of
    # the two measurements only.
    session = client.session
    if "_last_seen" in session:
        session["_last_seen"] = time.time()
        session.save()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    return response, len(ctx)


def _rows(body):
    """Rows of the page's lists: table rows, linked list items, and articles (a committee member's ballots)."""
    return (len(re.findall(r"<tr[\s>]", body)) + len(re.findall(r'<li[\s>][^<]*<a', body))
            + len(re.findall(r"<article[\s>]", body)))


@pytest.mark.django_db
@pytest.mark.parametrize("case, roles", CASES_200, ids=[_id(c) for c, _r in CASES_200])
def test_query_count_does_not_grow_with_the_data(case, roles, world, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "perf-tests"}}
    settings.CERTIFICATE_RATE_LIMITS = {"ip": (10**6, 60), "certificate": (10**6, 60)}
    url, params = reverse(case.name, kwargs=case.kwargs(world)), case.data(world)
    clients = {role: _client(world, role) for role in roles}
    grow(world, 1)
    small = {}
    for role in roles:
        clients[role].get(url, params)  # warm: the first request of a session does its own bookkeeping
        response, small[role] = _measure(clients[role], url, params)
        assert response.status_code == 200, f"{case.label} as {role}: {response.status_code}"
    grow(world, 9, start=1)
    grown, too_long = [], []
    large = {}
    for role in roles:
        response, count = _measure(clients[role], url, params)
        assert response.status_code == 200, f"{case.label} as {role}: {response.status_code}"
        large[role] = count
        if count != small[role]:
            grown.append(f"{role}: {small[role]} → {count} queries")
        if response.get("Content-Type", "").startswith("text/html"):
            rows = _rows(response.content.decode("utf-8", "replace"))
            if rows > MAX_ROWS:
                too_long.append(f"{role}: {rows} rows")
    if PRINT_COUNTS:
        print(f"\nCOUNTS {case.label}: " + "; ".join(f"{r} {small[r]}→{large[r]}" for r in roles))
    assert not grown, f"{case.label}: queries grow with the data: " + "; ".join(grown)
    assert not too_long, f"{case.label}: lists longer than a page: " + "; ".join(too_long)


def test_the_matrix_pages_are_measured():
    assert len(CASES_200) > 60  # the matrix's pages, not a handful
