"""XLSX as a clerk opens it: sheet names and headers in the report's language, times as
real spreadsheet dates, durations as numbers of decimal hours (``0.00``: the headers' "(h)",
as the CSV and the console's screen give them; a sum of 180 hours reads 180.00, never
12:00), columns as wide as their content, the header row frozen and filterable, and the
same formula defusing as the CSV. Each carries the custom document property
``AsistenciaReport`` (core/reports/marker.py): an export replaces a file only when it finds
that mark in it."""

from __future__ import annotations

import contextlib
import io
import pickle
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any

from core.errors import UsageError
from core.i18n import Message
from core.reports.columns import (
    NO_LINES,
    PLACES,
    Cell,
    Column,
    Sheet,
    cell,
    headers,
    number_text,
    sheets,
)
from core.reports.csv_format import defuse
from core.reports.labels import Language, word
from core.reports.marker import MARKER_PROPERTY
from core.reports.streamed import ReportSource

DATE_FORMAT = "dd/mm/yyyy"  # es_ES and en_GB alike
FORMATS = {
    "date": DATE_FORMAT,
    "datetime": f"{DATE_FORMAT} hh:mm:ss",
    "minute_time": f"{DATE_FORMAT} hh:mm",
    "duration": "0." + "0" * PLACES["duration"],
    "score": "0." + "0" * PLACES["score"],
    "int": "0",
}
# How wide each kind shows (characters), whatever its value: a format, not its text.
_SHOWN_WIDTH = {"date": 11, "datetime": 20, "minute_time": 17, "score": 6}  # + a margin
_MAX_WIDTH = 60
MAX_ROWS = 1_048_576  # rows a sheet holds in Excel and LibreOffice (the file format's limit)


def _shown(column: Column, value: Cell) -> int:
    if value is None:
        return 0
    if column.kind in _SHOWN_WIDTH:
        return _SHOWN_WIDTH[column.kind]
    if isinstance(value, float):
        return len(number_text(value, column.kind, "."))
    return len(str(value))


def xlsx_bytes(report: ReportSource, language: Language) -> bytes:
    """The whole file in memory (a small report, a test); files stream (``write_xlsx``)."""
    buffer = io.BytesIO()
    write_xlsx(report, buffer, language)
    return buffer.getvalue()


def write_xlsx(report: ReportSource, handle: IO[bytes], language: Language) -> None:
    """The report as one XLSX file on ``handle`` (a file, or a download's stream).

    A column's width depends on every value in it and is written before the first row, so
    the report is read once into temporary files (each employee's cells as they are made,
    widths kept up to date), then the workbook is written row by row from them (openpyxl's
    write-only mode): memory holds one employee's lines, never the period. A sheet longer
    than a spreadsheet opens (``MAX_ROWS``) is refused with a sentence, before any of it
    is written."""
    from openpyxl import Workbook  # imported on demand: only exports need it
    from openpyxl.packaging.custom import BoolProperty

    layout = sheets(NO_LINES, central=report.central)
    with contextlib.ExitStack() as stack:
        spools = [_Spool(stack.enter_context(tempfile.TemporaryFile()), s) for s in layout]
        for spool in spools:
            spool.begin(language)
        with report.parts() as parts:
            for part in parts:
                for spool, sheet in zip(spools, sheets(part, central=report.central), strict=True):
                    spool.add(sheet.rows, language)
        for spool in spools:
            if spool.count + 1 > MAX_ROWS:  # the header and every line, or no file at all
                raise UsageError(
                    Message(
                        "export.xlsx_too_long",
                        sheet=word(spool.sheet.name, language),
                        rows=spool.count + 1,
                        limit=MAX_ROWS,
                    )
                )
        workbook = Workbook(write_only=True)
        workbook.custom_doc_props.append(BoolProperty(name=MARKER_PROPERTY, value=True))
        for spool in spools:
            spool.write(workbook, language)
        workbook.save(handle)


class _Spool:
    """One sheet's cells on a temporary file while the report is read, and their widths."""

    def __init__(self, file: IO[bytes], sheet: Sheet) -> None:
        self.file, self.sheet = file, sheet
        self.widths: list[int] = []
        self.count = 0

    def begin(self, language: Language) -> None:
        self.widths = [len(title) for title in headers(self.sheet.columns, language)]

    def add(self, lines: Sequence[Any], language: Language) -> None:
        if not lines:
            return
        columns, widths = self.sheet.columns, self.widths
        rows = []
        for line in lines:
            values = [cell(column, line, language) for column in columns]
            for index, (column, value) in enumerate(zip(columns, values, strict=True)):
                widths[index] = max(widths[index], _shown(column, value))
            rows.append([_value(value) for value in values])
        pickle.dump(rows, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += len(rows)

    def rows(self) -> Iterator[list[object]]:
        self.file.seek(0)
        while True:
            try:
                # Our own temporary file, written above and unlinked: nobody else's pickle.
                chunk = pickle.load(self.file)  # noqa: S301
            except EOFError:
                return
            yield from chunk

    def write(self, workbook: Any, language: Language) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        sheet = self.sheet
        page = workbook.create_sheet(word(sheet.name, language))
        # Before the first row: a write-only sheet writes its columns' widths with it.
        for index, width in enumerate(self.widths, start=1):
            page.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)
        page.freeze_panes = "A2"
        # Printed, every column on one page across (landscape), as many pages down as needed.
        page.page_setup.orientation = "landscape"
        page.sheet_properties.pageSetUpPr.fitToPage = True
        page.page_setup.fitToWidth = 1
        page.page_setup.fitToHeight = 0
        page.print_title_rows = "1:1"
        page.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{self.count + 1}"
        bold = Font(bold=True)
        titles = []
        for title in headers(sheet.columns, language):
            header = WriteOnlyCell(page, value=title)
            header.font = bold
            titles.append(header)
        page.append(titles)
        # One styled cell per formatted column, given each row's value in turn (a row is
        # written as it is appended); every cell of such a column carries its format, as a
        # clerk's filled-in cell would, even an empty one.
        formatted: dict[int, Any] = {}
        for index, column in enumerate(sheet.columns):
            if (number_format := FORMATS.get(column.kind)) is not None:
                formatted[index] = WriteOnlyCell(page)
                formatted[index].number_format = number_format
        for values in self.rows():
            for index, styled in formatted.items():
                styled.value = values[index]
                values[index] = styled
            page.append(values)


def _value(value: Cell) -> object:
    if isinstance(value, datetime | date):
        return value
    return defuse(value)
