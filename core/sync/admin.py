"""Central administrative actions: erasure, status. Run with the owner's URL."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select

from core.errors import NotFoundError, UsageError
from core.secrets.keys import DeploymentKeys
from core.store.audit import cli_actor
from core.store.tables import AUDIT, EMPLOYEES, EVENTS, FACE_TEMPLATES
from core.store.types import utcnow
from core.sync.central import CentralDatabase, lock_revisions
from core.sync.codec import MUTABLE_TABLES
from core.sync.erasure import erase_centrally
from core.sync.inbox import inbox_summary, recent_problems
from core.sync.review import held_counts

CENTRAL_KIOSK_ID = "central"


def erase_biometrics(
    central: CentralDatabase,
    code: str,
    reason: str,
    *,
    keys: DeploymentKeys,
    actor: str | None = None,
    now: datetime | None = None,
) -> int:
    """Erase a person's templates, photo and keys centrally, with a tombstone for every kiosk.

    One transaction: the deletion, the data key's next epoch (every other key wrapped again,
    ``keys`` being the deployment's), ``biometrics_erased_at``, the tombstone and the audit
    line commit together or not at all. Returns the number of templates deleted.
    """
    if not reason.strip():
        raise UsageError("erasing biometric data needs a reason (--reason)")
    now = now or utcnow()
    with central.begin() as connection:
        lock_revisions(connection)
        employee_id = connection.scalar(
            select(EMPLOYEES.c.id).where(EMPLOYEES.c.code == code.strip())
        )
        if employee_id is None:
            raise NotFoundError(f"no employee with code '{code.strip()}' in the central database")
        removed = erase_centrally(
            connection, employee_id, now, kiosk_id=CENTRAL_KIOSK_ID, keys=keys
        )
        connection.execute(
            insert(AUDIT).values(
                id=uuid.uuid4(),
                at=now,
                actor=actor or cli_actor(),
                action="employee.erase_biometrics",
                target_type="employee",
                target_id=code.strip(),
                details=json.dumps({"templates": removed, "where": "central"}),
                reason=reason,
                kiosk_id=CENTRAL_KIOSK_ID,
                synced_at=now,
            )
        )
    return removed


@dataclass
class CentralStatus:
    revision: str | None
    employees: int = 0
    templates: int = 0
    events: int = 0
    inbox: dict[str, int] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)
    cursors: dict[str, int] = field(default_factory=dict)  # highest revision per table
    held: dict[str, int] = field(default_factory=dict)  # rows held for review, per table
    large_objects_open: bool = False  # kiosk logins may create large objects (no superuser)


def central_status(central: CentralDatabase) -> CentralStatus:

    from core.sync.roles import large_objects_forbidden

    status = CentralStatus(revision=central.schema_revision())
    with central.connect() as connection:
        status.employees = int(connection.scalar(select(func.count()).select_from(EMPLOYEES)) or 0)
        status.templates = int(
            connection.scalar(select(func.count()).select_from(FACE_TEMPLATES)) or 0
        )
        status.events = int(connection.scalar(select(func.count()).select_from(EVENTS)) or 0)
        status.inbox = inbox_summary(connection)
        status.problems = [dict(row) for row in recent_problems(connection)]
        status.held = held_counts(connection)
        status.large_objects_open = not large_objects_forbidden(connection)
        for table in MUTABLE_TABLES:
            status.cursors[table.name] = int(
                connection.scalar(select(func.coalesce(func.max(table.c.revision), 0))) or 0
            )
    return status
