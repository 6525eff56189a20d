"""Attendance reports: raw records and a per-employee daily summary, as CSV or XLSX.

Days are shift days (a night shift belongs to the day it starts), in the kiosk's zone.
Cells that a spreadsheet would run as a formula are defused with a leading apostrophe, the
OWASP recommendation for CSV injection, since names and reasons are typed by people.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import stat
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, Literal, cast
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core import audit
from core.attendance.rules import RulesConfig
from core.attendance.summary import DaySummary, SummaryRecord, summarize_days
from core.errors import UsageError
from core.export_target import checked_export_target
from core.paths import DataPaths
from core.store.database import Store
from core.store.models import AttendanceCorrection, AttendanceEvent, Employee

RECORD_COLUMNS = (
    "event_id",
    "employee_code",
    "employee_name",
    "kind",
    "occurred_at_local",
    "occurred_at_utc",
    "shift_day",
    "method",
    "kiosk_id",
    "score",
    "late_minutes",
    "status",
    "void_reason",
)
SUMMARY_COLUMNS = (
    "employee_code",
    "employee_name",
    "shift_day",
    "first_in",
    "last_out",
    "worked_hours",
    "late_minutes",
    "early_leave_minutes",
    "overtime_minutes",
    "missing_checkout",
    "records",
)
# The central export (``main.py central export``) adds the site of each record's kiosk, and
# per employee the totals of the period, which is what payroll is paid from.
CENTRAL_RECORD_COLUMNS = (*RECORD_COLUMNS, "site")
TOTALS_COLUMNS = (
    "employee_code",
    "employee_name",
    "days",
    "worked_hours",
    "late_minutes",
    "early_leave_minutes",
    "overtime_minutes",
    "missing_checkouts",
    "records",
)
Format = Literal["csv", "xlsx"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """Make a text cell inert in spreadsheets; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@dataclass(frozen=True)
class Report:
    records: list[tuple[Any, ...]]
    summary: list[tuple[Any, ...]]
    totals: list[tuple[Any, ...]] | None = None  # the central export's period totals
    record_columns: tuple[str, ...] = RECORD_COLUMNS


@dataclass(frozen=True)
class ReportRow:
    """One record as a report reads it: the stored event (an ORM object or a row with its
    columns), its employee, and the reason of the correction that voided it, if any."""

    event: Any
    code: str
    name: str
    void_reason: str | None
    site: str | None = None  # the central export's: the site of the record's kiosk


def _local(instant: datetime | None, zone: ZoneInfo) -> str:
    return "" if instant is None else instant.astimezone(zone).isoformat(timespec="seconds")


def check_period(start: date, end: date) -> None:
    """One sentence for a period that ends before it starts (said before any connection)."""
    if end < start:
        raise UsageError(f"--to ({end}) is before --from ({start})")


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

    return assemble_report(
        [
            ReportRow(event, code, name, cast("str | None", reason))
            for event, code, name, reason in rows
        ],
        lambda _event: zone,
        now,
        rules or RulesConfig(),
    )


def assemble_report(
    rows: Sequence[ReportRow],
    zone_of: Callable[[Any], ZoneInfo],
    now: datetime,
    rules: RulesConfig,
    *,
    central: bool = False,
) -> Report:
    """The records and the daily summary of ``rows`` (ordered by employee, then time): the
    one set of rules for the kiosk's export and the central one. ``zone_of(event)`` is the
    zone its local times are written in (the kiosk's; centrally, each record's own).
    ``central`` adds the site column and the period totals."""
    records: list[tuple[Any, ...]] = []
    per_employee: dict[tuple[str, str], list[SummaryRecord]] = defaultdict(list)
    zones: dict[tuple[str, str], ZoneInfo] = {}
    for row in rows:
        event, zone = row.event, zone_of(row.event)
        void_reason = row.void_reason
        record = (
            str(event.id),
            row.code,
            row.name,
            event.kind,
            _local(event.occurred_at, zone),
            event.occurred_at.isoformat(timespec="seconds"),
            event.shift_day.isoformat(),
            event.method,
            event.kiosk_id,
            "" if event.score is None else round(event.score, 4),
            event.late_minutes,
            "voided" if void_reason is not None else "valid",
            void_reason or "",
        )
        records.append((*record, row.site or "") if central else record)
        if void_reason is None:
            per_employee[(row.code, row.name)].append(SummaryRecord.from_event(event))
            # A person's days are read in the zone of their latest record.
            zones[(row.code, row.name)] = zone

    summary: list[tuple[Any, ...]] = []
    totals: list[tuple[Any, ...]] = []
    for (code, name), items in sorted(per_employee.items()):
        zone = zones[(code, name)]
        days: Sequence[DaySummary] = summarize_days(items, now, zone, rules)
        for day in days:
            summary.append(
                (
                    code,
                    name,
                    day.shift_day.isoformat(),
                    _local(day.first_in, zone),
                    _local(day.last_out, zone),
                    _hours(day.worked),
                    day.late_minutes,
                    day.early_leave_minutes,
                    day.overtime_minutes,
                    "yes" if day.missing_checkout else "no",
                    day.records,
                )
            )
        totals.append(
            (
                code,
                name,
                len(days),
                _hours(sum((day.worked for day in days), timedelta(0))),
                sum(day.late_minutes for day in days),
                sum(day.early_leave_minutes for day in days),
                sum(day.overtime_minutes for day in days),
                sum(day.missing_checkout for day in days),
                sum(day.records for day in days),
            )
        )
    if not central:
        return Report(records=records, summary=summary)
    return Report(records, summary, totals, CENTRAL_RECORD_COLUMNS)


def _hours(worked: timedelta) -> float:
    return round(worked.total_seconds() / 3600, 2)


def write_csv(handle: IO[str], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([defuse(value) for value in row])


def summary_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-summary{path.suffix}")


def totals_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-totals{path.suffix}")


def write_report(report: Report, path: Path, fmt: Format, *, store_files: DataPaths) -> list[Path]:
    """Write atomically (a temporary file, then a rename); returns the files written.

    Every target is checked before anything is written (``checked_export_target``): a
    rename would replace the database, a backup or a device as readily as an old report.
    """
    if fmt == "csv":
        parts = [
            (path, report.record_columns, report.records),
            (summary_path(path), SUMMARY_COLUMNS, report.summary),
        ]
        if report.totals is not None:
            parts.append((totals_path(path), TOTALS_COLUMNS, report.totals))
        targets = [(checked_export_target(p, store_files), c, r) for p, c, r in parts]
        written = []
        for target, columns, rows in targets:
            buffer = io.StringIO()
            write_csv(buffer, columns, rows)
            _atomic_write(target, buffer.getvalue().encode("utf-8"))
            written.append(target)
        return written
    target = checked_export_target(path, store_files)
    _atomic_write(target, _xlsx_bytes(report))
    return [target]


def _xlsx_bytes(report: Report) -> bytes:
    from openpyxl import Workbook  # imported on demand: only exports need it

    workbook = Workbook(write_only=True)
    sheets = [
        ("Registros", report.record_columns, report.records),
        ("Resumen diario", SUMMARY_COLUMNS, report.summary),
    ]
    if report.totals is not None:
        sheets.append(("Totales del periodo", TOTALS_COLUMNS, report.totals))
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(list(columns))
        for row in rows:
            sheet.append([defuse(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _atomic_write(target: Path, data: bytes) -> None:
    """``target`` was checked by ``checked_export_target``. The temporary file gets a
    name of its own (``mkstemp``: created new, never opened through an existing name) and
    is readable by its owner only, as a report holds people's data; a report written over
    an older one keeps the mode that one had."""
    partial: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        partial = Path(name)
        with os.fdopen(fd, "wb") as handle:
            with contextlib.suppress(FileNotFoundError):
                os.fchmod(handle.fileno(), stat.S_IMODE(target.stat().st_mode))
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(target)
    except OSError as exc:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc


def audit_export(store: Store, actor: str, kiosk_id: str, details: dict[str, Any]) -> None:
    with store.write() as session:
        audit.record(
            session,
            actor=actor,
            action="report.export",
            target_type="report",
            details=details,
            kiosk_id=kiosk_id,
        )
