"""What the assessment services share: the error type, the office's people, the filing of an institution."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications.track_b.models import FilingApplication, FilingState
from portal import access
from portal.models import Role, RoleAssignment


class AssessmentError(Exception):
    """Refused, with one or more reasons in Chinese."""

    def __init__(self, messages):
        self.messages = [str(m) for m in (messages if isinstance(messages, (list, tuple)) else [messages])]
        super().__init__("；".join(self.messages))


def require(user, action, obj=None):
    if not access.can(user, action, obj):
        raise PermissionDenied(action)


def current_filing(institution):
    """The institution's latest filing in state ``filed`` (through the portal or registered historical), or None."""
    return (FilingApplication.objects.filter(institution=institution, state=FilingState.FILED,
                                             filing_code__isnull=False)
            .order_by("-filed_at", "-pk").first())


def office_users(filing):
    """The officials of the office that filed the institution (they receive the reports)."""
    qs = RoleAssignment.objects.filter(role=filing.authority_role).select_related("user")
    if filing.authority_role == Role.CITY_HRSS:
        qs = qs.filter(city_id=filing.authority_city_id)
    return [a.user for a in qs]


def staff_users(institution_id):
    return list(get_user_model().objects.filter(roles__role=Role.UNIVERSITY_STAFF,
                                                roles__institution_id=institution_id).distinct())


def plan_link(plan):
    return reverse("assessment:plan", args=[plan.pk])


def session_link(session):
    return reverse("assessment:session", args=[session.pk])
