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
3. **What the record is.** Within the chosen shift day the person is *off* (no record yet,
   or the last one is OUT), *in* (IN, or back from a break) or *on a break*. Off allows IN;
   in allows OUT or BREAK_START; on a break allows BREAK_END or OUT (the break then ends
   at the OUT). A record of a kind its state does not allow is ignored as ``not_allowed``.
   When nobody says which kind (a face in ``toggle`` or ``shift`` mode, a manual record
   without a kind) the likely one is taken: off → IN, on a break → BREAK_END, in → OUT;
   except that in ``shift`` and ``ask`` modes a first exit in the middle half of the shift
   (a quarter of its length after the start, a quarter before the end) on a day without a
   break yet is most likely the break: BREAK_START. ``toggle`` never guesses a break, so
   in and out alternate as they always did. Every shift day starts with IN. A forgotten
   check-out stays open on its own day (the summary flags it).
4. **Late, early leave, overtime** (whole minutes, rounded down, only with a shift; breaks
   have none): the first IN of a shift day is late when after ``start + grace_in`` and
   counts the minutes after ``start``; an OUT before ``end - grace_out`` counts the minutes
   before ``end`` as early leave; an OUT after ``end`` counts the minutes after ``end`` as
   overtime.
5. **Daylight saving.** A wall-clock time that does not exist (spring-forward gap) means
   the first instant after the gap; an ambiguous one (fall-back) means its first occurrence.
   Durations are real elapsed time, so a 22:00-06:00 shift lasts 7 h or 9 h on the nights
   the clocks change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.attendance.record_kinds import (
    DayState,
    IgnoreReason,
    Kind,
    PunchMode,
    allowed_kinds,
    day_state,
    first_out_of_sequence,
    state_after,
)
from core.attendance.shift_time import (
    ShiftSpec,
    require_aware,
    shift_occurrences,
    wall_clock_to_utc,
)

__all__ = [
    "Accepted",
    "DayState",
    "Decision",
    "IgnoreReason",
    "Ignored",
    "Kind",
    "PriorRecord",
    "PunchMode",
    "RulesConfig",
    "ShiftSpec",
    "allowed_kinds",
    "day_state",
    "decide",
    "first_out_of_sequence",
    "shift_occurrences",
    "wall_clock_to_utc",
]

_ONE_DAY = timedelta(days=1)
_ONE_MINUTE = timedelta(minutes=1)
_ONE_SECOND = timedelta(seconds=1)


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
    punch_mode: PunchMode = PunchMode.TOGGLE  # how the likely kind is guessed (rule 3)

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
    # The kinds the person's state allowed at that instant, the likely one first: what a
    # kiosk offers to choose from (``ask``) or to change to (``shift``).
    # Not part of what was decided, so equality ignores them.
    allowed: tuple[Kind, ...] = field(default=(), compare=False)
    likely: Kind | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Ignored:
    reason: IgnoreReason
    retry_after: timedelta | None = None  # for COOLDOWN: how long until a record is accepted
    # Context for the sentence shown, not part of the decision (equality ignores them).
    last: PriorRecord | None = field(default=None, compare=False)  # COOLDOWN: the record
    state: DayState | None = field(default=None, compare=False)  # NOT_ALLOWED: the state


Decision = Accepted | Ignored


@dataclass(frozen=True)
class _Candidate:
    """A shift occurrence whose acceptance window holds the instant being decided."""

    shift: ShiftSpec
    day: date
    start: datetime  # UTC
    end: datetime  # UTC


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
    """Shift days the person is still in (or on a break) on, with the instant (UTC) of the
    IN that opened that presence."""
    state: dict[date, DayState] = {}
    opened: dict[date, datetime] = {}
    for record in ordered:
        before = state.get(record.shift_day, DayState.OFF)
        after = state_after(before, record.kind)
        state[record.shift_day] = after
        if before is DayState.OFF and after is not DayState.OFF:
            opened[record.shift_day] = record.occurred_at.astimezone(UTC)
    return {day: opened[day] for day, now in state.items() if now is not DayState.OFF}


def _whole_minutes(delta: timedelta) -> int:
    return delta // _ONE_MINUTE


def _timing(
    kind: Kind, instant: datetime, chosen: _Candidate, first_of_day: bool
) -> tuple[int, int, int]:
    """Rule 4: (late, early leave, overtime) minutes for a record in ``chosen``."""
    shift = chosen.shift
    if kind in (Kind.BREAK_START, Kind.BREAK_END):
        return 0, 0, 0
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
        return Ignored(IgnoreReason.COOLDOWN, retry_after=config.cooldown - elapsed, last=latest)
    return None


def _likely(
    state: DayState,
    instant: datetime,
    chosen: _Candidate | None,
    had_break: bool,
    mode: PunchMode,
) -> Kind:
    """Rule 3's guess when nobody says which kind the record is."""
    if state is DayState.OFF:
        return Kind.IN
    if state is DayState.ON_BREAK:
        return Kind.BREAK_END
    if mode is not PunchMode.TOGGLE and chosen is not None and not had_break:
        quarter = (chosen.end - chosen.start) / 4
        if chosen.start + quarter <= instant <= chosen.end - quarter:
            return Kind.BREAK_START
    return Kind.OUT


def decide(
    instant: datetime,
    zone: ZoneInfo,
    shifts: Sequence[ShiftSpec],
    history: Sequence[PriorRecord],
    config: RulesConfig = RulesConfig(),
    *,
    kind: Kind | None = None,
    cooldown: bool = True,
) -> Decision:
    """Decide what a record of one employee at ``instant`` is (see module doc).

    ``history`` holds the employee's accepted, non-voided records in any order; for a
    record entered afterwards (an administrator's correction) only those before
    ``instant``. ``kind`` is what the person or the administrator chose (None: the likely
    one, rule 3). ``cooldown=False`` skips rule 1, for corrections, which an administrator
    makes on purpose.
    """
    require_aware(instant, "instant")
    now = instant.astimezone(UTC)
    ordered = sorted(history, key=lambda r: r.occurred_at.astimezone(UTC))
    if cooldown:
        ignored = _cooldown_check(now, ordered[-1] if ordered else None, config)
        if ignored is not None:
            return ignored

    derived = _derive(now, zone, shifts, ordered, config, kind=kind)
    if derived.kind not in derived.allowed:
        return Ignored(IgnoreReason.NOT_ALLOWED, state=_state_on(derived.shift_day, ordered))
    return derived


def _state_on(shift_day: date, ordered: Sequence[PriorRecord]) -> DayState:
    if shift_day not in _open_check_ins(ordered):
        return DayState.OFF
    return day_state(r.kind for r in ordered if r.shift_day == shift_day)


def _derive(
    now: datetime,
    zone: ZoneInfo,
    shifts: Sequence[ShiftSpec],
    ordered: Sequence[PriorRecord],
    config: RulesConfig,
    *,
    kind: Kind | None,
) -> Accepted:
    """Rules 2 to 4 for a record at ``now`` (UTC) after ``ordered``: its shift day and
    occurrence, the kind it likely is, and its minutes; ``kind`` None takes the likely one.
    Whether the kind was allowed is the caller's question (``allowed``)."""
    open_check_ins = _open_check_ins(ordered)
    candidates = _covering(now, zone, shifts, config)
    chosen = _choose(candidates, open_check_ins, config) if candidates else None
    shift_day = chosen.day if chosen else now.astimezone(zone).date()

    day = [r.kind for r in ordered if r.shift_day == shift_day]
    state = day_state(day) if shift_day in open_check_ins else DayState.OFF
    had_break = Kind.BREAK_START in day
    likely = _likely(state, now, chosen, had_break, config.punch_mode)
    allowed = (likely, *(k for k in allowed_kinds(state) if k is not likely))
    kind = kind or likely
    if chosen is None:
        return Accepted(kind, shift_day, None, None, None, allowed=allowed, likely=likely)
    late, early, overtime = _timing(kind, now, chosen, first_of_day=not day)
    return Accepted(
        kind=kind,
        shift_day=shift_day,
        shift_id=chosen.shift.shift_id,
        scheduled_start=chosen.start,
        scheduled_end=chosen.end,
        late_minutes=late,
        early_leave_minutes=early,
        overtime_minutes=overtime,
        allowed=allowed,
        likely=likely,
    )


def derive(
    instant: datetime,
    zone: ZoneInfo,
    shifts: Sequence[ShiftSpec],
    history: Sequence[PriorRecord],
    *,
    kind: Kind,
    config: RulesConfig = RulesConfig(),
) -> Accepted:
    """What ``decide`` would have made of a record of ``kind`` at ``instant``: the central
    server's view of a record a kiosk reports (core/sync/verify.py). A kind the person's
    state did not allow is still a fact that happened (two doors, each with half of the
    day), so it is derived, not refused; the summary pairs what fits."""
    require_aware(instant, "instant")
    ordered = sorted(history, key=lambda r: r.occurred_at.astimezone(UTC))
    return _derive(instant.astimezone(UTC), zone, shifts, ordered, config, kind=kind)
