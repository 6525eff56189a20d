"""Records the central database holds for review instead of applying them silently.

The push function (migration 0003) sets ``review`` to a sentence when a row claims another
kiosk's id, comes from a role registered for no kiosk, is dated in the future of the
server's clock or longer ago than the kiosk's allowed offline period, or corrects another
kiosk's event. A held row stays out of the daily close, the reports and the inbox until an
administrator releases it (``review`` back to NULL) or rejects it for good; both are audited.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from sqlalchemy import ColumnElement, Connection, Table, func, insert, select, update

from core.errors import NotFoundError
from core.i18n import Message
from core.store.tables import AUDIT, CORRECTIONS, EVENTS
from core.store.tables import SYNC_CHANGES as INBOX
from core.store.types import utcnow
from core.sync import held_about as about
from core.sync.central import CentralDatabase

REJECTED_PREFIX = "rejected: "
REVIEWED: tuple[Table, ...] = (EVENTS, CORRECTIONS, AUDIT, INBOX)


@dataclass(frozen=True)
class Held:
    id: uuid.UUID
    kind: str  # the table it is held in (attendance_events, …)
    kiosk_id: str
    sent_by: str | None
    received_at: datetime
    review: str
    # What it is about, for a person to decide on (core/sync/held_about.py): whose record,
    # what it claims, when; ``at`` is that moment in the record's own zone (an attendance
    # event's) or the zone asked for.
    what: Message
    at: datetime


def _held(table: Table) -> ColumnElement[bool]:
    return table.c.review.is_not(None) & ~table.c.review.startswith(REJECTED_PREFIX)


def is_held(table: Table) -> ColumnElement[bool]:
    """Held for review and not rejected: what waits for an administrator's decision."""
    return _held(table)


def held_counts(connection: Connection) -> dict[str, int]:
    return {
        table.name: int(
            connection.scalar(select(func.count()).select_from(table).where(_held(table))) or 0
        )
        for table in REVIEWED
    }


def held_records(central: CentralDatabase, limit: int = 200, *, zone: tzinfo = UTC) -> list[Held]:
    """The rows waiting for a decision, oldest arrival first, each with what it is about."""
    with central.connect() as connection:
        rows = {
            table.name: connection.execute(
                select(table).where(_held(table)).order_by(table.c.received_at).limit(limit)
            ).all()
            for table in REVIEWED
        }
        corrected = about.events(connection, (r.event_id for r in rows[CORRECTIONS.name]))
        payloads = {r.id: about.payload_of(r) for r in rows[INBOX.name]}
        found = about.people(
            connection,
            [
                *(r.employee_id for r in rows[EVENTS.name]),
                *(e.employee_id for e in corrected.values()),
                *(about.employee_of_change(r, payloads[r.id]) for r in rows[INBOX.name]),
            ],
        )
    held: list[Held] = []
    for name, table_rows in rows.items():
        for r in table_rows:
            if name == EVENTS.name:
                what, at = about.about_event(r, found, zone)
            elif name == CORRECTIONS.name:
                what, at = about.about_correction(r, corrected, found, zone)
            elif name == INBOX.name:
                what, at = about.about_change(r, payloads[r.id], found, zone)
            else:
                what, at = about.about_audit(r, zone)
            held.append(Held(r.id, name, r.kiosk_id, r.sent_by, r.received_at, r.review, what, at))
    return sorted(held, key=lambda h: h.received_at)[:limit]


def decide(
    central: CentralDatabase,
    ids: Sequence[str],
    *,
    release: bool,
    reason: str,
    actor: str,
    kiosk_id: str,
) -> int:
    """Release (apply from now on) or reject held rows; one audit line per row."""
    wanted = [_uuid(value) for value in ids]
    decided = 0
    now = utcnow()
    with central.begin() as connection:
        for row_id in wanted:
            for table in REVIEWED:
                row = connection.execute(
                    select(table.c.review).where(table.c.id == row_id, _held(table))
                ).first()
                if row is None:
                    continue
                value = None if release else f"{REJECTED_PREFIX}{reason} (held: {row.review})"
                changes: dict[str, object] = {"review": value}
                if release and table.name in {"attendance_events", "attendance_corrections"}:
                    changes["synced_at"] = now  # "arrived now": the daily close reopens its day
                if not release and table.name == "sync_inbox":
                    changes.update(status="rejected", detail=value, applied_at=now)
                if release and table.name == "sync_inbox":
                    # Applied at the server's next pass as an administrator's decision: the
                    # scope rule that held it does not hold it again (core/sync/inbox.py).
                    changes.update(status="released", detail=f"released by {actor}: {reason}")
                connection.execute(update(table).where(table.c.id == row_id).values(**changes))
                connection.execute(
                    insert(AUDIT).values(
                        id=uuid.uuid4(),
                        at=now,
                        actor=actor,
                        action="central.release" if release else "central.reject",
                        target_type=table.name,
                        target_id=str(row_id),
                        details=json.dumps({"held": row.review}),
                        reason=reason,
                        kiosk_id=kiosk_id,
                        synced_at=now,
                    )
                )
                decided += 1
                break
            else:
                raise NotFoundError(Message("central.not_held", record=row_id))
    return decided


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        raise NotFoundError(Message("central.not_a_record_id", value=value)) from None
