"""Working days (工作日) for the 公示 periods: weekends off, Chinese public holidays off, make-up days (调休) on.

Two sources, never a guess:

1. the admin-entered arrangement of a year (``HolidayYear`` with its ``HolidayDay`` rows, Django admin
   “节假日和调休安排”) — when a year is entered there it is used as is (so the admin can also correct the
   library), once it lists at least the year's statutory holidays (``statutory_days``; fewer is a partial entry,
   refused like a missing year);
2. otherwise the maintained ``chinese-calendar`` package, which carries the State Council's arrangement for
   every year up to its release (1.11: 2004–2026).

A year known to neither raises ``CalendarMissing``: the portal says which year is missing and who must enter
it, and refuses the step, rather than counting a holiday as a working day.
"""

import datetime

import chinese_calendar
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CalendarMissing(ValidationError):
    """No holiday data for ``year``: the site admin must enter that year's arrangement."""

    def __init__(self, year):
        self.year = year
        super().__init__(
            _("尚无%(year)d年的法定节假日和调休安排，无法计算工作日。请系统管理员在后台“节假日和调休安排”中录入"
              "%(year)d年的安排（依据国务院办公厅当年的放假通知）后再操作。") % {"year": year},
            code="calendar_missing")


def statutory_days(year):
    """The days of 全体公民放假的节日 in ``year`` (《全国年节及纪念日放假办法》): 13 from 2025 (春节 4 days, 劳动节 2),
    11 before. Every one is a 放假 day, so a year's arrangement lists at least this many."""
    return 13 if year >= 2025 else 11


class CalendarIncomplete(CalendarMissing):
    """The admin table has the year but fewer 放假 days than the statutory holidays alone: a partial entry."""

    def __init__(self, year, entered):
        self.year = year
        ValidationError.__init__(
            self, _("后台“节假日和调休安排”中%(year)d年只录入了%(n)d个放假日，少于当年法定节假日%(min)d天，安排不完整，"
                    "无法计算工作日。请系统管理员按国务院办公厅当年的放假通知录入全部放假日和调休上班日后再操作。")
            % {"year": year, "n": entered, "min": statutory_days(year)}, code="calendar_incomplete")


def library_years():
    """The years ``chinese-calendar`` knows, as a range."""
    from chinese_calendar import constants

    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return range(min(years), max(years) + 1)


class WorkCalendar:
    """Answers "is this a working day?" reading each year's admin table at most once per instance."""

    def __init__(self):
        self._years = {}

    def _admin_year(self, year):
        if year not in self._years:
            from evaluation.rounds.models import HolidayDay, HolidayYear

            if HolidayYear.objects.filter(year=year).exists():
                table = dict(HolidayDay.objects.filter(year__year=year).values_list("date", "kind"))
                entered = sum(1 for kind in table.values() if kind == "holiday")
                if entered < statutory_days(year):  # a partial entry would turn holidays into working days
                    raise CalendarIncomplete(year, entered)
                self._years[year] = table
            else:
                self._years[year] = None
        return self._years[year]

    def is_working_day(self, day):
        table = self._admin_year(day.year)
        if table is not None:
            kind = table.get(day)
            if kind is not None:
                return kind == "workday"
            return day.weekday() < 5
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError as exc:
            raise CalendarMissing(day.year) from exc

    def check_year(self, year):
        """Raises ``CalendarMissing`` unless ``year`` is known."""
        self.is_working_day(datetime.date(year, 1, 1))

    def add_working_days(self, start, count, *, limit=None):
        """The day on which a period of ``count`` working days beginning on ``start`` ends.

        ``start`` is day 1 when it is a working day; otherwise the first working day after it is. Returns None
        when that day would fall after ``limit`` (so that a year's last weeks never need next year's data).
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        day, counted = start, 0
        while True:
            if limit is not None and day > limit:
                return None
            if self.is_working_day(day):
                counted += 1
                if counted == count:
                    return day
            day += datetime.timedelta(days=1)

    def next_working_day(self, after, *, limit=None):
        """The first working day strictly after ``after`` (None past ``limit``)."""
        return self.add_working_days(after + datetime.timedelta(days=1), 1, limit=limit)

    def working_days_between(self, first, last):
        """How many working days there are from ``first`` to ``last``, both included (0 if last < first)."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += datetime.timedelta(days=1)
        return count


def is_working_day(day):
    return WorkCalendar().is_working_day(day)


def add_working_days(start, count, *, limit=None):
    return WorkCalendar().add_working_days(start, count, limit=limit)


def next_working_day(after, *, limit=None):
    return WorkCalendar().next_working_day(after, limit=limit)


def working_days_between(first, last):
    return WorkCalendar().working_days_between(first, last)
