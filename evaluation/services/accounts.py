"""Student accounts, created in bulk by the school from its records, activated by the student.

A student account is linked to exactly one graduate record (``Graduate.user`` is one-to-one).
The school gets one-time activation codes to print or export — shown once, stored only as a keyed
hash — and the student activates with student number + ID number + code, then sets a password
that passes the site's complexity validators (DOMAIN §8).
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from evaluation.models import ActivationCode, Graduate
from portal import access, audit
from portal.identifiers import normalize_ric
from portal.models import AuditLog, Role, RoleAssignment

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: codes are typed from paper
CODE_LENGTH = 12  # 60 bits
CODE_VALID_DAYS = 180
MAX_ATTEMPTS = 5
ATTEMPT_WINDOW = 15 * 60
FAILED = "evaluation.activation_failed"  # the audit action of a refused attempt, also the count with Redis down


@dataclass(frozen=True)
class IssuedCode:
    graduate: Graduate
    username: str
    code: str  # plain text: exists only in this object, shown once


def new_code():
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code):
    return "".join(str(code or "").split()).replace("-", "").upper()


def hash_code(code):
    return salted_hmac("evaluation.activation-code", normalise_code(code), algorithm="sha256").hexdigest()


def _usernames(graduates):
    """student number, or student number + institution id when that is taken."""
    User = get_user_model()
    wanted = {g.pk: g.student_number for g in graduates}
    alternatives = {g.pk: f"{g.student_number}-{g.institution_id}" for g in graduates}
    taken = set(User.objects.filter(username__in=[*wanted.values(), *alternatives.values()])
                .values_list("username", flat=True))
    out = {}
    for g in graduates:
        for candidate in (wanted[g.pk], alternatives[g.pk], f"{alternatives[g.pk]}-{g.pk}"):
            if candidate not in taken:
                taken.add(candidate)
                out[g.pk] = candidate
                break
    return out


@transaction.atomic
def create_student_accounts(*, institution, actor, graduation_year, major="", regenerate=False):
    """Creates (inactive) accounts and one-time codes for the cohort's records without an active account.

    Records whose code is still unused are skipped unless ``regenerate``: then their old code stops
    working. Returns the issued codes — the only time they exist in plain text.
    """
    access.require(actor, "evaluation.run_cohort", institution)
    User = get_user_model()
    qs = (Graduate.objects.select_for_update(of=("self",)).select_related("user", "activation")
          .filter(institution=institution, graduation_year=graduation_year).order_by("student_number"))
    if major:
        qs = qs.filter(major=major)
    now = timezone.now()
    todo = []
    for g in qs:
        if g.user is not None and g.user.is_active:
            continue  # already activated
        pending = getattr(g, "activation", None)
        if pending is not None and pending.used_at is None and pending.expires_at > now and not regenerate:
            continue
        todo.append(g)
    if not todo:
        return []
    without_user = [g for g in todo if g.user_id is None]
    names = _usernames(without_user)
    users = [User(username=names[g.pk], full_name=g.name, is_active=False) for g in without_user]
    for u in users:
        u.set_unusable_password()
    User.objects.bulk_create(users)
    for g, u in zip(without_user, users, strict=True):
        g.user = u
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=Role.STUDENT, institution=institution) for u in users])
    Graduate.objects.bulk_update(without_user, ["user"])
    ActivationCode.objects.filter(graduate__in=todo).delete()
    issued, codes = [], []
    expires = now + timedelta(days=CODE_VALID_DAYS)
    for g in todo:
        code = new_code()
        codes.append(ActivationCode(graduate=g, code_hash=hash_code(code), created_by=actor, expires_at=expires))
        issued.append(IssuedCode(g, g.user.username, code))
    ActivationCode.objects.bulk_create(codes)
    audit.record(actor=actor, action="evaluation.create_student_accounts", obj=institution,
                 role=Role.UNIVERSITY_STAFF,
                 changes={"graduation_year": graduation_year, "major": major, "codes": len(issued),
                          "new_accounts": len(users), "regenerate": regenerate})
    return issued


class ActivationError(ValidationError):
    pass


def _attempt_key(student_number, client):
    return f"evaluation:activation:{client}:{student_number}"


def activate_account(*, student_number, id_number, code, password, client=""):
    """Checks the three facts, sets the password (validators apply), activates the account.

    Every failure says the same thing (the code, the number or the ID is wrong) so that the form
    cannot be used to probe who studies where; attempts are limited per client and student number.
    """
    student_number = (student_number or "").strip()
    key = _attempt_key(student_number, client)
    if _throttled(student_number, key):
        raise ActivationError(_("尝试次数过多，请%(minutes)d分钟后再试。") % {"minutes": ATTEMPT_WINDOW // 60},
                              code="throttled")
    with transaction.atomic():
        entry = (ActivationCode.objects.select_for_update(of=("self",)).select_related("graduate", "graduate__user")
                 .filter(code_hash=hash_code(code), used_at__isnull=True, expires_at__gt=timezone.now()).first())
        graduate = entry.graduate if entry else None
        valid = not (graduate is None or graduate.user is None or graduate.student_number != student_number
                     or graduate.id_number != normalize_ric(id_number))
        if valid:
            user = graduate.user
            password_validation.validate_password(password, user)
            user.set_password(password)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
            entry.used_at = timezone.now()
            entry.save(update_fields=["used_at"])
            audit.record(actor=user, action="evaluation.activate_account", obj=graduate, role=Role.STUDENT)
    if not valid:  # recorded outside the transaction the refusal leaves, so that it is kept (and counted below)
        audit.record(actor=None, actor_name=student_number[:150], action=FAILED, outcome="failed")
        raise ActivationError(_("学号、身份证号或激活码不正确，或激活码已使用、已过期。"), code="invalid")
    _forget(key)
    return user


def _throttled(student_number, key):
    """Whether this client has used up its attempts for this student number: counted in one step with the attempt
    (``incr`` after ``add``: parallel attempts cannot all pass a check made before counting). With the cache
    down, the failures the audit log recorded for the student number in the window count instead — the limit
    does not fail open."""
    try:
        cache.add(key, 0, ATTEMPT_WINDOW)
        return cache.incr(key) > MAX_ATTEMPTS
    except Exception:  # Redis unreachable (or the key expired between add and incr)
        since = timezone.now() - timedelta(seconds=ATTEMPT_WINDOW)
        return AuditLog.objects.filter(action=FAILED, actor_name=student_number[:150], at__gte=since).count() \
            >= MAX_ATTEMPTS


def _forget(key):
    try:
        cache.delete(key)
    except Exception:
        pass


def activation_link():
    return getattr(settings, "PORTAL_BASE_URL", "") + "/graduates/activate/"
