"""What a record held for review is about, in words an HR person can decide on: whose record,
what it claims and when (``core.sync.review.held_records`` gives it to ``central review`` and
the console's held records page).

- an attendance event: the employee's code and name, its kind and the local time it claims
  (in the zone the kiosk recorded it in);
- a correction: the record it corrects (whose, which kind, when) and its reason;
- an inbox change: what it would change (an employee added or changed, a face enrolled, a
  shift, someone's shifts, a person's keys, an erasure);
- an audit line: its action and who did it.

Everything is looked up in a few queries for the whole page (the employees and the corrected
events by id), never one per row.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, select

from core.i18n import Message
from core.store.tables import EMPLOYEES, EVENTS

# The inbox's tables, by what a change to one of them does to a person or the schedule.
CHANGE_WORDS = {
    "employees": "held.change_employee",
    "face_templates": "held.change_face",
    "person_keys": "held.change_keys",
    "shift_assignments": "held.change_assignment",
}
KINDS = frozenset({"in", "out", "break_start", "break_end"})
TIME = "%Y-%m-%d %H:%M"
Who = tuple[str, str]  # an employee's code and name


def zone_of(name: str | None, fallback: tzinfo) -> tzinfo:
    try:
        return ZoneInfo(name) if name else fallback
    except (ZoneInfoNotFoundError, ValueError):
        return fallback


def local(at: datetime, zone: tzinfo) -> datetime:
    return (at if at.tzinfo is not None else at.replace(tzinfo=UTC)).astimezone(zone)


def kind_noun(kind: str) -> Message | str:
    return Message(f"kind_noun.{kind}") if kind in KINDS else kind


def people(connection: Connection, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, Who]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = connection.execute(
        select(EMPLOYEES.c.id, EMPLOYEES.c.code, EMPLOYEES.c.name).where(EMPLOYEES.c.id.in_(wanted))
    )
    return {row.id: (row.code, row.name) for row in rows}


def events(connection: Connection, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Any]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = connection.execute(
        select(
            EVENTS.c.id,
            EVENTS.c.employee_id,
            EVENTS.c.kind,
            EVENTS.c.occurred_at,
            EVENTS.c.timezone,
        ).where(EVENTS.c.id.in_(wanted))
    )
    return {row.id: row for row in rows}


def _who(found: Mapping[uuid.UUID, Who], employee_id: uuid.UUID | None) -> Who:
    return found.get(employee_id, ("?", "")) if employee_id is not None else ("?", "")


def about_event(row: Any, found: Mapping[uuid.UUID, Who], zone: tzinfo) -> tuple[Message, datetime]:
    at = local(row.occurred_at, zone_of(row.timezone, zone))
    code, name = _who(found, row.employee_id)
    what = Message(
        "held.event", code=code, name=name, kind=kind_noun(row.kind), time=f"{at:{TIME}}"
    )
    return what, at


def about_correction(
    row: Any, corrected: Mapping[uuid.UUID, Any], found: Mapping[uuid.UUID, Who], zone: tzinfo
) -> tuple[Message, datetime]:
    at = local(row.at, zone)
    event = corrected.get(row.event_id)
    if event is None:  # the record it corrects has not arrived (or is not central)
        return Message("held.correction_unknown", record=str(row.event_id)[:8]), at
    code, name = _who(found, event.employee_id)
    when = local(event.occurred_at, zone_of(event.timezone, zone))
    return (
        Message(
            "held.correction",
            code=code,
            name=name,
            kind=kind_noun(event.kind),
            time=f"{when:{TIME}}",
            reason=row.reason,
        ),
        at,
    )


def payload_of(row: Any) -> dict[str, Any]:
    try:
        payload = json.loads(row.payload or "{}")
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def employee_of_change(row: Any, payload: Mapping[str, Any]) -> uuid.UUID | None:
    """The employee a change is about, by id, when it names one."""
    if row.entity == "employees":
        return row.entity_id  # type: ignore[no-any-return]
    erased = row.entity == "tombstones" and payload.get("entity") == "employee_biometrics"
    value = payload.get("entity_id") if erased else payload.get("employee_id")
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def about_change(
    row: Any, payload: Mapping[str, Any], found: Mapping[uuid.UUID, Who], zone: tzinfo
) -> tuple[Message, datetime]:
    at = local(row.created_at, zone)
    person = employee_of_change(row, payload)
    code, name = _who(found, person)
    if row.entity == "employees":
        code, name = str(payload.get("code") or code), str(payload.get("name") or name)
        key = "held.change_employee" if person in found else "held.add_employee"
        return Message(key, code=code, name=name), at
    if row.entity == "shifts":
        return Message("held.change_shift", shift=str(payload.get("name") or "?")), at
    if row.entity == "tombstones" and payload.get("entity") == "employee_biometrics":
        return Message("held.change_erasure", code=code, name=name), at
    if row.entity == "tombstones":
        entity = str(payload.get("entity") or row.entity)
        return Message("held.change_other", entity=entity, operation="delete"), at
    if row.entity in CHANGE_WORDS and row.operation != "delete":
        return Message(CHANGE_WORDS[row.entity], code=code, name=name), at
    return Message("held.change_other", entity=row.entity, operation=row.operation), at


def about_audit(row: Any, zone: tzinfo) -> tuple[Message, datetime]:
    return Message("held.audit", action=row.action, actor=row.actor), local(row.at, zone)
