"""The kiosk's own period report, read from its store."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.attendance.rules import RulesConfig
from core.reports.period import Report, ReportRow, assemble_report, check_period
from core.reports.schedules import load_schedules
from core.store.database import Store
from core.store.models import AttendanceCorrection, AttendanceEvent, Employee


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
    check_period(start, end)
    with store.read() as session:
        query = (
            select(AttendanceEvent, Employee.code, Employee.name, AttendanceCorrection.reason)
            .join(Employee, Employee.id == AttendanceEvent.employee_id)
            .outerjoin(AttendanceCorrection, AttendanceCorrection.event_id == AttendanceEvent.id)
            .where(AttendanceEvent.shift_day >= start, AttendanceEvent.shift_day <= end)
            .order_by(Employee.code, AttendanceEvent.occurred_at)
        )
        if employee_code:
            query = query.where(Employee.code == employee_code)
        rows = session.execute(query).all()
        schedules, shift_names = load_schedules(session, employee_code)

    return assemble_report(
        [
            ReportRow(event, code, name, cast("str | None", reason))
            for event, code, name, reason in rows
        ],
        lambda _event: zone,
        now,
        rules or RulesConfig(),
        start=start,
        end=end,
        schedules=schedules,
        shift_names=shift_names,
        fallback_zone=zone,
    )
