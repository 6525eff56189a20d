"""The kiosk's own period report, read from its store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.attendance.rules import RulesConfig
from core.reports.period import Report, ReportPart, ReportRow, check_period, employee_parts
from core.reports.schedules import load_schedules
from core.reports.streamed import StreamedReport, collect
from core.store.database import Store
from core.store.models import AttendanceCorrection, AttendanceEvent, Employee

_BATCH = 200  # records fetched at a time (an ORM record weighs some kilobytes)


def stream_report(
    store: Store,
    start: date,
    end: date,
    zone: ZoneInfo,
    now: datetime,
    *,
    rules: RulesConfig | None = None,
    employee_code: str | None = None,
) -> StreamedReport:
    """The period's report, read from the store while it is written (one employee at a
    time; see ``core.reports.streamed``)."""
    check_period(start, end)
    query = (
        select(AttendanceEvent, Employee.code, Employee.name, AttendanceCorrection.reason)
        .join(Employee, Employee.id == AttendanceEvent.employee_id)
        .outerjoin(AttendanceCorrection, AttendanceCorrection.event_id == AttendanceEvent.id)
        .where(AttendanceEvent.shift_day >= start, AttendanceEvent.shift_day <= end)
        # SQLite compares text byte by byte: the code order the report's parts need.
        .order_by(Employee.code, AttendanceEvent.occurred_at)
        .execution_options(yield_per=_BATCH)
    )
    if employee_code:
        query = query.where(Employee.code == employee_code)

    @contextmanager
    def opened() -> Iterator[Iterator[ReportPart]]:
        with store.read() as session:
            schedules, shift_names = load_schedules(session, employee_code)
            rows = (
                ReportRow(event, code, name, cast("str | None", reason))
                for event, code, name, reason in session.execute(query)
            )
            yield employee_parts(
                rows,
                lambda _event: zone,
                now,
                rules or RulesConfig(),
                start=start,
                end=end,
                schedules=schedules,
                shift_names=shift_names,
                fallback_zone=zone,
            )

    return StreamedReport(start, end, opened)


def build_report(
    store: Store,
    start: date,
    end: date,
    zone: ZoneInfo,
    now: datetime,
    *,
    rules: RulesConfig | None = None,
    employee_code: str | None = None,
) -> Report:
    """The same report, whole in memory (for a screen or a test)."""
    streamed = stream_report(store, start, end, zone, now, rules=rules, employee_code=employee_code)
    return collect(streamed)
