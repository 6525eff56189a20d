"""Per-day attendance summary of one employee's accepted records (pure code).

- Records are grouped by their shift day and read in time order.
- ``worked`` sums the IN→OUT pairs in real elapsed time. An IN while already in and an OUT
  with no open IN (possible only after manual corrections) pair with nothing.
- Late minutes come from the day's first IN; early leave and overtime from its last OUT.
- ``missing_checkout``: the day ends with an IN and no record can close it any more, i.e.
  ``now`` is past the deadline of that IN: its ``scheduled_end + late_checkout`` when it
  had a shift; otherwise (a day with no shift) the end of the local calendar day after the
  shift day, plus ``late_checkout``, which is the latest any shift starting that day can
  still accept a check-out. An open check-in of today is therefore not yet missing.
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

    @classmethod
    def from_event(cls, event: Any) -> SummaryRecord:
        """From a stored attendance event (an ORM object or a row with the same columns)."""
        return cls(
            occurred_at=event.occurred_at,
            kind=Kind(event.kind),
            shift_day=event.shift_day,
            late_minutes=event.late_minutes,
            early_leave_minutes=event.early_leave_minutes,
            overtime_minutes=event.overtime_minutes,
            scheduled_end=event.scheduled_end,
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
        )


@dataclass(frozen=True)
class DaySummary:
    shift_day: date
    first_in: datetime | None
    last_out: datetime | None
    worked: timedelta  # sum of paired IN→OUT intervals (real elapsed time)
    late_minutes: int  # from the day's first IN
    early_leave_minutes: int  # from the day's last OUT
    overtime_minutes: int  # from the day's last OUT
    missing_checkout: bool  # the day ends with an IN and the day is over
    records: int


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")


def _worked(ordered: Sequence[SummaryRecord]) -> timedelta:
    total = timedelta(0)
    opened: datetime | None = None
    for record in ordered:
        # In UTC: subtracting two datetimes that share a ZoneInfo ignores DST changes.
        at = record.occurred_at.astimezone(UTC)
        if record.kind is Kind.IN:
            # a second IN while in keeps the first: the person never left
            opened = opened or at
        elif opened is not None:
            total += at - opened
            opened = None
    return total


def _checkout_deadline(last_in: SummaryRecord, zone: ZoneInfo, config: RulesConfig) -> datetime:
    """The last instant at which ``decide`` could still close ``last_in``'s day."""
    if last_in.scheduled_end is not None:
        return last_in.scheduled_end + config.late_checkout
    # A shift starting on the shift day ends before the end of the next calendar day.
    end_of_next_day = wall_clock_to_utc(last_in.shift_day + timedelta(days=2), time(0), zone)
    return end_of_next_day + config.late_checkout


def _summarize_day(
    day: date,
    ordered: Sequence[SummaryRecord],
    now: datetime,
    zone: ZoneInfo,
    config: RulesConfig,
) -> DaySummary:
    ins = [r for r in ordered if r.kind is Kind.IN]
    outs = [r for r in ordered if r.kind is Kind.OUT]
    last = ordered[-1]
    missing = last.kind is Kind.IN and now > _checkout_deadline(last, zone, config)
    return DaySummary(
        shift_day=day,
        first_in=ins[0].occurred_at if ins else None,
        last_out=outs[-1].occurred_at if outs else None,
        worked=_worked(ordered),
        late_minutes=ins[0].late_minutes if ins else 0,
        early_leave_minutes=outs[-1].early_leave_minutes if outs else 0,
        overtime_minutes=outs[-1].overtime_minutes if outs else 0,
        missing_checkout=missing,
        records=len(ordered),
    )


def summarize_days(
    records: Sequence[SummaryRecord],
    now: datetime,
    zone: ZoneInfo,
    config: RulesConfig = RulesConfig(),  # noqa: B008 - frozen dataclass, safe to share
) -> list[DaySummary]:
    """One summary per shift day of one employee's ``records``, oldest day first."""
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
