"""The columns of each sheet: header word, kind of value, and how a row gives it.

``cells`` turns a row into format-neutral values: words in the report's language, naive
local datetimes (a spreadsheet has no zones), dates, numbers; each format then writes them
as its spreadsheet reads them. A duration is decimal hours everywhere, the headers' "(h)":
8 h 30 min is 8.50 in the CSV, the XLSX and on the console's screen alike (payroll
multiplies hours by a rate; "8:30" under "(h)" reads as 8.30 hours). ``PLACES`` says how
many decimals a number of each kind shows in every format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from core.reports.labels import Language, value_word, word
from core.reports.period import DayLine, RecordLine, Report, ReportPart, TotalLine

CellKind = Literal["text", "int", "score", "date", "datetime", "minute_time", "duration", "word"]
Cell = str | int | float | date | datetime | None
PLACES: dict[CellKind, int] = {"duration": 2, "score": 4}


@dataclass(frozen=True)
class Column:
    header: str  # key in labels.WORDS
    kind: CellKind
    get: Callable[[Any], object]
    words: str = ""  # for "word": the catalogue's prefix of the stored value


@dataclass(frozen=True)
class Sheet:
    name: str  # key in labels.WORDS
    columns: tuple[Column, ...]
    rows: Sequence[Any]
    file_suffix: str  # the CSV file of this sheet: NAME{suffix}.csv


def _status(line: RecordLine) -> str:
    return "voided" if line.voided else "valid"


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


RECORD_COLUMNS: tuple[Column, ...] = (
    Column("col.record", "text", lambda r: r.event_id),
    Column("col.code", "text", lambda r: r.code),
    Column("col.name", "text", lambda r: r.name),
    Column("col.kind", "word", lambda r: r.kind, "kind"),
    Column("col.local_time", "datetime", lambda r: r.local_time),
    Column("col.utc_time", "datetime", lambda r: r.utc_time),
    Column("col.shift_day", "date", lambda r: r.shift_day),
    Column("col.method", "word", lambda r: r.method, "method"),
    Column("col.kiosk", "text", lambda r: r.kiosk_id),
    Column("col.score", "score", lambda r: r.score),
    Column("col.late", "int", lambda r: r.late_minutes),
    Column("col.status", "word", _status, "status"),
    Column("col.void_reason", "text", lambda r: r.void_reason),
)
SITE_COLUMN = Column("col.site", "text", lambda r: r.site or "")
DAY_COLUMNS: tuple[Column, ...] = (
    Column("col.code", "text", lambda d: d.code),
    Column("col.name", "text", lambda d: d.name),
    Column("col.date", "date", lambda d: d.shift_day),
    Column("col.shift", "text", lambda d: d.shift),
    Column("col.first_in", "minute_time", lambda d: d.first_in),
    Column("col.last_out", "minute_time", lambda d: d.last_out),
    Column("col.breaks", "duration", lambda d: d.breaks),
    Column("col.worked", "duration", lambda d: d.worked),
    Column("col.late", "int", lambda d: d.late_minutes),
    Column("col.early_leave", "int", lambda d: d.early_leave_minutes),
    Column("col.overtime", "int", lambda d: d.overtime_minutes),
    Column("col.missing_checkout", "word", lambda d: _yes_no(d.missing_checkout)),
    Column("col.corrections", "int", lambda d: d.corrections),
)
TOTAL_COLUMNS: tuple[Column, ...] = (
    Column("col.code", "text", lambda t: t.code),
    Column("col.name", "text", lambda t: t.name),
    Column("col.days_worked", "int", lambda t: t.days_worked),
    Column("col.hours_worked", "duration", lambda t: t.worked),
    Column("col.break_hours", "duration", lambda t: t.breaks),
    Column("col.overtime", "int", lambda t: t.overtime_minutes),
    Column("col.late", "int", lambda t: t.late_minutes),
    Column("col.early_leave", "int", lambda t: t.early_leave_minutes),
    Column("col.absences", "int", lambda t: t.absences),
    Column("col.missing_checkouts", "int", lambda t: t.missing_checkouts),
    Column("col.corrections", "int", lambda t: t.corrections),
)


def sheets(report: Report | ReportPart, *, central: bool | None = None) -> list[Sheet]:
    """Records (with their site centrally), then the days, then the period's totals: of a
    whole report, or of one part of a streamed one (``central`` then says which)."""
    central = report.central if isinstance(report, Report) else bool(central)
    records = (*RECORD_COLUMNS, SITE_COLUMN) if central else RECORD_COLUMNS
    return [
        Sheet("sheet.records", records, report.records, ""),
        Sheet("sheet.days", DAY_COLUMNS, report.days, "-summary"),
        Sheet("sheet.totals", TOTAL_COLUMNS, report.totals, "-totals"),
    ]


NO_LINES = ReportPart((), (), ())  # the sheets' columns, before any line
SHEET_NAMES = tuple(sheet.name for sheet in sheets(NO_LINES))


def headers(columns: Sequence[Column], language: Language) -> list[str]:
    return [word(column.header, language) for column in columns]


def cell(column: Column, row: RecordLine | DayLine | TotalLine, language: Language) -> Cell:
    return cell_of(column, column.get(row), language)


def cell_of(column: Column, value: object, language: Language) -> Cell:
    """What ``cell`` gives for a row whose ``column`` holds ``value``."""
    if value is None or (value == "" and column.kind != "text"):
        return None
    if column.kind == "word":
        return (
            value_word(column.words, str(value), language)
            if column.words
            else (word(str(value), language))
        )
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # already in the record's local zone (or UTC)
    if isinstance(value, timedelta):
        return hours(value)
    assert isinstance(value, str | int | float | date)
    return value


def hours(value: timedelta) -> float:
    """A duration as every format gives it: decimal hours, rounded as they are shown."""
    return round(value.total_seconds() / 3600, PLACES["duration"])


def number_text(value: float, kind: CellKind, decimal: str) -> str:
    """A number of ``kind`` as text with its places and ``decimal`` separator: 8,50."""
    return f"{value:.{PLACES.get(kind, 4)}f}".replace(".", decimal)
