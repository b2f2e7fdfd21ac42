"""Who may do what with certificates and assessment results (registered in portal.access).

谁评价、谁发证、谁负责: the issuing institution's staff record results, issue, revoke and correct; the holder
downloads their own certificates; HRSS offices overseeing the issuer see them (quality supervision, read
only); verification is public and needs no rule.
"""

from portal import access
from portal.models import Role


def _staff_of(user, institution_id):
    return institution_id in access.institution_ids(user)


def is_holder(user, certificate):
    if certificate.holder_user_id is not None and certificate.holder_user_id == user.pk:
        return True
    record = getattr(user, "graduate_record", None) if access.has_role(user, Role.STUDENT) else None
    return record is not None and record.id_number == certificate.holder_id_number


@access.rule("certificates.manage")
def _manage(user, institution):
    """Results, batch issuance, ZIP downloads: staff of the (filed) institution, and site admins."""
    if access.is_site_admin(user):
        return True
    if institution is None:
        return bool(access.institution_ids(user))
    return _staff_of(user, institution.pk)


@access.rule("certificates.view")
def _view(user, certificate):
    return (access.is_site_admin(user) or _staff_of(user, certificate.issuer_id) or is_holder(user, certificate)
            or (access.has_role(user, Role.CITY_HRSS, Role.PROVINCIAL_HRSS, *access.PROVINCIAL_ROLES)
                and access.oversees_institution(user, certificate.issuer)))


@access.rule("certificates.download")
def _download(user, certificate):
    """The PDF carries the full ID number: the issuer, the holder, site admins."""
    return access.is_site_admin(user) or _staff_of(user, certificate.issuer_id) or is_holder(user, certificate)


@access.rule("certificates.revoke")
def _revoke(user, certificate):
    """Only the issuer answers for a certificate, so only its staff revoke or correct it."""
    return _staff_of(user, certificate.issuer_id)


@access.rule("certificates.correct")
def _correct(user, certificate):
    return _staff_of(user, certificate.issuer_id)


@access.rule("certificates.list")
def _list(user, obj):
    return (access.is_site_admin(user) or access.has_role(user, Role.UNIVERSITY_STAFF, Role.STUDENT,
                                                          Role.CITY_HRSS, *access.PROVINCIAL_ROLES))
