"""An administrator's records and corrections: a record entered for someone (a forgotten
check-out, with the instant it should have had), a record's kind or time changed, a record
voided. None edits a record: the original is voided and kept, a replacement is a new manual
record, both audited with who and why, in the same transaction."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.attendance.outcomes import (
    Outcome,
    PunchChoice,
    Recorded,
)
from core.attendance.recorder import Recorder
from core.attendance.rules import (
    Kind,
)
from core.errors import NotFoundError, RefusedError, UsageError
from core.i18n import Message
from core.people.employees import get_by_code
from core.store import audit
from core.store.models import AttendanceCorrection, AttendanceEvent


def check_correction(reason: str, at: datetime, now: datetime) -> None:
    """A correction says why, and is about something that has happened."""
    if not reason.strip():
        raise RefusedError(Message("correction.no_reason"))
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("a correction's time must be timezone-aware")
    if at > now + timedelta(minutes=1):
        raise RefusedError(Message("correction.in_future"))


class Corrections(Recorder):
    """Mixed into ``AttendanceService``; the kiosk's own punches are in service.py."""

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
            check_correction(reason, at, now)
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
        check_correction(reason, at or now, now)
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
