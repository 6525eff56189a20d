"""Sites on the kiosk's side of sync: which site the central database says this kiosk is in,
what to do when that changes, and dropping a person who left the site.

The central database owns a kiosk's site (``kiosk_roles.site_id``, set by the owner with
``central site assign-kiosk``). Row-level security there (migration 0004) lets a kiosk login
read only the employee rows, templates and assignments of its site's current members, so the
pull code reads as before and simply sees less. Two changes need more than a cursor:

- **A person leaves this kiosk's site.** Their rows are no longer visible, so no pulled row
  says so; the membership row (``site_employees``, pulled last, by the same kind of cursor)
  does: ``removed_at`` set. The kiosk then drops the person's templates, photo, PIN hash and
  assignments (:func:`leave_locally`); attendance already recorded stays, and so does the
  employee row if a record needs it.
- **The kiosk's own site changes** (or it gets one for the first time). The rows of the new
  site's people may be older than every cursor, so the cursors start again from zero, and
  once everything visible is pulled, every central employee the kiosk holds that it can no
  longer see leaves (:func:`reconcile`). A crash in between resumes: the pending
  reconciliation is kept in ``sync_state``.

A person *joining* a site needs nothing here: the server gives their rows new revisions
(``core.sync.site_admin``), so every kiosk's cursor meets them again and those that may see
them pull them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, exists, func, select, text, update
from sqlalchemy.orm import Session

from core.store.database import Store
from core.store.person_keys import forget_keys
from core.store.tables import (
    CORRECTIONS,
    EMPLOYEES,
    EVENTS,
    FACE_TEMPLATES,
    SHIFT_ASSIGNMENTS,
    SITE_EMPLOYEES,
    SITES,
)
from core.store.types import utcnow
from core.sync.codec import keep_updated_at
from core.sync.cursors import get_value, set_value

# sync_state keys. ``site.id`` absent: never asked (an older version pulled everyone);
# empty: the central database gave this kiosk no site.
SITE_ID_KEY = "site.id"
SITE_CODE_KEY = "site.code"
SITE_NAME_KEY = "site.name"
RECONCILE_KEY = "site.reconcile"  # "1" while a site change's clean-up is still to do

# Kept in step with migration 0004.
SITE_FUNCTION = "asistencia_kiosk_site"
KNOWN_FUNCTION = "asistencia_known_employees"
MEMBERSHIP_COLUMNS = ("id", "site_id", "employee_id", "created_at", "removed_at")


@dataclass(frozen=True)
class SiteInfo:
    id: uuid.UUID
    code: str
    name: str


def central_site(connection: Connection) -> SiteInfo | None:
    """This login's site as the central database has it (None: no site, every employee)."""
    row = connection.execute(
        text(f"SELECT id, code, name FROM sites WHERE id = {SITE_FUNCTION}()")  # noqa: S608
    ).first()
    return None if row is None else SiteInfo(uuid.UUID(str(row.id)), row.code, row.name)


def local_site(session: Session | Connection) -> tuple[bool, SiteInfo | None]:
    """(known, site) as last pulled: known is False before the first pull that asked."""
    site_id = get_value(session, SITE_ID_KEY)
    if site_id is None:
        return False, None
    if not site_id:
        return True, None
    return True, SiteInfo(
        uuid.UUID(site_id),
        get_value(session, SITE_CODE_KEY) or "",
        get_value(session, SITE_NAME_KEY) or "",
    )


def members_here(session: Session, site_id: uuid.UUID) -> int:
    """Current members of ``site_id`` as this kiosk last pulled them."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(SITE_EMPLOYEES)
            .where(SITE_EMPLOYEES.c.site_id == site_id, SITE_EMPLOYEES.c.removed_at.is_(None))
        )
        or 0
    )


def adopt_site(session: Session, site: SiteInfo | None, cursor_keys: list[str]) -> bool:
    """Store the central answer; when the site changed, start every cursor again and keep a
    reconciliation to do. True when it changed."""
    known, before = local_site(session)
    before_id = before.id if before else None
    after_id = site.id if site else None
    changed = before_id != after_id and (known or after_id is not None)
    if known and before == site:
        return False  # the usual case: nothing to write
    set_value(session, SITE_ID_KEY, str(after_id) if after_id else "")
    set_value(session, SITE_CODE_KEY, site.code if site else "")
    set_value(session, SITE_NAME_KEY, site.name if site else "")
    if site is not None:
        # The local copy the memberships kept here refer to.
        values = {"code": site.code, "name": site.name}
        if session.scalar(select(SITES.c.id).where(SITES.c.id == site.id)) is None:
            session.execute(SITES.insert().values(id=site.id, created_at=utcnow(), **values))
        else:
            session.execute(update(SITES).where(SITES.c.id == site.id).values(**values))
    if changed:
        for key in cursor_keys:
            set_value(session, key, "0")
        if after_id is not None:
            set_value(session, RECONCILE_KEY, "1")
        else:
            # No site: everything is visible again, nobody has to leave.
            set_value(session, RECONCILE_KEY, "")
        # Memberships of the old site say nothing about the new one.
        stale = delete(SITE_EMPLOYEES)
        if after_id is not None:
            stale = stale.where(SITE_EMPLOYEES.c.site_id != after_id)
        session.execute(stale)
    return changed


def leave_locally(session: Session, employee_id: uuid.UUID) -> bool:
    """Drop what this kiosk holds of a person no longer in its site; True when known here.

    Templates, photo, PIN hash and assignments go; the attendance recorded stays, and so
    does the employee row when a record or correction needs it (else the row goes too).
    Nothing is marked to push: the person is unchanged centrally, only out of this kiosk's
    reach (a later edit here of a kept row is refused by the server, which checks sites).
    """
    known = session.scalar(select(EMPLOYEES.c.id).where(EMPLOYEES.c.id == employee_id))
    if known is None:
        return False
    session.execute(delete(FACE_TEMPLATES).where(FACE_TEMPLATES.c.employee_id == employee_id))
    forget_keys(session, employee_id)
    session.execute(delete(SHIFT_ASSIGNMENTS).where(SHIFT_ASSIGNMENTS.c.employee_id == employee_id))
    recorded = session.scalar(
        select(exists().where(EVENTS.c.employee_id == employee_id))
    ) or session.scalar(
        select(
            exists().where(
                CORRECTIONS.c.event_id.in_(
                    select(EVENTS.c.id).where(EVENTS.c.employee_id == employee_id)
                )
            )
        )
    )
    if recorded:
        session.execute(
            update(EMPLOYEES)
            .where(EMPLOYEES.c.id == employee_id)
            .values(photo_jpeg=None, pin_hash=None, **keep_updated_at(EMPLOYEES))
        )
    else:
        session.execute(delete(EMPLOYEES).where(EMPLOYEES.c.id == employee_id))
    return True


def apply_memberships(
    session: Session, rows: list[Any], site_id: uuid.UUID | None
) -> set[uuid.UUID]:
    """Keep this site's membership rows; returns the people who left it."""
    left: set[uuid.UUID] = set()
    for row in rows:
        if row["site_id"] != site_id:
            continue  # another site's (an owner login sees them all): not this kiosk's
        if row["removed_at"] is not None and leave_locally(session, row["employee_id"]):
            left.add(row["employee_id"])
        if (
            session.scalar(select(EMPLOYEES.c.id).where(EMPLOYEES.c.id == row["employee_id"]))
            is None
        ):
            continue  # not held here (gone, or never pulled): nothing to count
        values = {name: row[name] for name in MEMBERSHIP_COLUMNS}
        values["revision"] = row["revision"]
        present = session.scalar(
            select(SITE_EMPLOYEES.c.id).where(SITE_EMPLOYEES.c.id == row["id"])
        )
        if present is None:
            session.execute(SITE_EMPLOYEES.insert().values(**values))
        else:
            session.execute(
                update(SITE_EMPLOYEES).where(SITE_EMPLOYEES.c.id == row["id"]).values(**values)
            )
    return left


def reconcile(store: Store, visible: set[uuid.UUID]) -> set[uuid.UUID]:
    """After a site change: every central employee held here that the kiosk may no longer
    see leaves. Employees made here and not yet back from the server stay."""
    left: set[uuid.UUID] = set()
    with store.write() as session:
        held = set(session.scalars(select(EMPLOYEES.c.id).where(EMPLOYEES.c.revision.is_not(None))))
        for employee_id in held - visible:
            if leave_locally(session, employee_id):
                left.add(employee_id)
        set_value(session, RECONCILE_KEY, "")
    return left


def reconcile_pending(session: Session) -> bool:
    return get_value(session, RECONCILE_KEY) == "1"


def visible_employees(connection: Connection) -> set[uuid.UUID]:
    """The employee ids this login may see (its site's members; everyone without a site)."""
    return set(connection.scalars(select(EMPLOYEES.c.id)))


def known_employees(connection: Connection, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``ids`` exist centrally, whatever this login's site."""
    rows = connection.execute(
        text(f"SELECT * FROM {KNOWN_FUNCTION}(CAST(:ids AS uuid[]))"),  # noqa: S608
        {"ids": [str(i) for i in ids]},
    ).scalars()
    return {uuid.UUID(str(value)) for value in rows}


__all__ = [
    "SITES",
    "SITE_EMPLOYEES",
    "SiteInfo",
    "adopt_site",
    "apply_memberships",
    "central_site",
    "known_employees",
    "leave_locally",
    "local_site",
    "members_here",
    "reconcile",
    "reconcile_pending",
    "visible_employees",
]
