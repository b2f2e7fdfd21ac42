"""Reads, always scoped by who asks."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from portal import access
from portal.models import CITY_ROLES, AuditLog, Institution, Notification, Role


def institutions_visible_to(user):
    qs = Institution.objects.select_related("city")
    if not user.is_authenticated:
        return qs.none()
    if access.is_site_admin(user) or access.has_role(user, *access.PROVINCIAL_ROLES):
        return qs
    cities = {a.city_id for a in access.roles_of(user) if a.role in CITY_ROLES}
    own = {a.institution_id for a in access.roles_of(user)
           if a.role in (Role.UNIVERSITY_STAFF, Role.STUDENT) and a.institution_id}
    if not cities and not own:
        return qs.none()
    return qs.filter(Q(city_id__in=cities) | Q(pk__in=own))


def audit_log_visible_to(user, *, actor="", action="", object_type="", date_from=None, date_to=None):
    if not access.can(user, "portal.view_audit_log"):
        return AuditLog.objects.none()
    qs = AuditLog.objects.all()
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    # A range on ``at`` itself (its index serves it), not ``at::date`` (which scans).
    if date_from:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=_day_start(date_to + timedelta(days=1)))
    return qs


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def notifications_of(user):
    return Notification.objects.filter(recipient=user)


def unread_count(user):
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
