"""The period report as it was built before it streamed: the whole period in memory, then
written (kept verbatim as the reference the streamed report must equal, byte for byte in CSV
and cell for cell in XLSX; and as the in-memory path the memory test must catch)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import IO, Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlalchemy.exc import ProgrammingError

from core.attendance.rules import RulesConfig
from core.attendance.summary import SummaryRecord, summarize_days
from core.errors import RefusedError
from core.i18n import Message
from core.reports.columns import (
    DAY_COLUMNS,
    RECORD_COLUMNS,
    SITE_COLUMN,
    TOTAL_COLUMNS,
    Sheet,
    cell,
    headers,
)
from core.reports.csv_format import BOM, CsvStyle, _text
from core.reports.labels import Language, decimal_separator, word
from core.reports.marker import MARKER_PROPERTY
from core.reports.period import (
    DayLine,
    RecordLine,
    Report,
    ReportRow,
    Schedule,
    TotalLine,
    _day_line,
    _total_line,
    check_period,
)
from core.reports.schedules import load_schedules
from core.reports.xlsx_format import _MAX_WIDTH, FORMATS, _shown, _value
from core.store.database import Store
from core.store.models import AttendanceCorrection, AttendanceEvent, Employee
from core.store.tables import CORRECTIONS, EMPLOYEES, EVENTS, KIOSK_ROLES
from core.sync.central import CentralDatabase
from core.sync.central_export import _derive_first, _zone_reader
from core.sync.site_admin import check_site_code, site_id_of
from core.sync.sites import SITE_EMPLOYEES, SITES
from core.sync.verify import counted


def assemble_report(
    rows: Sequence[ReportRow],
    zone_of: Callable[[Any], ZoneInfo],
    now: datetime,
    rules: RulesConfig,
    *,
    start: date,
    end: date,
    schedules: Mapping[str, Schedule] | None = None,
    shift_names: Mapping[str, str] | None = None,
    fallback_zone: ZoneInfo | None = None,
    central: bool = False,
) -> Report:
    """The records, the days and the period totals of ``rows`` (ordered by employee, then
    time). ``zone_of(event)`` is the zone its local times are written in (the kiosk's;
    centrally, each record's own). ``schedules`` (by employee code) gives the shifts that
    absences are counted against, and lists people who have shifts but no record."""
    schedules = schedules or {}
    names = dict(shift_names or {})
    for schedule in schedules.values():
        names.update({s.shift_id: s.name for s in schedule.shifts})
    records: list[RecordLine] = []
    per_employee: dict[str, list[SummaryRecord]] = defaultdict(list)
    people: dict[str, str] = {code: s.name for code, s in schedules.items()}
    zones: dict[str, ZoneInfo] = {}
    for row in rows:
        event, zone = row.event, zone_of(row.event)
        voided = row.void_reason is not None
        records.append(
            RecordLine(
                event_id=str(event.id),
                code=row.code,
                name=row.name,
                kind=event.kind,
                local_time=event.occurred_at.astimezone(zone),
                utc_time=event.occurred_at.astimezone(UTC),
                shift_day=event.shift_day,
                method=event.method,
                kiosk_id=event.kiosk_id,
                score=None if event.score is None else round(event.score, 4),
                late_minutes=event.late_minutes,
                voided=voided,
                void_reason=row.void_reason or "",
                site=row.site if central else None,
            )
        )
        per_employee[row.code].append(SummaryRecord.from_event(event, voided=voided))
        people[row.code] = row.name
        zones[row.code] = zone  # a person's days are read in the zone of their latest record

    days: list[DayLine] = []
    totals: list[TotalLine] = []
    default_zone = fallback_zone or ZoneInfo("UTC")
    for code in sorted(people):
        name, zone = people[code], zones.get(code, default_zone)
        summaries = summarize_days(per_employee.get(code, []), now, zone, rules)
        days.extend(_day_line(code, name, day, zone, names) for day in summaries)
        shifts = schedules[code].shifts if code in schedules else ()
        totals.append(
            _total_line(
                code, name, summaries, shifts=shifts, start=start, end=end, now=now, zone=zone
            )
        )
    return Report(records, days, totals, start, end, central)


def build_report(
    store: Store,
    start: date,
    end: date,
    zone: ZoneInfo,
    now: datetime,
    *,
    rules: RulesConfig | None = None,
    employee_code: str | None = None,
) -> Report:
    check_period(start, end)
    with store.read() as session:
        query = (
            select(AttendanceEvent, Employee.code, Employee.name, AttendanceCorrection.reason)
            .join(Employee, Employee.id == AttendanceEvent.employee_id)
            .outerjoin(AttendanceCorrection, AttendanceCorrection.event_id == AttendanceEvent.id)
            .where(AttendanceEvent.shift_day >= start, AttendanceEvent.shift_day <= end)
            .order_by(Employee.code, AttendanceEvent.occurred_at)
        )
        if employee_code:
            query = query.where(Employee.code == employee_code)
        rows = session.execute(query).all()
        schedules, shift_names = load_schedules(session, employee_code)

    return assemble_report(
        [
            ReportRow(event, code, name, cast("str | None", reason))
            for event, code, name, reason in rows
        ],
        lambda _event: zone,
        now,
        rules or RulesConfig(),
        start=start,
        end=end,
        schedules=schedules,
        shift_names=shift_names,
        fallback_zone=zone,
    )


def sheets(report: Report) -> list[Sheet]:
    """Records (with their site centrally), then the days, then the period's totals."""
    records = (*RECORD_COLUMNS, SITE_COLUMN) if report.central else RECORD_COLUMNS
    return [
        Sheet("sheet.records", records, report.records, ""),
        Sheet("sheet.days", DAY_COLUMNS, report.days, "-summary"),
        Sheet("sheet.totals", TOTAL_COLUMNS, report.totals, "-totals"),
    ]


def write_sheet(
    handle: IO[str], sheet: Sheet, language: Language, style: CsvStyle = "spreadsheet"
) -> None:
    """One sheet as CSV on ``handle`` (opened with ``newline=""`` when it is a file)."""
    spreadsheet = style == "spreadsheet"
    decimal = decimal_separator(language) if spreadsheet else "."
    writer = csv.writer(
        handle,
        delimiter=";" if decimal == "," else ",",
        lineterminator="\r\n",
    )
    if spreadsheet:
        handle.write(BOM)
    writer.writerow(headers(sheet.columns, language))
    for row in sheet.rows:
        writer.writerow([_text(cell(c, row, language), c.kind, decimal) for c in sheet.columns])


def xlsx_bytes(report: Report, language: Language) -> bytes:
    from openpyxl import Workbook  # imported on demand: only exports need it
    from openpyxl.packaging.custom import BoolProperty
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.custom_doc_props.append(BoolProperty(name=MARKER_PROPERTY, value=True))
    bold = Font(bold=True)
    for sheet in sheets(report):
        page = workbook.create_sheet(word(sheet.name, language))
        titles = headers(sheet.columns, language)
        page.append(titles)
        for header in page[1]:
            header.font = bold
        widths = [len(title) for title in titles]
        for line in sheet.rows:
            values = [cell(column, line, language) for column in sheet.columns]
            page.append([_value(value) for value in values])
            for index, (column, value) in enumerate(zip(sheet.columns, values, strict=True)):
                widths[index] = max(widths[index], _shown(column, value))
        _format_columns(page, sheet, len(sheet.rows))
        for index, width in enumerate(widths, start=1):
            page.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)
        page.freeze_panes = "A2"
        # Printed, every column on one page across (landscape), as many pages down as needed.
        page.page_setup.orientation = "landscape"
        page.sheet_properties.pageSetUpPr.fitToPage = True
        page.page_setup.fitToWidth = 1
        page.page_setup.fitToHeight = 0
        page.print_title_rows = "1:1"
        page.auto_filter.ref = page.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _format_columns(page: object, sheet: Sheet, count: int) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        number_format = FORMATS.get(column.kind)
        if number_format is None:
            continue
        for row in range(2, count + 2):
            page.cell(row=row, column=index).number_format = number_format  # type: ignore[attr-defined]


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
            raise RefusedError(Message("central.owner_login_needed")) from None
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
