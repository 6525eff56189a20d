"""Pay periods: the current and the previous one for a date.

- ``monthly``, start day d (1-28): from the d-th of a month to the day before the d-th of
  the next (d = 26: the 26th to the 25th; d = 1: calendar months).
- ``semimonthly``, start day d (1-28): two periods a month, starting on the d-th and 15
  days later counted on a 30-day month (d = 1: 1st-15th and 16th-end of month;
  d = 26: 26th-10th and 11th-25th). A start past the month's end (the 30th in February)
  is the month's last day.
- ``weekly``, start day 1-7: the ISO weekday the week starts on (1 = Monday, 7 = Sunday).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

PayPeriodKind = Literal["monthly", "semimonthly", "weekly"]
PAY_PERIODS: tuple[PayPeriodKind, ...] = ("monthly", "semimonthly", "weekly")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive


def start_day_problem(kind: str, start_day: int) -> str | None:
    """Why ``start_day`` cannot go with ``kind``, or None."""
    if kind == "weekly":
        if not 1 <= start_day <= 7:
            return (
                "for a weekly pay period it is the weekday the week starts on, "
                "1 (Monday) to 7 (Sunday)"
            )
    elif not 1 <= start_day <= 28:
        return "for a monthly or semimonthly pay period it is a day of the month from 1 to 28"
    return None


def _month_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _month_starts(year: int, month: int, kind: PayPeriodKind, start_day: int) -> list[date]:
    days = [start_day]
    if kind == "semimonthly":
        days.append((start_day + 14) % 30 + 1)
    return sorted({_month_day(year, month, d) for d in days})


def _starts_around(day: date, kind: PayPeriodKind, start_day: int) -> list[date]:
    """Period starts of the month before ``day``'s to the month after, in order."""
    starts: list[date] = []
    for offset in (-1, 0, 1):
        index = day.year * 12 + day.month - 1 + offset
        starts += _month_starts(index // 12, index % 12 + 1, kind, start_day)
    return starts


def period_of(day: date, kind: PayPeriodKind, start_day: int) -> Period:
    """The pay period holding ``day``."""
    if (problem := start_day_problem(kind, start_day)) is not None:
        raise ValueError(f"pay_period_start_day {start_day}: {problem}")
    if kind == "weekly":
        start = day - timedelta(days=(day.isoweekday() - start_day) % 7)
        return Period(start, start + timedelta(days=6))
    starts = _starts_around(day, kind, start_day)
    index = max(i for i, start in enumerate(starts) if start <= day)
    return Period(starts[index], starts[index + 1] - timedelta(days=1))


def current_and_previous(day: date, kind: PayPeriodKind, start_day: int) -> tuple[Period, Period]:
    """The pay period holding ``day`` and the one before it."""
    current = period_of(day, kind, start_day)
    return current, period_of(current.start - timedelta(days=1), kind, start_day)
