"""Which columns travel, and how a row becomes JSON (the inbox payload) and back.

Local-only state never travels: PIN lockout counters (each kiosk counts its own attempts),
``sync_pending`` and ``revision`` (bookkeeping of each side).
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Column, LargeBinary, Table, Uuid

from core.store.tables import (
    EMPLOYEES,
    FACE_TEMPLATES,
    PERSON_KEYS,
    SHIFT_ASSIGNMENTS,
    SHIFTS,
    TOMBSTONES,
)
from core.store.types import UTCDateTime

# Parents before children: the order changes are staged, applied and pulled in. A person's
# keys come before the employee row, whose photo one of them seals (schema 0008).
MUTABLE_TABLES: tuple[Table, ...] = (
    SHIFTS,
    PERSON_KEYS,
    EMPLOYEES,
    SHIFT_ASSIGNMENTS,
    FACE_TEMPLATES,
    TOMBSTONES,
)
TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in MUTABLE_TABLES}
PRIORITY: dict[str, int] = {table.name: index for index, table in enumerate(MUTABLE_TABLES)}

SYNCED_COLUMNS: dict[str, tuple[str, ...]] = {
    "employees": (
        "id",
        "code",
        "name",
        "active",
        "pin_hash",
        "consent_at",
        "photo_jpeg",
        "biometrics_erased_at",
        "created_at",
        "updated_at",
    ),
    "face_templates": (
        "id",
        "employee_id",
        "model_name",
        "vector",
        "dim",
        "quality",
        "source",
        "created_at",
    ),
    "shifts": (
        "id",
        "name",
        "start_time",
        "end_time",
        "weekdays",
        "grace_in_minutes",
        "grace_out_minutes",
        "active",
        "seed_key",
        "created_at",
        "updated_at",
    ),
    "shift_assignments": ("id", "employee_id", "shift_id", "valid_from", "valid_to", "created_at"),
    "person_keys": ("id", "employee_id", "wrapped", "epoch", "created_at"),
    "tombstones": ("id", "entity", "entity_id", "action", "at", "kiosk_id"),
}

JSONValue = str | int | float | bool | None


def keep_updated_at(table: Table) -> dict[str, Any]:
    """Values for an UPDATE that must not move ``updated_at`` (its ``onupdate`` would).

    ``updated_at`` is the change's time for last-writer-wins; bookkeeping updates (clearing
    ``sync_pending``, storing a revision) are not changes.
    """
    return {"updated_at": table.c.updated_at} if "updated_at" in table.c else {}


def synced_columns(table: Table) -> list[Column[Any]]:
    return [table.c[name] for name in SYNCED_COLUMNS[table.name]]


def _encode_value(column: Column[Any], value: Any) -> JSONValue:
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, uuid.UUID | datetime | date | time):
        return value.isoformat() if not isinstance(value, uuid.UUID) else str(value)
    if isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot encode {column.table.name}.{column.name} of type {type(value)}")


def _decode_value(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    if isinstance(kind, Uuid):
        return uuid.UUID(str(value))
    if isinstance(kind, UTCDateTime):
        return datetime.fromisoformat(value)
    parse = _PARSERS.get(kind.python_type)
    return value if parse is None else parse(value)


_PARSERS: dict[type, Callable[[str], Any]] = {date: date.fromisoformat, time: time.fromisoformat}


def encode(table: Table, row: Mapping[Any, Any]) -> dict[str, JSONValue]:
    """The synced columns of ``row`` as JSON-ready values."""
    return {
        column.name: _encode_value(column, row[column.name]) for column in synced_columns(table)
    }


def decode(table: Table, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Column values from a payload; unknown keys are ignored, missing ones refused."""
    missing = [name for name in SYNCED_COLUMNS[table.name] if name not in payload]
    if missing:
        raise ValueError(f"{table.name} payload lacks {', '.join(missing)}")
    return {
        column.name: _decode_value(column, payload[column.name]) for column in synced_columns(table)
    }
