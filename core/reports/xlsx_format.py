"""XLSX as a clerk opens it: sheet names and headers in the report's language, times as
real spreadsheet dates, durations as numbers of decimal hours (``0.00``: the headers' "(h)",
as the CSV and the console's screen give them; a sum of 180 hours reads 180.00, never
12:00), columns as wide as their content, the header row frozen and
filterable, and the same formula defusing as the CSV. Each carries the custom document
property ``AsistenciaReport`` (core/reports/marker.py): an export replaces a file only when
it finds that mark in it."""

from __future__ import annotations

import io
from datetime import date, datetime

from core.reports.columns import PLACES, Cell, Column, Sheet, cell, headers, number_text, sheets
from core.reports.csv_format import defuse
from core.reports.labels import Language, word
from core.reports.marker import MARKER_PROPERTY
from core.reports.period import Report

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


def _shown(column: Column, value: Cell) -> int:
    if value is None:
        return 0
    if column.kind in _SHOWN_WIDTH:
        return _SHOWN_WIDTH[column.kind]
    if isinstance(value, float):
        return len(number_text(value, column.kind, "."))
    return len(str(value))


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


def _value(value: Cell) -> object:
    if isinstance(value, datetime | date):
        return value
    return defuse(value)


def _format_columns(page: object, sheet: Sheet, count: int) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        number_format = FORMATS.get(column.kind)
        if number_format is None:
            continue
        for row in range(2, count + 2):
            page.cell(row=row, column=index).number_format = number_format  # type: ignore[attr-defined]
