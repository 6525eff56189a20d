"""Which deployment a database belongs to: the ids of its data key and PIN pepper.

A local store records its keys' ids the first time it is opened with them, the central
database when the headless server (or ``central migrate``) first migrates it. After that, a
process holding other keys is stopped with a sentence before it can write data that nobody
else could open (or PIN hashes nobody could check).

Since schema 0008 the data key moves on at every erasure (``epoch``, core/secrets/keys.py): keys
of an earlier epoch are the deployment's when, moved forward, they have the recorded id;
:func:`move_to_epoch` takes a store and its secrets file there (and forgets the old key).
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.errors import StoreError
from core.i18n import Message
from core.secrets.keys import DeploymentKeys
from core.secrets.secrets_file import save_keys
from core.store.database import Store
from core.store.models import Deployment
from core.store.person_keys import rewrap_all

log = logging.getLogger(__name__)

DeploymentIds = tuple[str, str, int]  # (key id of the current epoch, pepper id, epoch)


def read_ids(connection: Connection) -> DeploymentIds | None:
    inspector = inspect(connection)
    if not inspector.has_table("deployment"):
        return None
    has_epoch = any(c["name"] == "epoch" for c in inspector.get_columns("deployment"))
    columns = [Deployment.key_id, Deployment.pepper_id] + ([Deployment.epoch] if has_epoch else [])
    row = connection.execute(select(*columns).where(Deployment.id == 1)).first()
    if row is None:
        return None
    return (str(row[0]), str(row[1]), int(str(row[2])) if has_epoch else 0)


def recorded_deployment(engine: Engine) -> DeploymentIds | None:
    with engine.connect() as connection:
        return read_ids(connection)


def mismatch(found: DeploymentIds, keys: DeploymentKeys, where: Message) -> Message | None:
    """A sentence when ``keys`` are not the ones ``where`` (a database, named by
    ``Message("deployment.central_database")`` or ``"deployment.kiosk_database"``) was set
    up with, at its epoch or an earlier one."""
    key_id, pepper_id, epoch = found
    if epoch < keys.epoch:
        if pepper_id != keys.pepper_id:
            return _differ(found, keys, where)
        return Message("deployment.epoch_behind", where=where, epoch=epoch, own_epoch=keys.epoch)
    if (keys.at_epoch(epoch).key_id, keys.pepper_id) == (key_id, pepper_id):
        return None
    return _differ(found, keys, where)


def _differ(found: DeploymentIds, keys: DeploymentKeys, where: Message) -> Message:
    return Message(
        "deployment.mismatch",
        where=where,
        key_id=found[0],
        pepper_id=found[1],
        own_key_id=keys.key_id,
        own_pepper_id=keys.pepper_id,
    )


def claim_on(connection: Connection, keys: DeploymentKeys, where: Message) -> DeploymentIds:
    """Record ``keys``' ids if none are recorded; StoreError if others are."""
    values = {"id": 1, "key_id": keys.key_id, "pepper_id": keys.pepper_id, "epoch": keys.epoch}
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(dialect.insert(Deployment).values(**values).on_conflict_do_nothing())
    found = read_ids(connection)
    assert found is not None
    problem = mismatch(found, keys, where)
    if problem is not None:
        raise StoreError(problem)
    return found


def claim_deployment(store: Store) -> None:
    with store.engine.begin() as connection:
        found = claim_on(connection, store.keys, Message("deployment.kiosk_database"))
    if found[2] > store.keys.epoch:
        # The store moved on and the secrets file did not follow (stopped in between).
        move_to_epoch(store, found[2])


def move_to_epoch(store: Store, epoch: int) -> bool:
    """Take this store and its secrets file to ``epoch``: its person keys wrapped again, the
    new key's id recorded (one transaction), then the secrets file replaced with the new
    key alone. True when anything moved.

    In that order, so a stop in between leaves a file behind its store, which the next start
    moves on (:func:`claim_deployment`); the other way round would strand the store's keys.
    A store opened without a secrets file (tools, tests) keeps the new key in memory."""
    old = store.keys
    if epoch < old.epoch:
        raise StoreError(
            Message(
                "deployment.epoch_behind",
                where=Message("deployment.central_database"),
                epoch=epoch,
                own_epoch=old.epoch,
            )
        )
    new = old.at_epoch(epoch)
    with store.write() as session:
        rewrapped = rewrap_all(session, old, new, resend_unconfirmed=True)
        result = session.execute(
            update(Deployment)
            .where(Deployment.id == 1, Deployment.epoch < epoch)
            .values(key_id=new.key_id, epoch=epoch)
        )
        recorded = int(getattr(result, "rowcount", 0) or 0)
    if epoch == old.epoch and not rewrapped and not recorded:
        return False
    store.keys = new
    if store.secrets_file is not None and epoch > old.epoch:
        save_keys(store.secrets_file, new)
    store.checkpoint()  # no frame of the keys as the old epoch wrapped them stays in the WAL
    log.info("data key moved on to epoch %d (%d person key(s) wrapped again)", epoch, rewrapped)
    return True
