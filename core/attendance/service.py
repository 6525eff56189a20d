"""Recording attendance: load what the rules need, let them decide, write the record.

Everything happens inside one ``BEGIN IMMEDIATE`` transaction, so two kiosk threads (or two
processes) recording the same person at once cannot both pass the cooldown check: the second
waits for the first to commit and then sees its record.

A record is "recorded" (the log line, the ``Recorded`` a caller shows) only once that commit
succeeded: on a full disk the commit is what fails. Then the caller gets StoreWriteError, a
sentence, and the log says the record was not saved.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from core import audit
from core.attendance.rules import (
    Accepted,
    Ignored,
    IgnoreReason,
    Kind,
    PriorRecord,
    RulesConfig,
    ShiftSpec,
    decide,
)
from core.employees import get_by_code
from core.errors import NotFoundError, RefusedError
from core.pins import hash_pin, is_peppered, verify_pin
from core.security import LockoutPolicy, LockState, describe_wait
from core.store.database import Store
from core.store.durability import StoreWriteError, after_commit
from core.store.models import AttendanceCorrection, AttendanceEvent, Employee, ShiftAssignment

log = logging.getLogger(__name__)

METHODS = ("face", "pin", "manual")
# Enough history for the cooldown, the previous shift day and an overnight shift.
HISTORY = timedelta(days=3)
_WHO = "asistencia_recording"  # session.info: whose record a failed commit lost

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def weekdays_from_mask(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))


def mask_from_weekdays(days: set[int] | frozenset[int]) -> int:
    return sum(1 << day for day in days)


@dataclass(frozen=True)
class Recorded:
    """An accepted record, with what the result card shows."""

    event_id: uuid.UUID
    employee_id: uuid.UUID
    employee_code: str
    employee_name: str
    kind: Kind
    occurred_at: datetime
    local_time: datetime
    shift_day: date
    method: str
    late_minutes: int
    early_leave_minutes: int
    overtime_minutes: int


@dataclass(frozen=True)
class NotRecorded:
    """A record the rules refused, with a sentence for people and the machine reason."""

    employee_code: str
    employee_name: str
    reason: IgnoreReason
    retry_after: timedelta | None
    message: str


Outcome = Recorded | NotRecorded


@dataclass(frozen=True)
class NotSaved:
    """A record the rules accepted but the store could not keep (its commit failed: a full
    disk, a failing one); nothing of it was saved. ``message`` is the store's sentence."""

    employee_code: str
    employee_name: str
    message: str
    disk_full: bool


def employee_shifts(session: Session, employee_id: uuid.UUID) -> list[ShiftSpec]:
    assignments = session.scalars(
        select(ShiftAssignment).where(ShiftAssignment.employee_id == employee_id)
    ).all()
    return [
        ShiftSpec(
            shift_id=str(a.shift.id),
            name=a.shift.name,
            start=a.shift.start_time,
            end=a.shift.end_time,
            weekdays=weekdays_from_mask(a.shift.weekdays),
            grace_in_minutes=a.shift.grace_in_minutes,
            grace_out_minutes=a.shift.grace_out_minutes,
            valid_from=a.valid_from,
            valid_to=a.valid_to,
        )
        for a in assignments
        if a.shift.active
    ]


def not_voided() -> object:
    return ~exists().where(AttendanceCorrection.event_id == AttendanceEvent.id)


def recent_history(session: Session, employee_id: uuid.UUID, now: datetime) -> list[PriorRecord]:
    rows = session.execute(
        select(AttendanceEvent.occurred_at, AttendanceEvent.kind, AttendanceEvent.shift_day)
        .where(
            AttendanceEvent.employee_id == employee_id,
            AttendanceEvent.occurred_at >= now - HISTORY,
            not_voided(),  # type: ignore[arg-type]
        )
        .order_by(AttendanceEvent.occurred_at)
    ).all()
    return [PriorRecord(occurred_at=at, kind=Kind(kind), shift_day=day) for at, kind, day in rows]


def _pin_state(employee: Employee) -> LockState:
    return LockState(
        employee.pin_failed_attempts, employee.pin_lockout_level, employee.pin_locked_until
    )


def _store_pin_state(employee: Employee, state: LockState) -> None:
    employee.pin_failed_attempts = state.failed_attempts
    employee.pin_lockout_level = state.lockout_level
    employee.pin_locked_until = state.locked_until


def _ignored_message(name: str, decision: Ignored) -> str:
    if decision.reason is IgnoreReason.COOLDOWN:
        wait = describe_wait(decision.retry_after or timedelta(0))
        return f"{name} was just recorded; try again in {wait} if this is a new check"
    return f"{name}: the kiosk clock is earlier than the last record; check the clock"


class AttendanceService:
    def __init__(
        self,
        store: Store,
        *,
        kiosk_id: str,
        zone: ZoneInfo,
        rules: RulesConfig,
        lockout: LockoutPolicy | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.store = store
        self.kiosk_id = kiosk_id
        self.zone = zone
        self.rules = rules
        self.lockout = lockout or LockoutPolicy()
        self.clock = clock

    def _record_in(
        self,
        session: Session,
        employee: Employee,
        method: str,
        now: datetime,
        *,
        score: float | None = None,
        liveness: str | None = None,
    ) -> Outcome:
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}")
        if not employee.active:
            raise RefusedError(f"employee '{employee.code}' is deactivated")
        decision = decide(
            now,
            self.zone,
            employee_shifts(session, employee.id),
            recent_history(session, employee.id, now),
            self.rules,
        )
        if isinstance(decision, Ignored):
            outcome = NotRecorded(
                employee_code=employee.code,
                employee_name=employee.name,
                reason=decision.reason,
                retry_after=decision.retry_after,
                message=_ignored_message(employee.name, decision),
            )
            log.info("not recorded: %s (%s) %s", employee.code, method, decision.reason.value)
            return outcome
        return self._write_event(
            session, employee, decision, method, now, score=score, liveness=liveness
        )

    def _write_event(
        self,
        session: Session,
        employee: Employee,
        decision: Accepted,
        method: str,
        now: datetime,
        *,
        score: float | None,
        liveness: str | None,
    ) -> Recorded:
        event = AttendanceEvent(
            employee_id=employee.id,
            kiosk_id=self.kiosk_id,
            kind=decision.kind.value,
            occurred_at=now,
            timezone=self.zone.key,
            shift_day=decision.shift_day,
            shift_id=uuid.UUID(decision.shift_id) if decision.shift_id else None,
            scheduled_start=decision.scheduled_start,
            scheduled_end=decision.scheduled_end,
            late_minutes=decision.late_minutes,
            early_leave_minutes=decision.early_leave_minutes,
            overtime_minutes=decision.overtime_minutes,
            method=method,
            score=score,
            liveness=liveness,
        )
        session.add(event)
        session.flush()
        session.info[_WHO] = employee.code
        # Said once the disk has it: flushed is not committed (a full disk fails the commit).
        after_commit(
            session,
            functools.partial(
                log.info,
                "recorded %s %s for %s by %s (score %s, late %d min)",
                decision.kind.value,
                event.id,
                employee.code,
                method,
                "-" if score is None else f"{score:.3f}",
                decision.late_minutes,
            ),
        )
        return Recorded(
            event_id=event.id,
            employee_id=employee.id,
            employee_code=employee.code,
            employee_name=employee.name,
            kind=decision.kind,
            occurred_at=now,
            local_time=now.astimezone(self.zone),
            shift_day=decision.shift_day,
            method=method,
            late_minutes=decision.late_minutes,
            early_leave_minutes=decision.early_leave_minutes,
            overtime_minutes=decision.overtime_minutes,
        )

    @contextmanager
    def _writing(self, method: str, who: str) -> Iterator[Session]:
        """A record's transaction: one the disk could not keep is logged as not recorded
        (with the employee's code once it is known) and raised, a sentence, to the caller."""
        session: Session | None = None
        try:
            with self.store.write() as session:
                yield session
        except StoreWriteError as exc:
            lost = session.info.get(_WHO, who) if session is not None else who
            log.error("not recorded: %s by %s: %s", lost, method, exc)
            raise

    def record_face(
        self,
        employee_id: uuid.UUID,
        score: float,
        liveness: str | None,
        now: datetime | None = None,
    ) -> Outcome:
        """A recognised face: the recognition worker calls this once voting agrees."""
        now = now or self.clock()
        with self._writing("face", str(employee_id)) as session:
            employee = session.get(Employee, employee_id)
            if employee is None:
                raise NotFoundError("the recognised person is no longer in the store")
            return self._record_in(session, employee, "face", now, score=score, liveness=liveness)

    def record_pin(self, code: str, pin: str, now: datetime | None = None) -> Outcome:
        """Employee code + PIN, from the kiosk's PIN pad or ``punch --pin``.

        A wrong PIN is counted (and can lock the PIN) in its own committed transaction, so
        the refusal itself is not rolled back with the record that was not made.
        """
        now = now or self.clock()
        with self._writing("pin", code) as session:
            employee = get_by_code(session, code)
            state = _pin_state(employee)
            if (remaining := state.remaining(now)) is not None:
                raise RefusedError(
                    f"too many wrong PINs for '{employee.code}'; "
                    f"try again in {describe_wait(remaining)}"
                )
            if employee.pin_hash is None:
                raise RefusedError(
                    f"employee '{employee.code}' has no PIN; an administrator can set one"
                )
            keys = self.store.keys
            matched = verify_pin(keys, employee.id, employee.pin_hash, pin)
            if matched and not is_peppered(employee.pin_hash):
                # Made before the pepper: re-hash it with it now that the PIN is known.
                employee.pin_hash = hash_pin(keys, employee.id, pin)
                employee.sync_pending = True
            state = state.after_success() if matched else state.after_failure(self.lockout, now)
            _store_pin_state(employee, state)
        if not matched:
            log.info("wrong PIN for employee %s", code)
            if (locked := state.remaining(now)) is not None:
                raise RefusedError(f"wrong PIN; '{code}' is locked for {describe_wait(locked)}")
            raise RefusedError("wrong PIN")
        with self._writing("pin", code) as session:
            employee = get_by_code(session, code)
            return self._record_in(session, employee, "pin", now)

    def record_manual(
        self, actor: str, code: str, reason: str, now: datetime | None = None
    ) -> Outcome:
        """An administrator records for someone (no face, no PIN); audited with why."""
        now = now or self.clock()
        with self._writing("manual", code) as session:
            employee = get_by_code(session, code)
            outcome = self._record_in(session, employee, "manual", now)
            if isinstance(outcome, Recorded):
                audit.record(
                    session,
                    actor=actor,
                    action="attendance.manual",
                    target_type="attendance_event",
                    target_id=outcome.event_id,
                    details={
                        "employee": employee.code,
                        "kind": outcome.kind.value,
                        "at": now.isoformat(),
                    },
                    reason=reason,
                    kiosk_id=self.kiosk_id,
                )
            return outcome

    def void(self, actor: str, event_id: uuid.UUID, reason: str) -> None:
        """Correct a wrong record: it stays in the log, marked void, with who and why."""
        if not reason.strip():
            raise RefusedError("a correction needs a reason")
        with self.store.write() as session:
            event = session.get(AttendanceEvent, event_id)
            if event is None:
                raise NotFoundError(f"no attendance record {event_id}")
            if session.scalar(
                select(AttendanceCorrection.id).where(AttendanceCorrection.event_id == event_id)
            ):
                raise RefusedError("that record is already voided")
            session.add(
                AttendanceCorrection(
                    event_id=event_id, reason=reason, actor=actor, kiosk_id=self.kiosk_id
                )
            )
            audit.record(
                session,
                actor=actor,
                action="attendance.void",
                target_type="attendance_event",
                target_id=event_id,
                details={
                    "employee": event.employee.code,
                    "kind": event.kind,
                    "at": event.occurred_at.isoformat(),
                },
                reason=reason,
                kiosk_id=self.kiosk_id,
            )
