"""The period report's rows: one code path for the kiosk's export and the central one.

Rows hold typed values (aware datetimes, dates, timedeltas, booleans, stored codes); the
formats (``csv_format``, ``xlsx_format``) decide how a spreadsheet sees them and spell the
codes out in the report's language. Days are shift days (a night shift belongs to the day
it starts), read in the zone of each record (the kiosk's).

Absences are counted against the shifts: a day of the period on which one of the
employee's assigned shifts occurred, and has ended by ``now``, with no valid record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
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
class ReportPart:
    """Lines of the three sheets that come together: one employee's period as the report
    streams, or a whole report."""

    records: Sequence[RecordLine]
    days: Sequence[DayLine]
    totals: Sequence[TotalLine]


@dataclass
class ReportCounts:
    """How many lines each sheet got (known once a streamed report has been written)."""

    records: int = 0
    days: int = 0
    employees: int = 0

    def add(self, part: ReportPart) -> None:
        self.records += len(part.records)
        self.days += len(part.days)
        self.employees += len(part.totals)


@dataclass(frozen=True)
class Report:
    """A report held in memory, whole. It reads like a streamed one (``parts``)."""

    records: list[RecordLine]
    days: list[DayLine]
    totals: list[TotalLine]
    start: date
    end: date
    central: bool = False  # records carry their site
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def counts(self) -> ReportCounts:
        return ReportCounts(len(self.records), len(self.days), len(self.totals))

    @contextmanager
    def parts(self) -> Iterator[Iterator[ReportPart]]:
        yield iter([ReportPart(self.records, self.days, self.totals)])


def check_period(start: date, end: date) -> None:
    """One sentence for a period that ends before it starts (said before any connection)."""
    if end < start:
        raise UsageError(Message("period.reversed", end=end, start=start))


def assemble_report(
    rows: Iterable[ReportRow],
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
    """The whole report in memory: every employee's part of ``employee_parts`` put together
    (for a screen or a test; files and downloads stream, ``core.reports.stream``)."""
    records: list[RecordLine] = []
    days: list[DayLine] = []
    totals: list[TotalLine] = []
    for part in employee_parts(
        rows,
        zone_of,
        now,
        rules,
        start=start,
        end=end,
        schedules=schedules,
        shift_names=shift_names,
        fallback_zone=fallback_zone,
        central=central,
    ):
        records.extend(part.records)
        days.extend(part.days)
        totals.extend(part.totals)
    return Report(records, days, totals, start, end, central)


def employee_parts(
    rows: Iterable[ReportRow],
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
) -> Iterator[ReportPart]:
    """Each employee's records, days and period total, in code order, as their records
    arrive: ``rows`` must come ordered by employee code (as Python orders strings: the "C"
    collation), then time. ``zone_of(event)`` is the zone its local times are written in
    (the kiosk's; centrally, each record's own). ``schedules`` (by employee code) gives the
    shifts that absences are counted against, and adds people who have shifts but no
    record. Only one employee's records are held at a time."""
    schedules = schedules or {}
    names = dict(shift_names or {})
    for schedule in schedules.values():
        names.update({s.shift_id: s.name for s in schedule.shifts})
    person = _Person(
        schedules, names, now, rules, start, end, fallback_zone or ZoneInfo("UTC"), central
    )
    waiting = sorted(schedules)  # people with shifts, each said in its place in the order
    index, previous = 0, None
    for code, group in groupby(rows, key=lambda row: row.code):
        if previous is not None and code <= previous:
            raise ValueError(f"report rows out of code order: {code!r} after {previous!r}")
        previous = code
        while index < len(waiting) and waiting[index] < code:
            yield person.part(waiting[index], [], zone_of)
            index += 1
        if index < len(waiting) and waiting[index] == code:
            index += 1
        yield person.part(code, list(group), zone_of)
    for code in waiting[index:]:
        yield person.part(code, [], zone_of)


@dataclass(frozen=True)
class _Person:
    """What makes one employee's part: the period, the rules, the shifts."""

    schedules: Mapping[str, Schedule]
    shift_names: Mapping[str, str]
    now: datetime
    rules: RulesConfig
    start: date
    end: date
    fallback_zone: ZoneInfo
    central: bool

    def part(
        self, code: str, rows: Sequence[ReportRow], zone_of: Callable[[Any], ZoneInfo]
    ) -> ReportPart:
        records: list[RecordLine] = []
        summary_records: list[SummaryRecord] = []
        name = self.schedules[code].name if code in self.schedules else ""
        zone = self.fallback_zone
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
                    site=row.site if self.central else None,
                )
            )
            summary_records.append(SummaryRecord.from_event(event, voided=voided))
            name = row.name
        # A person's days are read in the zone of their latest record.
        summaries = summarize_days(summary_records, self.now, zone, self.rules)
        shifts = self.schedules[code].shifts if code in self.schedules else ()
        return ReportPart(
            records,
            [_day_line(code, name, day, zone, self.shift_names) for day in summaries],
            [
                _total_line(
                    code,
                    name,
                    summaries,
                    shifts=shifts,
                    start=self.start,
                    end=self.end,
                    now=self.now,
                    zone=zone,
                )
            ],
        )


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
