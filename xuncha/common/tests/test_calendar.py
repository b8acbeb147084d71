"""The working-day calendar: statutory days, the office's overrides, counting, and its services."""

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from django.core.exceptions import PermissionDenied

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.actors import SYSTEM
from xuncha.common.calendar import WorkCalendar, add_workdays, is_workday, next_workday, workdays_between
from xuncha.common.exceptions import ServiceError
from xuncha.common.models import CalendarDay
from xuncha.workspace import services

# National Day 2026: 1–7 October off; Sunday 20 September and Saturday 10 October worked.
EVE = date(2026, 9, 30)  # Wednesday, last working day before the holiday
NATIONAL_DAY = date(2026, 10, 1)
MAKE_UP_SATURDAY = date(2026, 10, 10)


def _override(day: date, workday: bool) -> CalendarDay:
    return services.calendar_day_set(actor=SYSTEM, day=day, is_workday=workday, note="测试调整")


def _days(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


# --- statutory calendar ---------------------------------------------------------------------


def test_known_facts_of_2026(db):
    assert not is_workday(NATIONAL_DAY)
    assert MAKE_UP_SATURDAY.weekday() == 5
    assert is_workday(MAKE_UP_SATURDAY) is chinese_calendar.is_workday(MAKE_UP_SATURDAY) is True
    assert is_workday(EVE) and is_workday(date(2026, 10, 8))


def test_every_make_up_day_and_weekday_holiday_of_2026_follows_the_library(db):
    days = list(_days(2026))
    make_up = [d for d in days if d.weekday() >= 5 and chinese_calendar.is_workday(d)]
    weekday_off = [d for d in days if d.weekday() < 5 and not chinese_calendar.is_workday(d)]
    assert make_up and weekday_off  # the library knows 2026's 调休 arrangements
    cal = WorkCalendar(days[0], days[-1])
    assert all(cal.is_workday(d) for d in make_up)
    assert not any(cal.is_workday(d) for d in weekday_off)


def test_a_year_the_library_does_not_know_falls_back_to_monday_to_friday(db):
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2099, 1, 5))
    monday, saturday = date(2099, 1, 5), date(2099, 1, 10)
    assert (monday.weekday(), saturday.weekday()) == (0, 5)
    assert is_workday(monday) and not is_workday(saturday)
    assert is_workday(date(2099, 1, 1))  # a Thursday: New Year's Day only once the office enters it
    _override(date(2099, 1, 1), False)
    _override(saturday, True)
    assert not is_workday(date(2099, 1, 1))
    assert is_workday(saturday)


# --- overrides ------------------------------------------------------------------------------


def test_an_override_turns_a_holiday_into_a_workday_and_back(db):
    _override(NATIONAL_DAY, True)
    assert is_workday(NATIONAL_DAY)  # read at once: nothing is cached
    services.calendar_day_remove(actor=SYSTEM, day=NATIONAL_DAY)
    assert not is_workday(NATIONAL_DAY)


def test_an_override_turns_a_workday_into_a_day_off(db):
    monday = date(2026, 10, 12)
    assert is_workday(monday)
    _override(monday, False)
    assert not is_workday(monday)
    assert next_workday(date(2026, 10, 10)) == date(2026, 10, 13)


# --- counting -------------------------------------------------------------------------------


def test_add_workdays_forwards_and_backwards_across_the_holiday_week(db):
    assert add_workdays(EVE, 1) == date(2026, 10, 8)
    assert add_workdays(EVE, 3) == MAKE_UP_SATURDAY
    assert add_workdays(date(2026, 10, 8), -1) == EVE
    # 10 working days before entry on Monday 12 October: counts the make-up Saturday and skips
    # both National Day and Mid-Autumn (Friday 25 September).
    assert not is_workday(date(2026, 9, 25))
    assert add_workdays(date(2026, 10, 12), -10) == date(2026, 9, 21)
    # 15 working days after feedback on Mid-Autumn: counting starts on Monday 28 September.
    assert add_workdays(date(2026, 9, 25), 15) == date(2026, 10, 22)


def test_zero_rolls_forward_to_a_workday(db):
    assert add_workdays(EVE, 0) == EVE
    assert add_workdays(NATIONAL_DAY, 0) == date(2026, 10, 8)


def test_next_workday_is_strictly_after(db):
    assert next_workday(EVE) == date(2026, 10, 8)
    assert next_workday(date(2026, 10, 9)) == MAKE_UP_SATURDAY
    assert next_workday(NATIONAL_DAY) == date(2026, 10, 8)


def test_workdays_between_counts_the_half_open_interval(db):
    assert workdays_between(EVE, MAKE_UP_SATURDAY) == 3  # 8, 9, 10 October; not the 30th
    assert workdays_between(MAKE_UP_SATURDAY, EVE) == -3
    assert workdays_between(EVE, EVE) == 0
    assert workdays_between(NATIONAL_DAY, date(2026, 10, 7)) == 0


@pytest.mark.parametrize("start", [EVE, NATIONAL_DAY, date(2026, 2, 13), date(2099, 3, 7)])
def test_workdays_between_undoes_add_workdays(db, start):
    for n in range(1, 40):
        assert workdays_between(start, add_workdays(start, n)) == n


def test_long_ranges_cost_one_query(db, django_assert_num_queries):
    for month in range(1, 13):
        _override(date(2027, month, 1), False)
    with django_assert_num_queries(1):
        total = workdays_between(date(2020, 1, 1), date(2027, 12, 31))
    with django_assert_num_queries(1):
        end = add_workdays(date(2026, 1, 1), 500)
    with django_assert_num_queries(1):
        start = add_workdays(end, -500)
    # New Year's Day is off, so 500 back lands on the working day before it.
    assert start == date(2025, 12, 31)
    known = sum(chinese_calendar.is_workday(d) for year in range(2020, 2027) for d in _days(year))
    weekdays_2027 = sum(d.weekday() < 5 for d in _days(2027))
    firsts_off = sum(date(2027, month, 1).weekday() < 5 for month in range(1, 13))
    assert total == known + weekdays_2027 - firsts_off


def test_a_long_blanked_out_stretch_still_counts_right(db, django_assert_max_num_queries):
    # More days off in a row than the first window guesses: the calendar reads further.
    first = date(2099, 6, 1)
    CalendarDay.objects.bulk_create(
        CalendarDay(date=first + timedelta(days=i), is_workday=False, note="测试") for i in range(120)
    )
    with django_assert_max_num_queries(3):
        day = add_workdays(first - timedelta(days=1), 1)
    assert day == next(d for d in (first + timedelta(days=i) for i in range(120, 130)) if d.weekday() < 5)


def test_datetimes_are_refused(db):
    with pytest.raises(TypeError):
        is_workday(datetime(2026, 10, 1, 9, 0))  # noqa: DTZ001


# --- services -------------------------------------------------------------------------------


@pytest.fixture
def staff(world):
    return make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])


@pytest.fixture
def head(world):
    return make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])


def test_office_staff_may_not_edit_the_calendar(staff):
    with pytest.raises(PermissionDenied):
        services.calendar_day_set(actor=staff, day=NATIONAL_DAY, is_workday=True, note="调休")
    assert not CalendarDay.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="calendar.").exists()


def test_office_head_sets_updates_and_removes_a_day_with_audit(head):
    row = services.calendar_day_set(actor=head, day=date(2027, 2, 20), is_workday=True, note=" 2027年春节调休上班 ")
    assert (row.is_workday, row.note) == (True, "2027年春节调休上班")
    created = AuditEntry.objects.order_by("-seq").first()
    assert (created.action, created.actor_id) == ("calendar.day.create", head.pk)
    assert created.target_type == "common.calendarday"
    assert created.scope_unit == head.unit and created.after["date"] == "2027-02-20"  # filed under the office

    services.calendar_day_set(actor=head, day=date(2027, 2, 20), is_workday=False, note="2027年春节调休上班")
    updated = AuditEntry.objects.order_by("-seq").first()
    assert updated.action == "calendar.day.update"
    assert (updated.before, updated.after) == ({"is_workday": True}, {"is_workday": False})

    count = AuditEntry.objects.count()
    services.calendar_day_set(actor=head, day=date(2027, 2, 20), is_workday=False, note="2027年春节调休上班")
    assert AuditEntry.objects.count() == count  # nothing changed, nothing logged

    services.calendar_day_remove(actor=head, day=date(2027, 2, 20))
    removed = AuditEntry.objects.order_by("-seq").first()
    assert removed.action == "calendar.day.remove" and removed.before["is_workday"] is False
    assert not CalendarDay.objects.exists()


def test_calendar_bad_input_is_refused(head):
    with pytest.raises(ServiceError, match="调整原因"):
        services.calendar_day_set(actor=head, day=NATIONAL_DAY, is_workday=True, note="  ")
    with pytest.raises(ServiceError, match="100"):
        services.calendar_day_set(actor=head, day=NATIONAL_DAY, is_workday=True, note="长" * 101)
    with pytest.raises(ServiceError, match="日期"):
        services.calendar_day_set(actor=head, day="2026-10-01", is_workday=True, note="调休")
    with pytest.raises(ServiceError, match="没有调整记录"):
        services.calendar_day_remove(actor=head, day=NATIONAL_DAY)
    assert not CalendarDay.objects.exists()
