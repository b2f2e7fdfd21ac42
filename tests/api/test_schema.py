"""Schemathesis over /api/v1/openapi.json (in ``make test``): generated requests to every operation, sent
in-process to the portal's WSGI application with a token of the operation's kind. Deterministic (derandomized,
a bounded number of examples per operation). Fails on a 500, a status code or body outside the schema, or an
operation that answers without its token (``ignored_auth``); ``test_no_operation_answers_without_its_scope``
tries every operation with no token, a token of the other kind and a read-only token."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import api

pytestmark = pytest.mark.django_db
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          ignored_auth]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests run in the test's transaction: like Django's test client, keep the request signals from
    closing the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded when the module is collected (Django is set up by then; making the schema reads no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def _token_for(path, tokens):
    if path.startswith("/api/v1/school/"):
        return tokens.write
    if path.startswith("/api/v1/office/"):
        return tokens.office
    return None


@schema.parametrize()
@settings(max_examples=12, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, api_world):
    token = _token_for(case.path, api_world.tokens)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    case.call_and_validate(headers=headers, checks=CHECKS)


def _operations():
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_no_operation_answers_without_its_scope(api_world, client):
    t = api_world.tokens
    seen = 0
    for path, method, operation in _operations():
        url = path.replace("{batch_id}", "1").replace("{graduate_id}", "1")
        call = getattr(client, method)

        def status(token, url=url, call=call):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            return call(url, headers=headers).status_code

        if path.startswith("/api/v1/public/"):
            assert "security" not in operation, path
            continue
        seen += 1
        assert operation["security"] == [{"TokenAuth": []}], path
        assert status(None) == 401, path
        assert status("yssz_not-a-token") == 401, path
        if path.startswith("/api/v1/school/"):
            assert status(t.office) == 403, path
            if method == "post":
                assert status(t.read) == 403, f"{path} answers a read-only token"
        else:
            assert status(t.read) == 403, path
            assert status(t.write) == 403, path
    assert seen >= 8
