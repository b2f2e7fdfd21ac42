"""Issue 14, finding 9: a strict Content-Security-Policy (no inline script) and no caching of personal data."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import ROLE_USERS

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_page_carries_a_strict_policy(world, client):
    for response in (client.get(reverse("login")), client.get(reverse("certificates:offline"))):
        policy = directives(response)
        assert policy["script-src"] == ["'self'"]
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    client.force_login(world.staff)
    assert "script-src 'self'" in client.get(reverse("home"))["Content-Security-Policy"]


def test_no_template_has_an_inline_script_or_handler():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "pdf" in path.relative_to(ROOT / "templates").parts:
            continue  # rendered to PDF by WeasyPrint, never served to a browser
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {m.group(0)[:60]}" for m in INLINE_SCRIPT.finditer(text)]
        offenders += [f"{path.name}: {m.group(0)[:60]}" for m in INLINE_HANDLER.finditer(text)]
    assert not offenders, offenders


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_signed_in_pages_are_not_stored(world, client, role):
    client.force_login(world.by_role[role])
    for url in (reverse("home"), reverse("inbox")):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        body = response.content.decode()
        assert not INLINE_SCRIPT.search(body), INLINE_SCRIPT.search(body).group(0)


def test_public_verification_is_not_stored_but_the_key_set_may_be(world, client):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]
    keys = client.get(reverse("certificate_keys"))
    assert "public" in keys["Cache-Control"] and "no-store" not in keys["Cache-Control"]
