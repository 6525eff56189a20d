"""Staging local changes of mutable tables into the outbox (``sync_inbox`` on the kiosk).

In one local transaction every row marked ``sync_pending`` is copied, as JSON, into a new
outbox row with a fresh id, and its mark is cleared. A change made after that marks the row
again and is staged by the next cycle. Because the outbox row's id is fixed before the push,
pushing it twice (after a crash) inserts it once.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from sqlalchemy import insert, select, update

from core.store.database import Store
from core.store.tables import SYNC_CHANGES as OUTBOX
from core.sync.codec import MUTABLE_TABLES, encode, keep_updated_at

CHUNK = 500  # ids per IN (...): well under SQLite's variable limit


def stage_changes(store: Store, kiosk_id: str, now: datetime) -> int:
    """Move every pending change into the outbox; returns how many were staged.

    A chunk of rows per transaction, so a bulk enrollment does not hold the kiosk's write
    lock (and a check-in waiting behind it) for long; each row's copy and the clearing of its
    mark are still in one transaction.
    """
    staged = 0
    for table in MUTABLE_TABLES:
        while True:
            with store.write() as session:
                rows = (
                    session.execute(
                        select(table).where(table.c.sync_pending.is_(True)).limit(CHUNK)
                    )
                    .mappings()
                    .all()
                )
                if not rows:
                    break
                session.execute(
                    insert(OUTBOX),
                    [
                        {
                            "id": uuid.uuid4(),
                            "kiosk_id": kiosk_id,
                            "entity": table.name,
                            "entity_id": row["id"],
                            "operation": "upsert",
                            "payload": json.dumps(encode(table, row), separators=(",", ":")),
                            "created_at": now,
                        }
                        for row in rows
                    ],
                )
                session.execute(
                    update(table)
                    .where(table.c.id.in_([row["id"] for row in rows]))
                    .values(sync_pending=False, **keep_updated_at(table))
                )
            staged += len(rows)
    return staged
