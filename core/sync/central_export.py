"""The company-wide report: every kiosk's records from the central database (owner's login).

The same sheets, formula defusing and summary rules as a kiosk's own export
(``core.reports.period.employee_parts``), streamed the same way (``core.reports.streamed``),
plus the site of each record's kiosk. Absences count against the shifts assigned centrally;
with ``site``, the people listed without a record are that site's current members. Local
times are written in each record's own zone (the kiosk's ``timezone`` when it was made), so a
record reads the same here as on its kiosk.

What the central database holds for review (``central review``: another kiosk's id, a date
far from the server's clock…) counts nowhere: neither records nor corrections. A kiosk's
login cannot read attendance at all (docs/SECURITY.md), so it cannot run this.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, and_, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ProgrammingError

from core.attendance.rules import RulesConfig
from core.errors import RefusedError
from core.i18n import Message
from core.reports.period import (
    Report,
    ReportPart,
    ReportRow,
    Schedule,
    check_period,
    employee_parts,
)
from core.reports.schedules import load_schedules
from core.reports.streamed import StreamedReport, collect
from core.store.tables import CORRECTIONS, EMPLOYEES, EVENTS, KIOSK_ROLES
from core.store.types import utcnow
from core.sync.central import CentralDatabase
from core.sync.site_admin import check_site_code, site_id_of
from core.sync.sites import SITE_EMPLOYEES, SITES
from core.sync.verify import counted, verify_arrivals

log = logging.getLogger(__name__)
_BATCH = 2000  # rows the server-side cursor sends at a time


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
    after each sync, a minute after arrival): nothing just pushed is left out.

    Asked first through the index of what is left to derive (ordered by its column, so the
    planner takes it): derivation's own query, in employee order, walked the month's
    records on a table whose statistics still counted the day's arrivals (a median 95 ms
    at 5,000 employees), before each page."""
    try:
        with central.connect() as connection:
            waiting = connection.scalar(
                select(EVENTS.c.id)
                .where(EVENTS.c.verified_at.is_(None))
                .order_by(EVENTS.c.received_at)
                .limit(1)
            )
        if waiting is None:
            return
        verify_arrivals(central, rules=rules, now=utcnow(), settle=None)
    except ProgrammingError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42501":  # a kiosk's login: said below
            return
        raise


def stream_central_report(
    central: CentralDatabase,
    start: date,
    end: date,
    now: datetime,
    *,
    site: str | None = None,
    fallback_zone: ZoneInfo,
    rules: RulesConfig | None = None,
    employee_codes: Collection[str] | None = None,
) -> StreamedReport:
    """Every accepted record of ``start``..``end`` (shift days), optionally of the kiosks of
    one site, with the kiosk and site of each: read through a server-side cursor while the
    report is written, one employee at a time (``core.reports.streamed``). With
    ``employee_codes``, only those employees' parts (a page of the report:
    ``core.sync.central_page``)."""
    check_period(start, end)
    site_code = None if site is None else check_site_code(site)
    rules = rules or RulesConfig()
    _derive_first(central, rules)
    query = _records_query(start, end, site_code)

    @contextmanager
    def opened() -> Iterator[Iterator[ReportPart]]:
        with central.connect() as connection:
            try:
                schedules, shift_names = _schedules(connection, site_code, employee_codes)
                result = connection.execution_options(yield_per=_BATCH).execute(
                    query if employee_codes is None else _of(connection, query, employee_codes)
                )
            except ProgrammingError as exc:
                if getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient_privilege
                    raise RefusedError(Message("central.owner_login_needed")) from None
                raise
            rows = (
                ReportRow(row, row.employee_code, row.employee_name, row.void_reason, row.site_code)
                for row in result
            )
            yield employee_parts(
                rows,
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

    return StreamedReport(start, end, opened, central=True)


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
    """The same report, whole in memory (for a screen or a test; files stream)."""
    return collect(
        stream_central_report(
            central, start, end, now, site=site, fallback_zone=fallback_zone, rules=rules
        )
    )


def _of(connection: Connection, query: Select[Any], codes: Collection[str]) -> Select[Any]:
    """``query`` for these employees only, by their ids: the planner then reads their records
    through the employee index, whatever the other joins (not the month, then the codes)."""
    ids = list(connection.scalars(select(EMPLOYEES.c.id).where(EMPLOYEES.c.code.in_(list(codes)))))
    return query.where(EVENTS.c.employee_id.in_(ids))


def _records_query(start: date, end: date, site_code: str | None) -> Select[Any]:
    corrections = CORRECTIONS.alias("c")
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
        # Codes in byte order ("C"), as the report's parts come (and Python sorts), whatever
        # the database's collation: the three sheets list people in the same order.
        .order_by(EMPLOYEES.c.code.collate("C"), EVENTS.c.occurred_at, EVENTS.c.id)
    )
    if site_code is not None:
        query = query.where(SITES.c.code == site_code)
    return query


def _schedules(
    connection: Connection, site_code: str | None, employee_codes: Collection[str] | None = None
) -> tuple[dict[str, Schedule], dict[str, str]]:
    """Everyone's shifts; with a site, only its current members are listed without records."""
    if site_code is not None:
        site_id_of(connection, site_code)  # an unknown site is a sentence, not 0 rows
    schedules, shift_names = load_schedules(connection, employee_codes=employee_codes)
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
    return schedules, shift_names
