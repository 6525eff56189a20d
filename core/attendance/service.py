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

import functools
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.attendance.desk import PendingPunch, PunchDesk
from core.attendance.history import employee_shifts, next_record_problem, recent_history
from core.attendance.outcomes import (
    KIND_WORDS,
    KioskOutcome,
    NotRecorded,
    Outcome,
    PunchChoice,
    Recorded,
    kind_noun,
)
from core.attendance.rules import (
    Accepted,
    Ignored,
    IgnoreReason,
    Kind,
    PunchMode,
    RulesConfig,
    decide,
)
from core.errors import NotFoundError, RefusedError, UsageError
from core.i18n import Message
from core.people.employees import get_by_code
from core.secrets.passwords import LockoutPolicy, LockState, describe_wait
from core.secrets.pins import hash_pin, is_peppered, verify_pin
from core.store import audit
from core.store.database import Store
from core.store.durability import StoreWriteError, after_commit
from core.store.models import AttendanceCorrection, AttendanceEvent, Employee

log = logging.getLogger(__name__)

METHODS = ("face", "pin", "manual")
_WHO = "asistencia_recording"  # session.info: whose record a failed commit lost

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def _pin_state(employee: Employee) -> LockState:
    return LockState(
        employee.pin_failed_attempts, employee.pin_lockout_level, employee.pin_locked_until
    )


def _store_pin_state(employee: Employee, state: LockState) -> None:
    employee.pin_failed_attempts = state.failed_attempts
    employee.pin_lockout_level = state.lockout_level
    employee.pin_locked_until = state.locked_until


def _ignored_message(name: str, decision: Ignored, zone: ZoneInfo) -> Message:
    if decision.reason is IgnoreReason.COOLDOWN:
        wait = describe_wait(decision.retry_after or timedelta(0))
        last = decision.last
        if last is None:
            return Message("record.cooldown", name=name, wait=wait)
        return Message(
            "record.cooldown_after",
            name=name,
            wait=wait,
            kind=kind_noun(last.kind),
            time=f"{last.occurred_at.astimezone(zone):%H:%M}",
        )
    if decision.reason is IgnoreReason.NOT_ALLOWED:
        state = decision.state.value if decision.state is not None else "unknown"
        return Message("record.not_possible", name=name, state=Message(f"day_state.{state}"))
    return Message("record.clock_behind", name=name)


def _check_correction(reason: str, at: datetime, now: datetime) -> None:
    """A correction says why, and is about something that has happened."""
    if not reason.strip():
        raise RefusedError(Message("correction.no_reason"))
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("a correction's time must be timezone-aware")
    if at > now + timedelta(minutes=1):
        raise RefusedError(Message("correction.in_future"))


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
        desk: PunchDesk | None = None,
    ) -> None:
        self.store = store
        self.kiosk_id = kiosk_id
        self.zone = zone
        self.rules = rules
        self.lockout = lockout or LockoutPolicy()
        self.clock = clock
        # Shared by every service of one process (AppContext's): choices and changes
        # outlive the service object that offered them.
        self.desk = desk or PunchDesk()

    def _record_in(
        self,
        session: Session,
        employee: Employee,
        method: str,
        now: datetime,
        *,
        score: float | None = None,
        liveness: str | None = None,
        kind: Kind | None = None,
        ask: bool = False,
        correction: bool = False,
    ) -> KioskOutcome:
        """Decide and write one record. ``ask``: a person at the kiosk may choose the kind
        (``punch_mode = ask``), so a ``PunchChoice`` comes back instead of a record when
        more than one kind is possible. ``correction``: an administrator's record at a
        past instant: no cooldown, the day as it stood then, and the day's next record
        must still follow."""
        if method not in METHODS:
            raise ValueError(f"unknown method {method!r}")
        if not employee.active:
            raise RefusedError(Message("employee.deactivated", code=employee.code))
        rules = self.rules
        if method == "manual":
            # An administrator's record without a kind is a check-in or a check-out; a
            # break is said explicitly, never guessed from the time of day.
            rules = replace(rules, punch_mode=PunchMode.TOGGLE)
        decision = decide(
            now,
            self.zone,
            employee_shifts(session, employee.id),
            recent_history(session, employee.id, now, before=correction),
            rules,
            kind=kind,
            cooldown=not correction,
        )
        if isinstance(decision, Ignored):
            last = decision.last
            why = _ignored_message(employee.name, decision, self.zone)
            outcome = NotRecorded(
                employee_code=employee.code,
                employee_name=employee.name,
                reason=decision.reason,
                retry_after=decision.retry_after,
                message=str(why),
                last_kind=last.kind if last is not None else None,
                last_local_time=last.occurred_at.astimezone(self.zone) if last else None,
                wording=why,
            )
            log.info("not recorded: %s (%s) %s", employee.code, method, decision.reason.value)
            if correction or kind is not None:
                raise RefusedError(why)
            return outcome
        if correction and (
            problem := next_record_problem(session, employee.id, decision, now, self.zone)
        ):
            raise RefusedError(problem)
        mode = self.rules.punch_mode
        if ask and kind is None and mode is PunchMode.ASK and len(decision.allowed) > 1:
            pending = PendingPunch(employee.id, method, now, decision.allowed, score, liveness)
            token = self.desk.offer(pending, self.clock())
            log.info("asked %s (%s) which record this is", employee.code, method)
            return PunchChoice(
                token,
                employee.code,
                employee.name,
                decision.allowed,
                now.astimezone(self.zone),
                method,
            )
        recorded = self._write_event(
            session, employee, decision, method, now, score=score, liveness=liveness
        )
        others = tuple(k for k in decision.allowed if k is not decision.kind)
        if ask and kind is None and mode is PunchMode.SHIFT and others:
            # The kiosk guessed: its person may say otherwise for a moment (change_own).
            self.desk.changeable(recorded.event_id, employee.id, self.clock())
            recorded = replace(recorded, alternatives=others)
        return recorded

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

    def record_manual(
        self,
        actor: str,
        code: str,
        reason: str,
        now: datetime | None = None,
        *,
        at: datetime | None = None,
        kind: Kind | None = None,
    ) -> Outcome:
        """An administrator records for someone (no face, no PIN); audited with why.

        ``at``: a record the person should have made then (a forgotten check-out), entered
        now; the day as it stood at ``at`` decides, and the day's next record must still
        follow. ``kind``: which record (None: the likely one)."""
        now = now or self.clock()
        if at is not None:
            _check_correction(reason, at, now)
        with self._writing("manual", code) as session:
            employee = get_by_code(session, code)
            instant = at or now
            outcome = self._record_in(
                session, employee, "manual", instant, kind=kind, correction=at is not None
            )
            assert not isinstance(outcome, PunchChoice)
            if isinstance(outcome, Recorded):
                details = {
                    "employee": employee.code,
                    "kind": outcome.kind.value,
                    "at": instant.isoformat(),
                }
                if at is not None:
                    details["entered_at"] = now.isoformat()
                audit.record(
                    session,
                    actor=actor,
                    action="attendance.manual",
                    target_type="attendance_event",
                    target_id=outcome.event_id,
                    details=details,
                    reason=reason,
                    kiosk_id=self.kiosk_id,
                )
            return outcome

    def amend(
        self,
        actor: str,
        event_id: uuid.UUID,
        reason: str,
        *,
        kind: Kind | None = None,
        at: datetime | None = None,
        now: datetime | None = None,
    ) -> Recorded:
        """Change a record's kind or time: the original is voided (kept, marked) and a
        manual replacement made, linked to it; both audited with who and why."""
        now = now or self.clock()
        if kind is None and at is None:
            raise UsageError(Message("correction.nothing_changes"))
        _check_correction(reason, at or now, now)
        with self._writing("manual", str(event_id)) as session:
            event = session.get(AttendanceEvent, event_id)
            if event is None:
                raise NotFoundError(Message("correction.no_record", record=event_id))
            return self._replace(session, actor, event, reason, kind=kind, at=at)

    def _replace(
        self,
        session: Session,
        actor: str,
        event: AttendanceEvent,
        reason: str,
        *,
        kind: Kind | None,
        at: datetime | None,
    ) -> Recorded:
        """Void ``event`` and record its replacement in the same transaction."""
        if session.scalar(
            select(AttendanceCorrection.id).where(AttendanceCorrection.event_id == event.id)
        ):
            raise RefusedError(Message("correction.already_voided"))
        correction = AttendanceCorrection(
            event_id=event.id, reason=reason, actor=actor, kiosk_id=self.kiosk_id
        )
        session.add(correction)
        session.flush()  # the original no longer counts for the decision below
        new_kind = kind or Kind(event.kind)
        instant = at or event.occurred_at
        method = event.method if at is None and actor.startswith("employee:") else "manual"
        outcome = self._record_in(
            session,
            event.employee,
            method,
            instant,
            score=event.score if method != "manual" else None,
            liveness=event.liveness if method != "manual" else None,
            kind=new_kind,
            correction=True,
        )
        assert isinstance(outcome, Recorded)
        correction.replacement_event_id = outcome.event_id
        audit.record(
            session,
            actor=actor,
            action="attendance.amend",
            target_type="attendance_event",
            target_id=event.id,
            details={
                "employee": event.employee.code,
                "from": {"kind": event.kind, "at": event.occurred_at.isoformat()},
                "to": {"kind": new_kind.value, "at": instant.isoformat()},
                "replacement": str(outcome.event_id),
            },
            reason=reason,
            kiosk_id=self.kiosk_id,
        )
        return outcome

    def void(self, actor: str, event_id: uuid.UUID, reason: str) -> None:
        """Correct a wrong record: it stays in the log, marked void, with who and why."""
        if not reason.strip():
            raise RefusedError(Message("correction.no_reason"))
        with self.store.write() as session:
            event = session.get(AttendanceEvent, event_id)
            if event is None:
                raise NotFoundError(Message("correction.no_record", record=event_id))
            if session.scalar(
                select(AttendanceCorrection.id).where(AttendanceCorrection.event_id == event_id)
            ):
                raise RefusedError(Message("correction.already_voided"))
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
