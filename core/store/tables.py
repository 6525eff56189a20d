"""Each table as a SQLAlchemy Core ``Table``, typed, defined once.

Core queries (sync, reports, the daily jobs) work on tables rather than ORM classes; a
mapped class's ``__table__`` is typed as a ``FromClause``, so the cast lives here and
nowhere else.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table

from core.store.base import Base
from core.store.models import (
    AttendanceCorrection,
    AttendanceEvent,
    AuditEntry,
    DailySummary,
    Deployment,
    Employee,
    FaceTemplate,
    KioskHeartbeat,
    KioskRole,
    PersonKeyRow,
    Shift,
    ShiftAssignment,
    Site,
    SiteEmployee,
    SyncChange,
    SyncState,
    Tombstone,
)


def table_of(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


EMPLOYEES = table_of(Employee)
FACE_TEMPLATES = table_of(FaceTemplate)
PERSON_KEYS = table_of(PersonKeyRow)
SHIFTS = table_of(Shift)
SHIFT_ASSIGNMENTS = table_of(ShiftAssignment)
EVENTS = table_of(AttendanceEvent)
CORRECTIONS = table_of(AttendanceCorrection)
AUDIT = table_of(AuditEntry)
TOMBSTONES = table_of(Tombstone)
SYNC_STATE = table_of(SyncState)
# On a kiosk, the outbox of changes waiting to be pushed; centrally, the inbox of changes
# kiosks pushed (one table, both roles).
SYNC_CHANGES = table_of(SyncChange)
SUMMARIES = table_of(DailySummary)
DEPLOYMENT = table_of(Deployment)
KIOSK_ROLES = table_of(KioskRole)
KIOSK_HEARTBEATS = table_of(KioskHeartbeat)
SITES = table_of(Site)
SITE_EMPLOYEES = table_of(SiteEmployee)
