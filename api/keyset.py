"""Keyset pagination on ``id``: ``after`` (the last id seen) and ``limit``; stable while rows are added."""

from django.conf import settings

DEFAULT_LIMIT = 100


def max_limit():
    return int(getattr(settings, "API_MAX_PAGE", 1000))


def page(qs, *, after, limit):
    """(rows, next_after): up to ``limit`` rows with id > ``after`` in id order; next_after None at the end."""
    limit = max(1, min(limit, max_limit()))
    rows = list(qs.filter(pk__gt=after or 0).order_by("pk")[:limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].pk if more else None)
