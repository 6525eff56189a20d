"""Roles every installation has. Idempotent: existing roles are left as they are."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.store.models import Role

ROLES = {
    "admin": "Everything: employees, enrollment, shifts, settings, corrections, exports, users",
    "supervisor": "Attendance log, corrections and exports; no settings or users",
}


def seed_roles(session: Session) -> list[str]:
    """Create missing roles; returns what was created."""
    existing = set(session.scalars(select(Role.name)))
    created = []
    for name, description in ROLES.items():
        if name not in existing:
            session.add(Role(name=name, description=description))
            created.append(f"role {name}")
    session.flush()
    return created
