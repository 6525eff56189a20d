"""Erasing a person's biometric data: centrally (server side) and in a kiosk's store.

Both apply the same rule (``core.sync.biometrics``): the templates made up to the erasure go,
and the photo and consent too unless the person consented again since; so do the person's
keys (``core.store.person_keys``) made up to it. Centrally the data key then moves one epoch on
(``core.sync.ratchet``), so the deleted keys, wherever a copy lies, open for no one; a
tombstone carries the erasure to every kiosk, which applies it at its next pull.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, literal, null, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from core.secrets.keys import DeploymentKeys
from core.store.person_keys import forget_keys, scrub_outbox
from core.store.tables import EMPLOYEES, FACE_TEMPLATES, TOMBSTONES
from core.store.types import UTCDateTime
from core.sync.biometrics import doomed_template, reconsented
from core.sync.codec import keep_updated_at


def sql_instant(value: datetime | None) -> Any:
    """A Python instant as an SQL value of the store's UTC type (NULL for None)."""
    return null() if value is None else literal(value, UTCDateTime())


def write_tombstone(
    connection: Connection, entity: str, entity_id: uuid.UUID, at: datetime, kiosk_id: str
) -> None:
    """Insert, or touch, the tombstone: an update gives it a new revision, so every kiosk
    applies it (again) at its next pull."""
    statement = pg_insert(TOMBSTONES).values(
        id=uuid.uuid4(),
        entity=entity,
        entity_id=entity_id,
        action="erase",
        at=at,
        kiosk_id=kiosk_id,
        sync_pending=False,
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["entity", "entity_id", "action"],
            set_={"at": statement.excluded.at, "kiosk_id": statement.excluded.kiosk_id},
        )
    )


def erase_centrally(
    connection: Connection,
    employee_id: uuid.UUID,
    at: datetime,
    *,
    kiosk_id: str,
    keys: DeploymentKeys,
) -> int:
    """Erase a person's biometric data made up to ``at``; returns templates deleted.

    Their keys go and the data key moves on (``keys``: the deployment's, of this epoch or an
    earlier one), in the caller's transaction. The tombstone carries the erasure to every
    kiosk. The caller holds the revision lock.
    """
    from core.sync.ratchet import advance_centrally  # ratchet imports the central module

    person = connection.execute(
        select(EMPLOYEES.c.consent_at, EMPLOYEES.c.biometrics_erased_at).where(
            EMPLOYEES.c.id == employee_id
        )
    ).first()
    if person is None:
        return 0
    erased = max(at, person.biometrics_erased_at or at)
    deleted = connection.execute(
        delete(FACE_TEMPLATES)
        .where(
            FACE_TEMPLATES.c.employee_id == employee_id,
            doomed_template(
                FACE_TEMPLATES.c.created_at, sql_instant(person.consent_at), sql_instant(erased)
            ),
        )
        .returning(FACE_TEMPLATES.c.id)
    ).all()
    values: dict[str, Any] = {
        "biometrics_erased_at": erased,
        # The erasure is a change of the person's row: an older kiosk edit loses to it.
        "updated_at": func.greatest(EMPLOYEES.c.updated_at, sql_instant(erased)),
    }
    if not reconsented(person.consent_at, erased):
        values.update(photo_jpeg=None, consent_at=None)
    connection.execute(update(EMPLOYEES).where(EMPLOYEES.c.id == employee_id).values(**values))
    if shred_keys(connection, employee_id, person.consent_at, erased):
        advance_centrally(connection, keys, [employee_id])
    write_tombstone(connection, "employee_biometrics", employee_id, erased, kiosk_id)
    return len(deleted)


def shred_keys(
    executor: Connection | Session,
    employee_id: uuid.UUID,
    consent_at: datetime | None,
    erased: datetime,
) -> list[uuid.UUID]:
    """Delete the person's keys an erasure at ``erased`` dooms (all of them, unless they
    consented again since: then those made up to it)."""
    after = erased if reconsented(consent_at, erased) else None
    return forget_keys(executor, employee_id, surviving_after=after)


def erase_locally(session: Session, employee_id: uuid.UUID, erased_at: datetime) -> bool:
    """Apply an erasure to this store; True when the person is known here."""
    person = session.execute(
        select(EMPLOYEES.c.consent_at, EMPLOYEES.c.biometrics_erased_at).where(
            EMPLOYEES.c.id == employee_id
        )
    ).first()
    if person is None:
        return False
    after = max(erased_at, person.biometrics_erased_at or erased_at)
    session.execute(
        delete(FACE_TEMPLATES).where(
            FACE_TEMPLATES.c.employee_id == employee_id,
            doomed_template(
                FACE_TEMPLATES.c.created_at,
                sql_instant(person.consent_at),
                sql_instant(after),
            ),
        )
    )
    values: dict[str, Any] = {"biometrics_erased_at": after, **keep_updated_at(EMPLOYEES)}
    if not reconsented(person.consent_at, after):
        values.update(photo_jpeg=None, consent_at=None)
    session.execute(update(EMPLOYEES).where(EMPLOYEES.c.id == employee_id).values(**values))
    shred_keys(session, employee_id, person.consent_at, after)
    if not reconsented(person.consent_at, after):
        scrub_outbox(session, employee_id)
    return True
