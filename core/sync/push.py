"""Push: local rows go up in batches, each one central transaction.

Every batch is ``INSERT … ON CONFLICT (id) DO NOTHING`` in one central transaction; the local
rows are marked synced only after that commit. A crash between the two repeats the batch,
and the repeat inserts nothing new: never lost, never doubled.

Order: the outbox (kiosk-made employees, templates, shifts, assignments, tombstones) first,
then attendance events, corrections and audit lines. An event whose employee the central
database does not know yet (made on this kiosk, still in the server's inbox) is held back
until the headless server has applied that employee; its correction waits with it.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, Table, func, select, text, update

from core.store.database import Store
from core.store.tables import AUDIT, CORRECTIONS, EVENTS
from core.store.tables import SYNC_CHANGES as OUTBOX
from core.sync.central import CentralDatabase

APPEND_ONLY: tuple[Table, ...] = (EVENTS, CORRECTIONS, AUDIT)
# What a kiosk sends of an outbox row; the rest is the server's bookkeeping.
OUTBOX_COLUMNS = ("id", "kiosk_id", "entity", "entity_id", "operation", "payload", "created_at")
# Set by the server's push function, whatever a kiosk sends.
SERVER_COLUMNS = frozenset({"sent_by", "received_at", "review", "verified_at", "claimed"})
CHUNK = 500

Clock = Callable[[], datetime]


@dataclass
class PushReport:
    pushed: dict[str, int] = field(default_factory=dict)
    held_back: int = 0  # events (and their corrections) waiting for their employee centrally
    stopped: bool = False

    def add(self, table: str, count: int) -> None:
        self.pushed[table] = self.pushed.get(table, 0) + count


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _json_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _insert_central(central: CentralDatabase, table: Table, rows: list[dict[str, Any]]) -> None:
    """Through the server's push function: the kiosk role has no INSERT (nor SELECT) on the
    pushed tables; the function inserts ON CONFLICT (id) DO NOTHING, stamps the sender and
    the arrival, and holds for review what does not add up (migration 0003)."""
    with central.begin() as connection:
        # The function takes at most 1,000 rows a call (migration 0007); a batch of any size
        # goes in calls of CHUNK, in one transaction.
        for part in _chunks(rows):
            payload = json.dumps(
                [
                    {k: _json_value(v) for k, v in row.items() if k not in SERVER_COLUMNS}
                    for row in part
                ]
            )
            connection.execute(
                text("SELECT asistencia_push(:kind, CAST(:rows AS jsonb))"),
                {"kind": table.name, "rows": payload},
            )


def _mark_synced(store: Store, table: Table, ids: Sequence[uuid.UUID], now: datetime) -> None:
    with store.write() as session:
        for part in _chunks(ids):
            session.execute(update(table).where(table.c.id.in_(part)).values(synced_at=now))


def _send(
    store: Store,
    central: CentralDatabase,
    table: Table,
    rows: Sequence[Any],
    clock: Clock,
    *,
    columns: Sequence[str] | None = None,
) -> int:
    """One batch: central commit, then the local mark."""
    now = clock()
    names = columns or [c.name for c in table.columns]
    payload = [{name: row[name] for name in names} for row in rows]
    # Centrally, synced_at is when the row arrived (the daily close uses it): the push
    # function sets it from the server's clock.
    _insert_central(central, table, payload)
    _mark_synced(store, table, [row["id"] for row in rows], now)
    return len(rows)


def _push_in_batches(
    store: Store,
    central: CentralDatabase,
    table: Table,
    query: Select[Any],
    *,
    batch: int,
    clock: Clock,
    stop: threading.Event,
    columns: Sequence[str] | None = None,
) -> PushReport:
    """Send what ``query`` selects (rows not yet synced, oldest first) batch by batch, until
    nothing is left or a stop is asked for (then between two batches)."""
    report = PushReport()
    while not stop.is_set():
        with store.read() as session:
            rows = session.execute(query.limit(batch)).mappings().all()
        if not rows:
            return report
        report.add(table.name, _send(store, central, table, rows, clock, columns=columns))
    report.stopped = True
    return report


def push_outbox(
    store: Store, central: CentralDatabase, batch: int, clock: Clock, stop: threading.Event
) -> PushReport:
    query = (
        select(OUTBOX)
        .where(OUTBOX.c.synced_at.is_(None))
        .order_by(OUTBOX.c.created_at, OUTBOX.c.id)
    )
    return _push_in_batches(
        store, central, OUTBOX, query, batch=batch, clock=clock, stop=stop, columns=OUTBOX_COLUMNS
    )


def _known_centrally(central: CentralDatabase, ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Through the server's function, not a SELECT: a kiosk with a site sees only its
    members, and a record of someone who has since left the site must still go up."""
    from core.sync.sites import known_employees

    found: set[uuid.UUID] = set()
    with central.connect() as connection:
        for part in _chunks(sorted(ids)):
            found.update(known_employees(connection, list(part)))
    return found


def push_events(
    store: Store, central: CentralDatabase, batch: int, clock: Clock, stop: threading.Event
) -> PushReport:
    report = PushReport()
    known: set[uuid.UUID] = set()
    held: set[uuid.UUID] = set()
    while not stop.is_set():
        query = select(EVENTS).where(EVENTS.c.synced_at.is_(None))
        if held:
            query = query.where(EVENTS.c.employee_id.not_in(held))
        with store.read() as session:
            rows = (
                session.execute(query.order_by(EVENTS.c.created_at, EVENTS.c.id).limit(batch))
                .mappings()
                .all()
            )
        if not rows:
            break
        unknown = {row["employee_id"] for row in rows} - known - held
        if unknown:
            found = _known_centrally(central, unknown)
            known |= found
            held |= unknown - found
        ready = [row for row in rows if row["employee_id"] in known]
        if ready:
            report.add(EVENTS.name, _send(store, central, EVENTS, ready, clock))
    else:
        report.stopped = True
    if held:
        with store.read() as session:
            report.held_back = int(
                session.scalar(
                    select(func.count())
                    .select_from(EVENTS)
                    .where(EVENTS.c.synced_at.is_(None), EVENTS.c.employee_id.in_(held))
                )
                or 0
            )
    return report


def push_corrections(
    store: Store, central: CentralDatabase, batch: int, clock: Clock, stop: threading.Event
) -> PushReport:
    """Corrections of events that are already central (the foreign key needs the event)."""
    query = (
        select(CORRECTIONS)
        .join(EVENTS, EVENTS.c.id == CORRECTIONS.c.event_id)
        .where(CORRECTIONS.c.synced_at.is_(None), EVENTS.c.synced_at.is_not(None))
        .order_by(CORRECTIONS.c.at, CORRECTIONS.c.id)
    )
    return _push_in_batches(store, central, CORRECTIONS, query, batch=batch, clock=clock, stop=stop)


def push_audit(
    store: Store, central: CentralDatabase, batch: int, clock: Clock, stop: threading.Event
) -> PushReport:
    query = select(AUDIT).where(AUDIT.c.synced_at.is_(None)).order_by(AUDIT.c.at, AUDIT.c.id)
    return _push_in_batches(store, central, AUDIT, query, batch=batch, clock=clock, stop=stop)


def push_all(
    store: Store, central: CentralDatabase, batch: int, clock: Clock, stop: threading.Event
) -> PushReport:
    total = PushReport()
    for step in (push_outbox, push_events, push_corrections, push_audit):
        part = step(store, central, batch, clock, stop)
        for table, count in part.pushed.items():
            total.add(table, count)
        total.held_back += part.held_back
        if part.stopped:
            total.stopped = True
            break
    return total


def pending_counts(store: Store) -> dict[str, int]:
    """Local rows still to push, per table (cheap: every predicate is indexed)."""
    from core.sync.codec import MUTABLE_TABLES

    counts: dict[str, int] = {}
    with store.read() as session:
        for table in (*APPEND_ONLY, OUTBOX):
            counts[table.name] = int(
                session.scalar(
                    select(func.count()).select_from(table).where(table.c.synced_at.is_(None))
                )
                or 0
            )
        for table in MUTABLE_TABLES:
            counts[table.name] = int(
                session.scalar(
                    select(func.count()).select_from(table).where(table.c.sync_pending.is_(True))
                )
                or 0
            )
    return counts
