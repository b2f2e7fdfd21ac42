"""Reads for Track A, scoped by who asks — plus two unscoped reads for other apps' services
(``granted_authority_for``, ``filed_committee_for``) that the evaluation round uses."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from applications.track_a.models import (
    IN_FORCE_STATES,
    CommitteeMember,
    CommitteeState,
    EvaluationCommittee,
    ExpertGroup,
    GrantedAuthority,
    GroupConflict,
    PilotApplication,
    State,
)
from applications.track_a.routing import filing_office_for
from portal import access
from portal.models import CITY_ROLES, ExpertProfile, Role


def applications_visible_to(user):
    """Applications the user may see: the school's own; officials' once submitted; experts' their group reviews."""
    qs = PilotApplication.objects.select_related("institution__city")
    if not user.is_authenticated:
        return qs.none()
    if access.is_site_admin(user):
        return qs
    visible = Q(institution_id__in=access.institution_ids(user))
    submitted = Q(submission_count__gt=0)
    if access.has_role(user, *access.PROVINCIAL_ROLES):
        visible |= submitted
    cities = {a.city_id for a in access.roles_of(user) if a.role in CITY_ROLES}
    if cities:
        visible |= submitted & Q(institution__city_id__in=cities)
    profile_id = ExpertProfile.objects.filter(user=user).values_list("pk", flat=True).first() \
        if access.has_role(user, Role.EXPERT) else None
    if profile_id:
        visible |= submitted & (Q(document_reviews__experts=profile_id) | Q(site_evaluations__experts=profile_id)
                                | Q(expert_groups__state="confirmed", expert_groups__members__expert=profile_id))
        return qs.filter(visible).distinct()
    return qs.filter(visible)


def committees_visible_to(user):
    qs = EvaluationCommittee.objects.select_related("institution__city", "authority")
    if not user.is_authenticated:
        return qs.none()
    if access.is_site_admin(user):
        return qs
    visible = Q(institution_id__in=access.institution_ids(user))
    filed = Q(filing_count__gt=0)
    if access.has_role(user, *access.PROVINCIAL_ROLES):
        visible |= filed
    cities = {a.city_id for a in access.roles_of(user) if a.role in CITY_ROLES}
    if cities:
        visible |= filed & Q(institution__city_id__in=cities)
    return qs.filter(visible)


# What awaits whom (dashboards): state → the role(s) that act next.
WAITING_FOR = {
    Role.CITY_HRSS: [State.SUBMITTED, State.CITY_EDU_APPROVED, State.CITY_APPROVED, State.AGREEMENT_SIGNED,
                     State.RECOGNISED],
    Role.CITY_EDUCATION: [State.SUBMITTED, State.CITY_HRSS_APPROVED, State.CITY_APPROVED, State.AGREEMENT_SIGNED],
    Role.PROVINCIAL_EDUCATION: [State.AT_PROVINCE, State.DOCUMENT_REVIEWED, State.SITE_EVALUATED,
                                State.PROV_HRSS_RECOGNISED],
    Role.PROVINCIAL_HRSS: [State.SITE_EVALUATED, State.PROV_EDU_RECOGNISED],
}


def awaiting(user, role, *, city_code=None, limit=10):
    """Applications waiting for ``role`` (in ``city_code`` for city offices), oldest submission first."""
    qs = applications_visible_to(user).filter(state__in=WAITING_FOR[role])
    if city_code:
        qs = qs.filter(institution__city_id=city_code)
    return list(qs.order_by("submitted_at", "id")[:limit])


def committees_awaiting(user, role, *, city_code=None, limit=10):
    """Committee filings (first filing, adjustment, renewal, revocation) waiting for the office ``role`` (in
    ``city_code``), the office derived from each school as ``routing.filing_office_for`` does."""
    pending = (CommitteeState.FILED, CommitteeState.CHANGE_FILED, CommitteeState.REVOCATION_FILED)
    qs = committees_visible_to(user).filter(state__in=pending).order_by("updated_at")
    if city_code:
        qs = qs.filter(institution__city_id=city_code)
    out = []
    for committee in qs[:200]:
        office = filing_office_for(committee.institution)
        if office is not None and office.role == role and (office.is_provincial or office.city_code == city_code):
            out.append(committee)
            if len(out) == limit:
                break
    return out


def expert_pool_for(application):
    """Experts who may review ``application``: the pool, less those employed by the school and those who declared a
    conflict (回避) in a group for it."""
    conflicted = get_user_model().objects.filter(roles__role=Role.EXPERT, roles__institution=application.institution_id)
    declared = GroupConflict.objects.filter(group__application=application).values("expert_id")
    return (ExpertProfile.objects.select_related("user").exclude(user__in=conflicted).exclude(pk__in=declared)
            .order_by("user__full_name"))


def committee_pool():
    """Experts who may sit on a committee: the pool, with a professional title."""
    return ExpertProfile.objects.select_related("user").order_by("title_level", "user__full_name")


# --- for other apps' services (not scoped by user: the caller decides who may ask) ----------------------------------

def granted_authority_for(institution):
    """The school's self-evaluation authority (``GrantedAuthority``: majors, levels, from_year, ``covers()``) or None."""
    return (GrantedAuthority.objects.filter(institution=institution, application__state=State.AUTHORISED)
            .order_by("-decided_at").first())


def today_or(today=None):
    return today or timezone.localdate()


def approved_committees_of(institution, level=None):
    """The school's approved (not revoked) committees, the 中级 one first (it also covers the 初级 levels)."""
    qs = EvaluationCommittee.objects.filter(institution=institution, state__in=IN_FORCE_STATES)
    if level:
        qs = qs.filter(level=level)
    return list(qs.select_related("standard_version", "authority", "institution")
                .prefetch_related("members__expert__user").order_by("level"))  # "intermediate" < "junior"


def committee_in_force(committee, on=None):
    """Whether ``committee`` may hold a meeting on ``on`` (today by default): approved, not revoked, and ``on``
    within the validity of its current 核准备案 (附件2 二(二)). A pending adjustment or revocation changes nothing
    yet; a lapsed filing must be renewed first."""
    on = today_or(on)
    return (committee.state in IN_FORCE_STATES and committee.valid_from is not None
            and committee.valid_until is not None and committee.valid_from <= on <= committee.valid_until)


def active_members_q(on):
    return Q(term_start__lte=on, term_end__gte=on) & (Q(left_on__isnull=True) | Q(left_on__gt=on))


def active_members(committee, on=None):
    """The members serving on ``on`` (today by default): within their term (≤ 3 years) and not adjusted out.
    Nobody else is called to a meeting or counted."""
    on = today_or(on)
    return list(CommitteeMember.objects.filter(active_members_q(on), committee=committee)
                .select_related("expert__user").order_by("-is_chair", "id"))


def committee_standard_version(committee):
    """The ``evaluation.StandardVersion`` its current 核准备案 carries — the only one a round may use."""
    return committee.standard_version if committee.state in IN_FORCE_STATES else None


def filed_committee_for(institution, level=None, on=None):
    """The school's committee in force on ``on`` (today by default) — approved, not revoked, not lapsed — with its
    members and experts prefetched, or None. With ``level`` (``rules.COMMITTEE_INTERMEDIATE``/``COMMITTEE_JUNIOR``)
    only a committee of that level; without, the intermediate one if there is one."""
    on = today_or(on)
    return next((c for c in approved_committees_of(institution, level) if committee_in_force(c, on)), None)


def groups_of_expert(user, limit=10):
    """Confirmed expert groups ``user`` sits on, newest first (the expert's dashboard)."""
    profile_id = ExpertProfile.objects.filter(user=user).values_list("pk", flat=True).first()
    if profile_id is None:
        return []
    return list(ExpertGroup.objects.filter(state="confirmed", members__expert=profile_id)
                .select_related("application").order_by("-confirmed_at")[:limit])


def groups_awaiting_confirmation(limit=10):
    return list(ExpertGroup.objects.filter(state="proposed").select_related("application").order_by("proposed_at")[:limit])
