"""The company-wide report: every kiosk's records from the central database (owner's login).

The same sheets, formula defusing and summary rules as a kiosk's own export
(``core.reports.assemble_report``), plus the site of each record's kiosk. Absences count
against the shifts assigned centrally; with ``site``, the people listed without a record are
that site's current members. Local times are written in each record's own zone (the kiosk's
``timezone`` when it was made), so a record reads the same here as on its kiosk.

What the central database holds for review (``central review``: another kiosk's id, a date
far from the server's clock…) counts nowhere: neither records nor corrections. A kiosk's
login cannot read attendance at all (docs/SECURITY.md), so it cannot run this.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, select
from sqlalchemy.exc import ProgrammingError

from core.attendance.rules import RulesConfig
from core.errors import RefusedError
from core.reports import Report, ReportRow, assemble_report, check_period
from core.reports.schedules import load_schedules
from core.store.tables import CORRECTIONS, EMPLOYEES, EVENTS, KIOSK_ROLES
from core.store.types import utcnow
from core.sync.central import CentralDatabase
from core.sync.site_admin import check_site_code, site_id_of
from core.sync.sites import SITE_EMPLOYEES, SITES
from core.sync.verify import counted, verify_arrivals

log = logging.getLogger(__name__)


def _zone_reader(fallback: ZoneInfo) -> Any:
    cache: dict[str, ZoneInfo] = {}

    def zone_of(event: Any) -> ZoneInfo:
        name = event.timezone
        if name not in cache:
            try:
                cache[name] = ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                # A zone this machine's tz database lacks: the server's own, said once.
                log.warning("records of zone %r are written in %s", name, fallback.key)
                cache[name] = fallback
        return cache[name]

    return zone_of


def _derive_first(central: CentralDatabase, rules: RulesConfig) -> None:
    """Every record that has arrived is derived before the report reads (the server does it
    after each sync, a minute after arrival): nothing just pushed is left out."""
    try:
        verify_arrivals(central, rules=rules, now=utcnow(), settle=None)
    except ProgrammingError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42501":  # a kiosk's login: said below
            return
        raise


def central_report(
    central: CentralDatabase,
    start: date,
    end: date,
    now: datetime,
    *,
    site: str | None = None,
    fallback_zone: ZoneInfo,
    rules: RulesConfig | None = None,
) -> Report:
    """Every accepted record of ``start``..``end`` (shift days), optionally of the kiosks of
    one site, with the kiosk and site of each."""
    check_period(start, end)
    site_code = None if site is None else check_site_code(site)
    corrections = CORRECTIONS.alias("c")
    rules = rules or RulesConfig()
    _derive_first(central, rules)
    query = (
        select(
            EVENTS,
            EMPLOYEES.c.code.label("employee_code"),
            EMPLOYEES.c.name.label("employee_name"),
            corrections.c.reason.label("void_reason"),
            SITES.c.code.label("site_code"),
        )
        .select_from(
            EVENTS.join(EMPLOYEES, EMPLOYEES.c.id == EVENTS.c.employee_id)
            .outerjoin(
                corrections,
                # A correction held for review voids nothing until it is released.
                and_(corrections.c.event_id == EVENTS.c.id, corrections.c.review.is_(None)),
            )
            .outerjoin(KIOSK_ROLES, KIOSK_ROLES.c.kiosk_id == EVENTS.c.kiosk_id)
            .outerjoin(SITES, SITES.c.id == KIOSK_ROLES.c.site_id)
        )
        .where(
            EVENTS.c.shift_day >= start,
            EVENTS.c.shift_day <= end,
            counted(),  # held for review, or not yet derived by the server: counts nowhere
        )
        .order_by(EMPLOYEES.c.code, EVENTS.c.occurred_at, EVENTS.c.id)
    )
    if site_code is not None:
        query = query.where(SITES.c.code == site_code)
    try:
        with central.connect() as connection:
            if site_code is not None:
                site_id_of(connection, site_code)  # an unknown site is a sentence, not 0 rows
            rows = connection.execute(query).all()
            schedules, shift_names = load_schedules(connection)
            if site_code is not None:
                members = set(
                    connection.scalars(
                        select(EMPLOYEES.c.code)
                        .join(SITE_EMPLOYEES, SITE_EMPLOYEES.c.employee_id == EMPLOYEES.c.id)
                        .join(SITES, SITES.c.id == SITE_EMPLOYEES.c.site_id)
                        .where(SITES.c.code == site_code, SITE_EMPLOYEES.c.removed_at.is_(None))
                    )
                )
                schedules = {c: s for c, s in schedules.items() if c in members}
    except ProgrammingError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient_privilege
            raise RefusedError(
                "the central export needs the owner's login (the headless server's URL): "
                "a kiosk's login may not read attendance records"
            ) from None
        raise
    return assemble_report(
        [
            ReportRow(row, row.employee_code, row.employee_name, row.void_reason, row.site_code)
            for row in rows
        ],
        _zone_reader(fallback_zone),
        now,
        rules,
        start=start,
        end=end,
        schedules=schedules,
        shift_names=shift_names,
        fallback_zone=fallback_zone,
        central=True,
    )
