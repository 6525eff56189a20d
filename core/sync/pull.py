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
from collections.abc import Sequence

from sqlalchemy import RowMapping, Table, select, text

from core.store.database import Store
from core.sync.central import CentralDatabase
from core.sync.codec import MUTABLE_TABLES, synced_columns
from core.sync.cursors import get_int, set_value
from core.sync.pull_apply import APPLIERS, PullContext, PullReport
from core.sync.sites import (
    SITE_EMPLOYEES,
    SiteInfo,
    adopt_site,
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


def cursor_key(table: Table) -> str:
    return f"pull.{table.name}.revision"


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
