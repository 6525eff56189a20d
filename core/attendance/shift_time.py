"""Shifts on the clock (rules 2 and 5 of core/attendance/rules.py): a shift's occurrences as
UTC instants in the kiosk's time zone, wall-clock times across daylight-saving changes.
Pure code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_ONE_DAY = timedelta(days=1)
_ONE_MINUTE = timedelta(minutes=1)
_ONE_SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class ShiftSpec:
    """One shift assigned to the employee, in local wall-clock times."""

    shift_id: str
    name: str
    start: time
    end: time  # end <= start: the shift crosses midnight and ends the next day
    weekdays: frozenset[int]  # 0=Monday..6=Sunday: the days on which the shift STARTS
    grace_in_minutes: int = 0
    grace_out_minutes: int = 0
    valid_from: date | None = None  # inclusive, compared with the occurrence's start day
    valid_to: date | None = None  # inclusive

    def __post_init__(self) -> None:
        if not self.weekdays <= frozenset(range(7)):
            raise ValueError(f"shift {self.shift_id}: weekdays must be 0..6, got {self.weekdays}")
        if self.grace_in_minutes < 0 or self.grace_out_minutes < 0:
            raise ValueError(f"shift {self.shift_id}: grace minutes must not be negative")
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError(f"shift {self.shift_id}: valid_from is after valid_to")

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def starts_on(self, day: date) -> bool:
        """Whether an occurrence of this shift starts on ``day``."""
        if day.weekday() not in self.weekdays:
            return False
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to


def wall_clock_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local wall-clock ``day at`` in ``zone``.

    Like ``datetime.combine(day, at, tzinfo=zone)`` (``fold=0``, so an ambiguous fall-back
    time is its first occurrence), except that a time inside a spring-forward gap maps to
    the first instant after the gap instead of being shifted by the offset.
    """
    local = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone)
    utc = local.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return utc
    return _gap_end(local, zone)


def _gap_end(local: datetime, zone: ZoneInfo) -> datetime:
    """The transition instant (UTC) that ends the gap holding non-existent ``local``."""
    # With fold=1 a gap time is read with the offset after the transition, which lands
    # before the transition; with fold=0 it lands after it. Bisect between the two.
    lo = local.replace(fold=1).astimezone(UTC)
    hi = local.replace(fold=0).astimezone(UTC)
    if lo > hi:
        lo, hi = hi, lo
    before = lo.astimezone(zone).utcoffset()
    while hi - lo > _ONE_SECOND:
        mid = lo + (hi - lo) / 2
        if mid.astimezone(zone).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    # The transition lies in (lo, hi] and falls on a whole second.
    return hi.replace(microsecond=0)


def require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")


def shift_occurrences(
    shift: ShiftSpec,
    around: datetime,
    zone: ZoneInfo,
    *,
    days_before: int = 2,
    days_after: int = 1,
) -> list[tuple[date, datetime, datetime]]:
    """Occurrences of ``shift`` as ``(start day, start UTC, end UTC)``, oldest first.

    Start days run from ``days_before`` days before to ``days_after`` days after the local
    date of ``around``, keeping only the shift's weekdays inside its validity dates.
    """
    require_aware(around, "around")
    today = around.astimezone(zone).date()
    occurrences = []
    for offset in range(-days_before, days_after + 1):
        day = today + timedelta(days=offset)
        if not shift.starts_on(day):
            continue
        end_day = day + _ONE_DAY if shift.crosses_midnight else day
        start = wall_clock_to_utc(day, shift.start, zone)
        end = wall_clock_to_utc(end_day, shift.end, zone)
        occurrences.append((day, start, end))
    return occurrences
