"""Who is expected when: the shifts and assignments that absences are counted against.

The same Core query reads a kiosk's SQLite (an ORM session) and the central PostgreSQL (a
connection), as both hold the synced ``shifts`` and ``shift_assignments`` tables.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from core.attendance.history import weekdays_from_mask
from core.attendance.rules import ShiftSpec
from core.reports.period import Schedule
from core.store.tables import EMPLOYEES, SHIFTS
from core.store.tables import SHIFT_ASSIGNMENTS as ASSIGNMENTS


def load_schedules(
    db: Session | Connection,
    employee_code: str | None = None,
    *,
    employee_codes: Collection[str] | None = None,
) -> tuple[dict[str, Schedule], dict[str, str]]:
    """Active employees' active shifts (by code), and every shift's name (by id); only those
    of ``employee_codes`` when given (a page of a report)."""
    query = (
        select(
            EMPLOYEES.c.code,
            EMPLOYEES.c.name,
            SHIFTS.c.id,
            SHIFTS.c.name.label("shift_name"),
            SHIFTS.c.start_time,
            SHIFTS.c.end_time,
            SHIFTS.c.weekdays,
            SHIFTS.c.grace_in_minutes,
            SHIFTS.c.grace_out_minutes,
            ASSIGNMENTS.c.valid_from,
            ASSIGNMENTS.c.valid_to,
        )
        .select_from(
            ASSIGNMENTS.join(EMPLOYEES, EMPLOYEES.c.id == ASSIGNMENTS.c.employee_id).join(
                SHIFTS, SHIFTS.c.id == ASSIGNMENTS.c.shift_id
            )
        )
        .where(EMPLOYEES.c.active.is_(True), SHIFTS.c.active.is_(True))
        .order_by(EMPLOYEES.c.code, SHIFTS.c.start_time)
    )
    if employee_code:
        query = query.where(EMPLOYEES.c.code == employee_code)
    if employee_codes is not None:
        query = query.where(EMPLOYEES.c.code.in_(list(employee_codes)))
    people: dict[str, tuple[str, list[ShiftSpec]]] = {}
    for row in db.execute(query).all():
        _name, shifts = people.setdefault(row.code, (row.name, []))
        shifts.append(
            ShiftSpec(
                shift_id=str(row.id),
                name=row.shift_name,
                start=row.start_time,
                end=row.end_time,
                weekdays=weekdays_from_mask(row.weekdays),
                grace_in_minutes=row.grace_in_minutes,
                grace_out_minutes=row.grace_out_minutes,
                valid_from=row.valid_from,
                valid_to=row.valid_to,
            )
        )
    names = {str(i): n for i, n in db.execute(select(SHIFTS.c.id, SHIFTS.c.name)).all()}
    schedules = {code: Schedule(name, tuple(shifts)) for code, (name, shifts) in people.items()}
    return schedules, names
