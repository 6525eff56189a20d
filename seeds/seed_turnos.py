"""The usual shifts (turnos), so a new kiosk can assign one at once.

Each seeded shift has a ``seed_key``; it is created only when no shift carries that key, so
an administrator's edits (or deletion) of a seeded shift survive every later start-up.
"""

from __future__ import annotations

from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.store.models import Shift

MONDAY_TO_FRIDAY = 0b0011111
EVERY_DAY = 0b1111111

TURNOS = (
    ("office", "Oficina", time(9, 0), time(18, 0), MONDAY_TO_FRIDAY, 10),
    ("morning", "Mañana", time(6, 0), time(14, 0), EVERY_DAY, 5),
    ("afternoon", "Tarde", time(14, 0), time(22, 0), EVERY_DAY, 5),
    ("night", "Noche", time(22, 0), time(6, 0), EVERY_DAY, 5),
)


def seed_turnos(session: Session) -> list[str]:
    keys = set(session.scalars(select(Shift.seed_key).where(Shift.seed_key.is_not(None))))
    names = set(session.scalars(select(Shift.name)))
    created = []
    for key, name, start, end, weekdays, grace in TURNOS:
        if key in keys or name in names:
            continue
        session.add(
            Shift(
                seed_key=key,
                name=name,
                start_time=start,
                end_time=end,
                weekdays=weekdays,
                grace_in_minutes=grace,
            )
        )
        created.append(f"shift {name} {start:%H:%M}-{end:%H:%M}")
    session.flush()
    return created
