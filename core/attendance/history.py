"""What the rules are given about one person: their shifts and their recent valid records,
read from the store; and whether a record entered afterwards still lets the day follow."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from core.attendance.outcomes import kind_noun
from core.attendance.rules import Accepted, Kind, PriorRecord, ShiftSpec, first_out_of_sequence
from core.i18n import Message
from core.store.models import AttendanceCorrection, AttendanceEvent, ShiftAssignment

# Enough history for the cooldown, the previous shift day and an overnight shift.
HISTORY = timedelta(days=3)


def weekdays_from_mask(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))


def mask_from_weekdays(days: set[int] | frozenset[int]) -> int:
    return sum(1 << day for day in days)


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


def recent_history(
    session: Session, employee_id: uuid.UUID, now: datetime, *, before: bool = False
) -> list[PriorRecord]:
    """The person's valid records of the last ``HISTORY`` up to ``now``; ``before``: only
    those strictly earlier (a correction entered afterwards sees the day as it stood)."""
    query = select(
        AttendanceEvent.occurred_at, AttendanceEvent.kind, AttendanceEvent.shift_day
    ).where(
        AttendanceEvent.employee_id == employee_id,
        AttendanceEvent.occurred_at >= now - HISTORY,
        not_voided(),  # type: ignore[arg-type]
    )
    if before:
        query = query.where(AttendanceEvent.occurred_at < now)
    rows = session.execute(query.order_by(AttendanceEvent.occurred_at)).all()
    return [PriorRecord(occurred_at=at, kind=Kind(kind), shift_day=day) for at, kind, day in rows]


def next_record_problem(
    session: Session, employee_id: uuid.UUID, decision: Accepted, at: datetime, zone: ZoneInfo
) -> Message | None:
    """Why a record of ``decision`` at ``at`` would break its day: the next valid record
    of that shift day must still follow from it (an OUT inserted before another OUT would
    leave the second one closing nothing)."""
    rows = session.execute(
        select(AttendanceEvent.occurred_at, AttendanceEvent.kind)
        .where(
            AttendanceEvent.employee_id == employee_id,
            AttendanceEvent.shift_day == decision.shift_day,
            not_voided(),  # type: ignore[arg-type]
        )
        .order_by(AttendanceEvent.occurred_at)
    ).all()
    before = [Kind(kind) for when, kind in rows if when < at]
    after = [(when, Kind(kind)) for when, kind in rows if when >= at]
    if not after:
        return None
    if first_out_of_sequence([*before, decision.kind, after[0][1]]) is None:
        return None
    when, kind = after[0]
    return Message(
        "correction.breaks_day",
        next=kind_noun(kind),
        when=f"{when.astimezone(zone):%Y-%m-%d %H:%M}",
        kind=kind_noun(decision.kind),
        at=f"{at.astimezone(zone):%H:%M}",
    )
