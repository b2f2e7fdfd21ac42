"""Who may do what — answered in one place.

``can(user, action, obj)`` is the single question every view, service and template asks.
Rules are plain functions registered by name (``@rule("portal.view_audit_log")``); each app
registers its own in its ``access.py``, imported when the app is ready. Reads are scoped by
the selectors, which use the same role facts (``roles_of``).
"""

from django.core.exceptions import PermissionDenied

from portal.models import CITY_ROLES, Role

_RULES = {}
PROVINCIAL_ROLES = frozenset({Role.PROVINCIAL_HRSS, Role.PROVINCIAL_EDUCATION})


def rule(action):
    """Registers ``func(user, obj) -> bool`` as the answer for ``action``."""

    def register(func):
        if action in _RULES:
            raise ValueError(f"access rule {action!r} registered twice")
        _RULES[action] = func
        return func

    return register


def can(user, action, obj=None):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    try:
        check = _RULES[action]
    except KeyError:
        raise KeyError(f"no access rule named {action!r}") from None
    return bool(check(user, obj))


def permission(action):
    """A django_fsm transition ``permission`` that asks the access rule ``action``."""

    def check(instance, user):
        return can(user, action, instance)

    check.__name__ = check.__qualname__ = action.replace(".", "_")
    check.action = action
    return check


def require(user, action, obj=None):
    if not can(user, action, obj):
        raise PermissionDenied(action)


def roles_of(user):
    """The user's role assignments, loaded once per request (one query, scopes joined)."""
    if not user.is_authenticated:
        return ()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = tuple(user.roles.select_related("institution", "city").order_by("role", "id"))
        user._portal_roles = cached
    return cached


def role_set(user):
    roles = {a.role for a in roles_of(user)}
    if user.is_authenticated and user.is_superuser:
        roles.add(Role.SITE_ADMIN)
    return roles


def has_role(user, *roles):
    return not role_set(user).isdisjoint(roles)


def is_site_admin(user):
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.SITE_ADMIN))


def institution_ids(user, role=Role.UNIVERSITY_STAFF):
    """Institutions the user acts for in ``role`` (staff by default)."""
    return {a.institution_id for a in roles_of(user) if a.role == role and a.institution_id}


def city_codes(user, role):
    return {a.city_id for a in roles_of(user) if a.role == role and a.city_id}


def expert_employer_ids(user):
    """Institutions employing the user as an expert — never theirs to review (回避)."""
    return {a.institution_id for a in roles_of(user) if a.role == Role.EXPERT and a.institution_id}


def oversees_institution(user, institution):
    """Officials whose area covers the institution: provincial offices, or the city's offices."""
    if has_role(user, *PROVINCIAL_ROLES):
        return True
    return any(a.role in CITY_ROLES and a.city_id == institution.city_id for a in roles_of(user))


@rule("portal.view_audit_log")
def _view_audit_log(user, obj):
    return is_site_admin(user) or has_role(user, *PROVINCIAL_ROLES)


@rule("portal.view_institution")
def _view_institution(user, institution):
    if is_site_admin(user) or oversees_institution(user, institution):
        return True
    return any(a.institution_id == institution.pk for a in roles_of(user)
               if a.role in (Role.UNIVERSITY_STAFF, Role.STUDENT))


@rule("portal.list_institutions")
def _list_institutions(user, obj):
    return is_site_admin(user) or has_role(user, Role.UNIVERSITY_STAFF, *CITY_ROLES, *PROVINCIAL_ROLES)


@rule("portal.admin_site")
def _admin_site(user, obj):
    return is_site_admin(user)


@rule("portal.unlock_logins")
def _unlock_logins(user, obj):
    return is_site_admin(user)


@rule("portal.reset_second_factor")
def _reset_second_factor(user, obj):
    """A lost phone: site administrators reset another account's second factor (portal.twofactor.reset)."""
    return is_site_admin(user) and (obj is None or obj.pk != user.pk)
