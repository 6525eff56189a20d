"""The erasure ratchet, centrally and in each party (core/secrets/keys.py says why).

Centrally (:func:`advance_centrally`, in the erasure's own transaction): the deployment row
goes one epoch on and every remaining person key is wrapped again under the new epoch's data
key, and so are the keys kiosks sent that wait in the inbox; the erased person's keys are
already gone. Each party (:func:`catch_up`, before every sync and after one that may have
moved it) sees the central epoch, takes the same one-way steps with its own secrets,
wraps its own store's person keys again and rewrites its secrets file with the new key only.
No new channel: the central deployment row every kiosk already reads says the epoch, and a
kiosk that was offline takes all the steps it missed at once.
"""

from __future__ import annotations

import base64
import json
import logging
import uuid
from collections.abc import Collection
from pathlib import Path

from sqlalchemy import Connection, select, update

from core.i18n import Message
from core.secrets.keys import DeploymentKeys, SealError
from core.secrets.secrets_file import save_keys
from core.store.database import Store
from core.store.deployment import DeploymentIds, mismatch, move_to_epoch
from core.store.person_keys import rewrap_all
from core.store.tables import DEPLOYMENT, PERSON_KEYS
from core.store.tables import SYNC_CHANGES as INBOX
from core.sync.central import CentralDatabase
from core.sync.errors import CentralSchemaError

log = logging.getLogger(__name__)


def central_deployment(connection: Connection, *, lock: bool = False) -> DeploymentIds | None:
    """The central deployment row (a database at this program's schema)."""
    query = select(DEPLOYMENT.c.key_id, DEPLOYMENT.c.pepper_id, DEPLOYMENT.c.epoch).where(
        DEPLOYMENT.c.id == 1
    )
    row = connection.execute(query.with_for_update() if lock else query).first()
    return None if row is None else (row.key_id, row.pepper_id, int(row.epoch))


def _checked(found: DeploymentIds | None, keys: DeploymentKeys) -> DeploymentIds:
    if found is None:
        raise CentralSchemaError(
            "the central database has no deployment keys recorded yet; migrate it with "
            "this version's headless server (AUTO_MIGRATE=true) or `python main.py central "
            "migrate`"
        )
    problem = mismatch(found, keys, Message("deployment.central_database"))
    if problem is not None:
        raise CentralSchemaError(problem)
    return found


def catch_up(store: Store, central: CentralDatabase) -> bool:
    """Check that the central database is this deployment's, and follow its epoch: True
    when this store's keys moved on. CentralSchemaError when the keys are another
    deployment's (or newer than the central database's: a restored copy)."""
    with central.connect() as connection:
        found = _checked(central_deployment(connection), store.keys)
    if found[2] > store.keys.epoch:
        return move_to_epoch(store, found[2])
    return False


def follow_in_file(path: Path, keys: DeploymentKeys, central: CentralDatabase) -> None:
    """A secrets file with no store beside it takes the central epoch."""
    with central.connect() as connection:
        found = _checked(central_deployment(connection), keys)
    if found[2] > keys.epoch:
        save_keys(path, keys.at_epoch(found[2]))


def advance_centrally(
    connection: Connection, keys: DeploymentKeys, erased: Collection[uuid.UUID]
) -> DeploymentKeys:
    """Move the central deployment one epoch on, in the caller's transaction (which has just
    deleted the keys of the ``erased`` people); returns the new epoch's keys."""
    found = _checked(central_deployment(connection, lock=True), keys)
    current = keys.at_epoch(found[2])
    new = current.at_epoch(found[2] + 1)
    rewrapped = rewrap_all(connection, current, new, resend_unconfirmed=False)
    waiting = _rewrap_waiting(connection, current, new, set(erased))
    connection.execute(
        update(DEPLOYMENT).where(DEPLOYMENT.c.id == 1).values(epoch=new.epoch, key_id=new.key_id)
    )
    log.info(
        "erasure: data key epoch %d -> %d, %d person key(s) and %d waiting in the inbox "
        "wrapped again",
        current.epoch,
        new.epoch,
        rewrapped,
        waiting,
    )
    return new


def _rewrap_waiting(
    connection: Connection, current: DeploymentKeys, new: DeploymentKeys, erased: set[uuid.UUID]
) -> int:
    """Keys a kiosk sent under the epoch that ends now, not applied yet: wrapped again so they
    still go in. The erased people's are left as they are: wrapped under a key nobody will
    hold, they open for no one (a kiosk that enrolled them again sends its key again)."""
    rows = connection.execute(
        select(INBOX.c.id, INBOX.c.payload).where(
            INBOX.c.entity == PERSON_KEYS.name, INBOX.c.applied_at.is_(None)
        )
    ).all()
    changed = 0
    for row_id, payload in rows:
        again = _rewrapped_payload(payload, current, new, erased)
        if again is not None:
            connection.execute(update(INBOX).where(INBOX.c.id == row_id).values(payload=again))
            changed += 1
    return changed


def _rewrapped_payload(
    payload: str, current: DeploymentKeys, new: DeploymentKeys, erased: set[uuid.UUID]
) -> str | None:
    try:
        values = json.loads(payload)
        key_id, employee_id = uuid.UUID(values["id"]), uuid.UUID(values["employee_id"])
        if values["epoch"] != current.epoch or employee_id in erased:
            return None
        person = current.unwrap(
            base64.b64decode(values["wrapped"]),
            key_id=key_id,
            employee_id=employee_id,
            epoch=current.epoch,
        )
    except (ValueError, TypeError, KeyError, SealError):
        return None  # the inbox says why when it gets there
    values["wrapped"] = base64.b64encode(new.wrap(person, employee_id)).decode("ascii")
    values["epoch"] = new.epoch
    return json.dumps(values, separators=(",", ":"))
