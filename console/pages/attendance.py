"""Attendance for a period: the payroll report of the kiosk's Export and ``central export``
(``core.sync.central_export``, the same sheets and rules), on screen a page at a time (only
the page's employees are built: ``core.sync.central_page``) and downloadable as CSV (one
sheet) or XLSX (every sheet), streamed while the database is read (``core.reports.download``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from itertools import chain
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from console.i18n import say_error
from console.sessions import Session
from console.web import blocking, console_of, language_of, render, signed_in
from core.attendance.log import local_today
from core.errors import AsistenciaError, UsageError
from core.i18n import Language, Message, text_in
from core.reports import Report
from core.reports.columns import CellKind, Column, Sheet, cell, headers, number_text, sheets
from core.reports.download import iter_period_csv, iter_period_xlsx
from core.reports.labels import decimal_separator
from core.reports.pay_period import current_and_previous
from core.store.types import utcnow
from core.sync.central_export import stream_central_report
from core.sync.central_page import ReportPage, central_report_index, central_report_page
from core.sync.site_admin import central_audit

ROWS_PER_PAGE = 50
OFF_SCREEN = frozenset({"col.record"})
VIEWS = {"totals": "sheet.totals", "days": "sheet.days", "records": "sheet.records"}
SUFFIX = {"totals": "-totals", "days": "-summary", "records": ""}


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise UsageError(Message("console.bad_date", text=value)) from None


def _period(request: Request) -> tuple[date, date, dict[str, tuple[date, date]]]:
    """The days asked for (the current pay period when none), and the two pay periods."""
    settings = console_of(request).services.settings
    current, previous = current_and_previous(
        local_today(settings.zone), settings.pay_period, settings.pay_period_start_day
    )
    periods = {"current": (current.start, current.end), "previous": (previous.start, previous.end)}
    start = _day(request.query_params.get("from")) or current.start
    end = _day(request.query_params.get("to")) or current.end
    return start, end, periods


def shown(value: Any, kind: CellKind, language: Language) -> str:
    """A cell as the page shows it: numbers as the language's CSV writes them (hours in
    decimal hours, core/reports/columns.py), times to the minute."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return number_text(value, kind, decimal_separator(language))
    return str(value)


def on_screen(sheet: Sheet) -> list[Column]:
    """The sheet's columns but the record's id: the files keep it (to find a record again),
    the screen spends its width on what HR reads."""
    return [c for c in sheet.columns if c.header not in OFF_SCREEN]


def _page(
    request: Request, start: date, end: date, *, site: str, view: str, page: int
) -> ReportPage:
    """The employees of one page of ``view``'s sheet, built alone (not the whole period)."""
    services = console_of(request).services
    return central_report_page(
        services.central,
        start,
        end,
        services.clock(),
        view=view,
        page=page,
        per_page=ROWS_PER_PAGE,
        site=site or None,
        fallback_zone=services.zone,
        rules=services.rules,
    )


def _sheet(report: Report, view: str) -> Sheet:
    return next(s for s in sheets(report) if s.name == VIEWS[view])


def _refused(
    request: Request, session: Session, error: str, context: dict[str, Any] | None = None
) -> Response:
    """The attendance page with the form as it was filled in and why nothing came of it."""
    query = request.query_params
    view = query.get("view", query.get("sheet", "totals"))
    values: dict[str, Any] = {
        "site": query.get("site", "").strip()[:32],
        "view": view if view in VIEWS else "totals",
        "views": list(VIEWS),
        **(context or {}),
    }
    values.setdefault("start", query.get("from", ""))
    values.setdefault("end", query.get("to", ""))
    values.setdefault("periods", {})
    values.update(error=error, report=None)
    return render(request, "attendance.html", values, session=session, status=400)


@signed_in
async def attendance_page(request: Request, session: Session) -> Response:
    language = language_of(request)
    query = request.query_params
    site = query.get("site", "").strip()[:32]
    view = query.get("view", "totals") if query.get("view") in VIEWS else "totals"
    number = query.get("page", "")
    page = int(number) if number.isdigit() and len(number) < 7 else 1
    context: dict[str, Any] = {"site": site, "view": view, "views": list(VIEWS), "error": ""}
    status = 200
    try:
        start, end, periods = _period(request)
        context.update(start=start.isoformat(), end=end.isoformat(), periods=periods)
        shown_page = await blocking(_page, request, start, end, site=site, view=view, page=page)
        page, pages = shown_page.page, shown_page.pages
    except AsistenciaError as exc:
        return _refused(request, session, say_error(language, exc), context)
    report, counts = shown_page.report, shown_page.index.counts
    sheet = _sheet(report, view)
    rows = sheet.rows[shown_page.skip : shown_page.skip + ROWS_PER_PAGE]
    base = {"from": start.isoformat(), "to": end.isoformat(), "site": site}

    def link(**changes: object) -> str:
        return "?" + urlencode({**base, "view": view, **changes})

    columns = on_screen(sheet)
    context.update(
        report=report,
        headers=headers(columns, language),
        rows=[[shown(cell(c, row, language), c.kind, language) for c in columns] for row in rows],
        counts={"records": counts.records, "days": counts.days, "totals": counts.employees},
        page=page,
        pages=pages,
        previous=link(page=page - 1) if page > 1 else "",
        next_page=link(page=page + 1) if page < pages else "",
        view_links={v: "?" + urlencode({**base, "view": v}) for v in VIEWS},
        downloads={
            "csv": "/attendance/download?" + urlencode({**base, "format": "csv", "sheet": view}),
            "xlsx": "/attendance/download?" + urlencode({**base, "format": "xlsx"}),
        },
    )
    return render(request, "attendance.html", context, session=session, status=status)


def _export(
    request: Request, session: Session, start: date, end: date, *, site: str, fmt: str, view: str
) -> tuple[Iterator[bytes], str]:
    """The file's chunks, the first one already made (a refusal or an unknown site is an
    answer, not a broken download), and its name; the export is audited first."""
    language: Language = language_of(request)
    services = console_of(request).services
    # The heading's counts, from the same aggregate as the page: the audit says the size of
    # what is downloaded without holding it.
    index = central_report_index(services.central, start, end, site=site or None)
    report = stream_central_report(
        services.central,
        start,
        end,
        services.clock(),
        site=site or None,
        fallback_zone=services.zone,
        rules=services.rules,
    )
    if fmt == "xlsx":
        chunks, suffix = iter_period_xlsx(report, language), ".xlsx"
    else:
        chunks = iter_period_csv(report, VIEWS[view], language, "spreadsheet")
        suffix = f"{SUFFIX[view]}.csv"
    first = next(chunks, b"")
    with services.central.begin() as connection:
        central_audit(
            connection,
            action="report.export",
            target=site,
            target_type="report",
            details={
                "from": start,
                "to": end,
                "site": site or None,
                "format": fmt,
                "sheet": view if fmt == "csv" else "all",
                "records": index.counts.records,
                "via": "console",
            },
            reason="",
            actor=session.actor,
            now=utcnow(),
        )
    name = f"asistencia-{start.isoformat()}-{end.isoformat()}"
    if site:
        name += f"-{site}"
    return chain([first], chunks), name + suffix


@signed_in
async def attendance_download(request: Request, session: Session) -> Response:
    query = request.query_params
    fmt = query.get("format", "csv")
    view = query.get("sheet", "totals")
    site = query.get("site", "").strip()[:32]
    if fmt not in {"csv", "xlsx"} or view not in VIEWS:
        return _refused(request, session, text_in(language_of(request), "console.bad_download"))
    try:
        start, end, _periods = _period(request)
        chunks, filename = await blocking(
            _export, request, session, start, end, site=site, fmt=fmt, view=view
        )
    except AsistenciaError as exc:
        # The console's own page, in the visitor's language, the form as it was typed.
        return _refused(request, session, say_error(language_of(request), exc))
    media = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    # The name is made of dates and a checked site code: nothing to quote.
    disposition = f'attachment; filename="{filename}"'
    # Streamed: the rest is read from the database while it is sent, in the thread pool.
    return StreamingResponse(chunks, media_type=media, headers={"content-disposition": disposition})
