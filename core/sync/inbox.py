"""The headless server applies kiosk-made changes from ``sync_inbox`` to the central tables.

Kiosks may only add inbox rows (through the push function, which stamps who sent each one);
this step runs with the owner role. Rows held for review wait; templates and photos must
open with the deployment key for the row and person they claim, PIN hashes carry the
pepper. Each row is
validated and applied in its own savepoint, and its outcome recorded on the row:

- ``applied``; ``stale`` (the central row changed later: last writer wins by the change's
  own ``updated_at``, but never later than when the server received it); ``superseded``
  (a newer change of the same row was applied, or a kiosk's seeded shift that exists
  centrally under another id);
- ``conflict`` (e.g. an employee code that belongs to someone else centrally: an
  administrator settles it, nothing crashes) and ``rejected`` (invalid, or biometric data of
  a person erased since);
- ``waiting`` (its employee or shift has not arrived yet): tried again every cycle, and
  given up as a conflict after :data:`WAIT_LIMIT`.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, RowMapping, Table, func, select, tuple_, update

from core.secrets.keys import DeploymentKeys
from core.store.limits import too_long
from core.store.tables import EMPLOYEES, SHIFT_ASSIGNMENTS, SHIFTS
from core.store.tables import SYNC_CHANGES as INBOX
from core.sync.central import CentralDatabase, lock_revisions
from core.sync.codec import PRIORITY, TABLES_BY_NAME, decode, keep_updated_at
from core.sync.errors import describe_error
from core.sync.inbox_apply import APPLY, apply_tombstone, exists
from core.sync.inbox_checks import (
    assignment_elsewhere,
    assignment_problem,
    employee_problem,
    shared_beyond_site,
    shift_problem,
    template_problem,
)
from core.sync.inbox_keys import InboxResult
from core.sync.site_admin import join_site, outside_site, sender_site

log = logging.getLogger(__name__)

WAIT_LIMIT = timedelta(days=7)
MAX_PASSES = 3

# An administrator's release of a held change (core/sync/review.py): applied as it is.
RELEASED = "released"
DOMAIN: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "employees": employee_problem,
    "shifts": shift_problem,
    "shift_assignments": assignment_problem,
    "face_templates": template_problem,
}
Clock = Callable[[], datetime]


@dataclass
class InboxReport:
    outcomes: dict[str, int] = field(default_factory=dict)
    stopped: bool = False

    def add(self, status: str) -> None:
        self.outcomes[status] = self.outcomes.get(status, 0) + 1

    @property
    def applied(self) -> int:
        return self.outcomes.get("applied", 0)

    @property
    def waiting(self) -> int:
        return self.outcomes.get("waiting", 0)


# --- one change ----------------------------------------------------------------------------


def apply_change(
    connection: Connection, row: RowMapping, keys: DeploymentKeys, now: datetime
) -> InboxResult:
    table = TABLES_BY_NAME.get(row["entity"])
    if table is None:
        return "rejected", f"unknown entity '{row['entity']}'"
    try:
        values = decode(table, json.loads(row["payload"]))
    except (ValueError, TypeError, KeyError) as exc:
        return "rejected", f"invalid payload: {exc}"
    site_id = sender_site(connection, row["sent_by"])
    problem = _unusable(table, values, row)
    if problem is None and row["operation"] not in {"upsert", "delete"}:
        problem = f"unknown operation '{row['operation']}'"
    if problem is None and row["operation"] == "upsert" and table.name in DOMAIN:
        problem = DOMAIN[table.name](values)
    if problem is None and site_id is not None:
        problem = _off_site(connection, site_id, table, values, row)
    if problem is not None:
        return "rejected", problem
    if row["operation"] == "delete":
        return _apply_delete(connection, table, row)
    shared = _shared_shift(connection, site_id, table, values, row)
    if shared is not None:
        return "held", shared
    return _apply_upsert(connection, table, values, row, keys, now, site_id)


def _shared_shift(
    connection: Connection,
    site_id: uuid.UUID | None,
    table: Table,
    values: dict[str, Any],
    row: RowMapping,
) -> str | None:
    """Why a kiosk's change of an existing shift waits for an administrator, or None (a
    kiosk with no site serves the whole company; a released change is theirs)."""
    if site_id is None or table is not SHIFTS or row["status"] == RELEASED:
        return None
    if not exists(connection, SHIFTS, values["id"]):
        return None
    return shared_beyond_site(connection, site_id, values["id"])


def _apply_upsert(  # noqa: PLR0917 (one change and where it came from)
    connection: Connection,
    table: Table,
    values: dict[str, Any],
    row: RowMapping,
    keys: DeploymentKeys,
    now: datetime,
    site_id: uuid.UUID | None,
) -> InboxResult:
    if "updated_at" in values:
        # Conflicts are ordered by when the server received a change, never by a later
        # time a kiosk claims: a clock set ahead (or a forged row) cannot win them all.
        received = row["received_at"] or now
        values["updated_at"] = min(values["updated_at"], received)
    outcome = APPLY[table.name](connection, values, keys)
    if site_id is not None and table is EMPLOYEES and outcome == ("applied", "created"):
        # Made at a door of this site: its people, so the site's other kiosks get them (and
        # this one gets them back, which is how it knows the server accepted them).
        join_site(connection, site_id, values["id"], now)
    return outcome


def _off_site(
    connection: Connection,
    site_id: uuid.UUID,
    table: Table,
    values: dict[str, Any],
    row: RowMapping,
) -> str | None:
    """Why a kiosk of ``site_id`` may not make this change (someone of another site)."""
    upsert = row["operation"] == "upsert"
    if upsert and table is SHIFT_ASSIGNMENTS:
        elsewhere = assignment_elsewhere(connection, site_id, values["id"])
        if elsewhere is not None:
            return elsewhere
    entity, about = table.name, values
    if row["operation"] == "delete":  # said as the tombstone it becomes
        kind = {"face_templates": "face_template", "shift_assignments": "shift_assignment"}
        entity = "tombstones"
        about = {"entity": kind.get(table.name, table.name), "entity_id": row["entity_id"]}
    return outside_site(connection, site_id, entity, about)


def _unusable(table: Table, values: dict[str, Any], row: RowMapping) -> str | None:
    """Why a decoded change cannot go in whatever the central rows are, or None."""
    if values["id"] != row["entity_id"]:
        return "the payload is for another row"
    if (problem := too_long(table, values)) is not None:
        # Stored by a kiosk before its entry checks knew the central limit: said here, for
        # `central status`, rather than left to the database's own refusal.
        return f"{problem}; shorten it on the kiosk that made the change"
    return None


def _apply_delete(connection: Connection, table: Table, row: RowMapping) -> InboxResult:
    """A deletion sent as such (kiosks normally send tombstones): same effect."""
    entity = {"face_templates": "face_template", "shift_assignments": "shift_assignment"}.get(
        table.name
    )
    if entity is None:
        return "rejected", f"{table.name} cannot be deleted from a kiosk"
    return apply_tombstone(
        connection,
        {
            "entity": entity,
            "entity_id": row["entity_id"],
            "at": row["created_at"],
            "kiosk_id": row["kiosk_id"],
        },
    )


# --- the pass ------------------------------------------------------------------------------


def _record(connection: Connection, row: RowMapping, outcome: InboxResult, now: datetime) -> None:
    status, detail = outcome
    if status == "waiting" and now - row["created_at"] > WAIT_LIMIT:
        status, detail = "conflict", f"gave up after {WAIT_LIMIT.days} days: {detail}"
    if status == "held":
        _hold(connection, row, detail)
        return
    applied_at = None if status == "waiting" else now
    connection.execute(
        update(INBOX)
        .where(INBOX.c.id == row["id"])
        .values(status=status, detail=detail[:1000], applied_at=applied_at)
    )
    if status == "applied":
        # Older changes of the same row that are still waiting lost to this one.
        connection.execute(
            update(INBOX)
            .where(
                INBOX.c.entity == row["entity"],
                INBOX.c.entity_id == row["entity_id"],
                INBOX.c.applied_at.is_(None),
                INBOX.c.created_at <= row["created_at"],
                INBOX.c.id != row["id"],
                # A change held for an administrator is theirs to decide, never lost.
                INBOX.c.review.is_(None),
            )
            .values(status="superseded", detail="a newer change was applied", applied_at=now)
        )


def _hold(connection: Connection, row: RowMapping, reason: str) -> None:
    """Wait for an administrator (``central review``); meanwhile every kiosk gets the
    central row back, so none keeps computing with a change nobody accepted."""
    connection.execute(
        update(INBOX)
        .where(INBOX.c.id == row["id"])
        .values(status="held", detail=reason[:1000], review=reason, applied_at=None)
    )
    if row["entity"] == SHIFTS.name:
        connection.execute(
            update(SHIFTS)
            .where(SHIFTS.c.id == row["entity_id"])
            .values(revision=None, **keep_updated_at(SHIFTS))
        )


def _apply_batch(
    central: CentralDatabase,
    after: tuple[datetime, uuid.UUID] | None,
    *,
    batch: int,
    clock: Clock,
    keys: DeploymentKeys,
    report: InboxReport,
) -> tuple[tuple[datetime, uuid.UUID] | None, int]:
    """One transaction: the next ``batch`` unapplied rows after ``after``."""
    with central.begin() as connection:
        lock_revisions(connection)
        # Rows held for review (another kiosk's id, an unregistered role: core/sync/review.py)
        # wait for an administrator.
        query = select(INBOX).where(INBOX.c.applied_at.is_(None), INBOX.c.review.is_(None))
        if after is not None:
            query = query.where(tuple_(INBOX.c.created_at, INBOX.c.id) > tuple_(*after))
        rows = (
            connection.execute(
                query.order_by(INBOX.c.created_at, INBOX.c.id)
                .limit(batch)
                .with_for_update(skip_locked=True)
            )
            .mappings()
            .all()
        )
        if not rows:
            return None, 0
        now = clock()
        applied = 0
        # Parents first within a batch (a kiosk stages a new employee and its templates
        # together); each row in a savepoint, so one bad change does not undo the others.
        for row in sorted(rows, key=lambda r: (PRIORITY.get(r["entity"], 99), r["created_at"])):
            try:
                with connection.begin_nested():
                    outcome = apply_change(connection, row, keys, now)
            except Exception as exc:  # a database refusal: keep it on the row, go on
                outcome = ("rejected", describe_error(exc))
            _record(connection, row, outcome, now)
            report.add(outcome[0])
            applied += outcome[0] == "applied"
        last = rows[-1]
        return (last["created_at"], last["id"]), applied


def apply_inbox(
    central: CentralDatabase,
    *,
    batch: int,
    clock: Clock,
    keys: DeploymentKeys,
    stop: threading.Event | None = None,
) -> InboxReport:
    """Apply every unapplied inbox row; waiting ones get another pass if others went in."""
    report = InboxReport()
    stop = stop or threading.Event()
    for _ in range(MAX_PASSES):
        after: tuple[datetime, uuid.UUID] | None = None
        applied_this_pass = 0
        waiting_before = report.waiting
        while True:
            if stop.is_set():
                report.stopped = True
                return report
            after, applied = _apply_batch(
                central, after, batch=batch, clock=clock, keys=keys, report=report
            )
            applied_this_pass += applied
            if after is None:
                break
        if not applied_this_pass or report.waiting == waiting_before:
            break
    for status, count in sorted(report.outcomes.items()):
        if status not in {"applied", "waiting"} and count:
            log.warning(
                "sync inbox: %d change(s) %s; see `python main.py central status`", count, status
            )
    return report


def inbox_summary(connection: Connection) -> dict[str, int]:
    """Rows per status (``pending`` for not yet applied), for ``central status``."""
    rows = connection.execute(
        select(INBOX.c.status, INBOX.c.applied_at.is_(None), func.count()).group_by(
            INBOX.c.status, INBOX.c.applied_at.is_(None)
        )
    ).all()
    summary: dict[str, int] = {}
    for status, unapplied, count in rows:
        key = "pending" if unapplied else str(status)
        summary[key] = summary.get(key, 0) + int(count)
    return summary


def recent_problems(connection: Connection, limit: int = 20) -> list[RowMapping]:
    return list(
        connection.execute(
            select(
                INBOX.c.kiosk_id,
                INBOX.c.entity,
                INBOX.c.entity_id,
                INBOX.c.status,
                INBOX.c.detail,
                INBOX.c.created_at,
            )
            .where(INBOX.c.status.in_(["conflict", "rejected", "waiting"]))
            .order_by(INBOX.c.created_at.desc())
            .limit(limit)
        )
        .mappings()
        .all()
    )
