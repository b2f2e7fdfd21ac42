"""Shared cache of what the public verification serves to everyone alike: the key set and the status page of a
certificate (``/v/<verification-id>``) as an anonymous visitor sees it.

- A page is cached per (verification id, language) in Django's cache (Redis in production: shared by every
  worker), stored with the fingerprint of the key set it embeds; a page rendered under another key set is
  not served.
- The only per-visitor part of the page, the CSRF token of its forms, is stored as a placeholder and filled in
  with the visitor's own token when served (``get_token`` also sets the CSRF cookie, as rendering would).
- Any save of a certificate (revocation, superseding by a correction, a new PDF) deletes its pages, after the
  transaction commits: a revoked certificate is never shown as valid. ``TIMEOUT`` bounds anything else.
- Signed-in visitors get the page rendered for them (their name is in the header).
"""

import hashlib
import json
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from . import keys

TIMEOUT = 600
PLACEHOLDER = "__csrf_token_placeholder__"
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


def key_set_json():
    """The published key set as JSON bytes, cached per key ring (the ring is re-read when its file changes)."""
    global _key_set
    ring = keys.ring()  # the same list object until the ring's source changes
    if _key_set[0] is not ring:
        body = json.dumps(keys.public_key_set(), ensure_ascii=False).encode("utf-8")
        _key_set = (ring, body, hashlib.sha256(body).hexdigest()[:16])
    return _key_set[1], _key_set[2]


_key_set = (None, b"", "")


def page_key(verification_id, language=None):
    return f"certpage:{verification_id.lower()}:{language or get_language()}"


def get(request, verification_id):
    """The cached page as a response for this visitor, or None."""
    if request.user.is_authenticated:
        return None
    return serve(request, cache.get(page_key(verification_id)))


def serve(request, entry):
    """The response serving ``entry`` (a cached page, as read from the cache) to this anonymous visitor, or None
    when there is none or it embeds another key set. ``get_token`` gives the visitor a CSRF token (and marks the
    CSRF cookie to be set, as rendering ``{% csrf_token %}`` would)."""
    return respond(request, entry) if fresh(entry) else None


def respond(request, entry):
    """``serve`` for an entry the caller has just found ``fresh`` (``certificates.middleware``: not checked twice,
    each check reads the key ring's modification time)."""
    served = HttpResponse(entry["body"].replace(PLACEHOLDER, get_token(request)), status=200)
    for header, value in entry["headers"].items():
        served[header] = value
    return served


def fresh(entry):
    """Whether a cached page may be served: present, and rendered under the key set published now."""
    return entry is not None and entry["keys"] == key_set_json()[1]


def put(request, verification_id, response):
    """Stores an anonymous visitor's rendered page, with its CSRF token replaced by the placeholder."""
    if request.user.is_authenticated or response.status_code != 200:
        return
    body = _TOKEN.sub(rf"\g<1>{PLACEHOLDER}\g<2>", response.content.decode("utf-8"))
    headers = {h: response[h] for h in ("Content-Type", "Cache-Control", "X-Robots-Tag") if h in response}
    cache.set(page_key(verification_id),
              {"body": body, "headers": headers, "keys": key_set_json()[1]}, TIMEOUT)


def invalidate(verification_id):
    """Deletes the cached pages of a certificate in every language, now and again after the commit (a page
    rendered from the old row while the transaction ran must not survive it)."""
    names = [page_key(verification_id, code) for code, _name in settings.LANGUAGES]
    cache.delete_many(names)
    transaction.on_commit(lambda: cache.delete_many(names))
