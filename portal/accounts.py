"""Accounts of staff, officials and experts, and their role assignments (issue 15 §4).

One path for every account the portal holds other than a student's: the Django admin (``portal/admin.py``: the
user's add page and its role rows) and the demo (``portal/demo.py`` and the apps' demo modules) both call these
functions, so an account is checked and audited the same way whoever makes it. Student accounts are not made
here: a school generates them from its graduate records and each student activates their own
(``evaluation.services.accounts``).

Every assignment is checked with ``RoleAssignment.full_clean()`` — the model's own constraints (the scope each role
needs, one assignment per user, role and scope) and its ``clean`` (no scope a role does not take) — before it is
written, and every change leaves an audit row in the same transaction.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import access, audit
from portal.models import ExpertProfile, Role, RoleAssignment

#: The audit name of an account made by the operator on the command line (the demo's first ``admin``, as
#: ``createsuperuser`` would make it): there is nobody signed in yet who could make it.
OPERATOR = "manage.py"


@dataclass(frozen=True)
class Grant:
    """One role with its scope: an institution, a city (code) or a non-institution employer."""

    role: str
    institution: object = None
    city_id: str | None = None
    organisation: str = ""

    def scope(self):
        return {"institution": self.institution, "city_id": self.city_id, "organisation": self.organisation}


def _require_admin(actor):
    if actor is not None and not access.is_site_admin(actor):
        raise PermissionDenied("portal.create_account")


def check_role(role):
    """Student accounts come from the school's graduate records, never from here."""
    if role == Role.STUDENT:
        raise ValidationError({"role": _("学生账号由学校根据毕业生名单生成激活码、学生本人激活，不能在此直接授予。")})


def _audit(actor, *, action, obj, changes):
    audit.record(actor=actor, action=action, obj=obj, role=Role.SITE_ADMIN if actor is not None else "",
                 changes=changes, actor_name=None if actor is not None else OPERATOR)


@transaction.atomic
def grant_role(*, actor, user, grant):
    """Gives ``user`` the role of ``grant`` (an existing identical assignment is returned as it is)."""
    _require_admin(actor)
    check_role(grant.role)
    scope = grant.scope()
    existing = RoleAssignment.objects.filter(
        user=user, role=grant.role, institution=scope["institution"], city_id=scope["city_id"],
        organisation=scope["organisation"]).first()
    if existing is not None:
        return existing
    assignment = RoleAssignment(user=user, role=grant.role, **scope)
    assignment.full_clean()
    assignment.save()
    if grant.role == Role.SITE_ADMIN and not user.is_staff:
        user.is_staff = True  # the admin opens only to site admins with the staff flag (portal/admin.py)
        user.save(update_fields=["is_staff"])
    _audit(actor, action="portal.grant_role", obj=user, changes={"role": grant.role, "scope": str(assignment)})
    return assignment


@transaction.atomic
def change_role(*, actor, assignment, changed):
    """Saves an edited assignment (its role or scope changed on the admin's form), checked as a new one would be."""
    _require_admin(actor)
    if "role" in changed:
        check_role(assignment.role)
    assignment.full_clean()
    assignment.save()
    _audit(actor, action="portal.change_role", obj=assignment.user,
           changes={"role": assignment.role, "scope": str(assignment), "fields": sorted(changed)})
    return assignment


@transaction.atomic
def revoke_role(*, actor, assignment):
    _require_admin(actor)
    user, role, text = assignment.user, assignment.role, str(assignment)
    assignment.delete()
    _audit(actor, action="portal.revoke_role", obj=user, changes={"role": role, "scope": text})


@transaction.atomic
def create_account(*, actor, user, grants=(), password=None, expert_profile=None):
    """Saves the new account ``user`` (an unsaved User whose fields the caller set) with its roles.

    ``password``: the initial password (the site's validators apply); without it, a password already set on
    ``user`` (the admin's form hashes it) is kept, and otherwise the account has none usable until reset.
    ``expert_profile``: the expert-pool fields of an expert (title, title_level, specialty, education, id_number).
    """
    _require_admin(actor)
    for grant in grants:
        check_role(grant.role)
    if password is not None:
        password_validation.validate_password(password, user)
        user.set_password(password)
    elif not user.password:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    _audit(actor, action="portal.create_account", obj=user,
           changes={"username": user.username, "full_name": user.full_name, "roles": [g.role for g in grants]})
    for grant in grants:
        grant_role(actor=actor, user=user, grant=grant)
    if expert_profile is not None:
        set_expert_profile(actor=actor, user=user, **expert_profile)
    return user


@transaction.atomic
def add_expert_profile(*, actor, profile):
    """Saves the new expert-pool entry ``profile`` (an unsaved ExpertProfile: the admin's form, or the demo)."""
    _require_admin(actor)
    profile.full_clean()
    profile.save()
    _audit(actor, action="portal.expert_profile", obj=profile.user,
           changes={"title": profile.title, "title_level": profile.title_level})
    return profile


def set_expert_profile(*, actor, user, **fields):
    """The expert-pool entry of ``user``: made if missing; an existing one is left as it is."""
    profile = ExpertProfile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    return add_expert_profile(actor=actor, profile=ExpertProfile(user=user, **fields))


@dataclass(frozen=True)
class Ensured:
    user: object
    created: bool


@transaction.atomic
def ensure_account(*, actor, username, full_name, grants=(), password=None, expert_profile=None, **fields):
    """The account ``username`` with at least ``grants``, for loaders that run again and again (the demo).

    A new account is made by ``create_account``; an existing one is left as it is — its name, password and flags
    untouched, never a second account — and only the roles it lacks are granted (each audited).
    """
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = create_account(actor=actor, user=get_user_model()(username=username, full_name=full_name, **fields),
                              grants=grants, password=password, expert_profile=expert_profile)
        return Ensured(user, True)
    for grant in grants:
        grant_role(actor=actor, user=user, grant=grant)
    if expert_profile is not None:
        set_expert_profile(actor=actor, user=user, **expert_profile)
    return Ensured(user, False)
