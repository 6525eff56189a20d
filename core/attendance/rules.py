"""Attendance rules: turn one recognised instant into a check-in, a check-out or nothing.

Pure code: no I/O, no database, no Qt. Times are compared in UTC; wall-clock times are local
to the kiosk's time zone.

1. **Cooldown.** The person's latest record (any day) decides first: an instant earlier than
   it is ignored as ``out_of_order`` (the clock went back); an instant less than the cooldown
   (default 60 s) after it is ignored as ``cooldown``, with ``retry_after`` saying when a
   record would be accepted. Exactly one cooldown later is accepted.
2. **Shift day.** Every occurrence of an assigned shift has a start day ``d`` (one of the
   shift's weekdays, inside its validity dates), starts at ``d + start`` and ends at
   ``d + end``, or at ``d + 1 day + end`` when ``end <= start`` (a 22:00-06:00 shift belongs
   to the day it starts; ``end == start`` is a 24-hour shift). It accepts records in the
   window ``[start - early_checkin, end + late_checkout]`` (default 3 h before, 6 h after).
   Among the occurrences whose window holds the instant, one whose shift day has an open
   check-in wins (so the check-out closes it; if several, the one the check-in itself was
   assigned to); otherwise the one that starts latest. With no covering occurrence the
   shift day is the local calendar date and there is no shift.
3. **In or out.** Within the chosen shift day the record is IN when the day has no record
   yet or its last one is OUT, otherwise OUT: in and out alternate, and every shift day
   starts with IN. A forgotten check-out stays open on its own day (the summary flags it).
4. **Late, early leave, overtime** (whole minutes, rounded down, only with a shift): the first
   IN of a shift day is late when after ``start + grace_in`` and counts the minutes after
   ``start``; an OUT before ``end - grace_out`` counts the minutes before ``end`` as early
   leave; an OUT after ``end`` counts the minutes after ``end`` as overtime.
5. **Daylight saving.** A wall-clock time that does not exist (spring-forward gap) means
   the first instant after the gap; an ambiguous one (fall-back) means its first occurrence.
   Durations are real elapsed time, so a 22:00-06:00 shift lasts 7 h or 9 h on the nights
   the clocks change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

__all__ = [
    "Accepted",
    "Decision",
    "IgnoreReason",
    "Ignored",
    "Kind",
    "PriorRecord",
    "RulesConfig",
    "ShiftSpec",
    "decide",
    "shift_occurrences",
    "wall_clock_to_utc",
]

_ONE_DAY = timedelta(days=1)
_ONE_MINUTE = timedelta(minutes=1)
_ONE_SECOND = timedelta(seconds=1)


class Kind(StrEnum):
    """What a record says the person did. The stored value is the enum's value."""

    IN = "in"
    OUT = "out"
    BREAK_START = "break_start"  # an unpaid break begins (the person stays checked in)
    BREAK_END = "break_end"  # back from the break


class IgnoreReason(StrEnum):
    COOLDOWN = "cooldown"  # same person again within the cooldown
    OUT_OF_ORDER = "out_of_order"  # instant earlier than the person's latest record


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


@dataclass(frozen=True)
class PriorRecord:
    occurred_at: datetime  # aware (any tz; compared in UTC)
    kind: Kind
    shift_day: date


@dataclass(frozen=True)
class RulesConfig:
    cooldown: timedelta = timedelta(seconds=60)
    early_checkin: timedelta = timedelta(hours=3)  # check-in this long before start counts
    late_checkout: timedelta = timedelta(hours=6)  # check-out this long after end still closes

    def __post_init__(self) -> None:
        for name in ("cooldown", "early_checkin", "late_checkout"):
            if getattr(self, name) < timedelta(0):
                raise ValueError(f"RulesConfig.{name} must not be negative")


@dataclass(frozen=True)
class Accepted:
    kind: Kind
    shift_day: date
    shift_id: str | None  # None when no shift occurrence covers the instant
    scheduled_start: datetime | None  # aware UTC
    scheduled_end: datetime | None  # aware UTC
    late_minutes: int = 0
    early_leave_minutes: int = 0
    overtime_minutes: int = 0


@dataclass(frozen=True)
class Ignored:
    reason: IgnoreReason
    retry_after: timedelta | None = None  # for COOLDOWN: how long until a record is accepted


Decision = Accepted | Ignored


@dataclass(frozen=True)
class _Candidate:
    """A shift occurrence whose acceptance window holds the instant being decided."""

    shift: ShiftSpec
    day: date
    start: datetime  # UTC
    end: datetime  # UTC


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


def _require_aware(value: datetime, name: str) -> None:
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
    _require_aware(around, "around")
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


def _covering(
    instant: datetime, zone: ZoneInfo, shifts: Iterable[ShiftSpec], config: RulesConfig
) -> list[_Candidate]:
    """Shift occurrences whose acceptance window holds ``instant`` (UTC)."""
    # A shift lasts at most a day (plus a DST hour), so these ranges of start days cover
    # every window that can reach the instant; the window test below does the real work.
    days_before = config.late_checkout.days + 3
    days_after = config.early_checkin.days + 2
    return [
        _Candidate(shift, day, start, end)
        for shift in shifts
        for day, start, end in shift_occurrences(
            shift, instant, zone, days_before=days_before, days_after=days_after
        )
        if start - config.early_checkin <= instant <= end + config.late_checkout
    ]


def _choose(
    candidates: Sequence[_Candidate],
    open_check_ins: dict[date, datetime],
    config: RulesConfig,
) -> _Candidate:
    """Rule 2: an occurrence whose day has an open check-in, else the latest start."""
    open_ones = [c for c in candidates if c.day in open_check_ins]
    if not open_ones:
        return max(candidates, key=lambda c: (c.start, c.shift.shift_id))

    def held_the_check_in(c: _Candidate) -> bool:
        # With two shifts on one day (split shift), close the one the check-in went to.
        check_in = open_check_ins[c.day]
        return c.start - config.early_checkin <= check_in <= c.end + config.late_checkout

    return max(open_ones, key=lambda c: (held_the_check_in(c), c.start, c.shift.shift_id))


def _open_check_ins(ordered: Sequence[PriorRecord]) -> dict[date, datetime]:
    """Shift days whose last record is IN, with that record's instant (UTC)."""
    last_by_day: dict[date, PriorRecord] = {}
    for record in ordered:
        last_by_day[record.shift_day] = record
    return {
        day: record.occurred_at.astimezone(UTC)
        for day, record in last_by_day.items()
        if record.kind is Kind.IN
    }


def _whole_minutes(delta: timedelta) -> int:
    return delta // _ONE_MINUTE


def _timing(
    kind: Kind, instant: datetime, chosen: _Candidate, first_of_day: bool
) -> tuple[int, int, int]:
    """Rule 4: (late, early leave, overtime) minutes for a record in ``chosen``."""
    shift = chosen.shift
    if kind is Kind.IN:
        late_after = chosen.start + timedelta(minutes=shift.grace_in_minutes)
        if first_of_day and instant > late_after:
            return _whole_minutes(instant - chosen.start), 0, 0
        return 0, 0, 0
    early_before = chosen.end - timedelta(minutes=shift.grace_out_minutes)
    early = _whole_minutes(chosen.end - instant) if instant < early_before else 0
    overtime = _whole_minutes(instant - chosen.end) if instant > chosen.end else 0
    return 0, early, overtime


def _cooldown_check(
    instant: datetime, latest: PriorRecord | None, config: RulesConfig
) -> Ignored | None:
    """Rule 1, against the person's latest record of any day (``instant`` in UTC)."""
    if latest is None:
        return None
    elapsed = instant - latest.occurred_at.astimezone(UTC)  # real time, even across DST
    if elapsed < timedelta(0):
        return Ignored(IgnoreReason.OUT_OF_ORDER)
    if elapsed < config.cooldown:
        return Ignored(IgnoreReason.COOLDOWN, retry_after=config.cooldown - elapsed)
    return None


def decide(
    instant: datetime,
    zone: ZoneInfo,
    shifts: Sequence[ShiftSpec],
    history: Sequence[PriorRecord],
    config: RulesConfig = RulesConfig(),
) -> Decision:
    """Decide what a recognition of one employee at ``instant`` records (see module doc).

    ``history`` holds the employee's accepted, non-voided records in any order.
    """
    _require_aware(instant, "instant")
    now = instant.astimezone(UTC)
    ordered = sorted(history, key=lambda r: r.occurred_at.astimezone(UTC))
    ignored = _cooldown_check(now, ordered[-1] if ordered else None, config)
    if ignored is not None:
        return ignored

    open_check_ins = _open_check_ins(ordered)
    candidates = _covering(now, zone, shifts, config)
    chosen = _choose(candidates, open_check_ins, config) if candidates else None
    shift_day = chosen.day if chosen else now.astimezone(zone).date()

    kind = Kind.OUT if shift_day in open_check_ins else Kind.IN
    if chosen is None:
        return Accepted(kind, shift_day, None, None, None)
    first_of_day = all(r.shift_day != shift_day for r in ordered)
    late, early, overtime = _timing(kind, now, chosen, first_of_day)
    return Accepted(
        kind=kind,
        shift_day=shift_day,
        shift_id=chosen.shift.shift_id,
        scheduled_start=chosen.start,
        scheduled_end=chosen.end,
        late_minutes=late,
        early_leave_minutes=early,
        overtime_minutes=overtime,
    )
