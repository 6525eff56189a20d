"""The part of recording every way of recording shares: one transaction that loads what the
rules need, lets them decide and writes the record (``Recorder._record_in``), and the
transaction a lost commit is reported from (``Recorder._writing``).

``core/attendance/service.py`` (faces, PINs, the kiosk's choices) and
``core/attendance/corrections.py`` (an administrator's records and corrections) build on it.
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

from sqlalchemy.orm import Session

from core.attendance.desk import PendingPunch, PunchDesk
from core.attendance.history import employee_shifts, next_record_problem, recent_history
from core.attendance.outcomes import (
    KioskOutcome,
    NotRecorded,
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
from core.errors import RefusedError
from core.i18n import Message
from core.secrets.passwords import LockoutPolicy, describe_wait
from core.store.database import Store
from core.store.durability import StoreWriteError, after_commit
from core.store.models import AttendanceEvent, Employee

log = logging.getLogger(__name__)

METHODS = ("face", "pin", "manual")
_WHO = "asistencia_recording"  # session.info: whose record a failed commit lost

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


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


class Recorder:
    """Where records are written; see core/attendance/service.py for the whole story."""

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
