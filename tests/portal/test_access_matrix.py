"""Every URL × every role (and anonymous): the expected answer, and no data of others in the body."""

import importlib
import pkgutil
from fnmatch import fnmatch

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.matrix import LOGIN, ROLES


def _case_modules():
    modules = []
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                modules.append(importlib.import_module(f"tests.{info.name}.access_cases"))
            except ModuleNotFoundError as exc:
                if exc.name != f"tests.{info.name}.access_cases":
                    raise
    return modules


MODULES = _case_modules()
CASES = [case for module in MODULES for case in module.CASES]
EXEMPT = {pattern: why for module in MODULES for pattern, why in getattr(module, "EXEMPT", {}).items()}


def _named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_urls(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_every_named_url_is_in_the_matrix():
    covered = {case.name for case in CASES}
    missing = sorted(
        name for name in set(_named_urls())
        if name not in covered and not any(fnmatch(name, pattern) for pattern in EXEMPT)
    )
    assert not missing, f"URLs without an access-matrix case: {missing}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.label)
def test_access(case, world):
    """The case's URL as every role and anonymous. What the case needs is built once; each role's request runs in a
    savepoint rolled back afterwards, so that what one role's POST changed is gone before the next role asks (the
    rounds' cases build a whole round, committee and meeting: built once a role, they took 2 s each, 9 times over).
    Every role's failure is listed, not only the first."""
    url = reverse(case.name, kwargs=case.kwargs(world))
    data = case.data(world)
    failures = []
    for role in ROLES:
        with transaction.atomic():
            failures += _answer_problems(case, role, world, url, data)
            transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


def _answer_problems(case, role, world, url, data):
    # Each role asks from an address of its own, as different people do: the public pages' rate limits count per
    # address (and per address and certificate), and nine askers of one certificate from one address would be
    # limited where nine people would not.
    client = Client(REMOTE_ADDR=f"192.0.2.{ROLES.index(role) + 1}")
    if role != "anonymous":
        client.force_login(world.by_role[role])
    response = getattr(client, case.method)(url, data)
    expected = case.expected(role)
    if expected == LOGIN:
        if response.status_code != 302 or not response["Location"].startswith(reverse("login")):
            return [f"{case.label} as {role}: {response.status_code} {response.get('Location', '')}, not the login page"]
    elif response.status_code != expected:
        return [f"{case.label} as {role}: {response.status_code} != {expected}"]
    body = response.content.decode("utf-8", "replace")
    return [f"{case.label} as {role} shows {secret!r}" for secret in case.hidden(world, role) if secret in body]
