"""Per-day attendance summary of one employee's records (pure code).

- Records are grouped by their shift day and read in time order; voided ones count only as
  the day's corrections.
- Presence: IN opens it (an IN while in keeps the first: the person never left); OUT closes
  it. BREAK_START while in opens an unpaid break, BREAK_END closes it; an OUT closes an open
  break too (it ends at the OUT). ``breaks`` sums the breaks of closed presences; ``worked``
  is presence minus breaks, in real elapsed time. A presence never closed (a forgotten
  check-out) counts nothing: no one knows when the person left. Records that fit no state
  (an OUT with no IN, a break outside presence; possible only after corrections) pair with
  nothing.
- Late minutes come from the day's first IN; early leave and overtime from its last OUT.
- ``missing_checkout``: the day ends in (after IN or BREAK_END) or on a break and no record
  can close it any more, i.e. ``now`` is past the deadline of its last record: its
  ``scheduled_end + late_checkout`` when it had a shift; otherwise (a day with no shift) the
  end of the local calendar day after the shift day, plus ``late_checkout``, which is the
  latest any shift starting that day can still accept a check-out. An open check-in of
  today is therefore not yet missing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.attendance.rules import Accepted, Kind, RulesConfig, wall_clock_to_utc

__all__ = ["DaySummary", "SummaryRecord", "summarize_days"]


@dataclass(frozen=True)
class SummaryRecord:
    occurred_at: datetime  # aware
    kind: Kind
    shift_day: date
    late_minutes: int = 0
    early_leave_minutes: int = 0
    overtime_minutes: int = 0
    scheduled_end: datetime | None = None  # aware UTC, from the decision
    shift_id: str | None = None  # the shift occurrence the rules gave it, if any
    voided: bool = False  # corrected away: counts only as a correction of its day

    @classmethod
    def from_event(cls, event: Any, *, voided: bool = False) -> SummaryRecord:
        """From a stored attendance event (an ORM object or a row with the same columns)."""
        return cls(
            occurred_at=event.occurred_at,
            kind=Kind(event.kind),
            shift_day=event.shift_day,
            late_minutes=event.late_minutes,
            early_leave_minutes=event.early_leave_minutes,
            overtime_minutes=event.overtime_minutes,
            scheduled_end=event.scheduled_end,
            # A row without the column (the server's summary job selects what it needs).
            shift_id=None if (shift := getattr(event, "shift_id", None)) is None else str(shift),
            voided=voided,
        )

    @classmethod
    def from_decision(cls, occurred_at: datetime, decision: Accepted) -> SummaryRecord:
        """The summary's view of a record that ``decide`` accepted at ``occurred_at``."""
        return cls(
            occurred_at=occurred_at,
            kind=decision.kind,
            shift_day=decision.shift_day,
            late_minutes=decision.late_minutes,
            early_leave_minutes=decision.early_leave_minutes,
            overtime_minutes=decision.overtime_minutes,
            scheduled_end=decision.scheduled_end,
            shift_id=decision.shift_id,
        )


@dataclass(frozen=True)
class DaySummary:
    shift_day: date
    first_in: datetime | None
    last_out: datetime | None
    worked: timedelta  # closed presences minus their breaks (real elapsed time)
    late_minutes: int  # from the day's first IN
    early_leave_minutes: int  # from the day's last OUT
    overtime_minutes: int  # from the day's last OUT
    missing_checkout: bool  # the day ends in or on a break and the day is over
    records: int  # the day's valid records
    breaks: timedelta = timedelta(0)  # unpaid, inside closed presences
    corrections: int = 0  # the day's records voided (alone or replaced)
    shift_id: str | None = None  # the shift of the day's first valid record


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")


def _presence(ordered: Sequence[SummaryRecord]) -> tuple[timedelta, timedelta]:
    """(worked, breaks) of the day's closed presences (see the module doc)."""
    worked = breaks = timedelta(0)
    opened: datetime | None = None  # presence
    paused: datetime | None = None  # break inside the presence
    held = timedelta(0)  # breaks of the open presence, counted once it closes
    for record in ordered:
        # In UTC: subtracting two datetimes that share a ZoneInfo ignores DST changes.
        at = record.occurred_at.astimezone(UTC)
        if record.kind is Kind.IN:
            if opened is None:
                opened, paused, held = at, None, timedelta(0)
            elif paused is not None:  # back in without a break end: the break ends here
                held, paused = held + (at - paused), None
        elif opened is None:
            continue  # nothing to close or pause
        elif record.kind is Kind.BREAK_START:
            paused = paused or at
        elif record.kind is Kind.BREAK_END:
            if paused is not None:
                held, paused = held + (at - paused), None
        else:  # OUT: closes the presence and any open break, which ends at the OUT
            if paused is not None:
                held += at - paused
            worked += (at - opened) - held
            breaks += held
            opened, paused, held = None, None, timedelta(0)
    return worked, breaks


def _checkout_deadline(last: SummaryRecord, zone: ZoneInfo, config: RulesConfig) -> datetime:
    """The last instant at which ``decide`` could still close ``last``'s day."""
    if last.scheduled_end is not None:
        return last.scheduled_end + config.late_checkout
    # A shift starting on the shift day ends before the end of the next calendar day.
    end_of_next_day = wall_clock_to_utc(last.shift_day + timedelta(days=2), time(0), zone)
    return end_of_next_day + config.late_checkout


def _summarize_day(
    day: date,
    records: Sequence[SummaryRecord],
    now: datetime,
    zone: ZoneInfo,
    config: RulesConfig,
) -> DaySummary:
    ordered = [r for r in records if not r.voided]
    corrections = len(records) - len(ordered)
    ins = [r for r in ordered if r.kind is Kind.IN]
    outs = [r for r in ordered if r.kind is Kind.OUT]
    missing = bool(ordered) and (
        ordered[-1].kind is not Kind.OUT and now > _checkout_deadline(ordered[-1], zone, config)
    )
    worked, breaks = _presence(ordered)
    return DaySummary(
        shift_day=day,
        first_in=ins[0].occurred_at if ins else None,
        last_out=outs[-1].occurred_at if outs else None,
        worked=worked,
        late_minutes=ins[0].late_minutes if ins else 0,
        early_leave_minutes=outs[-1].early_leave_minutes if outs else 0,
        overtime_minutes=outs[-1].overtime_minutes if outs else 0,
        missing_checkout=missing,
        records=len(ordered),
        breaks=breaks,
        corrections=corrections,
        shift_id=next((r.shift_id for r in ordered if r.shift_id is not None), None),
    )


def summarize_days(
    records: Sequence[SummaryRecord],
    now: datetime,
    zone: ZoneInfo,
    config: RulesConfig = RulesConfig(),  # noqa: B008 - frozen dataclass, safe to share
) -> list[DaySummary]:
    """One summary per shift day of one employee's ``records``, oldest day first.

    A day whose records were all voided still has a summary (nothing worked, its
    corrections counted), so a report shows what was corrected."""
    _require_aware(now, "now")
    by_day: defaultdict[date, list[SummaryRecord]] = defaultdict(list)
    for record in records:
        _require_aware(record.occurred_at, "SummaryRecord.occurred_at")
        by_day[record.shift_day].append(record)
    return [
        _summarize_day(
            day,
            sorted(by_day[day], key=lambda r: r.occurred_at.astimezone(UTC)),
            now,
            zone,
            config,
        )
        for day in sorted(by_day)
    ]
