"""People's own keys in a store (kiosk SQLite or central PostgreSQL): find, make, shred.

Every template and photo is sealed with its person's key (``core.secrets.keys.PersonKey``); the
``person_keys`` table holds each key wrapped by the data key of an epoch. Reading a face is
two steps: the key named in the blob's header, unwrapped with the deployment keys (moved
forward to the row's epoch when the row is newer than them: a pull may bring rows wrapped
after an erasure this process has not caught up with yet), then the blob.

An erasure deletes the person's keys made up to it (the template rule of
``core.sync.biometrics``: a key made after a new consent survives), and whatever a deleted
key sealed cannot be opened by anyone any more, wherever a copy of it lies.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.orm import Session

from core.secrets.keys import (
    DeploymentKeys,
    PersonKey,
    PersonKeyMissingError,
    SealError,
    sealing_key_id,
)
from core.store.tables import PERSON_KEYS, SYNC_CHANGES
from core.store.types import utcnow

log = logging.getLogger(__name__)

Executor = Session | Connection


def unwrap_row(keys: DeploymentKeys, row: Any) -> PersonKey:
    return keys.unwrap(row.wrapped, key_id=row.id, employee_id=row.employee_id, epoch=row.epoch)


def keyring(
    executor: Executor, keys: DeploymentKeys, employee_ids: Collection[uuid.UUID] | None = None
) -> dict[uuid.UUID, PersonKey]:
    """Every key (of these people) that opens with ``keys``, by key id.

    A key that does not open is left out and named in the log: the faces it seals are
    skipped, never a crash."""
    query = select(PERSON_KEYS)
    if employee_ids is not None:
        query = query.where(PERSON_KEYS.c.employee_id.in_(list(employee_ids)))
    found: dict[uuid.UUID, PersonKey] = {}
    for row in executor.execute(query):
        try:
            found[row.id] = unwrap_row(keys, row)
        except SealError as exc:
            log.error("the person key %s could not be opened: %s", row.id, exc)
    return found


def key_for_blob(
    executor: Executor, keys: DeploymentKeys, employee_id: uuid.UUID, blob: bytes
) -> PersonKey:
    """The key that sealed ``blob`` for this person; PersonKeyMissingError when this store does
    not hold it (erased, or not yet arrived), SealError when the blob names no person key or
    another person's."""
    key_id = sealing_key_id(blob)
    if key_id is None:
        raise SealError("the value is not sealed with a person key")
    row = executor.execute(select(PERSON_KEYS).where(PERSON_KEYS.c.id == key_id)).first()
    if row is None:
        raise PersonKeyMissingError(
            f"the person key {key_id} of employee {employee_id} is not here"
        )
    if row.employee_id != employee_id:
        # A face copied from someone else: their key cannot make it this person's.
        raise SealError(f"the value is sealed with a key of another person ({row.employee_id})")
    return unwrap_row(keys, row)


def key_for_sealing(
    executor: Executor,
    keys: DeploymentKeys,
    employee_id: uuid.UUID,
    *,
    pending: bool = True,
    now: datetime | None = None,
) -> PersonKey:
    """The person's newest key that opens here, or a new one (stored wrapped, ``pending``
    to push when made on a kiosk)."""
    rows = executor.execute(
        select(PERSON_KEYS)
        .where(PERSON_KEYS.c.employee_id == employee_id)
        .order_by(PERSON_KEYS.c.created_at.desc())
    ).all()
    for row in rows:
        try:
            return unwrap_row(keys, row)
        except SealError as exc:
            log.error("the person key %s could not be opened: %s", row.id, exc)
    return add_key(executor, keys, employee_id, pending=pending, now=now)


def add_key(
    executor: Executor,
    keys: DeploymentKeys,
    employee_id: uuid.UUID,
    *,
    pending: bool,
    now: datetime | None = None,
    person: PersonKey | None = None,
) -> PersonKey:
    person = person or PersonKey.generate()
    executor.execute(
        insert(PERSON_KEYS).values(
            id=person.id,
            employee_id=employee_id,
            wrapped=keys.wrap(person, employee_id),
            epoch=keys.epoch,
            created_at=now or utcnow(),
            sync_pending=pending,
        )
    )
    return person


def rewrap_all(
    executor: Executor,
    old: DeploymentKeys,
    new: DeploymentKeys,
    *,
    resend_unconfirmed: bool,
    every_epoch: bool = False,
) -> int:
    """Wrap every key of an epoch before ``new``'s (``every_epoch``: every key, for another
    deployment's keys) again under ``new``; returns how many.

    ``resend_unconfirmed`` (a kiosk): a key made here and not yet seen back from the central
    database is marked to push again, wrapped as the central database can open it now. A
    key that does not open is deleted: it was wrapped under an epoch nobody holds."""
    query = select(PERSON_KEYS)
    if not every_epoch:
        query = query.where(PERSON_KEYS.c.epoch < new.epoch)
    rows = executor.execute(query).all()
    for row in rows:
        try:
            person = unwrap_row(old, row)
        except SealError as exc:
            log.error("the person key %s is lost (%s); its faces cannot open", row.id, exc)
            executor.execute(delete(PERSON_KEYS).where(PERSON_KEYS.c.id == row.id))
            continue
        values: dict[str, Any] = {"wrapped": new.wrap(person, row.employee_id), "epoch": new.epoch}
        if resend_unconfirmed and row.revision is None:
            values["sync_pending"] = True
        executor.execute(update(PERSON_KEYS).where(PERSON_KEYS.c.id == row.id).values(**values))
    return len(rows)


def forget_keys(
    executor: Executor, employee_id: uuid.UUID, *, surviving_after: datetime | None = None
) -> list[uuid.UUID]:
    """Delete the person's keys (those made up to ``surviving_after``, when they consented
    again after it); returns their ids."""
    query = delete(PERSON_KEYS).where(PERSON_KEYS.c.employee_id == employee_id)
    if surviving_after is not None:
        query = query.where(PERSON_KEYS.c.created_at <= surviving_after)
    return list(executor.execute(query.returning(PERSON_KEYS.c.id)).scalars())


def scrub_outbox(session: Session, employee_id: uuid.UUID) -> int:
    """A kiosk's erasure: drop the outbox copies of the person's templates and keys, and the
    pushed copies of their employee row (a change still to push stays; its photo is sealed
    with a key deleted here). The outbox keeps what it sent, base64 in JSON, where no scan
    of the raw bytes would see it."""
    outbox = SYNC_CHANGES  # on a kiosk, the outbox
    owned = f'%"employee_id":"{employee_id}"%'
    result = session.execute(
        delete(outbox).where(
            (
                outbox.c.entity.in_(["face_templates", PERSON_KEYS.name])
                & outbox.c.payload.like(owned)
            )
            | (
                (outbox.c.entity == "employees")
                & (outbox.c.entity_id == employee_id)
                & outbox.c.synced_at.is_not(None)
            )
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
