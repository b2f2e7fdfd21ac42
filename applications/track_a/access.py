"""Who may do what in Track A. Registered with portal.access; the workflow's ``permission``s ask these rules.

- the school's staff (高校经办人) start, fill, submit and resubmit 附件1, and form and file the committee;
- the city HRSS and the city education bureau of the school's city each review (either order), and either
  records the co-construction agreement and forwards the application; the city HRSS grants the authority;
- the provincial education department runs the document review and the on-site evaluation; it and the
  provincial HRSS each recognise (or refuse);
- the office a committee files with (``routing.committee_filing_office``, derived from the school, 附件2 二(三))
  approves or returns it, and consents to (or refuses) its adjustments, renewals and revocation;
- the provincial education department proposes the expert group, the provincial HRSS confirms it (may add experts)
  and sees everything the experts see; the experts of a confirmed group read the application, give opinions, sign;
- officials see an application only once it has been submitted; experts see those their group reviews.
"""

from applications.track_a.routing import is_filing_office
from portal import access
from portal.models import CITY_ROLES, Role


def _staff_of(user, institution_id):
    return institution_id in access.institution_ids(user)


def _city_office(user, role, institution):
    return institution.city_id in access.city_codes(user, role)


def _profile_id(user):
    if not access.has_role(user, Role.EXPERT):
        return None
    return getattr(getattr(user, "expert_profile", None), "pk", None)


def _reviewing_expert(user, application):
    """An expert of a confirmed group for the application (or one who reviewed or visited it before)."""
    profile_id = _profile_id(user)
    if profile_id is None:
        return False
    return (application.expert_groups.filter(state="confirmed", members__expert=profile_id).exists()
            or application.document_reviews.filter(experts=profile_id).exists()
            or application.site_evaluations.filter(experts=profile_id).exists())


@access.rule("track_a.view_application")
def _view_application(user, application):
    if access.is_site_admin(user) or _staff_of(user, application.institution_id):
        return True
    if application.submission_count == 0:
        return False
    if access.has_role(user, *access.PROVINCIAL_ROLES):
        return True
    if any(a.role in CITY_ROLES and a.city_id == application.institution.city_id for a in access.roles_of(user)):
        return True
    return _reviewing_expert(user, application)


@access.rule("track_a.start")
def _start(user, institution):
    return institution is not None and _staff_of(user, institution.pk)


@access.rule("track_a.edit")
def _edit(user, application):
    return application.is_editable and _staff_of(user, application.institution_id)


@access.rule("track_a.submit")
def _submit(user, application):
    return _staff_of(user, application.institution_id)


@access.rule("track_a.city_hrss_review")
def _city_hrss_review(user, application):
    return _city_office(user, Role.CITY_HRSS, application.institution)


@access.rule("track_a.city_edu_review")
def _city_edu_review(user, application):
    return _city_office(user, Role.CITY_EDUCATION, application.institution)


@access.rule("track_a.city_act")
def _city_act(user, application):
    return (_city_office(user, Role.CITY_HRSS, application.institution)
            or _city_office(user, Role.CITY_EDUCATION, application.institution))


@access.rule("track_a.province_review")
def _province_review(user, application):
    return access.has_role(user, Role.PROVINCIAL_EDUCATION)


@access.rule("track_a.confirm_group")
def _confirm_group(user, group):
    """省教育厅会同省人社厅: the provincial HRSS confirms the group the education department proposed."""
    return access.has_role(user, Role.PROVINCIAL_HRSS)


@access.rule("track_a.declare_group_conflict")
def _declare_group_conflict(user, group):
    """A member of the confirmed group, for themselves (DOMAIN §2: an expert withdraws on a declared conflict)."""
    profile_id = _profile_id(user)
    return (profile_id is not None and access.has_role(user, Role.EXPERT)
            and group.members.filter(expert_id=profile_id).exists())


@access.rule("track_a.view_group")
def _view_group(user, group):
    """Both provincial offices see everything the experts see; the experts see their own group once confirmed."""
    if access.is_site_admin(user) or access.has_role(user, Role.PROVINCIAL_EDUCATION, Role.PROVINCIAL_HRSS):
        return True
    profile_id = _profile_id(user)
    return (profile_id is not None and group is not None and group.state == "confirmed"
            and group.members.filter(expert_id=profile_id).exists())


@access.rule("track_a.prov_edu_recognise")
def _prov_edu_recognise(user, application):
    return access.has_role(user, Role.PROVINCIAL_EDUCATION)


@access.rule("track_a.prov_hrss_recognise")
def _prov_hrss_recognise(user, application):
    return access.has_role(user, Role.PROVINCIAL_HRSS)


@access.rule("track_a.grant")
def _grant(user, application):
    return _city_office(user, Role.CITY_HRSS, application.institution)


@access.rule("track_a.view_committee")
def _view_committee(user, committee):
    if access.is_site_admin(user) or _staff_of(user, committee.institution_id):
        return True
    if committee.filing_count == 0:
        return False
    if access.has_role(user, *access.PROVINCIAL_ROLES):
        return True
    return any(a.role in CITY_ROLES and a.city_id == committee.institution.city_id for a in access.roles_of(user))


@access.rule("track_a.start_committee")
def _start_committee(user, institution):
    return institution is not None and _staff_of(user, institution.pk)


@access.rule("track_a.edit_committee")
def _edit_committee(user, committee):
    return committee.is_editable and _staff_of(user, committee.institution_id)


@access.rule("track_a.file_committee")
def _file_committee(user, committee):
    return _staff_of(user, committee.institution_id)


@access.rule("track_a.review_committee")
def _review_committee(user, committee):
    return is_filing_office(user, committee)
