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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
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


def _local(instant: datetime | None, zone: ZoneInfo) -> str:
    return "" if instant is None else instant.astimezone(zone).isoformat(timespec="seconds")


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
    if end < start:
        raise UsageError(f"--to ({end}) is before --from ({start})")
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

    records: list[tuple[Any, ...]] = []
    per_employee: dict[tuple[str, str], list[SummaryRecord]] = defaultdict(list)
    for event, code, name, joined_reason in rows:
        # An outer join: None when the record was never voided.
        void_reason = cast("str | None", joined_reason)
        records.append(
            (
                str(event.id),
                code,
                name,
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
        )
        if void_reason is None:
            per_employee[(code, name)].append(SummaryRecord.from_event(event))

    summary: list[tuple[Any, ...]] = []
    for (code, name), items in sorted(per_employee.items()):
        days: Sequence[DaySummary] = summarize_days(items, now, zone, rules or RulesConfig())
        for day in days:
            summary.append(
                (
                    code,
                    name,
                    day.shift_day.isoformat(),
                    _local(day.first_in, zone),
                    _local(day.last_out, zone),
                    round(day.worked.total_seconds() / 3600, 2),
                    day.late_minutes,
                    day.early_leave_minutes,
                    day.overtime_minutes,
                    "yes" if day.missing_checkout else "no",
                    day.records,
                )
            )
    return Report(records=records, summary=summary)


def write_csv(handle: IO[str], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([defuse(value) for value in row])


def summary_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-summary{path.suffix}")


def write_report(report: Report, path: Path, fmt: Format, *, store_files: DataPaths) -> list[Path]:
    """Write atomically (a temporary file, then a rename); returns the files written.

    Every target is checked before anything is written (``checked_export_target``): a
    rename would replace the database, a backup or a device as readily as an old report.
    """
    if fmt == "csv":
        parts = (
            (path, RECORD_COLUMNS, report.records),
            (summary_path(path), SUMMARY_COLUMNS, report.summary),
        )
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
    for title, columns, rows in (
        ("Registros", RECORD_COLUMNS, report.records),
        ("Resumen diario", SUMMARY_COLUMNS, report.summary),
    ):
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
