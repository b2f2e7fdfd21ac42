"""Making, revoking and checking API tokens — the one place that knows a token's secret.

``principal(token)`` is the person a request acts as: the token's maker, narrowed to the token's one role
(their role assignment at the token's school, or their provincial office) and never a superuser. Every
service, selector and access rule then answers for that narrowed person exactly as for the page the person
would use, so an endpoint is scoped as the page doing the same thing, by the same code.
"""

import copy
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import access, audit

from .models import ApiToken, TokenScope

TOKEN_PREFIX = "yssz_"


def digest(raw):
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(*, actor, name, role, institution=None, scope=TokenScope.READ):
    """Makes a token; returns (token, the secret — shown once, never stored)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写令牌的用途说明。"))
    if role != "university_staff":
        institution, scope = None, TokenScope.READ  # office tokens export; they never write
    candidate = ApiToken(role=role, institution=institution)
    if not access.can(actor, "api.manage_tokens", candidate):
        raise PermissionDenied("api.manage_tokens")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(name=name[:60], prefix=raw[:12], key_hash=digest(raw), role=role,
                                        institution=institution, scope=scope, created_by=actor)
        audit.record(actor=actor, action="api.create_token", obj=token, role=role,
                      changes={"scope": scope, "institution": institution.pk if institution else None})
    return token, raw


def revoke_token(*, actor, token):
    if not access.can(actor, "api.manage_tokens", token):
        raise PermissionDenied("api.manage_tokens")
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor)
        if updated:
            audit.record(actor=actor, action="api.revoke_token", obj=token, role=token.role)
    token.refresh_from_db()
    return token


def _assignment(token):
    user = token.created_by
    if not user.is_active:
        return None
    for a in access.roles_of(user):
        if a.role == token.role and (token.institution_id is None or a.institution_id == token.institution_id):
            return a
    return None


def principal(token):
    """The token's maker narrowed to the token's role, or None when they no longer hold it."""
    assignment = _assignment(token)
    if assignment is None:
        return None
    person = copy.copy(token.created_by)
    person.is_superuser = False
    person.is_staff = False
    person._portal_roles = (assignment,)
    return person


def authenticate(raw, *, method, path):
    """(token, principal) for a working token, each use audited; (None, None) otherwise."""
    token = (ApiToken.objects.select_related("created_by", "institution").filter(key_hash=digest(raw or "")).first()
             if raw else None)
    if token is None:
        return None, None
    person = principal(token) if token.active else None
    changes = {"method": method, "path": path[:200], "token": token.prefix}
    if person is None:
        audit.record(actor=token.created_by, action="api.token_refused", obj=token, role=token.role,
                     changes=changes, outcome="denied")
        return None, None
    audit.record(actor=person, action="api.token_use", obj=token, role=token.role, changes=changes)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token, person
