"""A generated company in a kiosk's store: employees, their shifts, a period of records
(day and night shifts, breaks, forgotten check-outs, voided records), written straight
to the tables so that thousands of records take a moment."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

from sqlalchemy import select

from core.store.database import Store
from core.store.models import (
    AttendanceCorrection,
    AttendanceEvent,
    Employee,
    Shift,
    ShiftAssignment,
)

START = date(2026, 11, 2)  # a Monday
NOW = datetime(2026, 12, 20, tzinfo=UTC)  # every shift of the period has ended
# Names a report must write safely: accents, a formula, the CSV's separators and quotes.
NAMES = ("Ana García", '=HYPERLINK("http://x")', "O'Brien; Jr.", 'Luis "Lucho" Peña', "+34 600")
REASONS = ("wrong person", "=cmd|' /C calc'!A0", "duplicado, por error")
KINDS = (("in", 0), ("break_start", 4), ("break_end", 5), ("out", 9))


def fill(store: Store, employees: int, days: int, *, seed: int = 7, first: int = 0) -> int:
    """``employees`` people (codes ``G{first}``…, some with no record, some lower case) with
    up to 4 records a day for ``days`` days from ``START``; returns the records made."""
    rng = random.Random(seed + first)
    made = 0
    with store.write() as session:
        shifts = {s.name: s for s in session.scalars(select(Shift))}
        for index in range(first, first + employees):
            code = f"G{index:05}" if index % 7 else f"g{index:05}"  # byte order: G… before g…
            person = Employee(code=code, name=f"{NAMES[index % len(NAMES)]} {index}")
            session.add(person)
            session.flush()
            shift = list(shifts.values())[index % len(shifts)]
            session.add(ShiftAssignment(employee_id=person.id, shift_id=shift.id))
            if index % 11 == 3:
                continue  # has a shift, never came: listed with absences only
            for offset in range(days):
                day = START + timedelta(days=offset)
                if rng.random() < 0.15:
                    continue  # absent that day
                begins = datetime.combine(day, shift.start_time, UTC) - timedelta(hours=1)
                begins += timedelta(minutes=rng.randint(-20, 40))
                kinds: tuple[tuple[str, int], ...] = (
                    KINDS if rng.random() < 0.5 else (KINDS[0], KINDS[3])
                )
                if rng.random() < 0.1:
                    kinds = kinds[:-1]  # forgot to check out
                for kind, hours in kinds:
                    at = begins + timedelta(hours=hours, minutes=rng.randint(0, 9))
                    event = AttendanceEvent(
                        employee_id=person.id,
                        kiosk_id=f"kiosk-{index % 3}",
                        kind=kind,
                        occurred_at=at,
                        timezone="Europe/Madrid",
                        shift_day=day,
                        shift_id=shift.id,
                        scheduled_start=datetime.combine(day, shift.start_time, UTC),
                        late_minutes=rng.choice((0, 0, 0, 3, 12)) if kind == "in" else 0,
                        early_leave_minutes=rng.choice((0, 0, 7)) if kind == "out" else 0,
                        overtime_minutes=rng.choice((0, 0, 15)) if kind == "out" else 0,
                        method=rng.choice(("face", "face", "pin", "manual")),
                        score=rng.random() if rng.random() < 0.8 else None,
                    )
                    session.add(event)
                    made += 1
                    if rng.random() < 0.03:
                        session.flush()
                        session.add(
                            AttendanceCorrection(
                                event_id=event.id,
                                reason=rng.choice(REASONS),
                                actor="user:admin",
                                kiosk_id="kiosk-0",
                            )
                        )
            if index % 50 == 0:
                session.flush()
    return made


def end_of(days: int) -> date:
    return START + timedelta(days=days - 1)


__all__ = ["NOW", "START", "dtime", "end_of", "fill"]
