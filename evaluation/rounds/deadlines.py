"""附件2 一(五): the round must be finished by 31 December of the graduation year.

``earliest_finish`` projects the shortest way from where the round stands to its final decisions — each
公示 of at least 5 working days (``workdays``), the session at the earliest the day after the candidates'
notice ends, the results notice starting the day of the session, the decisions the day after it ends — and
every service refuses a step whose projection ends after 31 December (or cannot be computed before it).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import NOTICE_WORKING_DAYS, RoundState, Stage
from .workdays import WorkCalendar

ONE_DAY = datetime.timedelta(days=1)


def notice_end(start, *, limit, calendar=None):
    """The last day of a notice of 5 working days beginning on ``start`` (None when after ``limit``)."""
    calendar = calendar or WorkCalendar()
    return calendar.add_working_days(start, NOTICE_WORKING_DAYS, limit=limit)


def finish_from_results_notice(start, *, limit, calendar=None):
    """Final decisions at the earliest, when the results notice begins on ``start``."""
    end = notice_end(start, limit=limit, calendar=calendar)
    if end is None or end + ONE_DAY > limit:
        return None
    return end + ONE_DAY


def finish_from_candidates_notice(start, *, limit, calendar=None):
    calendar = calendar or WorkCalendar()
    end = notice_end(start, limit=limit, calendar=calendar)
    if end is None:
        return None
    return finish_from_results_notice(end + ONE_DAY, limit=limit, calendar=calendar)


def _notice(rnd, stage):
    for notice in rnd.notices.all():
        if notice.stage == stage:
            return notice
    return None


def earliest_finish(rnd, today, *, calendar=None):
    """The earliest day the round's decisions can be final from ``today``; None when not by 31 December.

    Raises ``workdays.CalendarMissing`` when the year's holidays are unknown.
    """
    limit = rnd.year_end
    if rnd.state == RoundState.FINALISED:
        return rnd.finalised_on
    if today > limit:
        return None
    calendar = calendar or WorkCalendar()
    if rnd.state == RoundState.OPEN:
        return finish_from_candidates_notice(today, limit=limit, calendar=calendar)
    if rnd.state == RoundState.CANDIDATES_NOTICE:
        notice = _notice(rnd, Stage.CANDIDATES)
        session = max(today, notice.ends_on + ONE_DAY)
        return finish_from_results_notice(session, limit=limit, calendar=calendar)
    if rnd.state in (RoundState.AWAITING_SESSION, RoundState.VOTED):
        return finish_from_results_notice(today, limit=limit, calendar=calendar)
    notice = _notice(rnd, Stage.RESULTS)
    finish = max(today, notice.ends_on + ONE_DAY)
    return finish if finish <= limit else None


def refuse_if_late(rnd, finish):
    """Raises the standard refusal when ``finish`` (a projection) is None or after 31 December."""
    if finish is None or finish > rnd.year_end:
        raise ValidationError(
            _("按此安排，本轮评审无法在%(year)d年12月31日前完成（附件2 一(五)：应在学生毕业当年12月31日前完成评审；"
              "两次公示各不少于5个工作日），不能办理。") % {"year": rnd.graduation_year}, code="after_year_end")
    return finish


def days_left(rnd, today):
    """Calendar days from ``today`` to 31 December (0 on the day itself; negative afterwards)."""
    return (rnd.year_end - today).days


def working_days_left(rnd, today, *, calendar=None):
    if today > rnd.year_end:
        return 0
    return (calendar or WorkCalendar()).working_days_between(today, rnd.year_end)
