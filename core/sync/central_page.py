"""The company-wide report a page at a time (the web console's attendance page).

A page shows 50 lines of one sheet. ``central_report_index`` counts, per employee of the
period's report, its records and shift days with two aggregate queries (the counted records
through ``ix_attendance_events_counted``, the scheduled people from their assignments), so
the page's heading says the report's size and ``core.reports.paged`` knows which employees
a page needs; ``central_report_page`` then builds only those employees' parts, through the
same streamed report as the download (``stream_central_report`` with ``employee_codes``).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ProgrammingError

from core.attendance.rules import RulesConfig
from core.errors import RefusedError
from core.i18n import Message
from core.reports.paged import IndexEntry, ReportIndex
from core.reports.period import Report, check_period
from core.reports.streamed import collect
from core.store.tables import EMPLOYEES, EVENTS, KIOSK_ROLES, SHIFTS
from core.store.tables import SHIFT_ASSIGNMENTS as ASSIGNMENTS
from core.sync.central import CentralDatabase
from core.sync.central_export import _derive_first, stream_central_report
from core.sync.site_admin import check_site_code, site_id_of
from core.sync.sites import SITE_EMPLOYEES, SITES
from core.sync.verify import counted

CHANGES = "asistencia_report_changes"  # schema 0010's sequence
KEEP_S = 600.0  # a kept count is used at most this long, even while nothing changes
KEEP_PERIODS = 16


@dataclass(frozen=True)
class ReportPage:
    index: ReportIndex  # the whole report's employees and sizes
    report: Report  # the parts of the page's employees only
    skip: int  # lines of the view's sheet before the page's first line, in ``report``
    page: int  # the page shown (the last one when a later one was asked for), from 1
    pages: int


class _Kept:
    """Indexes already counted, each with the change number it was counted at."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[Any, ...], tuple[int, float, ReportIndex]] = OrderedDict()

    def get(self, key: tuple[Any, ...], changes: int | None) -> ReportIndex | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or changes is None:
                return None
            counted_at, when, index = entry
            if counted_at != changes or time.monotonic() - when > KEEP_S:
                return None
            self._entries.move_to_end(key)
            return index

    def put(self, key: tuple[Any, ...], changes: int | None, index: ReportIndex) -> None:
        if changes is None:
            return
        with self._lock:
            self._entries[key] = (changes, time.monotonic(), index)
            self._entries.move_to_end(key)
            while len(self._entries) > KEEP_PERIODS:
                self._entries.popitem(last=False)


_kept = _Kept()


def _changes(connection: Connection) -> int | None:
    """How many changes the report's size depends on have been made (schema 0010's sequence);
    None where there is no such sequence."""
    if connection.scalar(select(func.to_regclass(CHANGES))) is None:
        return None
    row = connection.execute(
        text("SELECT last_value, is_called FROM asistencia_report_changes")
    ).one()
    return int(row.last_value) if row.is_called else 0


def central_report_index(
    central: CentralDatabase, start: date, end: date, *, site: str | None = None
) -> ReportIndex:
    """Who the period's report lists (people with counted records, at the site's kiosks with
    ``site``, and people with shifts, the site's members with ``site``), in its order, with
    how many records and shift days each has.

    Kept while nothing it depends on has changed (a write moves schema 0010's sequence), at
    most ``KEEP_S``: a month of a company is a million records to count. The change number
    is read before counting, so a count never stands for changes it may have missed."""
    check_period(start, end)
    site_code = None if site is None else check_site_code(site)
    key = (str(central.engine.url), start, end, site_code)
    with central.connect() as connection:
        try:
            if site_code is not None:
                site_id_of(connection, site_code)  # an unknown site is a sentence
            changes = _changes(connection)
            kept = _kept.get(key, changes)
            if kept is not None:
                return kept
            sizes = _sizes(connection, start, end, site_code)
            scheduled = _scheduled(connection, site_code)
        except ProgrammingError as exc:
            if getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient_privilege
                raise RefusedError(Message("central.owner_login_needed")) from None
            raise
    codes = sorted(set(sizes) | scheduled)
    index = ReportIndex([IndexEntry(c, *sizes.get(c, (0, 0))) for c in codes])
    _kept.put(key, changes, index)
    return index


def _site_kiosks(site_code: str) -> Any:
    return (
        select(KIOSK_ROLES.c.kiosk_id)
        .join(SITES, SITES.c.id == KIOSK_ROLES.c.site_id)
        .where(SITES.c.code == site_code)
    )


def _sizes(
    connection: Connection, start: date, end: date, site_code: str | None
) -> dict[str, tuple[int, int]]:
    """(shift days, records) of each employee with counted records in the period."""
    per_employee = (
        select(
            EVENTS.c.employee_id,
            func.count(distinct(EVENTS.c.shift_day)).label("days"),
            func.count().label("records"),
        )
        .where(EVENTS.c.shift_day >= start, EVENTS.c.shift_day <= end, counted())
        .group_by(EVENTS.c.employee_id)
    )
    if site_code is not None:
        per_employee = per_employee.where(EVENTS.c.kiosk_id.in_(_site_kiosks(site_code)))
    sizes = per_employee.subquery()
    rows = connection.execute(
        select(EMPLOYEES.c.code, sizes.c.days, sizes.c.records).join(
            sizes, sizes.c.employee_id == EMPLOYEES.c.id
        )
    )
    return {row.code: (row.days, row.records) for row in rows}


def _scheduled(connection: Connection, site_code: str | None) -> set[str]:
    """The people listed without records: active, with an active shift (``load_schedules``),
    and the site's current members with ``site``."""
    query = (
        select(EMPLOYEES.c.code)
        .distinct()
        .select_from(
            ASSIGNMENTS.join(EMPLOYEES, EMPLOYEES.c.id == ASSIGNMENTS.c.employee_id).join(
                SHIFTS, SHIFTS.c.id == ASSIGNMENTS.c.shift_id
            )
        )
        .where(EMPLOYEES.c.active.is_(True), SHIFTS.c.active.is_(True))
    )
    if site_code is not None:
        members = (
            select(SITE_EMPLOYEES.c.employee_id)
            .join(SITES, SITES.c.id == SITE_EMPLOYEES.c.site_id)
            .where(SITES.c.code == site_code, SITE_EMPLOYEES.c.removed_at.is_(None))
        )
        query = query.where(EMPLOYEES.c.id.in_(members))
    return set(connection.scalars(query))


def central_report_page(
    central: CentralDatabase,
    start: date,
    end: date,
    now: datetime,
    *,
    view: str,
    page: int,
    per_page: int,
    site: str | None = None,
    fallback_zone: ZoneInfo,
    rules: RulesConfig | None = None,
) -> ReportPage:
    """Page ``page`` (from 1; past the end, the last) of ``view``'s sheet (``totals``,
    ``days`` or ``records``), ``per_page`` lines: the report of the employees holding them,
    and where they start in it."""
    rules = rules or RulesConfig()
    check_period(start, end)
    _derive_first(central, rules)  # what has arrived counts, in the index too
    index = central_report_index(central, start, end, site=site)
    pages = max((index.lines(view) + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    window = index.window(view, (page - 1) * per_page, per_page)
    report = collect(
        stream_central_report(
            central,
            start,
            end,
            now,
            site=site,
            fallback_zone=fallback_zone,
            rules=rules,
            employee_codes=window.codes,
        )
    )
    return ReportPage(index, report, window.skip, page, pages)
