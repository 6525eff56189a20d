"""Recording attendance: load what the rules need, let them decide, write the record.

Everything happens inside one ``BEGIN IMMEDIATE`` transaction, so two kiosk threads (or two
processes) recording the same person at once cannot both pass the cooldown check: the second
waits for the first to commit and then sees its record.

A record is "recorded" (the log line, the ``Recorded`` a caller shows) only once that commit
succeeded: on a full disk the commit is what fails. Then the caller gets StoreWriteError, a
sentence, and the log says the record was not saved.

What kind a record is (rule 3 of ``core.attendance.rules``) depends on ``punch_mode``: a
kiosk that asks gets a ``PunchChoice`` back and nothing is written until ``choose``; in
``shift`` mode the record is written at once and its person may ``change_own`` it for a
moment (a void and a replacement, like any correction). Corrections by an administrator
(``record_manual`` with a past instant, ``amend``) never edit a record: the original is
voided and kept, the replacement is a new manual record, both audited and synced.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy import select

from core.attendance.corrections import Corrections
from core.attendance.outcomes import (
    KIND_WORDS,
    KioskOutcome,
    Recorded,
)
from core.attendance.recorder import METHODS, Clock, system_clock
from core.attendance.rules import (
    Kind,
)
from core.errors import NotFoundError, RefusedError
from core.i18n import Message
from core.people.employees import get_by_code
from core.secrets.passwords import LockState, describe_wait
from core.secrets.pins import hash_pin, is_peppered, verify_pin
from core.store.models import AttendanceEvent, Employee

log = logging.getLogger(__name__)

__all__ = ["METHODS", "AttendanceService", "Clock", "system_clock"]


def _pin_state(employee: Employee) -> LockState:
    return LockState(
        employee.pin_failed_attempts, employee.pin_lockout_level, employee.pin_locked_until
    )


def _store_pin_state(employee: Employee, state: LockState) -> None:
    employee.pin_failed_attempts = state.failed_attempts
    employee.pin_lockout_level = state.lockout_level
    employee.pin_locked_until = state.locked_until


class AttendanceService(Corrections):
    """Faces, PINs and the kiosk's choices (here); an administrator's records and
    corrections (``Corrections``); the shared transaction (``Recorder``)."""

    def record_face(
        self,
        employee_id: uuid.UUID,
        score: float,
        liveness: str | None,
        now: datetime | None = None,
        *,
        ask: bool = False,
    ) -> KioskOutcome:
        """A recognised face: the recognition worker calls this once voting agrees.
        ``ask``: a person stands at a screen that can show a choice (the kiosk window)."""
        now = now or self.clock()
        with self._writing("face", str(employee_id)) as session:
            employee = session.get(Employee, employee_id)
            if employee is None:
                raise NotFoundError("the recognised person is no longer in the store")
            return self._record_in(
                session, employee, "face", now, score=score, liveness=liveness, ask=ask
            )

    def record_pin(
        self, code: str, pin: str, now: datetime | None = None, *, ask: bool = False
    ) -> KioskOutcome:
        """Employee code + PIN, from the kiosk's PIN pad or ``punch --pin``.

        A wrong PIN is counted (and can lock the PIN) in its own committed transaction, so
        the refusal itself is not rolled back with the record that was not made. A code
        that does not exist, or an employee without a PIN, gets the same answers as a
        wrong PIN (one argon2 verification, the same count and lock, kept in memory for
        unknown codes): the PIN pad does not tell who works here.
        """
        now = now or self.clock()
        code = code.strip()
        with self._writing("pin", code) as session:
            employee = session.scalar(select(Employee).where(Employee.code == code))
            state = (
                _pin_state(employee) if employee is not None else self.desk.unknown_code_state(code)
            )
            if (remaining := state.remaining(now)) is not None:
                raise RefusedError(Message("pin.locked", code=code, wait=describe_wait(remaining)))
            keys = self.store.keys
            if employee is None:
                verify_pin(keys, uuid.uuid4(), None, pin)  # the same work as a real check
                matched = False
            else:
                matched = verify_pin(keys, employee.id, employee.pin_hash, pin)
                if matched and not is_peppered(employee.pin_hash):
                    # Made before the pepper: re-hash it with it now that the PIN is known.
                    employee.pin_hash = hash_pin(keys, employee.id, pin)
                    employee.sync_pending = True
            state = state.after_success() if matched else state.after_failure(self.lockout, now)
            if employee is not None:
                _store_pin_state(employee, state)
            else:
                self.desk.set_unknown_code_state(code, state)
        if not matched:
            log.info("wrong PIN for code %s", code)
            if (locked := state.remaining(now)) is not None:
                raise RefusedError(
                    Message("pin.wrong_now_locked", code=code, wait=describe_wait(locked))
                )
            raise RefusedError(Message("pin.wrong"))
        with self._writing("pin", code) as session:
            employee = get_by_code(session, code)
            return self._record_in(session, employee, "pin", now, ask=ask)

    def choose(self, token: uuid.UUID, kind: Kind) -> Recorded:
        """The person's answer to a ``PunchChoice``: the record, at the instant they were
        recognised, of the kind they chose."""
        pending = self.desk.take(token, self.clock())
        if pending is None:
            raise RefusedError("that choice has expired; please start again")
        if kind not in pending.allowed:
            raise RefusedError(f"{KIND_WORDS[kind]} was not one of the choices")
        with self._writing(pending.method, str(pending.employee_id)) as session:
            employee = session.get(Employee, pending.employee_id)
            if employee is None:
                raise NotFoundError("the recognised person is no longer in the store")
            outcome = self._record_in(
                session,
                employee,
                pending.method,
                pending.occurred_at,
                score=pending.score,
                liveness=pending.liveness,
                kind=kind,
            )
            assert isinstance(outcome, Recorded)  # a chosen kind is recorded or refused
            return outcome

    def change_own(self, event_id: uuid.UUID, kind: Kind) -> Recorded:
        """The person who was just recorded says it was another kind ("Not right?
        Change"): the record is voided and replaced at the same instant, audited as theirs."""
        employee_id = self.desk.take_changeable(event_id, self.clock())
        if employee_id is None:
            raise RefusedError("that record can no longer be changed here; ask an administrator")
        with self._writing("face", str(employee_id)) as session:
            event = session.get(AttendanceEvent, event_id)
            if event is None or event.employee_id != employee_id:
                raise NotFoundError(Message("correction.no_record", record=event_id))
            actor = f"employee:{event.employee.code}"
            reason = f"changed at the kiosk from {KIND_WORDS[Kind(event.kind)]} by the employee"
            return self._replace(session, actor, event, reason, kind=kind, at=None)
