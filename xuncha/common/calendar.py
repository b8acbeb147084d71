"""Chinese working days: the statutory calendar, overridden day by day by the office.

A day is a working day when the office's ``CalendarDay`` row says so; without a row,
``chinese_calendar`` decides (weekends and statutory holidays off, make-up working days 调休上班
on); for a year the library has no data for yet, Monday to Friday.

Counting convention (the one of statutory periods: the day of the event does not count):

* ``add_workdays(day, n)`` is the n-th working day after ``day`` (before it when n < 0), whether or
  not ``day`` itself is a working day. "Plan within 15 working days of feedback" is
  ``add_workdays(feedback, 15)``; "notice 10 working days before entry" is
  ``add_workdays(entry, -10)``. ``n == 0`` rolls forward: ``day`` if it is a working day, else the
  next one (a date that must fall on a working day).
* ``workdays_between(start, end)`` counts the working days in ``(start, end]``, so that
  ``workdays_between(d, add_workdays(d, n)) == n`` for n > 0.

Each computation reads the overrides it needs with one query over its date range (a window
guessed from n, widened only if the office has blanked out more days than the guess allows).
Nothing is cached between computations: an edited override counts at once, and no job has to
run for answers to be right.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar

from xuncha.common.models import CalendarDay

ONE_DAY = timedelta(days=1)


def statutory_workday(day: date) -> bool:
    """The State Council's calendar as chinese_calendar knows it; Monday–Friday beyond its years."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # Raised for years without published data (the next year's holidays come out in
        # November or so). The office fills those in with CalendarDay rows.
        return day.weekday() < 5


def _check(day: date) -> date:
    # The date of an aware datetime depends on the time zone; callers pass timezone.localdate().
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return day


class WorkCalendar:
    """Working-day answers for one computation (or one page: reuse it for many dates).

    Holds the overrides of the range read so far; reading outside it loads the missing stretch
    (one query, at least as long as what is loaded already, so long walks stay few queries).
    """

    def __init__(self, start: date, end: date) -> None:
        start, end = sorted((_check(start), _check(end)))
        self._overrides: dict[date, bool] = {}
        self._lo, self._hi = start, end
        self._load(start, end)

    def _load(self, start: date, end: date) -> None:
        rows = CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_workday")
        self._overrides.update(rows)

    def _cover(self, day: date) -> None:
        span = self._hi - self._lo + ONE_DAY
        if day > self._hi:
            new_hi = max(day, self._hi + span)
            self._load(self._hi + ONE_DAY, new_hi)
            self._hi = new_hi
        elif day < self._lo:
            new_lo = min(day, self._lo - span)
            self._load(new_lo, self._lo - ONE_DAY)
            self._lo = new_lo

    def is_workday(self, day: date) -> bool:
        if not self._lo <= day <= self._hi:
            self._cover(day)
        override = self._overrides.get(day)
        return statutory_workday(day) if override is None else override

    def add_workdays(self, day: date, n: int) -> date:
        day = _check(day)
        if n == 0:
            return day if self.is_workday(day) else self.add_workdays(day, 1)
        step = ONE_DAY if n > 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        start, end = _check(start), _check(end)
        if end < start:
            return -self.workdays_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_workday(day)
        return count


def _reach(n: int) -> timedelta:
    """A window that holds n working days: 5 in every 7, plus the longest holiday run, roomily."""
    return timedelta(days=abs(n) * 3 // 2 + 31)


def is_workday(day: date) -> bool:
    """Is ``day`` a working day (override row, else statutory calendar, else Monday–Friday)?"""
    day = _check(day)
    return WorkCalendar(day, day).is_workday(day)


def add_workdays(day: date, n: int) -> date:
    """The n-th working day after ``day`` (before it for n < 0); n == 0 rolls forward."""
    day = _check(day)
    far = day + _reach(n) if n >= 0 else day - _reach(n)
    return WorkCalendar(day, far).add_workdays(day, n)


def next_workday(day: date) -> date:
    """The first working day strictly after ``day`` (``add_workdays(day, 1)``)."""
    return add_workdays(day, 1)


def workdays_between(start: date, end: date) -> int:
    """Working days in ``(start, end]``; negative (the count over ``(end, start]``) if end < start."""
    return WorkCalendar(start, end).workdays_between(start, end)
