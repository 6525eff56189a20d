"""Which deployment a database belongs to: the ids of its data key and PIN pepper.

A local store records its keys' ids the first time it is opened with them, the central
database when the headless server (or ``central migrate``) first migrates it. After that, a
process holding other keys is stopped with a sentence before it can write data that nobody
else could open (or PIN hashes nobody could check).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, inspect, select
from sqlalchemy.dialects import postgresql, sqlite

from core.errors import StoreError
from core.i18n import Message
from core.keys import DeploymentKeys
from core.store.database import Store
from core.store.models import Deployment

DeploymentIds = tuple[str, str]  # (key id, pepper id)


def read_ids(connection: Connection) -> DeploymentIds | None:
    if not inspect(connection).has_table("deployment"):
        return None
    row = connection.execute(
        select(Deployment.key_id, Deployment.pepper_id).where(Deployment.id == 1)
    ).first()
    return None if row is None else (row.key_id, row.pepper_id)


def recorded_deployment(engine: Engine) -> DeploymentIds | None:
    with engine.connect() as connection:
        return read_ids(connection)


def mismatch(found: DeploymentIds, keys: DeploymentKeys, where: Message) -> Message | None:
    """A sentence when ``keys`` are not the ones ``where`` (a database, named by
    ``Message("deployment.central_database")`` or ``"deployment.kiosk_database"``) was set
    up with."""
    if found == (keys.key_id, keys.pepper_id):
        return None
    return Message(
        "deployment.mismatch",
        where=where,
        key_id=found[0],
        pepper_id=found[1],
        own_key_id=keys.key_id,
        own_pepper_id=keys.pepper_id,
    )


def claim_on(connection: Connection, keys: DeploymentKeys, where: Message) -> None:
    """Record ``keys``' ids if none are recorded; StoreError if others are."""
    values = {"id": 1, "key_id": keys.key_id, "pepper_id": keys.pepper_id}
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(dialect.insert(Deployment).values(**values).on_conflict_do_nothing())
    found = read_ids(connection)
    assert found is not None
    problem = mismatch(found, keys, where)
    if problem is not None:
        raise StoreError(problem)


def claim_deployment(store: Store) -> None:
    with store.engine.begin() as connection:
        claim_on(connection, store.keys, Message("deployment.kiosk_database"))
