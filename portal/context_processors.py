from django.conf import settings
from django.utils.functional import SimpleLazyObject

from portal import selectors


def portal(request):
    user = getattr(request, "user", None)
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "SESSION_IDLE_SECONDS": int(settings.SESSION_IDLE_TIMEOUT.total_seconds()),
        # Lazy: pages that do not show the badge (login) pay no query.
        "unread_count": SimpleLazyObject(lambda: selectors.unread_count(user)) if user else 0,
    }
