"""Working days for the 公示 periods: Chinese public holidays off, make-up days (调休) on, and a year without
data is an error the admin must fix — never a guess."""

from datetime import date

import pytest
from django.urls import reverse

from evaluation.rounds import deadlines, workdays
from evaluation.rounds.models import HolidayDay, HolidayYear
from evaluation.rounds.workdays import CalendarMissing, WorkCalendar


def test_a_notice_starting_before_national_day_ends_after_it(db):
    # 2025: 国庆/中秋 1–8 October off; Sunday 28 September and Saturday 11 October are make-up working days.
    # Mon 29 Sep (1), Tue 30 Sep (2), [1–8 Oct off], Thu 9 Oct (3), Fri 10 Oct (4), Sat 11 Oct (5, 调休).
    assert workdays.add_working_days(date(2025, 9, 29), 5) == date(2025, 10, 11)
    assert deadlines.notice_end(date(2025, 9, 29), limit=date(2025, 12, 31)) == date(2025, 10, 11)


def test_a_make_up_weekend_day_counts_as_a_working_day(db):
    assert workdays.is_working_day(date(2025, 9, 28))  # Sunday, 调休上班
    assert workdays.is_working_day(date(2025, 10, 11))  # Saturday, 调休上班
    assert not workdays.is_working_day(date(2025, 10, 18))  # an ordinary Saturday
    assert not workdays.is_working_day(date(2025, 10, 6))  # Monday within the holiday
    # Starting on the make-up Sunday: 28, 29, 30 Sep, 9, 10 Oct.
    assert workdays.add_working_days(date(2025, 9, 28), 5) == date(2025, 10, 10)


def test_a_notice_starting_on_a_holiday_begins_counting_on_the_next_working_day(db):
    assert workdays.add_working_days(date(2025, 10, 3), 5) == date(2025, 10, 14)  # 9, 10, 11, 13, 14 Oct


def test_an_ordinary_week(db):
    assert workdays.add_working_days(date(2025, 11, 3), 5) == date(2025, 11, 7)
    assert workdays.add_working_days(date(2025, 11, 1), 5) == date(2025, 11, 7)  # Saturday start
    assert workdays.working_days_between(date(2025, 12, 1), date(2025, 12, 31)) == 23


def test_spring_festival_2026_with_its_make_up_saturdays(db):
    # 2026 春节: 15–23 February off; Saturday 14 and Saturday 28 February worked.
    assert workdays.is_working_day(date(2026, 2, 14)) and workdays.is_working_day(date(2026, 2, 28))
    assert workdays.add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 25)  # 12, 13, 14, 24, 25


def test_a_year_without_data_is_an_error_not_a_guess(db):
    with pytest.raises(CalendarMissing) as info:
        workdays.add_working_days(date(2099, 3, 2), 5)
    assert info.value.year == 2099
    assert "2099年" in info.value.messages[0] and "系统管理员" in info.value.messages[0]


def _entered(year_number, *, holidays=(), source="国务院办公厅关于部分节假日安排的通知"):
    """An admin-entered year: ``holidays`` plus 劳动节 1–4 May and 国庆节 1–7 October, so that it lists at least the
    statutory 13 放假 days."""
    year = HolidayYear.objects.create(year=year_number, source=source)
    days = [*holidays, *(date(year_number, 5, d) for d in range(1, 5)), *(date(year_number, 10, d) for d in range(1, 8))]
    HolidayDay.objects.bulk_create([HolidayDay(year=year, date=d, kind="holiday") for d in days])
    return year


def test_the_admin_table_supplies_a_year_the_library_lacks(db):
    year = _entered(2099, holidays=[date(2099, 1, 1), date(2099, 1, 2)])
    HolidayDay.objects.create(year=year, date=date(2099, 1, 10), kind="workday", name="元旦")  # a Saturday
    calendar = WorkCalendar()
    assert not calendar.is_working_day(date(2099, 1, 2))  # a Friday, off
    assert calendar.is_working_day(date(2099, 1, 10))  # a Saturday, worked
    assert calendar.add_working_days(date(2099, 1, 1), 5) == date(2099, 1, 9)  # 5, 6, 7, 8, 9 Jan
    assert calendar.add_working_days(date(2099, 1, 9), 2) == date(2099, 1, 10)


def test_the_admin_table_takes_precedence_over_the_library(db):
    _entered(2025, holidays=[date(2025, 1, 1), date(2025, 2, 3)], source="更正")  # 国庆 1–7 Oct only
    assert workdays.is_working_day(date(2025, 10, 8))  # the library has 8 Oct off; the table does not
    assert not workdays.is_working_day(date(2025, 10, 11))  # a Saturday


def test_a_partial_year_is_refused_not_counted_as_working_days(db):
    """A year entered with fewer 放假 days than its statutory holidays (the audit's case: one entered with none
    turned 国庆 into working days and shortened a 公示) is refused, as a missing year is."""
    year = HolidayYear.objects.create(year=2025, source="更正")
    HolidayDay.objects.create(year=year, date=date(2025, 10, 1), kind="holiday", name="国庆节")
    with pytest.raises(CalendarMissing, match="2025年只录入了1个放假日，少于当年法定节假日13天"):
        workdays.is_working_day(date(2025, 10, 6))


def test_the_admin_form_says_at_once_that_a_year_is_partial(world, client):
    client.force_login(world.admin)
    data = {"year": "2099", "source": "国务院办公厅通知", "days-TOTAL_FORMS": "1", "days-INITIAL_FORMS": "0",
            "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
            "days-0-date": "2099-01-01", "days-0-kind": "holiday", "days-0-name": "元旦"}
    response = client.post(reverse("admin:rounds_holidayyear_add"), data)
    assert response.status_code == 200 and "这里只录入了1个放假日" in response.content.decode()
    assert not HolidayYear.objects.exists()


def test_a_period_that_would_cross_the_year_end_needs_no_data_of_next_year(db):
    # 26 (Fri), 29, 30, 31 Dec: four working days; the fifth would be in 2026 (or a year without data).
    assert workdays.add_working_days(date(2025, 12, 26), 5, limit=date(2025, 12, 31)) is None
    assert workdays.add_working_days(date(2025, 12, 25), 5, limit=date(2025, 12, 31)) == date(2025, 12, 31)


def test_the_library_years_are_known(db):
    years = workdays.library_years()
    assert 2025 in years and 2026 in years


def test_admin_edits_the_holiday_table(world, client):
    client.force_login(world.admin)
    response = client.get(reverse("admin:rounds_holidayyear_changelist"))
    assert response.status_code == 200
    assert "chinese-calendar 已包含" in response.content.decode()
    assert client.get(reverse("admin:rounds_holidayyear_add")).status_code == 200
    for name in ("evaluationround", "titleapplication", "objection", "decision"):
        assert client.get(reverse(f"admin:rounds_{name}_changelist")).status_code == 200


def test_a_round_in_a_year_without_holiday_data_is_refused_until_the_admin_enters_it(world):
    from evaluation.rounds import services
    from tests.rounds import factories as f

    f.school(world)
    with pytest.raises(CalendarMissing, match="2099年"):
        services.open_round(institution=world.inst, actor=world.staff, graduation_year=2099, today=date(2099, 9, 1))
    _entered(2099, holidays=[date(2099, 1, 1), date(2099, 1, 2)])
    rnd = services.open_round(institution=world.inst, actor=world.staff, graduation_year=2099,
                              today=date(2099, 9, 1))
    assert rnd.graduation_year == 2099
