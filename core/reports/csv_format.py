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
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import IO, Any, Literal

from core.reports.columns import (
    NO_LINES,
    SHEET_NAMES,
    Cell,
    CellKind,
    Column,
    Sheet,
    cell_of,
    headers,
    number_text,
    sheets,
)
from core.reports.labels import Language, decimal_separator
from core.reports.streamed import ReportSource

CsvStyle = Literal["spreadsheet", "rfc4180"]
CSV_STYLES: tuple[CsvStyle, ...] = ("spreadsheet", "rfc4180")
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 64 * 1024  # characters a download's chunk holds at least (but the last)


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


class _SheetWriter:
    """One sheet's CSV on ``handle``: the header at once, then lines as they come."""

    def __init__(
        self, handle: IO[str], columns: Sequence[Column], language: Language, style: CsvStyle
    ) -> None:
        spreadsheet = style == "spreadsheet"
        self.decimal = decimal_separator(language) if spreadsheet else "."
        self.convert = [_converter(column, language, self.decimal) for column in columns]
        self.writer = csv.writer(
            handle, delimiter=";" if self.decimal == "," else ",", lineterminator="\r\n"
        )
        if spreadsheet:
            handle.write(BOM)
        self.writer.writerow(headers(columns, language))

    def write(self, lines: Iterable[Any]) -> None:
        convert = self.convert
        self.writer.writerows([text(line) for text in convert] for line in lines)


def _converter(column: Column, language: Language, decimal: str) -> Callable[[Any], object]:
    """A column's text for a line: ``_text(cell(...))``, with the common cases made quick
    (a month is millions of cells). The same text, always: the words of a column are
    remembered (a handful of values), a local time is its ISO form without the zone."""
    get = column.get

    def any_value(line: Any) -> object:
        return _text(cell_of(column, get(line), language), column.kind, decimal)

    if column.kind == "word":
        said: dict[object, object] = {}

        def word_text(line: Any) -> object:
            value = get(line)
            if value not in said:
                said[value] = _text(cell_of(column, value, language), column.kind, decimal)
            return said[value]

        return word_text
    if column.kind in ("datetime", "minute_time"):

        def local_time(line: Any) -> object:
            value = get(line)
            if type(value) is datetime and value.year >= 1000:
                return value.isoformat(" ", "seconds")[:19]  # "%Y-%m-%d %H:%M:%S", no zone
            return _text(cell_of(column, value, language), column.kind, decimal)

        return local_time
    if column.kind == "text":

        def text(line: Any) -> object:
            value = get(line)
            return defuse(value) if type(value) is str else any_value(line)

        return text
    if column.kind == "int":

        def number(line: Any) -> object:
            value = get(line)
            return value if type(value) is int else any_value(line)

        return number
    if column.kind == "date":

        def day(line: Any) -> object:
            value = get(line)
            return value.isoformat() if type(value) is date else any_value(line)

        return day
    return any_value


def write_sheet(
    handle: IO[str], sheet: Sheet, language: Language, style: CsvStyle = "spreadsheet"
) -> None:
    """One sheet as CSV on ``handle`` (opened with ``newline=""`` when it is a file)."""
    _SheetWriter(handle, sheet.columns, language, style).write(sheet.rows)


def write_csv(
    report: ReportSource,
    handles: Mapping[str, IO[str]],
    language: Language,
    style: CsvStyle = "spreadsheet",
) -> None:
    """The sheets named in ``handles`` (``SHEET_NAMES``), each on its own handle, from one
    reading of ``report``: each employee's lines are written as they are made."""
    for _ in _written(report, handles, language, style):
        pass


def iter_period_csv(
    report: ReportSource,
    sheet: str = "sheet.records",
    language: Language = "es",
    style: CsvStyle = "spreadsheet",
) -> Iterator[bytes]:
    """One sheet's CSV file in UTF-8, a chunk per employee or so, for a download."""
    buffer = io.StringIO(newline="")
    for _ in _written(report, {sheet: buffer}, language, style):
        if buffer.tell() >= _CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def _written(
    report: ReportSource, handles: Mapping[str, IO[str]], language: Language, style: CsvStyle
) -> Iterator[None]:
    """Write ``report``'s sheets on ``handles``, pausing after each employee."""
    unknown = set(handles) - set(SHEET_NAMES)
    if unknown:
        raise ValueError(f"no such sheet: {sorted(unknown)}")
    with report.parts() as parts:  # a refusal or a wrong site: said before a line is written
        writers = {
            sheet.name: _SheetWriter(handles[sheet.name], sheet.columns, language, style)
            for sheet in sheets(NO_LINES, central=report.central)
            if sheet.name in handles
        }
        for part in parts:
            for sheet in sheets(part, central=report.central):
                if sheet.name in writers:
                    writers[sheet.name].write(sheet.rows)
            yield


def csv_rows(text: str) -> list[list[str]]:
    """Read back what ``write_sheet`` wrote, whichever style (for tests and tools)."""
    body = text.removeprefix(BOM)
    first = body.split("\r\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(body.splitlines(), delimiter=delimiter))
