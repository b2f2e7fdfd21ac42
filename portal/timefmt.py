"""Times as people read them: Beijing time (settings.TIME_ZONE = Asia/Shanghai), never UTC (issue 15 §5).

Templates get this from Django's ``date`` filter (USE_TZ converts to the current time zone). Python code that
formats a datetime itself — dashboard panels, ``__str__``, CSV cells — goes through these helpers, because an
f-string on an aware datetime prints it in UTC.
"""

from django.utils import timezone


def local(value):
    """The aware datetime in the portal's time zone (naive values and dates are returned unchanged)."""
    if value is None or not hasattr(value, "hour") or timezone.is_naive(value):
        return value
    return timezone.localtime(value)


def local_minute(value):
    """'2026-12-04 06:52' in Beijing time; '' for None."""
    return f"{local(value):%Y-%m-%d %H:%M}" if value else ""


def local_day(value):
    """'2026-12-04' — the Beijing date of a moment (22:52 UTC on the 3rd is already the 4th in Anhui)."""
    return f"{local(value):%Y-%m-%d}" if value else ""
