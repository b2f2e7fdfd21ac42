"""Today's date, in one place: every deadline of a round is judged against ``clock.today()``.

Services take ``today=None`` and ask this module when it is None, so that tests — and the browser tests,
whose live server runs in the same process — can move time by replacing ``today`` here.
"""

from django.utils import timezone


def today():
    return timezone.localdate()
