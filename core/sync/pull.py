"""Pull: what changed centrally since this kiosk's cursor, in bounded batches.

Per table, the cursor is the highest central ``revision`` applied locally (``sync_state``
key ``pull.<table>.revision``). A batch is the next ``batch`` rows by revision; it is written
locally in one transaction together with the new cursor, so a crash resumes where it was.
Tables go parents first (shifts, employees, assignments, templates, tombstones) and the
passes repeat while a child row waits for a parent that a later pass brings.

Pulled rows never overwrite a local row whose own change is still to push: the pass stops
just before it, and the next cycle (which pushes first) reads it again. Tombstones are
applied, not stored: an erasure deletes the person's local templates and photo.

Sites (``core.sync.sites``): each pull first asks which site the central database gives this
kiosk. A kiosk with a site sees only its members' rows (the central database's row-level
security) and also pulls its site's memberships, last, to learn who left; a changed site
starts the cursors again and, once everything is pulled, drops whoever is out of reach. A
site's kiosk moves a cursor past the other sites' newer rows too, to the table's horizon read
in the same snapshot (migration 0005), so an idle cycle scans nothing.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import RowMapping, Table, delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.store import audit
from core.store.database import Store
from core.store.tables import EMPLOYEES, FACE_TEMPLATES, PERSON_KEYS, SHIFT_ASSIGNMENTS, SHIFTS
from core.sync.biometrics import reconsented
from core.sync.central import CentralDatabase
from core.sync.codec import MUTABLE_TABLES, SYNCED_COLUMNS, keep_updated_at, synced_columns
from core.sync.cursors import get_int, set_value
from core.sync.erasure import erase_locally
from core.sync.inbox_checks import shift_problem
from core.sync.sites import (
    SITE_EMPLOYEES,
    SiteInfo,
    adopt_site,
    apply_memberships,
    central_site,
    reconcile,
    reconcile_pending,
    visible_employees,
)

log = logging.getLogger(__name__)

# migration 0005: the highest revision of a pulled table, whatever the login may see, for
# the tables row-level security scopes by employee (a site's kiosk skips the others' rows)
HORIZON_FUNCTION = "asistencia_pull_horizon"
HORIZON_TABLES = frozenset({"employees", "shift_assignments", "face_templates", "person_keys"})

MAX_PASSES = 4
CODE_LENGTH = 32
NAME_LENGTH = 64


def cursor_key(table: Table) -> str:
    return f"pull.{table.name}.revision"


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
class _Batch:
    """What an apply step returns: how many leading rows it applied, and why it stopped."""

    applied: int
    blocked: str | None = None


Applier = Callable[[Session, Sequence[RowMapping], "PullContext"], _Batch]


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


def _apply_employees(session: Session, rows: Sequence[RowMapping], ctx: PullContext) -> _Batch:
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
    return _Batch(len(rows), blocked)


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


def _apply_shifts(session: Session, rows: Sequence[RowMapping], ctx: PullContext) -> _Batch:  # noqa: ARG001
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
            return _Batch(index, "a shift changed here is still to push")
        clash_filter = SHIFTS.c.name == row["name"]
        if row["seed_key"] is not None:
            clash_filter = clash_filter | (SHIFTS.c.seed_key == row["seed_key"])
        clashes = session.execute(
            select(SHIFTS.c.id, SHIFTS.c.revision, SHIFTS.c.sync_pending).where(
                clash_filter, SHIFTS.c.id != row["id"]
            )
        ).all()
        if any(c.sync_pending and c.revision is not None for c in clashes):
            return _Batch(index, "a shift changed here is still to push")
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
    return _Batch(len(rows))


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


def _apply_assignments(session: Session, rows: Sequence[RowMapping], ctx: PullContext) -> _Batch:  # noqa: ARG001
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
    return _Batch(len(rows), blocked)


def _apply_templates(session: Session, rows: Sequence[RowMapping], ctx: PullContext) -> _Batch:
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
    return _Batch(len(rows), blocked)


def _apply_person_keys(session: Session, rows: Sequence[RowMapping], ctx: PullContext) -> _Batch:  # noqa: ARG001
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
    return _Batch(len(rows), blocked)


# --- tombstones ----------------------------------------------------------------------------


def _apply_tombstones(session: Session, rows: Sequence[RowMapping], ctx: PullContext) -> _Batch:
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
    return _Batch(len(rows))


def _apply_memberships(session: Session, rows: Sequence[RowMapping], ctx: PullContext) -> _Batch:
    site_id = ctx.site.id if ctx.site else None
    left = apply_memberships(session, list(rows), site_id)
    ctx.report.erased_employees.update(left)
    return _Batch(len(rows))


APPLIERS: dict[str, Applier] = {
    "shifts": _apply_shifts,
    "person_keys": _apply_person_keys,
    "employees": _apply_employees,
    "shift_assignments": _apply_assignments,
    "face_templates": _apply_templates,
    "tombstones": _apply_tombstones,
    "site_employees": _apply_memberships,
}


def _fetch(
    central: CentralDatabase, table: Table, after: int, batch: int, ctx: PullContext
) -> tuple[Sequence[RowMapping], int | None]:
    """Up to ``batch`` rows after the cursor, and the table's horizon in the same snapshot
    (migration 0005; None where the fetch never meets rows it may not see)."""
    if table is SITE_EMPLOYEES:
        columns = [table.c[name] for name in ("id", "site_id", "employee_id", "created_at")]
        columns.append(table.c.removed_at)
    else:
        columns = list(synced_columns(table))
    query = select(*columns, table.c.revision).where(table.c.revision > after)
    if table is SITE_EMPLOYEES and ctx.site is not None:
        # What row-level security shows this login anyway, said so the planner takes the
        # (site_id, revision) index; an owner's login sees every site's.
        query = query.where(table.c.site_id == ctx.site.id)
    with central.connect() as connection:
        if ctx.site is None or table.name not in HORIZON_TABLES:
            rows = connection.execute(query.order_by(table.c.revision).limit(batch))
            return rows.mappings().all(), None
        # One snapshot for both: a horizon read after the fetch could pass a row that was
        # committed in between and that the fetch did not see.
        snapshot = connection.execution_options(isolation_level="REPEATABLE READ")
        with snapshot.begin():
            rows = snapshot.execute(query.order_by(table.c.revision).limit(batch))
            fetched = rows.mappings().all()
            horizon = snapshot.execute(
                text(f"SELECT {HORIZON_FUNCTION}(:pulled)"), {"pulled": table.name}
            ).scalar_one()
        return fetched, None if horizon is None else int(horizon)


def pull_table(
    store: Store,
    *,
    central: CentralDatabase,
    table: Table,
    batch: int,
    ctx: PullContext,
    stop: threading.Event,
) -> int:
    """Pull one table until it is exhausted, blocked or asked to stop; rows applied."""
    applier = APPLIERS[table.name]
    key = cursor_key(table)
    total = 0
    while True:
        if stop.is_set():
            ctx.report.stopped = True
            return total
        with store.read() as session:
            cursor = get_int(session, key)
        rows, horizon = _fetch(central, table, cursor, batch, ctx)
        # Came back short: nothing this login may see lies between its last row and the
        # horizon, so the cursor may go there (the next cycle then scans nothing of the
        # other sites' newer rows). Not when a row was left for later (blocked).
        exhausted = len(rows) < batch and horizon is not None
        if not rows:
            if exhausted and horizon is not None and horizon > cursor:
                with store.write() as session:
                    set_value(session, key, str(horizon))
            return total
        with store.write() as session:
            result = applier(session, rows, ctx)
            if result.applied:
                last = int(rows[result.applied - 1]["revision"])
                if exhausted and result.applied == len(rows) and horizon is not None:
                    last = max(last, horizon)
                set_value(session, key, str(last))
        total += result.applied
        ctx.report.add(table.name, result.applied)
        if result.blocked:
            ctx.report.blocked[table.name] = result.blocked
            return total
        if len(rows) < batch:
            return total


PULLED_TABLES: tuple[Table, ...] = (*MUTABLE_TABLES, SITE_EMPLOYEES)


def _take_site(store: Store, central: CentralDatabase) -> SiteInfo | None:
    """The site the central database gives this login, stored here; a change restarts the
    cursors (the new site's people may be older than them)."""
    with central.connect() as connection:
        site = central_site(connection)
    with store.write() as session:
        adopt_site(session, site, [cursor_key(table) for table in PULLED_TABLES])
    return site


def pull_all(
    store: Store, central: CentralDatabase, batch: int, kiosk_id: str, stop: threading.Event
) -> PullReport:
    report = PullReport()
    site = _take_site(store, central)
    ctx = PullContext(kiosk_id, report, site)
    # Without a site nobody leaves this kiosk: memberships are not its business.
    tables = PULLED_TABLES if site is not None else MUTABLE_TABLES
    for _ in range(MAX_PASSES):
        report.blocked.clear()
        progressed = 0
        for table in tables:
            progressed += pull_table(
                store, central=central, table=table, batch=batch, ctx=ctx, stop=stop
            )
            if report.stopped:
                return report
        if not report.blocked or not progressed:
            break
    if site is not None and not report.blocked:
        with store.read() as session:
            pending = reconcile_pending(session)
        if pending:
            with central.connect() as connection:
                visible = visible_employees(connection)
            report.erased_employees.update(reconcile(store, visible))
    return report


def cursors(store: Store) -> dict[str, int]:
    with store.read() as session:
        return {table.name: get_int(session, cursor_key(table)) for table in PULLED_TABLES}


__all__ = ["PullReport", "cursor_key", "cursors", "pull_all", "pull_table"]
