"""How one kiosk-made change is applied to its central table, one function per table.

Each returns the outcome ``core/sync/inbox.py`` records on the inbox row: ``applied``,
``stale``, ``superseded``, ``conflict``, ``rejected`` or ``waiting`` with a detail.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, RowMapping, Table, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from core.secrets.keys import DeploymentKeys, PersonKeyMissingError, SealError
from core.secrets.sealed import open_photo, open_template
from core.store.person_keys import key_for_blob
from core.store.tables import EMPLOYEES, FACE_TEMPLATES, SHIFT_ASSIGNMENTS, SHIFTS
from core.sync.biometrics import reconsented
from core.sync.erasure import erase_centrally, write_tombstone
from core.sync.inbox_checks import (
    pin_hash_problem,
)
from core.sync.inbox_keys import InboxResult, apply_person_key


def _locked(connection: Connection, table: Table, row_id: uuid.UUID) -> RowMapping | None:
    return (
        connection.execute(select(table).where(table.c.id == row_id).with_for_update())
        .mappings()
        .first()
    )


def _apply_employee(
    connection: Connection, values: dict[str, Any], keys: DeploymentKeys
) -> InboxResult:
    taken = connection.scalar(
        select(EMPLOYEES.c.id).where(
            EMPLOYEES.c.code == values["code"], EMPLOYEES.c.id != values["id"]
        )
    )
    if taken is not None:
        return "conflict", (
            f"employee code '{values['code']}' belongs to another employee centrally ({taken}); "
            "give one of them another code"
        )
    current = _locked(connection, EMPLOYEES, values["id"])
    if (refusal := _unsealed_person(connection, values, current, keys)) is not None:
        return refusal
    if current is None:
        values = _respect_erasure(values, None)
        connection.execute(pg_insert(EMPLOYEES).values(**values, sync_pending=False))
        return "applied", "created"
    if current["updated_at"] > values["updated_at"]:
        return "stale", "the central employee changed later"
    values = _respect_erasure(values, current)
    connection.execute(update(EMPLOYEES).where(EMPLOYEES.c.id == values["id"]).values(**values))
    return "applied", "updated"


def _unsealed_person(
    connection: Connection,
    values: dict[str, Any],
    current: RowMapping | None,
    keys: DeploymentKeys,
) -> InboxResult | None:
    """Why a kiosk's employee row may not go in: a photo not sealed for this person with one
    of their keys, or a PIN hash without the pepper that is not the one already there (a
    kiosk login could otherwise plant a PIN it knows)."""
    photo = values["photo_jpeg"]
    if photo is not None and (current is None or photo != current["photo_jpeg"]):
        try:
            open_photo(key_for_blob(connection, keys, values["id"], photo), values["id"], photo)
        except PersonKeyMissingError as exc:
            return "waiting", f"the photo's person key has not arrived: {exc}"
        except SealError as exc:
            return "rejected", f"the photo is not this person's under the deployment key: {exc}"
    pin_hash = values["pin_hash"]
    unchanged = current is not None and pin_hash == current["pin_hash"]
    problem = None if unchanged else pin_hash_problem(pin_hash)
    return None if problem is None else ("rejected", problem)


def _respect_erasure(values: dict[str, Any], current: RowMapping | None) -> dict[str, Any]:
    """A kiosk's older copy must never bring back an erased photo or consent."""
    erased = values["biometrics_erased_at"]
    if current is not None and current["biometrics_erased_at"] is not None:
        erased = max(erased or current["biometrics_erased_at"], current["biometrics_erased_at"])
    values = {**values, "biometrics_erased_at": erased}
    if erased is not None and not reconsented(values["consent_at"], erased):
        values.update(photo_jpeg=None, consent_at=None)
    return values


def _apply_shift(
    connection: Connection, values: dict[str, Any], _keys: DeploymentKeys
) -> InboxResult:
    if values["seed_key"] is not None:
        seeded = connection.scalar(
            select(SHIFTS.c.id).where(
                SHIFTS.c.seed_key == values["seed_key"], SHIFTS.c.id != values["id"]
            )
        )
        if seeded is not None:
            return "superseded", f"the central seeded shift {seeded} is used instead"
    taken = connection.scalar(
        select(SHIFTS.c.id).where(SHIFTS.c.name == values["name"], SHIFTS.c.id != values["id"])
    )
    if taken is not None:
        return "conflict", f"shift name '{values['name']}' belongs to another shift centrally"
    current = _locked(connection, SHIFTS, values["id"])
    if current is None:
        connection.execute(pg_insert(SHIFTS).values(**values, sync_pending=False))
        return "applied", "created"
    if current["updated_at"] > values["updated_at"]:
        return "stale", "the central shift changed later"
    connection.execute(update(SHIFTS).where(SHIFTS.c.id == values["id"]).values(**values))
    return "applied", "updated"


def exists(connection: Connection, table: Table, row_id: uuid.UUID) -> bool:
    return connection.scalar(select(table.c.id).where(table.c.id == row_id)) is not None


def _apply_assignment(
    connection: Connection, values: dict[str, Any], _keys: DeploymentKeys
) -> InboxResult:
    if not exists(connection, EMPLOYEES, values["employee_id"]):
        return "waiting", "its employee has not arrived yet"
    if not exists(connection, SHIFTS, values["shift_id"]):
        return "waiting", "its shift has not arrived yet"
    statement = pg_insert(SHIFT_ASSIGNMENTS).values(**values, sync_pending=False)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["id"],
            set_={
                "shift_id": statement.excluded.shift_id,
                "valid_from": statement.excluded.valid_from,
                "valid_to": statement.excluded.valid_to,
            },
        )
    )
    return "applied", "saved"


def _apply_template(
    connection: Connection, values: dict[str, Any], keys: DeploymentKeys
) -> InboxResult:
    missing = None
    try:
        person_key = key_for_blob(connection, keys, values["employee_id"], values["vector"])
        open_template(person_key, values["id"], values["employee_id"], values["vector"])
    except PersonKeyMissingError as exc:
        missing = f"its person key has not arrived: {exc}"  # unless erased: said below
    except SealError as exc:
        # A face sealed for another person, or by someone without the key: never enrolled.
        return "rejected", f"the template is not this person's under the deployment key: {exc}"
    person = connection.execute(
        select(EMPLOYEES.c.consent_at, EMPLOYEES.c.biometrics_erased_at).where(
            EMPLOYEES.c.id == values["employee_id"]
        )
    ).first()
    if person is None:
        return "waiting", "its employee has not arrived yet"
    erased = person.biometrics_erased_at
    if erased is not None and (
        not reconsented(person.consent_at, erased) or values["created_at"] <= erased
    ):
        return "rejected", "the person's biometric data was erased after this template was made"
    if missing is not None:
        return "waiting", missing
    connection.execute(
        pg_insert(FACE_TEMPLATES)
        .values(**values, sync_pending=False)
        .on_conflict_do_nothing(index_elements=["id"])
    )
    return "applied", "saved"


def apply_tombstone(
    connection: Connection, values: dict[str, Any], keys: DeploymentKeys | None = None
) -> InboxResult:
    entity, entity_id = values["entity"], values["entity_id"]
    if entity == "employee_biometrics" and keys is not None:
        if not exists(connection, EMPLOYEES, entity_id):
            return "waiting", "its employee has not arrived yet"
        erase_centrally(connection, entity_id, values["at"], kiosk_id=values["kiosk_id"], keys=keys)
        return "applied", "biometric data erased"
    if entity == "face_template":
        connection.execute(delete(FACE_TEMPLATES).where(FACE_TEMPLATES.c.id == entity_id))
    elif entity == "shift_assignment":
        connection.execute(delete(SHIFT_ASSIGNMENTS).where(SHIFT_ASSIGNMENTS.c.id == entity_id))
    else:
        return "rejected", f"unknown deletion of '{entity}'"
    write_tombstone(connection, entity, entity_id, values["at"], values["kiosk_id"])
    return "applied", "deleted"


APPLY: dict[str, Callable[[Connection, dict[str, Any], DeploymentKeys], InboxResult]] = {
    "employees": _apply_employee,
    "shifts": _apply_shift,
    "shift_assignments": _apply_assignment,
    "face_templates": _apply_template,
    "person_keys": apply_person_key,
    "tombstones": apply_tombstone,
}
