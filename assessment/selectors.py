"""Reads for 评价实施, always scoped by who asks (an object the user may not see is a 404)."""

from django.db.models import Q

from applications.track_b.models import FilingApplication, FilingState
from portal import access
from portal.models import Role

from .models import AnnualPlan, PlanState, Session, SessionState


def _office_filter(user, prefix="filing__"):
    """Q of objects whose filing office the user belongs to (city or provincial HRSS); None when none."""
    q = Q(pk__in=[])
    if access.has_role(user, Role.PROVINCIAL_HRSS):
        q |= Q(**{f"{prefix}authority_role": Role.PROVINCIAL_HRSS})
    cities = access.city_codes(user, Role.CITY_HRSS)
    if cities:
        q |= Q(**{f"{prefix}authority_role": Role.CITY_HRSS, f"{prefix}authority_city_id__in": cities})
    return q


def filed_applications_of_office(user):
    """Filed institutions (their latest filing) an office oversees; the provincial HRSS sees every office."""
    qs = FilingApplication.objects.filter(state=FilingState.FILED).select_related("institution", "authority_city")
    if access.is_site_admin(user) or access.has_role(user, Role.PROVINCIAL_HRSS):
        return qs
    return qs.filter(_office_filter(user, prefix=""))


def plans_visible_to(user):
    qs = AnnualPlan.objects.select_related("institution", "filing")
    if access.is_site_admin(user):
        return qs
    reported = ~Q(state=PlanState.DRAFT)
    q = Q(institution_id__in=access.institution_ids(user))
    q |= reported if access.has_role(user, Role.PROVINCIAL_HRSS) else reported & _office_filter(user)
    return qs.filter(q)


def sessions_visible_to(user):
    qs = Session.objects.select_related("institution", "occupation", "filing", "supervisor")
    if access.is_site_admin(user):
        return qs
    reported = ~Q(state=SessionState.DRAFT)
    q = Q(institution_id__in=access.institution_ids(user)) | (reported & (Q(supervisor=user)
                                                                          | Q(examiners__user=user)))
    if access.has_role(user, Role.PROVINCIAL_HRSS):
        q |= reported
    else:
        q |= reported & _office_filter(user)
    return qs.filter(q).distinct()


def own_sessions(user):
    return Session.objects.filter(institution_id__in=access.institution_ids(user)).select_related("occupation")


def work_sessions(user):
    """Sessions where the user examines or supervises."""
    return (Session.objects.filter(Q(supervisor=user) | Q(examiners__user=user)).exclude(state=SessionState.DRAFT)
            .select_related("institution", "occupation").distinct())
