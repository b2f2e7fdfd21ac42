"""Reads of certificates, results and batches — always scoped by who asks."""

import re

from django.db.models import Q

from portal import access
from portal.models import Role

from .models import AssessmentResult, Certificate, IssuanceBatch


def certificates_visible_to(user):
    qs = Certificate.objects.select_related("issuer", "issuer__city")
    if not user.is_authenticated:
        return qs.none()
    if access.is_site_admin(user) or access.has_role(user, *access.PROVINCIAL_ROLES):
        return qs
    condition = Q(issuer_id__in=access.institution_ids(user))
    cities = access.city_codes(user, Role.CITY_HRSS)
    if cities:
        condition |= Q(issuer__city_id__in=cities)
    if access.has_role(user, Role.STUDENT):
        condition |= Q(holder_user=user)
        record = getattr(user, "graduate_record", None)
        if record is not None and record.id_number:
            condition |= Q(holder_id_number=record.id_number)
    return qs.filter(condition)


def own_certificates(user):
    """The holder's own certificates (the student's page and dashboard panel)."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    condition = Q(holder_user=user)
    try:
        record = user.graduate_record
    except Exception:  # no evaluation record (or the app's table is not there)
        record = None
    if record is not None and record.id_number:
        condition |= Q(holder_id_number=record.id_number)
    return Certificate.objects.filter(condition).select_related("issuer")


def managed_institution_ids(user):
    """None = all (site admins)."""
    if access.is_site_admin(user):
        return None
    return access.institution_ids(user)


def results_managed_by(user):
    ids = managed_institution_ids(user)
    qs = AssessmentResult.objects.select_related("institution", "occupation")
    return qs if ids is None else qs.filter(institution_id__in=ids)


def batches_managed_by(user):
    ids = managed_institution_ids(user)
    qs = IssuanceBatch.objects.select_related("institution")
    return qs if ids is None else qs.filter(institution_id__in=ids)


def find_for_verification(number):
    return Certificate.objects.select_related("issuer").filter(number=number.strip().upper()).first()


def verify_by_number(number, name):
    """The certificate with this number and holder name, or None. Same answer for "no such number" and "wrong
    name" (the page and the API): the number's existence is not revealed."""
    certificate = find_for_verification(number)
    if certificate is not None and certificate.holder_name == name:
        return certificate
    return None


VERIFICATION_ID = re.compile(r"[a-z2-7]{26}")  # services.new_verification_id: 128 bits, base32, lower case


def by_verification_id(verification_id):
    """The certificate with this verification id, or None — also for text that cannot be one (a NUL byte, which
    PostgreSQL refuses in a query, or anything else off the id's alphabet)."""
    verification_id = (verification_id or "").lower()
    if not VERIFICATION_ID.fullmatch(verification_id):
        return None
    return Certificate.objects.select_related("issuer", "replaced_by").filter(verification_id=verification_id).first()
