"""CSV in two styles.

- ``spreadsheet`` (the default for files): what the report language's spreadsheet opens
  correctly on a double click. UTF-8 with a byte order mark (without it Excel reads
  "García" as "GarcÃ­a"); where the decimal separator is a comma (Spanish), fields are
  separated by ``;`` and decimals written with ``,``, as Excel and LibreOffice expect in
  that locale (a comma-separated file opens in one column there).
- ``rfc4180``: plain RFC 4180 for programs: UTF-8 without a BOM, ``,``, CRLF, ``.`` decimals.

Both write dates as ISO 8601 (``2026-11-02``, ``2026-11-02 09:25:00``), which every
spreadsheet reads as a date in every locale, and durations as decimal hours. A text cell
that a spreadsheet would run as a formula is defused with a leading apostrophe (OWASP's
advice on CSV injection), since names and reasons are typed by people.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from typing import IO, Literal

from core.reports.columns import Cell, CellKind, Sheet, cell, headers, number_text
from core.reports.labels import Language, decimal_separator

CsvStyle = Literal["spreadsheet", "rfc4180"]
CSV_STYLES: tuple[CsvStyle, ...] = ("spreadsheet", "rfc4180")
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """Make a text cell inert in spreadsheets; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _text(value: Cell, kind: CellKind, decimal: str) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return number_text(value, kind, decimal)
    return defuse(value)


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


def csv_rows(text: str) -> list[list[str]]:
    """Read back what ``write_sheet`` wrote, whichever style (for tests and tools)."""
    body = text.removeprefix(BOM)
    first = body.split("\r\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(body.splitlines(), delimiter=delimiter))
