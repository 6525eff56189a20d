"""Erasure reaches the backups too: a person's faces leave every copy of the database.

``migrate`` keeps the last few copies of the SQLite file (core/store/migrate.py); without
this, an erased person's templates and photo (sealed, but the key is on the same disk)
would live on in them until they were pruned. Each copy is opened, the person's rows are
deleted with ``secure_delete`` on and the file is vacuumed, so no page keeps the bytes.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.store.database import Store

log = logging.getLogger(__name__)


def forget(store: Store, employee_ids: Collection[uuid.UUID]) -> None:
    """After an erasure committed: no copy of those faces may stay anywhere on disk.

    ``secure_delete`` zeroes the freed pages, but the WAL can still hold frames written when
    the face was enrolled; a TRUNCATE checkpoint copies the WAL into the (now zeroed) file and
    empties it. Then the backups."""
    if not employee_ids:
        return
    store.checkpoint()
    scrub_backups(store.backups_dir, employee_ids)


def scrub_backups(folder: Path | None, employee_ids: Collection[uuid.UUID]) -> int:
    """Remove these people's templates and photos from every backup; returns files changed.

    Never raises: a backup that cannot be scrubbed is named in the log (an administrator can
    delete it), and the erasure itself has already been committed."""
    if folder is None or not employee_ids or not folder.is_dir():
        return 0
    ids = [employee_id.hex for employee_id in employee_ids]  # SQLite stores UUIDs as hex
    marks = ", ".join("?" for _ in ids)
    changed = 0
    for backup in sorted(folder.glob("*.db")):
        try:
            connection = sqlite3.connect(backup)
            try:
                connection.execute("PRAGMA secure_delete = ON")
                with connection:
                    gone = connection.execute(
                        f"DELETE FROM face_templates WHERE employee_id IN ({marks})",  # noqa: S608
                        ids,
                    ).rowcount
                    gone += connection.execute(
                        "UPDATE employees SET photo_jpeg = NULL "  # noqa: S608
                        f"WHERE photo_jpeg IS NOT NULL AND id IN ({marks})",
                        ids,
                    ).rowcount
                    if _has_table(connection, "person_keys"):  # copies made since schema 0008
                        gone += connection.execute(
                            f"DELETE FROM person_keys WHERE employee_id IN ({marks})",  # noqa: S608
                            ids,
                        ).rowcount
                if gone:
                    connection.execute("VACUUM")
                    changed += 1
            finally:
                connection.close()
        except sqlite3.Error as exc:
            log.error(
                "could not erase faces from the backup %s (%s): delete it by hand", backup, exc
            )
    return changed


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return found is not None
