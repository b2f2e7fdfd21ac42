"""Reads of Track B, always scoped by who asks (the same facts as access.py)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q

from applications.workflow import history
from portal import access
from portal.models import ExpertProfile, Occupation, Role, RoleAssignment

from .models import (
    DECIDING_STATES,
    Entrustment,
    ExemptionRequest,
    ExemptionState,
    FiledOccupation,
    FilingApplication,
    FilingState,
    PanelConflict,
    PanelMember,
)

OFFICE_TODO = (FilingState.SUBMITTED, FilingState.ACCEPTED, FilingState.REPORT_SIGNED)


def _none_unless_authenticated(user, qs):
    return qs if user.is_authenticated else qs.none()


def applications_visible_to(user):
    """Staff: their institution's cases; officials: the cases their office receives (once submitted, or
    registered by it as historical filings);
    experts: the cases whose panel they sit on; site admins: all (read-only)."""
    qs = FilingApplication.objects.select_related("institution", "institution__city", "authority_city")
    if not user.is_authenticated:
        return qs.none()
    if access.is_site_admin(user):
        return qs
    cond = Q(institution_id__in=access.institution_ids(user))
    seen = Q(revision__gt=0) | Q(historical=True)  # submitted at least once, or registered by the office
    if access.has_role(user, Role.PROVINCIAL_HRSS):
        cond |= Q(authority_role=Role.PROVINCIAL_HRSS) & seen
    cities = access.city_codes(user, Role.CITY_HRSS)
    if cities:
        cond |= Q(authority_role=Role.CITY_HRSS, authority_city_id__in=cities) & seen
    if access.has_role(user, Role.EXPERT):
        cond |= Q(pk__in=PanelMember.objects.filter(expert=user).values("application_id"))
    return qs.filter(cond)


def office_cases(user):
    """Cases the user's office receives (not the user's own institution's, not panels)."""
    qs = FilingApplication.objects.select_related("institution", "institution__city").filter(revision__gt=0)
    cond = Q(pk__in=[])
    if access.has_role(user, Role.PROVINCIAL_HRSS):
        cond |= Q(authority_role=Role.PROVINCIAL_HRSS)
    cities = access.city_codes(user, Role.CITY_HRSS)
    if cities:
        cond |= Q(authority_role=Role.CITY_HRSS, authority_city_id__in=cities)
    return qs.filter(cond)


def own_cases(user):
    return FilingApplication.objects.select_related("institution", "institution__city").filter(
        institution_id__in=access.institution_ids(user))


def panel_cases(user):
    return FilingApplication.objects.select_related("institution", "institution__city") \
        .filter(panel__expert=user).distinct()


def application_detail(user, pk):
    """One case with what its page shows, or DoesNotExist when the user may not see it."""
    return applications_visible_to(user).prefetch_related(
        Prefetch("panel", queryset=PanelMember.objects.select_related("expert")),
        Prefetch("filed_occupations", queryset=FiledOccupation.objects.select_related("occupation")),
    ).get(pk=pk)


def filed_institutions():
    """The register of filed evaluation institutions (public: names, codes, occupations, levels)."""
    return FilingApplication.objects.filter(state=FilingState.FILED).select_related(
        "institution", "institution__city", "authority_city").prefetch_related(
        Prefetch("filed_occupations", queryset=FiledOccupation.objects.select_related("occupation")),
    ).order_by("filing_code")


def filed_application_of(institution_id):
    """The institution's filing, if it is a filed evaluation institution (latest)."""
    return FilingApplication.objects.filter(institution_id=institution_id, state=FilingState.FILED) \
        .order_by("-filed_at").first()


def occupation_choices():
    """Skill occupations of the dictionary, grouped by focus field, for <select> (one query)."""
    groups = {}
    labels = dict(Occupation.Focus.choices)
    for occ in Occupation.objects.filter(is_skill=True).order_by("focus", "code"):
        groups.setdefault(occ.focus, []).append((occ.pk, f"{occ.code} {occ.name}"))
    order = [Occupation.Focus.NEW_ENERGY_VEHICLES, Occupation.Focus.INTELLIGENT_MANUFACTURING,
             Occupation.Focus.DIGITAL_ECONOMY, Occupation.Focus.OTHER]
    return [(str(labels[f]), groups[f]) for f in order if f in groups]


def expert_pool():
    """Everyone in the expert pool who holds an expert role, with their role rows (employers) prefetched."""
    return (ExpertProfile.objects.select_related("user")
            .filter(user__is_active=True, user__roles__role=Role.EXPERT).distinct()
            .prefetch_related(Prefetch("user__roles", queryset=RoleAssignment.objects.select_related("institution"),
                                       to_attr="all_roles"))
            .order_by("user__full_name", "user__username"))


def users_with_role(role, *, city_code=None):
    User = get_user_model()
    qs = User.objects.filter(is_active=True, roles__role=role)
    if city_code is not None:
        qs = qs.filter(roles__city_id=city_code)
    return qs.distinct()


def authority_officials(obj):
    """The officials of the receiving office of an application or entrustment report."""
    if obj.authority_role == Role.PROVINCIAL_HRSS:
        return users_with_role(Role.PROVINCIAL_HRSS)
    return users_with_role(Role.CITY_HRSS, city_code=obj.authority_city_id)


def institution_staff(institution_id):
    User = get_user_model()
    return User.objects.filter(is_active=True, roles__role=Role.UNIVERSITY_STAFF,
                               roles__institution_id=institution_id).distinct()


def provincial_officials():
    User = get_user_model()
    return User.objects.filter(is_active=True, roles__role__in=list(access.PROVINCIAL_ROLES)).distinct()


# --- 委托报备 and 1+X requests ------------------------------------------------------------------------

def entrustments_visible_to(user):
    qs = Entrustment.objects.select_related("institution", "entrusted_filing", "entrusted_filing__institution")
    if not user.is_authenticated:
        return qs.none()
    if access.is_site_admin(user):
        return qs
    cond = Q(institution_id__in=access.institution_ids(user))
    if access.has_role(user, Role.PROVINCIAL_HRSS):
        cond |= Q(authority_role=Role.PROVINCIAL_HRSS, reported_at__isnull=False)
    cities = access.city_codes(user, Role.CITY_HRSS)
    if cities:
        cond |= Q(authority_role=Role.CITY_HRSS, authority_city_id__in=cities, reported_at__isnull=False)
    return qs.filter(cond)


def exemption_officials(roles=None):
    """Active officials of the deciding offices (``settings.EXEMPTION_DECIDERS``, or ``roles``)."""
    User = get_user_model()
    roles = list(settings.EXEMPTION_DECIDERS if roles is None else roles)
    return User.objects.filter(is_active=True, roles__role__in=roles).distinct()


def exemptions_visible_to(user):
    """The student's own; the school's (its staff); every submitted one (the deciding offices)."""
    qs = ExemptionRequest.objects.select_related("institution", "occupation").prefetch_related("decisions")
    if not user.is_authenticated:
        return qs.none()
    if access.is_site_admin(user):
        return qs
    cond = Q(student=user) | Q(institution_id__in=access.institution_ids(user))
    if access.has_role(user, *settings.EXEMPTION_DECIDERS):
        cond |= Q(batch__isnull=False)
    return qs.filter(cond)


def exemptions_to_batch(user):
    """The requests the user's school may submit now (filled in by its students, not yet submitted)."""
    return ExemptionRequest.objects.filter(
        institution_id__in=access.institution_ids(user, Role.UNIVERSITY_STAFF), state=ExemptionState.PREPARED,
    ).select_related("institution", "occupation").order_by("institution_id", "created_at", "id")


def pending_exemptions(role):
    """Submitted requests the office ``role`` has not decided yet."""
    return ExemptionRequest.objects.filter(state__in=DECIDING_STATES).exclude(decisions__role=role) \
        .select_related("institution", "occupation")


def reopen_reasons(application):
    """Why the office sent the report back to the panel (退回专家组重新论证), newest first: the experts read it
    on the report page they sign (issue 15 §18), not only in their inbox."""
    return list(history(application).filter(transition="reopen_evaluation").order_by("-at", "-id"))


def declared_conflicts(application):
    """The 回避 declared by experts for this case (each by the expert themselves), latest first."""
    return PanelConflict.objects.filter(application=application).select_related("expert").order_by("-recorded_at")
