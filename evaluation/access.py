"""Who may do what with graduates, standards, imports and evaluations (registered in portal.access).

Graduates' records are personal data (DOMAIN §8): only the graduate's own institution (its staff),
site admins and the graduate themself see them. A school's standard is public to those who
supervise it (通知 四(四)): the city and provincial offices.
"""

from portal import access
from portal.models import Role


def _staff_of(user, institution_id):
    return institution_id in access.institution_ids(user)


@access.rule("evaluation.manage_graduates")
def _manage_graduates(user, institution):
    """Lists, imports, exports of graduates' records: an institution's staff (own only) and site admins."""
    if access.is_site_admin(user):
        return True
    if institution is None:
        return bool(access.institution_ids(user))
    return _staff_of(user, institution.pk)


@access.rule("evaluation.view_graduate")
def _view_graduate(user, graduate):
    if graduate.user_id is not None and graduate.user_id == user.pk:
        return True
    return access.is_site_admin(user) or _staff_of(user, graduate.institution_id)


@access.rule("evaluation.edit_graduate")
def _edit_graduate(user, graduate):
    """Achievements, evidence, showing the full ID number: staff of the institution, site admins."""
    return access.is_site_admin(user) or _staff_of(user, graduate.institution_id)


@access.rule("evaluation.run_cohort")
def _run_cohort(user, institution):
    """Cohort evaluation and student accounts are the school's own acts (谁评价、谁负责)."""
    if institution is None:
        return bool(access.institution_ids(user))
    return _staff_of(user, institution.pk)


@access.rule("evaluation.view_standard")
def _view_standard(user, institution):
    if institution is None:
        return access.is_site_admin(user) or access.has_role(user, Role.UNIVERSITY_STAFF, *access.PROVINCIAL_ROLES,
                                                             Role.CITY_HRSS, Role.CITY_EDUCATION)
    return (access.is_site_admin(user) or _staff_of(user, institution.pk)
            or access.oversees_institution(user, institution))


@access.rule("evaluation.publish_standard")
def _publish_standard(user, institution):
    """Only the school itself sets its standard (通知 三(一)2(4))."""
    return institution is not None and _staff_of(user, institution.pk)


@access.rule("evaluation.view_own_record")
def _view_own_record(user, obj):
    return access.has_role(user, Role.STUDENT)


@access.rule("evaluation.comment_standard")
def _comment_standard(user, institution):
    """The HRSS of the city where the school is guides its standard (正文 三(一)2(4)): it comments on drafts."""
    return institution is not None and institution.city_id in access.city_codes(user, Role.CITY_HRSS)
