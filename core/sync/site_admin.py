"""Sites, centrally: the owner's commands (``main.py central site …``) and the rules the
headless server applies to what a kiosk with a site sends.

The central database is the authority on sites: a kiosk's site is ``kiosk_roles.site_id``,
which a kiosk's login can neither read nor write (it learns its own site through
``asistencia_kiosk_site()``). Every command here is one transaction with its audit line.

Joining a site gives the person's rows (employee, keys, templates, assignments) new revisions: a
kiosk whose cursor is already past them meets them again at its next pull, and row-level
security decides which kiosks see them. Leaving sets ``removed_at`` on the membership, whose
new revision tells that site's kiosks to drop the person (``core.sync.sites``).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from core.errors import NotFoundError, RefusedError, UsageError
from core.people.identifiers import SITE_NAME, check_printable
from core.store.audit import cli_actor
from core.store.tables import (
    AUDIT,
    EMPLOYEES,
    FACE_TEMPLATES,
    KIOSK_ROLES,
    PERSON_KEYS,
    SHIFT_ASSIGNMENTS,
)
from core.store.types import utcnow
from core.sync.central import CentralDatabase, lock_revisions
from core.sync.codec import keep_updated_at
from core.sync.sites import SITE_EMPLOYEES, SITES

CENTRAL_KIOSK_ID = "central"
SITE_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
NAME_LENGTH = 120


def check_site_code(code: str) -> str:
    code = code.strip()
    if not SITE_CODE.match(code):
        raise UsageError(
            f"a site code is 1-32 lower-case letters, digits, '-' or '_', starting with a "
            f"letter or digit (e.g. norte), not '{code}'"
        )
    return code


def central_audit(
    connection: Connection,
    *,
    action: str,
    target: str,
    details: dict[str, Any],
    reason: str,
    actor: str | None,
    now: datetime,
    target_type: str = "site",
) -> None:
    """An audit line of the central database's own (kiosk id ``central``), written in the
    transaction of the change it describes."""
    connection.execute(
        insert(AUDIT).values(
            id=uuid.uuid4(),
            at=now,
            actor=actor or cli_actor(),
            action=action,
            target_type=target_type,
            target_id=target,
            details=json.dumps(details, default=str),
            reason=reason,
            kiosk_id=CENTRAL_KIOSK_ID,
            synced_at=now,
        )
    )


def site_id_of(connection: Connection, code: str) -> uuid.UUID:
    code = check_site_code(code)
    site_id = connection.scalar(select(SITES.c.id).where(SITES.c.code == code))
    if site_id is None:
        raise NotFoundError(
            f"no site '{code}' in the central database (see `python main.py central site list`)"
        )
    return uuid.UUID(str(site_id))


def create_site(
    central: CentralDatabase, code: str, name: str, *, reason: str = "", actor: str | None = None
) -> uuid.UUID:
    code = check_site_code(code)
    name = " ".join(check_printable(name.strip(), SITE_NAME).split())
    if not name:
        raise UsageError("a site needs a name (--name)")
    if len(name) > NAME_LENGTH:
        raise UsageError(f"a site's name is at most {NAME_LENGTH} characters")
    now = utcnow()
    with central.begin() as connection:
        if connection.scalar(select(SITES.c.id).where(SITES.c.code == code)) is not None:
            raise RefusedError(f"site '{code}' already exists")
        site_id = uuid.uuid4()
        connection.execute(insert(SITES).values(id=site_id, code=code, name=name, created_at=now))
        central_audit(
            connection,
            action="site.create",
            target=code,
            details={"name": name},
            reason=reason,
            actor=actor,
            now=now,
        )
    return site_id


@dataclass
class SiteRow:
    code: str
    name: str
    employees: int = 0
    kiosks: list[str] = field(default_factory=list)


def list_sites(central: CentralDatabase) -> tuple[list[SiteRow], list[str]]:
    """Every site with its current members' count and kiosks; and the kiosks with no site."""
    with central.connect() as connection:
        members: dict[uuid.UUID, int] = dict(
            connection.execute(
                select(SITE_EMPLOYEES.c.site_id, func.count())
                .where(SITE_EMPLOYEES.c.removed_at.is_(None))
                .group_by(SITE_EMPLOYEES.c.site_id)
            ).all()
        )
        rows = {
            site.id: SiteRow(site.code, site.name, int(members.get(site.id, 0)))
            for site in connection.execute(select(SITES).order_by(SITES.c.code))
        }
        unsited: list[str] = []
        for kiosk_id, site_id in connection.execute(
            select(KIOSK_ROLES.c.kiosk_id, KIOSK_ROLES.c.site_id).order_by(KIOSK_ROLES.c.kiosk_id)
        ):
            if site_id is None:
                unsited.append(kiosk_id)
            else:
                rows[site_id].kiosks.append(kiosk_id)
    return list(rows.values()), unsited


def assign_kiosk(
    central: CentralDatabase,
    kiosk_id: str,
    site_code: str | None,
    *,
    reason: str = "",
    actor: str | None = None,
) -> str | None:
    """Put a registered kiosk in a site (None: no site, every employee); returns the site it
    was in. It applies at the kiosk's next sync: its cursors start again and the people out
    of its new site are dropped there."""
    now = utcnow()
    with central.begin() as connection:
        site_id = None if site_code is None else site_id_of(connection, site_code)
        current = connection.execute(
            select(KIOSK_ROLES.c.role_name, SITES.c.code)
            .select_from(KIOSK_ROLES.outerjoin(SITES, SITES.c.id == KIOSK_ROLES.c.site_id))
            .where(KIOSK_ROLES.c.kiosk_id == kiosk_id)
        ).first()
        if current is None:
            raise NotFoundError(
                f"no kiosk '{kiosk_id}' is registered centrally: give it its role first with "
                f"`python main.py central create-kiosk-role --name NAME --kiosk-id {kiosk_id} "
                "--apply`"
            )
        connection.execute(
            update(KIOSK_ROLES).where(KIOSK_ROLES.c.kiosk_id == kiosk_id).values(site_id=site_id)
        )
        central_audit(
            connection,
            action="site.assign_kiosk",
            target=site_code or "",
            details={"kiosk_id": kiosk_id, "role": current.role_name, "from": current.code},
            reason=reason,
            actor=actor,
            now=now,
        )
    return current.code  # type: ignore[no-any-return]


def is_member(connection: Connection, site_id: uuid.UUID, employee_id: uuid.UUID) -> bool:
    return (
        connection.scalar(
            select(SITE_EMPLOYEES.c.id).where(
                SITE_EMPLOYEES.c.site_id == site_id,
                SITE_EMPLOYEES.c.employee_id == employee_id,
                SITE_EMPLOYEES.c.removed_at.is_(None),
            )
        )
        is not None
    )


def join_site(
    connection: Connection, site_id: uuid.UUID, employee_id: uuid.UUID, now: datetime
) -> bool:
    """Make ``employee_id`` a member of ``site_id`` (the caller holds the revision lock);
    False when they already were."""
    if is_member(connection, site_id, employee_id):
        return False
    row_id = connection.scalar(
        select(SITE_EMPLOYEES.c.id).where(
            SITE_EMPLOYEES.c.site_id == site_id, SITE_EMPLOYEES.c.employee_id == employee_id
        )
    )
    if row_id is None:
        connection.execute(
            insert(SITE_EMPLOYEES).values(
                id=uuid.uuid4(),
                site_id=site_id,
                employee_id=employee_id,
                created_at=now,
                removed_at=None,
            )
        )
    else:
        connection.execute(
            update(SITE_EMPLOYEES).where(SITE_EMPLOYEES.c.id == row_id).values(removed_at=None)
        )
    _resend(connection, employee_id)
    return True


def _resend(connection: Connection, employee_id: uuid.UUID) -> None:
    """New revisions for the person's rows (the trigger numbers every update), nothing else
    changed: kiosks whose cursors are past them meet them again."""
    connection.execute(
        update(EMPLOYEES)
        .where(EMPLOYEES.c.id == employee_id)
        .values(revision=None, **keep_updated_at(EMPLOYEES))
    )
    for table in (PERSON_KEYS, FACE_TEMPLATES, SHIFT_ASSIGNMENTS):
        connection.execute(
            update(table).where(table.c.employee_id == employee_id).values(revision=None)
        )


def _employee_ids(connection: Connection, codes: Sequence[str]) -> dict[str, uuid.UUID]:
    wanted = [code.strip() for code in codes if code.strip()]
    if not wanted:
        raise UsageError("name at least one employee code (--code)")
    found = dict(
        connection.execute(
            select(EMPLOYEES.c.code, EMPLOYEES.c.id).where(EMPLOYEES.c.code.in_(wanted))
        ).all()
    )
    missing = [code for code in wanted if code not in found]
    if missing:
        raise NotFoundError(
            "no employee with code "
            + ", ".join(f"'{code}'" for code in missing)
            + " in the central database"
        )
    return {code: found[code] for code in wanted}


def change_members(
    central: CentralDatabase,
    site_code: str,
    codes: Sequence[str],
    *,
    add: bool,
    reason: str = "",
    actor: str | None = None,
) -> tuple[list[str], list[str]]:
    """Add (or remove) employees to a site; returns (changed, already so) codes."""
    now = utcnow()
    changed: list[str] = []
    unchanged: list[str] = []
    with central.begin() as connection:
        lock_revisions(connection)
        site_id = site_id_of(connection, site_code)
        for code, employee_id in _employee_ids(connection, codes).items():
            if add:
                done = join_site(connection, site_id, employee_id, now)
            else:
                done = (
                    connection.execute(
                        update(SITE_EMPLOYEES)
                        .where(
                            SITE_EMPLOYEES.c.site_id == site_id,
                            SITE_EMPLOYEES.c.employee_id == employee_id,
                            SITE_EMPLOYEES.c.removed_at.is_(None),
                        )
                        .values(removed_at=now)
                    ).rowcount
                    > 0
                )
            (changed if done else unchanged).append(code)
        if changed:
            central_audit(
                connection,
                action="site.add_employee" if add else "site.remove_employee",
                target=check_site_code(site_code),
                details={"employees": changed},
                reason=reason,
                actor=actor,
                now=now,
            )
    return changed, unchanged


def sender_site(connection: Connection, sent_by: str | None) -> uuid.UUID | None:
    """The site of the kiosk role that sent an inbox row (None: no site, or the owner)."""
    if sent_by is None:
        return None
    return connection.scalar(
        select(KIOSK_ROLES.c.site_id).where(KIOSK_ROLES.c.role_name == sent_by)
    )


def _owner_of(connection: Connection, entity: str, values: dict[str, Any]) -> uuid.UUID | None:
    """The employee a kiosk change is about, if it is one that belongs to a person."""
    if entity == "employees":
        return values["id"]  # type: ignore[no-any-return]
    if entity in ("face_templates", "shift_assignments", "person_keys"):
        return values["employee_id"]  # type: ignore[no-any-return]
    if entity == "tombstones":
        kind, target = values["entity"], values["entity_id"]
        if kind == "employee_biometrics":
            return target  # type: ignore[no-any-return]
        table = {"face_template": FACE_TEMPLATES, "shift_assignment": SHIFT_ASSIGNMENTS}.get(kind)
        if table is not None:
            return connection.scalar(select(table.c.employee_id).where(table.c.id == target))
    return None


def outside_site(
    connection: Connection, site_id: uuid.UUID, entity: str, values: dict[str, Any]
) -> str | None:
    """Why a change from a kiosk of ``site_id`` may not touch this person, or None.

    A kiosk changes only its own site's people (a stolen login of site A cannot enroll a
    face for, rename or erase someone of site B); a person new to the central database is
    fine: the kiosk made them, and they join its site."""
    employee_id = _owner_of(connection, entity, values)
    if employee_id is None:
        return None
    code = connection.scalar(select(EMPLOYEES.c.code).where(EMPLOYEES.c.id == employee_id))
    if code is None or is_member(connection, site_id, employee_id):
        return None
    site = connection.scalar(select(SITES.c.code).where(SITES.c.id == site_id))
    return (
        f"employee '{code}' is not in site '{site}', the sending kiosk's: a kiosk changes only "
        "its own site's people"
    )
