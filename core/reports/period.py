"""The period report's rows: one code path for the kiosk's export and the central one.

Rows hold typed values (aware datetimes, dates, timedeltas, booleans, stored codes); the
formats (``csv_format``, ``xlsx_format``) decide how a spreadsheet sees them and spell the
codes out in the report's language. Days are shift days (a night shift belongs to the day
it starts), read in the zone of each record (the kiosk's).

Absences are counted against the shifts: a day of the period on which one of the
employee's assigned shifts occurred, and has ended by ``now``, with no valid record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.attendance.rules import RulesConfig, ShiftSpec, shift_occurrences, wall_clock_to_utc
from core.attendance.summary import DaySummary, SummaryRecord, summarize_days
from core.errors import UsageError
from core.i18n import Message


@dataclass(frozen=True)
class ReportRow:
    """One record as a report reads it: the stored event (an ORM object or a row with its
    columns), its employee, and the reason of the correction that voided it, if any."""

    event: Any
    code: str
    name: str
    void_reason: str | None
    site: str | None = None  # the central export's: the site of the record's kiosk


@dataclass(frozen=True)
class Schedule:
    """An employee's assigned shifts, for absences; ``name`` lists them with no record."""

    name: str
    shifts: tuple[ShiftSpec, ...] = ()


@dataclass(frozen=True)
class RecordLine:
    event_id: str
    code: str
    name: str
    kind: str  # stored value: in, out, break_start, break_end
    local_time: datetime  # aware, in the record's zone
    utc_time: datetime  # aware UTC
    shift_day: date
    method: str  # face, pin, manual
    kiosk_id: str
    score: float | None
    late_minutes: int
    voided: bool
    void_reason: str
    site: str | None = None


@dataclass(frozen=True)
class DayLine:
    code: str
    name: str
    shift_day: date
    shift: str  # the shift's name; "" without one
    first_in: datetime | None  # aware local
    last_out: datetime | None
    breaks: timedelta
    worked: timedelta
    late_minutes: int
    early_leave_minutes: int
    overtime_minutes: int
    missing_checkout: bool
    corrections: int


@dataclass(frozen=True)
class TotalLine:
    code: str
    name: str
    days_worked: int
    worked: timedelta
    breaks: timedelta
    overtime_minutes: int
    late_minutes: int
    early_leave_minutes: int
    absences: int
    missing_checkouts: int
    corrections: int


@dataclass(frozen=True)
class Report:
    records: list[RecordLine]
    days: list[DayLine]
    totals: list[TotalLine]
    start: date
    end: date
    central: bool = False  # records carry their site
    extra: dict[str, Any] = field(default_factory=dict)


def check_period(start: date, end: date) -> None:
    """One sentence for a period that ends before it starts (said before any connection)."""
    if end < start:
        raise UsageError(Message("period.reversed", end=end, start=start))


def assemble_report(
    rows: Sequence[ReportRow],
    zone_of: Callable[[Any], ZoneInfo],
    now: datetime,
    rules: RulesConfig,
    *,
    start: date,
    end: date,
    schedules: Mapping[str, Schedule] | None = None,
    shift_names: Mapping[str, str] | None = None,
    fallback_zone: ZoneInfo | None = None,
    central: bool = False,
) -> Report:
    """The records, the days and the period totals of ``rows`` (ordered by employee, then
    time). ``zone_of(event)`` is the zone its local times are written in (the kiosk's;
    centrally, each record's own). ``schedules`` (by employee code) gives the shifts that
    absences are counted against, and lists people who have shifts but no record."""
    schedules = schedules or {}
    names = dict(shift_names or {})
    for schedule in schedules.values():
        names.update({s.shift_id: s.name for s in schedule.shifts})
    records: list[RecordLine] = []
    per_employee: dict[str, list[SummaryRecord]] = defaultdict(list)
    people: dict[str, str] = {code: s.name for code, s in schedules.items()}
    zones: dict[str, ZoneInfo] = {}
    for row in rows:
        event, zone = row.event, zone_of(row.event)
        voided = row.void_reason is not None
        records.append(
            RecordLine(
                event_id=str(event.id),
                code=row.code,
                name=row.name,
                kind=event.kind,
                local_time=event.occurred_at.astimezone(zone),
                utc_time=event.occurred_at.astimezone(UTC),
                shift_day=event.shift_day,
                method=event.method,
                kiosk_id=event.kiosk_id,
                score=None if event.score is None else round(event.score, 4),
                late_minutes=event.late_minutes,
                voided=voided,
                void_reason=row.void_reason or "",
                site=row.site if central else None,
            )
        )
        per_employee[row.code].append(SummaryRecord.from_event(event, voided=voided))
        people[row.code] = row.name
        zones[row.code] = zone  # a person's days are read in the zone of their latest record

    days: list[DayLine] = []
    totals: list[TotalLine] = []
    default_zone = fallback_zone or ZoneInfo("UTC")
    for code in sorted(people):
        name, zone = people[code], zones.get(code, default_zone)
        summaries = summarize_days(per_employee.get(code, []), now, zone, rules)
        days.extend(_day_line(code, name, day, zone, names) for day in summaries)
        shifts = schedules[code].shifts if code in schedules else ()
        totals.append(
            _total_line(
                code, name, summaries, shifts=shifts, start=start, end=end, now=now, zone=zone
            )
        )
    return Report(records, days, totals, start, end, central)


def _local(instant: datetime | None, zone: ZoneInfo) -> datetime | None:
    return None if instant is None else instant.astimezone(zone)


def _day_line(
    code: str, name: str, day: DaySummary, zone: ZoneInfo, shift_names: Mapping[str, str]
) -> DayLine:
    return DayLine(
        code=code,
        name=name,
        shift_day=day.shift_day,
        shift="" if day.shift_id is None else shift_names.get(day.shift_id, ""),
        first_in=_local(day.first_in, zone),
        last_out=_local(day.last_out, zone),
        breaks=day.breaks,
        worked=day.worked,
        late_minutes=day.late_minutes,
        early_leave_minutes=day.early_leave_minutes,
        overtime_minutes=day.overtime_minutes,
        missing_checkout=day.missing_checkout,
        corrections=day.corrections,
    )


def _total_line(
    code: str,
    name: str,
    days: Sequence[DaySummary],
    *,
    shifts: Sequence[ShiftSpec],
    start: date,
    end: date,
    now: datetime,
    zone: ZoneInfo,
) -> TotalLine:
    present = {day.shift_day for day in days if day.records}
    return TotalLine(
        code=code,
        name=name,
        days_worked=sum(1 for day in days if day.first_in is not None),
        worked=sum((day.worked for day in days), timedelta(0)),
        breaks=sum((day.breaks for day in days), timedelta(0)),
        overtime_minutes=sum(day.overtime_minutes for day in days),
        late_minutes=sum(day.late_minutes for day in days),
        early_leave_minutes=sum(day.early_leave_minutes for day in days),
        absences=len(shift_days(shifts, start, end, now, zone) - present),
        missing_checkouts=sum(day.missing_checkout for day in days),
        corrections=sum(day.corrections for day in days),
    )


def shift_days(
    shifts: Sequence[ShiftSpec], start: date, end: date, now: datetime, zone: ZoneInfo
) -> set[date]:
    """The days of ``start``..``end`` on which one of ``shifts`` occurred and has ended."""
    found: set[date] = set()
    day = start
    while day <= end:
        noon = wall_clock_to_utc(day, time(12), zone)
        for shift in shifts:
            for start_day, _begins, ends in shift_occurrences(
                shift, noon, zone, days_before=0, days_after=0
            ):
                if ends <= now:
                    found.add(start_day)
        day += timedelta(days=1)
    return found
