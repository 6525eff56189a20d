"""Pull's write side: each pulled table's batch applied to the kiosk's store (one function
per table), and what a pull reports. The order, cursors and batches are in core/sync/pull.py.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import RowMapping, Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.store import audit
from core.store.tables import EMPLOYEES, FACE_TEMPLATES, PERSON_KEYS, SHIFT_ASSIGNMENTS, SHIFTS
from core.sync.biometrics import reconsented
from core.sync.codec import SYNCED_COLUMNS, keep_updated_at
from core.sync.erasure import erase_locally
from core.sync.inbox_checks import shift_problem
from core.sync.sites import (
    SiteInfo,
    apply_memberships,
)

log = logging.getLogger(__name__)

CODE_LENGTH = 32
NAME_LENGTH = 64


@dataclass
class PullReport:
    pulled: dict[str, int] = field(default_factory=dict)
    changed_employees: set[uuid.UUID] = field(default_factory=set)
    erased_employees: set[uuid.UUID] = field(default_factory=set)
    blocked: dict[str, str] = field(default_factory=dict)  # table: why its pass stopped early
    stopped: bool = False

    def add(self, table: str, count: int) -> None:
        if count:
            self.pulled[table] = self.pulled.get(table, 0) + count


@dataclass
class Batch:
    """What an apply step returns: how many leading rows it applied, and why it stopped."""

    applied: int
    blocked: str | None = None


Applier = Callable[[Session, Sequence[RowMapping], "PullContext"], Batch]


@dataclass
class PullContext:
    kiosk_id: str
    report: PullReport
    site: SiteInfo | None = None


def _insert(session: Session, table: Table) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _upsert(session: Session, table: Table, rows: Sequence[RowMapping]) -> None:
    """Insert or update the synced columns, never touching a row with a pending change."""
    if not rows:
        return
    names = [*SYNCED_COLUMNS[table.name], "revision"]
    values = [{**{name: row[name] for name in names}, "sync_pending": False} for row in rows]
    statement = _insert(session, table)
    statement = statement.on_conflict_do_update(
        index_elements=["id"],
        set_={name: statement.excluded[name] for name in names if name != "id"},
        where=table.c.sync_pending.is_(False),
    )
    session.execute(statement, values)


def _first_pending(session: Session, table: Table, rows: Sequence[RowMapping]) -> int | None:
    ids = [row["id"] for row in rows]
    pending = set(
        session.scalars(
            select(table.c.id).where(table.c.id.in_(ids), table.c.sync_pending.is_(True))
        )
    )
    return next((i for i, row in enumerate(rows) if row["id"] in pending), None)


def _temporary(value_id: uuid.UUID, length: int) -> str:
    # "~" + the row's own id: unique, visibly not a real code or name, fixed by a later pull.
    return ("~" + value_id.hex)[:length]


# --- employees -----------------------------------------------------------------------------


def _code_clashes(session: Session, rows: Sequence[RowMapping]) -> list[Any]:
    """Local employees outside ``rows`` that hold a code one of ``rows`` brings."""
    return list(
        session.execute(
            select(
                EMPLOYEES.c.id, EMPLOYEES.c.code, EMPLOYEES.c.revision, EMPLOYEES.c.sync_pending
            ).where(
                EMPLOYEES.c.code.in_([row["code"] for row in rows]),
                EMPLOYEES.c.id.not_in([row["id"] for row in rows]),
            )
        ).all()
    )


def _apply_employees(session: Session, rows: Sequence[RowMapping], ctx: PullContext) -> Batch:
    blocked: str | None = None
    stop_at = _first_pending(session, EMPLOYEES, rows)
    if stop_at is not None:
        rows, blocked = rows[:stop_at], "an employee changed here is still to push"
    while True:
        clashes = _code_clashes(session, rows) if rows else []
        # A central employee with a local change still to push holds the code: settle first.
        stuck = [c for c in clashes if c.sync_pending and c.revision is not None]
        if not stuck:
            break
        codes = {c.code for c in stuck}
        index = next(i for i, row in enumerate(rows) if row["code"] in codes)
        rows, blocked = rows[:index], "an employee changed here is still to push"
    incoming = {row["id"]: row["code"] for row in rows}
    # Codes move between employees only through temporary ones, so free them first.
    for employee_id, code in session.execute(
        select(EMPLOYEES.c.id, EMPLOYEES.c.code).where(EMPLOYEES.c.id.in_(list(incoming)))
    ).all():
        if incoming[employee_id] != code:
            _set_code(session, employee_id, _temporary(employee_id, CODE_LENGTH))
    owner_of = {code: employee_id for employee_id, code in incoming.items()}
    for clash in clashes:
        if clash.revision is None:
            _rename_kiosk_employee(session, clash.id, clash.code, owner_of[clash.code], ctx)
        else:
            # A central employee whose newer version (with another code) comes later.
            _set_code(session, clash.id, _temporary(clash.id, CODE_LENGTH))
    _upsert(session, EMPLOYEES, rows)
    ctx.report.changed_employees.update(incoming)
    return Batch(len(rows), blocked)


def _set_code(session: Session, employee_id: uuid.UUID, code: str, pending: bool = False) -> None:
    values: dict[str, Any] = {"code": code, **keep_updated_at(EMPLOYEES)}
    if pending:
        values["sync_pending"] = True
    session.execute(update(EMPLOYEES).where(EMPLOYEES.c.id == employee_id).values(**values))


def _rename_kiosk_employee(
    session: Session, employee_id: uuid.UUID, code: str, central_id: uuid.UUID, ctx: PullContext
) -> None:
    """An employee made here whose code the central database gave someone else.

    The central one keeps the code; this one gets a marked code, goes up again under it (so
    its records can follow) and the audit log says so for an administrator to settle.
    """
    new_code = f"{code[: CODE_LENGTH - 9]}~{employee_id.hex[:8]}"
    _set_code(session, employee_id, new_code, pending=True)
    audit.record(
        session,
        actor="sync",
        action="employee.code_conflict",
        target_type="employee",
        target_id=new_code,
        details={"code": code, "central_employee_id": str(central_id)},
        reason="the central database has another employee with this code",
        kiosk_id=ctx.kiosk_id,
    )


# --- shifts --------------------------------------------------------------------------------


def _apply_shifts(session: Session, rows: Sequence[RowMapping], ctx: PullContext) -> Batch:  # noqa: ARG001
    for index, row in enumerate(rows):
        problem = shift_problem(dict(row))
        if problem is not None:
            # Whatever the central row says, this kiosk never takes a shift its rules cannot
            # use (it would stop every punch of that shift's people): it keeps its own.
            log.warning("sync: central shift %s not taken: %s", row["id"], problem)
            continue
        local = session.execute(
            select(SHIFTS.c.sync_pending).where(SHIFTS.c.id == row["id"])
        ).first()
        if local is not None and local.sync_pending:
            return Batch(index, "a shift changed here is still to push")
        clash_filter = SHIFTS.c.name == row["name"]
        if row["seed_key"] is not None:
            clash_filter = clash_filter | (SHIFTS.c.seed_key == row["seed_key"])
        clashes = session.execute(
            select(SHIFTS.c.id, SHIFTS.c.revision, SHIFTS.c.sync_pending).where(
                clash_filter, SHIFTS.c.id != row["id"]
            )
        ).all()
        if any(c.sync_pending and c.revision is not None for c in clashes):
            return Batch(index, "a shift changed here is still to push")
        for clash in clashes:
            session.execute(
                update(SHIFTS)
                .where(SHIFTS.c.id == clash.id)
                .values(
                    name=_temporary(clash.id, NAME_LENGTH), seed_key=None, **keep_updated_at(SHIFTS)
                )
            )
        _upsert(session, SHIFTS, [row])
        for clash in clashes:
            if clash.revision is None:
                _adopt_central_shift(session, clash.id, row["id"])
    return Batch(len(rows))


def _adopt_central_shift(session: Session, local_id: uuid.UUID, central_id: uuid.UUID) -> None:
    """A shift made here (a seeded one, usually) that exists centrally under another id.

    Every kiosk seeds the usual shifts with ids of its own; the central one wins and this
    kiosk's assignments move to it (and go up again).
    """
    session.execute(
        update(SHIFT_ASSIGNMENTS)
        .where(SHIFT_ASSIGNMENTS.c.shift_id == local_id)
        .values(shift_id=central_id, sync_pending=True)
    )
    session.execute(delete(SHIFTS).where(SHIFTS.c.id == local_id))


# --- assignments and templates ------------------------------------------------------------


def _present(session: Session, table: Table, ids: set[uuid.UUID]) -> set[uuid.UUID]:
    return set(session.scalars(select(table.c.id).where(table.c.id.in_(list(ids)))))


def _apply_assignments(session: Session, rows: Sequence[RowMapping], ctx: PullContext) -> Batch:  # noqa: ARG001
    blocked: str | None = None
    employees = _present(session, EMPLOYEES, {row["employee_id"] for row in rows})
    shifts = _present(session, SHIFTS, {row["shift_id"] for row in rows})
    for index, row in enumerate(rows):
        if row["employee_id"] not in employees or row["shift_id"] not in shifts:
            rows, blocked = rows[:index], "an assignment waits for its employee or shift"
            break
    stop_at = _first_pending(session, SHIFT_ASSIGNMENTS, rows)
    if stop_at is not None:
        rows, blocked = rows[:stop_at], "an assignment changed here is still to push"
    _upsert(session, SHIFT_ASSIGNMENTS, rows)
    return Batch(len(rows), blocked)


def _apply_templates(session: Session, rows: Sequence[RowMapping], ctx: PullContext) -> Batch:
    blocked: str | None = None
    people = {
        row.id: row
        for row in session.execute(
            select(EMPLOYEES.c.id, EMPLOYEES.c.consent_at, EMPLOYEES.c.biometrics_erased_at).where(
                EMPLOYEES.c.id.in_(list({row["employee_id"] for row in rows}))
            )
        )
    }
    for index, row in enumerate(rows):
        if row["employee_id"] not in people:
            rows, blocked = rows[:index], "a face template waits for its employee"
            break
    stop_at = _first_pending(session, FACE_TEMPLATES, rows)
    if stop_at is not None:
        rows, blocked = rows[:stop_at], "a face template made here is still to push"
    wanted = []
    for row in rows:
        person = people[row["employee_id"]]
        erased = person.biometrics_erased_at
        if erased is not None and (
            not reconsented(person.consent_at, erased) or row["created_at"] <= erased
        ):
            continue  # made before an erasure this kiosk already applied: the server purges it
        wanted.append(row)
    _upsert(session, FACE_TEMPLATES, wanted)
    ctx.report.changed_employees.update(row["employee_id"] for row in wanted)
    return Batch(len(rows), blocked)


def _apply_person_keys(session: Session, rows: Sequence[RowMapping], ctx: PullContext) -> Batch:  # noqa: ARG001
    """People's keys (schema 0008), wrapped under the central epoch (which may be ahead of
    this kiosk's until its next catch-up: they open all the same). A key an erasure applied
    here dooms is not taken back, whatever the central database still holds until it
    applies this kiosk's tombstone."""
    blocked: str | None = None
    stop_at = _first_pending(session, PERSON_KEYS, rows)
    if stop_at is not None:
        rows, blocked = rows[:stop_at], "a person key made here is still to push"
    people = {
        row.id: row
        for row in session.execute(
            select(EMPLOYEES.c.id, EMPLOYEES.c.consent_at, EMPLOYEES.c.biometrics_erased_at).where(
                EMPLOYEES.c.id.in_(list({row["employee_id"] for row in rows}))
            )
        )
    }
    wanted = []
    for row in rows:
        person = people.get(row["employee_id"])
        if person is not None and person.biometrics_erased_at is not None:
            erased = person.biometrics_erased_at
            if not reconsented(person.consent_at, erased) or row["created_at"] <= erased:
                continue
        wanted.append(row)
    _upsert(session, PERSON_KEYS, wanted)
    return Batch(len(rows), blocked)


# --- tombstones ----------------------------------------------------------------------------


def _apply_tombstones(session: Session, rows: Sequence[RowMapping], ctx: PullContext) -> Batch:
    for row in rows:
        entity, entity_id = row["entity"], row["entity_id"]
        if entity == "employee_biometrics":
            if erase_locally(session, entity_id, row["at"]):
                ctx.report.erased_employees.add(entity_id)
        elif entity == "face_template":
            owner = session.scalar(
                select(FACE_TEMPLATES.c.employee_id).where(FACE_TEMPLATES.c.id == entity_id)
            )
            session.execute(delete(FACE_TEMPLATES).where(FACE_TEMPLATES.c.id == entity_id))
            if owner is not None:
                ctx.report.changed_employees.add(owner)
        elif entity == "shift_assignment":
            session.execute(delete(SHIFT_ASSIGNMENTS).where(SHIFT_ASSIGNMENTS.c.id == entity_id))
        # Unknown entities come from a newer program; nothing here to delete.
    return Batch(len(rows))


def _apply_memberships(session: Session, rows: Sequence[RowMapping], ctx: PullContext) -> Batch:
    site_id = ctx.site.id if ctx.site else None
    left = apply_memberships(session, list(rows), site_id)
    ctx.report.erased_employees.update(left)
    return Batch(len(rows))


APPLIERS: dict[str, Applier] = {
    "shifts": _apply_shifts,
    "person_keys": _apply_person_keys,
    "employees": _apply_employees,
    "shift_assignments": _apply_assignments,
    "face_templates": _apply_templates,
    "tombstones": _apply_tombstones,
    "site_employees": _apply_memberships,
}
