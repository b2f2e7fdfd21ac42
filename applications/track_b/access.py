"""Who may do what in Track B (registered in portal.access; imported by TrackBConfig.ready).

- The university's own staff fill, submit and withdraw its application (本单位).
- Only officials of the *derived* receiving authority act on it (DOMAIN §4.2): the provincial HRSS for
  部属 and 在肥省属 schools, otherwise the HRSS of the school's city. They see a case once it has been
  submitted at least once; a draft is the university's own business.
- Experts see only the cases whose panel they sit on; the leader drafts 附件5, every member signs.
- 1+X exemption requests: the student fills one in, the student's school submits them (a batch, 通知 三(二)1:
  相关高校可组织其…申请), and each deciding office (省人社厅, 省教育厅) decides itself once submitted.
"""

from django.conf import settings

from portal import access
from portal.models import Role

from .models import DECIDING_STATES, EDITABLE_STATES, ENTRUSTMENT_EDITABLE, FilingState, PanelMember

SIGNED_STATES = (FilingState.REPORT_SIGNED, FilingState.FILED, FilingState.NOT_FILED)


def staff_of(user, institution_id):
    return institution_id in access.institution_ids(user)


def is_authority_official(user, obj):
    """Officials of the receiving office of ``obj`` (an application or an entrustment report)."""
    if obj.authority_role == Role.PROVINCIAL_HRSS:
        return access.has_role(user, Role.PROVINCIAL_HRSS)
    if obj.authority_role == Role.CITY_HRSS:
        return obj.authority_city_id in access.city_codes(user, Role.CITY_HRSS)
    return False


def membership(user, application):
    """The user's PanelMember row on this case, or None (one query, cached on the object)."""
    if not user.is_authenticated or not access.has_role(user, Role.EXPERT):
        return None
    cache = application.__dict__.setdefault("_track_b_membership", {})
    if user.pk not in cache:
        prefetched = getattr(application, "_prefetched_objects_cache", {}).get("panel")
        if prefetched is not None:
            cache[user.pk] = next((m for m in prefetched if m.expert_id == user.pk), None)
        else:
            cache[user.pk] = PanelMember.objects.filter(application=application, expert=user).first()
    return cache[user.pk]


def acting_role(user, application):
    """The role in which ``user`` acts on ``application`` (for the transition log and audit)."""
    if staff_of(user, application.institution_id):
        return Role.UNIVERSITY_STAFF
    if is_authority_official(user, application):
        return application.authority_role
    if membership(user, application) is not None:
        return Role.EXPERT
    if access.is_site_admin(user):
        return Role.SITE_ADMIN
    return ""


@access.rule("track_b.list")
def _list(user, obj):
    return access.is_site_admin(user) or access.has_role(
        user, Role.UNIVERSITY_STAFF, Role.CITY_HRSS, Role.PROVINCIAL_HRSS, Role.EXPERT)


@access.rule("track_b.create")
def _create(user, obj):
    return bool(access.institution_ids(user))


@access.rule("track_b.view")
def _view(user, application):
    if access.is_site_admin(user) or staff_of(user, application.institution_id):
        return True
    if (application.revision > 0 or application.historical) and is_authority_official(user, application):
        return True
    return membership(user, application) is not None


@access.rule("track_b.edit")
def _edit(user, application):
    return staff_of(user, application.institution_id) and application.state in EDITABLE_STATES


@access.rule("track_b.submit")
def _submit(user, application):
    """Submit and withdraw: the institution's own staff (the state machine says when)."""
    return staff_of(user, application.institution_id)


@access.rule("track_b.review")
def _review(user, application):
    """Accept, return, form the panel, file or refuse: officials of the receiving authority only."""
    return application.revision > 0 and is_authority_official(user, application)


@access.rule("track_b.view_ids")
def _view_ids(user, application):
    """Full ID numbers of listed people (logged): the applicant's staff and the receiving office."""
    return staff_of(user, application.institution_id) or _review(user, application)


@access.rule("track_b.view_report")
def _view_report(user, application):
    if membership(user, application) is not None or _review(user, application) or access.is_site_admin(user):
        return True
    return staff_of(user, application.institution_id) and application.state in SIGNED_STATES


@access.rule("track_b.edit_report")
def _edit_report(user, application):
    member = membership(user, application)
    return member is not None and member.is_leader


@access.rule("track_b.sign_report")
def _sign_report(user, application):
    return membership(user, application) is not None


@access.rule("track_b.declare_conflict")
def _declare_conflict(user, application):
    """An expert declares their own 回避, on a case whose panel they sit on; nobody declares it for them."""
    return membership(user, application) is not None


@access.rule("track_b.historical_register")
def _historical_register(user, obj):
    """Registering a filing made before the portal: only the filing offices (市人社局, 省人社厅); for which
    institutions is decided by the derived authority of each (``register_historical``)."""
    return access.has_role(user, Role.CITY_HRSS, Role.PROVINCIAL_HRSS)


@access.rule("track_b.register_historical")
def _register_historical(user, application):
    return application.historical and is_authority_official(user, application)


@access.rule("track_b.registry")
def _registry(user, obj):
    """The list of filed evaluation institutions is public information (备案机构名录)."""
    return True


# --- 委托报备 ------------------------------------------------------------------------------------------

@access.rule("track_b.entrustment_list")
def _entrustment_list(user, obj):
    return access.is_site_admin(user) or access.has_role(user, Role.UNIVERSITY_STAFF, Role.CITY_HRSS,
                                                         Role.PROVINCIAL_HRSS)


@access.rule("track_b.entrustment_create")
def _entrustment_create(user, obj):
    return bool(access.institution_ids(user))


@access.rule("track_b.entrustment_view")
def _entrustment_view(user, entrustment):
    if access.is_site_admin(user) or staff_of(user, entrustment.institution_id):
        return True
    return entrustment.reported_at is not None and is_authority_official(user, entrustment)


@access.rule("track_b.entrustment_edit")
def _entrustment_edit(user, entrustment):
    return staff_of(user, entrustment.institution_id) and entrustment.state in ENTRUSTMENT_EDITABLE


@access.rule("track_b.entrustment_acknowledge")
def _entrustment_acknowledge(user, entrustment):
    return entrustment.reported_at is not None and is_authority_official(user, entrustment)


# --- 1+X 免试科目 ---------------------------------------------------------------------------------------

def exemption_deciders():
    """The offices that decide 1+X exemptions (provisional: a setting until the detailed rules are published)."""
    return tuple(settings.EXEMPTION_DECIDERS)


def exemption_deciding_role(user, request):
    """The office in which ``user`` decides ``request`` now: one of the deciding offices that the user holds and
    that has not decided yet; "" when there is none — also when this person has already decided for another
    office (each office decides itself; one person cannot stand for both)."""
    if not user.is_authenticated or request.state not in DECIDING_STATES:
        return ""
    decided = list(request.decisions.all())
    if any(d.decided_by_id == user.pk for d in decided):
        return ""
    done = {d.role for d in decided}
    return next((r for r in exemption_deciders() if r not in done and access.has_role(user, r)), "")


@access.rule("track_b.exemption_list")
def _exemption_list(user, obj):
    return access.is_site_admin(user) or access.has_role(user, Role.STUDENT, Role.UNIVERSITY_STAFF,
                                                         *exemption_deciders())


@access.rule("track_b.exemption_create")
def _exemption_create(user, obj):
    return bool(access.institution_ids(user, Role.STUDENT))


@access.rule("track_b.exemption_view")
def _exemption_view(user, request):
    """The student, the student's school, and — once the school has submitted it — the deciding offices."""
    if request.student_id == user.pk or access.is_site_admin(user) or staff_of(user, request.institution_id):
        return True
    return request.batch_id is not None and access.has_role(user, *exemption_deciders())


@access.rule("track_b.exemption_batch")
def _exemption_batch(user, obj):
    """The school organises its students' requests and submits them (a batch): its own staff only."""
    return bool(access.institution_ids(user, Role.UNIVERSITY_STAFF))


@access.rule("track_b.exemption_submit")
def _exemption_submit(user, request):
    return request.institution_id in access.institution_ids(user, Role.UNIVERSITY_STAFF)


@access.rule("track_b.exemption_decide")
def _exemption_decide(user, request):
    return bool(exemption_deciding_role(user, request))


@access.rule("track_b.exemption_withdraw")
def _exemption_withdraw(user, request):
    return request.student_id == user.pk
