"""Employees: create, edit, deactivate, PINs, shift assignments and biometric erasure.

Every change is audited in the same transaction as the change itself, so the log can never
miss an action that happened nor record one that did not.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import CursorResult, delete, func, or_, select
from sqlalchemy.orm import Session

from core.errors import NotFoundError, RefusedError, UsageError
from core.i18n import Message
from core.people.identifiers import EMPLOYEE_CODE, EMPLOYEE_NAME, check_printable
from core.secrets.passwords import pin_problem
from core.secrets.pins import hash_pin
from core.store import audit
from core.store.backups import forget
from core.store.database import Store
from core.store.limits import max_length
from core.store.models import (
    Employee,
    FaceTemplate,
    Shift,
    ShiftAssignment,
    Tombstone,
    new_id,
)
from core.store.person_keys import forget_keys, scrub_outbox
from core.store.types import utcnow

# The central columns' limits (core/store/limits.py): a kiosk never stores what the central
# database would refuse, which would strand the person's records there.
MAX_CODE_LENGTH = max_length(Employee.code)
MAX_NAME_LENGTH = max_length(Employee.name)


@dataclass(frozen=True)
class EmployeeView:
    """What lists and screens show; never the PIN hash or the face data."""

    id: uuid.UUID
    code: str
    name: str
    active: bool
    has_pin: bool
    templates: int
    consent: bool
    shifts: tuple[str, ...]


def normalise_code(code: str) -> str:
    code = check_printable(code.strip(), EMPLOYEE_CODE)
    if not code or len(code) > MAX_CODE_LENGTH or any(c.isspace() for c in code):
        raise UsageError(f"an employee code is 1 to {MAX_CODE_LENGTH} characters without spaces")
    return code


def normalise_name(name: str) -> str:
    """One space between words; refused empty, longer than the central column, or with a
    character that cannot be shown (a newline is refused, not made a space)."""
    name = " ".join(check_printable(name.strip(), EMPLOYEE_NAME).split())
    if not name:
        raise UsageError("an employee needs a name")
    if len(name) > MAX_NAME_LENGTH:
        raise UsageError(
            f"an employee's name is at most {MAX_NAME_LENGTH} characters (this one has "
            f"{len(name)}); shorten it"
        )
    return name


def get_by_code(session: Session, code: str) -> Employee:
    employee = session.scalar(select(Employee).where(Employee.code == code.strip()))
    if employee is None:
        raise NotFoundError(Message("employee.unknown_code", code=code.strip()))
    return employee


def _view(session: Session, employee: Employee) -> EmployeeView:
    templates = session.scalar(
        select(func.count())
        .select_from(FaceTemplate)
        .where(FaceTemplate.employee_id == employee.id)
    )
    shift_names = session.scalars(
        select(Shift.name)
        .join(ShiftAssignment, ShiftAssignment.shift_id == Shift.id)
        .where(ShiftAssignment.employee_id == employee.id)
        .order_by(Shift.name)
    ).all()
    return EmployeeView(
        id=employee.id,
        code=employee.code,
        name=employee.name,
        active=employee.active,
        has_pin=employee.pin_hash is not None,
        templates=templates or 0,
        consent=employee.consent_at is not None,
        shifts=tuple(shift_names),
    )


class EmployeeService:
    def __init__(self, store: Store, kiosk_id: str) -> None:
        self.store = store
        self.kiosk_id = kiosk_id

    def _audit(
        self, session: Session, actor: str, action: str, employee: Employee, **kw: object
    ) -> None:
        reason = str(kw.pop("reason", ""))
        audit.record(
            session,
            actor=actor,
            action=action,
            target_type="employee",
            target_id=employee.code,
            details=kw,
            reason=reason,
            kiosk_id=self.kiosk_id,
        )

    def add(self, actor: str, code: str, name: str, pin: str | None = None) -> EmployeeView:
        code = normalise_code(code)
        name = normalise_name(name)
        if pin is not None and (problem := pin_problem(pin)):
            raise UsageError(problem)
        with self.store.write() as session:
            if session.scalar(select(Employee.id).where(Employee.code == code)) is not None:
                raise RefusedError(f"an employee with code '{code}' already exists")
            employee_id = new_id()
            employee = Employee(
                id=employee_id,
                code=code,
                name=name,
                pin_hash=hash_pin(self.store.keys, employee_id, pin) if pin else None,
            )
            session.add(employee)
            session.flush()
            self._audit(
                session, actor, "employee.add", employee, name=name, with_pin=pin is not None
            )
            return _view(session, employee)

    def update(
        self, actor: str, code: str, *, name: str | None = None, new_code: str | None = None
    ) -> EmployeeView:
        with self.store.write() as session:
            employee = get_by_code(session, code)
            changes: dict[str, object] = {}
            if name is not None and " ".join(name.split()) != employee.name:
                clean = normalise_name(name)
                changes["name"] = [employee.name, clean]
                employee.name = clean
            if new_code is not None and normalise_code(new_code) != employee.code:
                target = normalise_code(new_code)
                if session.scalar(select(Employee.id).where(Employee.code == target)) is not None:
                    raise RefusedError(f"an employee with code '{target}' already exists")
                changes["code"] = [employee.code, target]
                employee.code = target
            if changes:
                employee.sync_pending = True
                self._audit(session, actor, "employee.update", employee, **changes)
            return _view(session, employee)

    def set_pin(self, actor: str, code: str, pin: str | None) -> None:
        """Set or (with None) remove an employee's PIN; clears any PIN lock."""
        if pin is not None and (problem := pin_problem(pin)):
            raise UsageError(problem)
        with self.store.write() as session:
            employee = get_by_code(session, code)
            employee.pin_hash = hash_pin(self.store.keys, employee.id, pin) if pin else None
            employee.pin_failed_attempts = 0
            employee.pin_lockout_level = 0
            employee.pin_locked_until = None
            employee.sync_pending = True
            self._audit(
                session, actor, "employee.set_pin" if pin else "employee.clear_pin", employee
            )

    def set_active(self, actor: str, code: str, active: bool, reason: str) -> EmployeeView:
        with self.store.write() as session:
            employee = get_by_code(session, code)
            if employee.active != active:
                employee.active = active
                employee.sync_pending = True
                action = "employee.reactivate" if active else "employee.deactivate"
                self._audit(session, actor, action, employee, reason=reason)
            return _view(session, employee)

    def erase_biometrics(self, actor: str, code: str, reason: str) -> int:
        """Delete every face template and the enrollment photo; returns templates removed.

        A tombstone travels to the central database and to the other kiosks, so the person
        stops being recognised everywhere. Attendance records are not biometric and stay.
        """
        if not reason.strip():
            raise UsageError("erasing biometric data needs a reason (--reason)")
        with self.store.write() as session:
            employee = get_by_code(session, code)
            result = session.execute(
                delete(FaceTemplate).where(FaceTemplate.employee_id == employee.id)
            )
            removed = result.rowcount if isinstance(result, CursorResult) else 0
            # Their keys too: a copy of a face left anywhere (the outbox, a backup) is shredded.
            forget_keys(session, employee.id)
            scrub_outbox(session, employee.id)
            employee.photo_jpeg = None
            employee.consent_at = None
            employee.biometrics_erased_at = utcnow()
            employee.sync_pending = True
            # One tombstone per person: a second erasure renews it so it travels again.
            tombstone = session.scalar(
                select(Tombstone).where(
                    Tombstone.entity == "employee_biometrics",
                    Tombstone.entity_id == employee.id,
                    Tombstone.action == "erase",
                )
            )
            if tombstone is None:
                session.add(
                    Tombstone(
                        entity="employee_biometrics", entity_id=employee.id, kiosk_id=self.kiosk_id
                    )
                )
            else:
                tombstone.at = utcnow()
                tombstone.kiosk_id = self.kiosk_id
                tombstone.sync_pending = True
            self._audit(
                session,
                actor,
                "employee.erase_biometrics",
                employee,
                templates=removed,
                reason=reason,
            )
            erased_id = employee.id
        forget(self.store, [erased_id])
        return int(removed or 0)

    def assign_shift(
        self,
        actor: str,
        code: str,
        shift_name: str,
        valid_from: date | None = None,
        valid_to: date | None = None,
    ) -> None:
        if valid_from and valid_to and valid_to < valid_from:
            raise UsageError("the assignment ends before it starts")
        with self.store.write() as session:
            employee = get_by_code(session, code)
            shift = session.scalar(
                select(Shift).where(func.lower(Shift.name) == shift_name.strip().lower())
            )
            if shift is None:
                raise NotFoundError(f"no shift named '{shift_name}'")
            session.add(
                ShiftAssignment(
                    employee_id=employee.id,
                    shift_id=shift.id,
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
            )
            self._audit(
                session,
                actor,
                "employee.assign_shift",
                employee,
                shift=shift.name,
                valid_from=valid_from,
                valid_to=valid_to,
            )

    def unassign_shift(self, actor: str, code: str, shift_name: str) -> int:
        """Remove an employee's assignments to a shift; each leaves a tombstone for sync."""
        with self.store.write() as session:
            employee = get_by_code(session, code)
            assignments = session.scalars(
                select(ShiftAssignment)
                .join(Shift, Shift.id == ShiftAssignment.shift_id)
                .where(
                    ShiftAssignment.employee_id == employee.id,
                    func.lower(Shift.name) == shift_name.strip().lower(),
                )
            ).all()
            for assignment in assignments:
                session.add(
                    Tombstone(
                        entity="shift_assignment", entity_id=assignment.id, kiosk_id=self.kiosk_id
                    )
                )
                session.delete(assignment)
            if assignments:
                self._audit(session, actor, "employee.unassign_shift", employee, shift=shift_name)
            return len(assignments)

    def list(self, include_inactive: bool = False, search: str = "") -> list[EmployeeView]:
        with self.store.read() as session:
            query = select(Employee).order_by(Employee.code)
            if not include_inactive:
                query = query.where(Employee.active.is_(True))
            if search.strip():
                pattern = f"%{search.strip().lower()}%"
                query = query.where(
                    or_(
                        func.lower(Employee.name).like(pattern),
                        func.lower(Employee.code).like(pattern),
                    )
                )
            return [_view(session, e) for e in session.scalars(query)]

    def get(self, code: str) -> EmployeeView:
        with self.store.read() as session:
            return _view(session, get_by_code(session, code))
