"""The attendance log of a shift day, as the settings screen and ``attendance list`` show it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from core.attendance.rules import wall_clock_to_utc
from core.store.database import Store
from core.store.models import AttendanceCorrection, AttendanceEvent, Employee


@dataclass(frozen=True)
class AttendanceRow:
    event_id: uuid.UUID
    local_time: datetime
    code: str
    name: str
    kind: str
    method: str
    late_minutes: int
    voided: bool
    void_reason: str


def list_attendance(
    store: Store,
    zone: ZoneInfo,
    day: date,
    code: str | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[AttendanceRow]:
    """A shift day's records, oldest first, voided ones marked (as ``attendance list``);
    ``limit`` of them from ``offset`` (a page of a company's day: tens of thousands)."""
    with store.read() as session:
        query = (
            select(AttendanceEvent, Employee.code, Employee.name, AttendanceCorrection.reason)
            .join(Employee, Employee.id == AttendanceEvent.employee_id)
            .outerjoin(AttendanceCorrection, AttendanceCorrection.event_id == AttendanceEvent.id)
            .where(AttendanceEvent.shift_day == day)
            .order_by(AttendanceEvent.occurred_at, AttendanceEvent.id)
        )
        if code:
            query = query.where(Employee.code == code)
        if limit is not None:
            query = query.limit(limit).offset(offset)
        return [
            AttendanceRow(
                event_id=event.id,
                local_time=event.occurred_at.astimezone(zone),
                code=emp_code,
                name=name,
                kind=event.kind,
                method=event.method,
                late_minutes=event.late_minutes,
                # The outer join finds the correction, if any: a voided record has one.
                voided=reason is not None,
                void_reason=reason or "",
            )
            for event, emp_code, name, reason in session.execute(query)
        ]


def count_attendance(store: Store, day: date, code: str | None = None) -> int:
    """How many records ``list_attendance`` has for the day (and code)."""
    with store.read() as session:
        query = (
            select(func.count())
            .select_from(AttendanceEvent)
            .where(AttendanceEvent.shift_day == day)
        )
        if code:
            query = query.join(Employee, Employee.id == AttendanceEvent.employee_id).where(
                Employee.code == code
            )
        return int(session.scalar(query) or 0)


def local_today(zone: ZoneInfo) -> date:
    return datetime.now(UTC).astimezone(zone).date()


def local_instant(text: str, zone: ZoneInfo) -> datetime:
    """``YYYY-MM-DD HH:MM`` (or with seconds, or a ``T``) on the kiosk's wall clock, as an
    aware instant: how people write the time of a record they forgot. A time the clocks
    skipped (spring forward) is the first instant after the gap, an ambiguous one its first
    occurrence, as the rules read shifts."""
    try:
        naive = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a date and time; use YYYY-MM-DD HH:MM") from None
    if naive.tzinfo is not None:
        return naive
    return wall_clock_to_utc(naive.date(), naive.time(), zone).astimezone(zone)
