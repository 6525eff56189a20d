"""Who works where, centrally: each employee with their faces and their sites (owner's login).

What an HR person asks before anything else ("is Ana enrolled, and at which doors?"): one
page of employees, found by code or name, with how many face templates the central
database holds for each, whether their biometrics were erased, and the sites they belong
to (a kiosk of a site receives only its members; a kiosk without a site receives everyone).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from core.store.tables import EMPLOYEES, FACE_TEMPLATES, SITE_EMPLOYEES, SITES
from core.sync.central import CentralDatabase

PAGE_SIZE = 50


@dataclass(frozen=True)
class PersonRow:
    code: str
    name: str
    active: bool
    templates: int
    biometrics_erased_at: datetime | None
    sites: tuple[str, ...]  # site codes, sorted


@dataclass(frozen=True)
class PeoplePage:
    rows: list[PersonRow]
    total: int  # every employee the search matches
    offset: int
    limit: int


def _like(search: str) -> str:
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def central_people(
    central: CentralDatabase,
    *,
    search: str = "",
    site: str | None = None,
    code: str | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> PeoplePage:
    """A page of employees by code, matching ``search`` in their code or name (literally:
    ``%`` and ``_`` are characters), optionally only the current members of ``site``, or
    only the one whose code is ``code``."""
    search = search.strip()
    offset, limit = max(offset, 0), min(max(limit, 1), 500)
    where = []
    if search:
        pattern = _like(search)
        where.append(
            or_(
                EMPLOYEES.c.code.ilike(pattern, escape="\\"),
                EMPLOYEES.c.name.ilike(pattern, escape="\\"),
            )
        )
    if code is not None:
        where.append(EMPLOYEES.c.code == code.strip())
    if site:
        members = (
            select(SITE_EMPLOYEES.c.employee_id)
            .join(SITES, SITES.c.id == SITE_EMPLOYEES.c.site_id)
            .where(SITES.c.code == site.strip(), SITE_EMPLOYEES.c.removed_at.is_(None))
        )
        where.append(EMPLOYEES.c.id.in_(members))
    with central.connect() as connection:
        total = int(
            connection.scalar(select(func.count()).select_from(EMPLOYEES).where(*where)) or 0
        )
        people = connection.execute(
            select(
                EMPLOYEES.c.id,
                EMPLOYEES.c.code,
                EMPLOYEES.c.name,
                EMPLOYEES.c.active,
                EMPLOYEES.c.biometrics_erased_at,
            )
            .where(*where)
            .order_by(EMPLOYEES.c.code)
            .offset(offset)
            .limit(limit)
        ).all()
        ids = [row.id for row in people]
        templates: dict[uuid.UUID, int] = dict(
            connection.execute(
                select(FACE_TEMPLATES.c.employee_id, func.count())
                .where(FACE_TEMPLATES.c.employee_id.in_(ids))
                .group_by(FACE_TEMPLATES.c.employee_id)
            ).all()
        )
        sites: defaultdict[uuid.UUID, list[str]] = defaultdict(list)
        for employee_id, site_code in connection.execute(
            select(SITE_EMPLOYEES.c.employee_id, SITES.c.code)
            .join(SITES, SITES.c.id == SITE_EMPLOYEES.c.site_id)
            .where(SITE_EMPLOYEES.c.employee_id.in_(ids), SITE_EMPLOYEES.c.removed_at.is_(None))
        ):
            sites[employee_id].append(site_code)
    rows = [
        PersonRow(
            row.code,
            row.name,
            bool(row.active),
            int(templates.get(row.id, 0)),
            row.biometrics_erased_at,
            tuple(sorted(sites[row.id])),
        )
        for row in people
    ]
    return PeoplePage(rows, total, offset, limit)


def central_person(central: CentralDatabase, code: str) -> PersonRow | None:
    """One employee by their exact code, or None."""
    rows = central_people(central, code=code, limit=1).rows
    return rows[0] if rows else None
