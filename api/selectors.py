"""Reads of API tokens, scoped by who asks: a school's staff see their school's, the provincial HRSS its own."""

from django.db.models import Q

from portal import access
from portal.models import Role

from .models import ApiToken


def tokens_visible_to(user):
    qs = ApiToken.objects.select_related("institution", "created_by", "revoked_by")
    if not user.is_authenticated:
        return qs.none()
    cond = Q(role=Role.UNIVERSITY_STAFF, institution_id__in=access.institution_ids(user))
    if access.has_role(user, Role.PROVINCIAL_HRSS):
        cond |= Q(role=Role.PROVINCIAL_HRSS)
    return qs.filter(cond)


def token_roles_of(user):
    """[(role, institution or None)] the user may make tokens for."""
    out = [(Role.UNIVERSITY_STAFF, a.institution) for a in access.roles_of(user)
           if a.role == Role.UNIVERSITY_STAFF and a.institution_id]
    if access.has_role(user, Role.PROVINCIAL_HRSS):
        out.append((Role.PROVINCIAL_HRSS, None))
    return out
