"""Every URL × every role (and anonymous): the expected answer, and no data of others in the body."""

import importlib
import pkgutil
from fnmatch import fnmatch

import pytest
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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.label)
def test_access(case, role, world, client):
    if role != "anonymous":
        client.force_login(world.by_role[role])
    url = reverse(case.name, kwargs=case.kwargs(world))
    response = getattr(client, case.method)(url, case.data(world))
    expected = case.expected(role)
    if expected == LOGIN:
        assert response.status_code == 302, f"{case.label} as {role}: {response.status_code}"
        assert response["Location"].startswith(reverse("login")), response["Location"]
    else:
        assert response.status_code == expected, f"{case.label} as {role}: {response.status_code} != {expected}"
    body = response.content.decode("utf-8", "replace")
    for secret in case.hidden(world, role):
        assert secret not in body, f"{case.label} as {role} shows {secret!r}"
