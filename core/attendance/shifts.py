"""Shifts (turnos): list, create, edit, and who works them. Every change is audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlalchemy import func, select

from core.attendance.history import mask_from_weekdays, weekdays_from_mask
from core.errors import NotFoundError, RefusedError, UsageError
from core.people.identifiers import SHIFT_NAME, check_printable
from core.store import audit
from core.store.database import Store
from core.store.limits import max_length
from core.store.models import Employee, Shift, ShiftAssignment

# The central column's limit (core/store/limits.py).
MAX_SHIFT_NAME_LENGTH = max_length(Shift.name)


@dataclass(frozen=True)
class ShiftRow:
    id: uuid.UUID
    name: str
    start: time
    end: time
    weekdays: frozenset[int]
    grace_in: int
    grace_out: int
    active: bool
    members: int


@dataclass(frozen=True)
class ShiftInput:
    name: str
    start: time
    end: time
    weekdays: frozenset[int]
    grace_in: int = 5
    grace_out: int = 0
    active: bool = True


def list_shifts(store: Store) -> list[ShiftRow]:
    with store.read() as session:
        members = dict(
            session.execute(
                select(ShiftAssignment.shift_id, func.count()).group_by(ShiftAssignment.shift_id)
            ).all()
        )
        return [
            ShiftRow(
                id=s.id,
                name=s.name,
                start=s.start_time,
                end=s.end_time,
                weekdays=weekdays_from_mask(s.weekdays),
                grace_in=s.grace_in_minutes,
                grace_out=s.grace_out_minutes,
                active=s.active,
                members=int(members.get(s.id, 0)),
            )
            for s in session.scalars(select(Shift).order_by(Shift.start_time, Shift.name))
        ]


def check_shift(data: ShiftInput) -> str:
    """The name as stored; a UsageError for a value the shift cannot have."""
    name = " ".join(check_printable(data.name.strip(), SHIFT_NAME).split())
    if not name or len(name) > MAX_SHIFT_NAME_LENGTH:
        raise UsageError(f"a shift needs a name of 1 to {MAX_SHIFT_NAME_LENGTH} characters")
    if data.start == data.end:
        raise UsageError("a shift cannot start and end at the same time")
    if not data.weekdays:
        raise UsageError("a shift needs at least one day")
    if not (0 <= data.grace_in <= 240 and 0 <= data.grace_out <= 240):
        raise UsageError("grace minutes are 0 to 240")
    return name


def save_shift(
    store: Store, actor: str, kiosk_id: str, shift_id: uuid.UUID | None, data: ShiftInput
) -> None:
    """Create (``shift_id`` None) or edit a shift; audited as the CLI's ``shift.add``."""
    name = check_shift(data)
    details: dict[str, Any] = {
        "start": data.start,
        "end": data.end,
        "days": sorted(data.weekdays),
        "grace_in": data.grace_in,
        "grace_out": data.grace_out,
        "active": data.active,
    }
    with store.write() as session:
        clash = session.scalar(select(Shift.id).where(func.lower(Shift.name) == name.lower()))
        if clash is not None and clash != shift_id:
            raise RefusedError(f"a shift named '{name}' already exists")
        if shift_id is None:
            shift = Shift(name=name)
            session.add(shift)
            action = "shift.add"
        else:
            found = session.get(Shift, shift_id)
            if found is None:
                raise NotFoundError(f"no shift named '{name}'")
            shift = found
            action = "shift.update"
            if shift.name != name:
                details["name"] = [shift.name, name]
        shift.name = name
        shift.start_time = data.start
        shift.end_time = data.end
        shift.weekdays = mask_from_weekdays(data.weekdays)
        shift.grace_in_minutes = data.grace_in
        shift.grace_out_minutes = data.grace_out
        shift.active = data.active
        shift.sync_pending = True
        audit.record(
            session,
            actor=actor,
            action=action,
            target_type="shift",
            target_id=name,
            kiosk_id=kiosk_id,
            details=details,
        )


def shift_members(store: Store, shift_id: uuid.UUID) -> list[tuple[str, str]]:
    """(code, name) of the employees assigned to a shift."""
    with store.read() as session:
        rows = session.execute(
            select(Employee.code, Employee.name)
            .join(ShiftAssignment, ShiftAssignment.employee_id == Employee.id)
            .where(ShiftAssignment.shift_id == shift_id)
            .order_by(Employee.code)
            .distinct()
        ).all()
        return [(code, name) for code, name in rows]
