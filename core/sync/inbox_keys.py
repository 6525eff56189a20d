"""A person key a kiosk sent (schema 0008), checked before the central database keeps it.

It goes in only wrapped under the deployment's *current* epoch, opening with the data key
for its id and person: a kiosk that made it before an erasure it has not caught up with
sends it again once it has (``core.store.person_keys.rewrap_all`` marks it), so no key ever needs
an old epoch's data key to open. A key id already there is not replaced (a kiosk login
cannot swap a person's key for one of its own and strand their faces), and a key made up to
the person's erasure is refused (what it sealed is gone).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from core.secrets.keys import DeploymentKeys, SealError
from core.store.person_keys import unwrap_row
from core.store.tables import EMPLOYEES, PERSON_KEYS
from core.sync.ratchet import central_deployment

# (status, detail): applied, stale, superseded, conflict, rejected, waiting, held
InboxResult = tuple[str, str]


def apply_person_key(
    connection: Connection, values: dict[str, Any], keys: DeploymentKeys
) -> InboxResult:
    found = central_deployment(connection)
    epoch = 0 if found is None else found[2]
    if values["epoch"] != epoch:
        return "rejected", (
            f"wrapped under data key epoch {values['epoch']}, the deployment is at {epoch}: "
            "the kiosk sends it again once it has caught up"
        )
    try:
        person = keys.unwrap(
            values["wrapped"], key_id=values["id"], employee_id=values["employee_id"], epoch=epoch
        )
    except SealError as exc:
        return "rejected", f"the person key does not open with the deployment's data key: {exc}"
    current = connection.execute(
        select(PERSON_KEYS).where(PERSON_KEYS.c.id == values["id"]).with_for_update()
    ).first()
    if current is not None:
        same = current.employee_id == values["employee_id"] and _opens_as(current, keys, person)
        if same:
            return "applied", "already here"
        return "rejected", "another person key has this id"
    erased = connection.scalar(
        select(EMPLOYEES.c.biometrics_erased_at).where(EMPLOYEES.c.id == values["employee_id"])
    )
    if erased is not None and values["created_at"] <= erased:
        return "rejected", "the person's biometric data was erased after this key was made"
    connection.execute(pg_insert(PERSON_KEYS).values(**values, sync_pending=False))
    return "applied", "saved"


def _opens_as(row: Any, keys: DeploymentKeys, person: Any) -> bool:
    try:
        return bool(unwrap_row(keys, row) == person)
    except SealError:
        return False
