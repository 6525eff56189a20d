"""The attendance page shows what the files hold, in the same unit: hours worked in decimal
hours under "(h)" as the CSV and the XLSX give them (with the language's decimal comma), and
the records' view without the record's id (the files keep it), so a row fits the screen."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from core.reports.csv_format import csv_rows
from core.sync.central import CentralDatabase
from tests.console.client import ConsoleClient
from tests.support.sync_support import add_employee_centrally

pytestmark = pytest.mark.postgres


def _worked_day(admin: ConsoleClient, central: CentralDatabase) -> str:
    add_employee_centrally(central, "E1", "Ana Pérez")
    day = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
    for at, kind in ((f"{day}T09:00", "in"), (f"{day}T17:15", "out")):
        form = {"code": "E1", "at": at, "kind": kind, "reason": "olvidó fichar"}
        assert admin.submit("/corrections", "/corrections/add", form).status == 303
    return f"from={day}&to={day}"


def _cells(page: str, header: str) -> list[str]:
    """The values under ``header`` in the page's report table."""
    headers = re.findall(r'<th scope="col">([^<]*)</th>', page.split('id="report-table"')[1])
    column = headers.index(header)
    body = page.split("<tbody>")[1].split("</tbody>", maxsplit=1)[0]
    return [re.findall(r"<td>([^<]*)</td>", row)[column] for row in body.split("</tr>")[:-1]]


def test_hours_on_screen_are_the_files_decimal_hours_in_each_language(
    admin: ConsoleClient, central: CentralDatabase
) -> None:
    period = _worked_day(admin, central)
    shown = _cells(admin.get(f"/attendance?{period}").text, "Hours worked (h)")
    csv = admin.get(f"/attendance/download?{period}&format=csv&sheet=totals")
    header, row = csv_rows(csv.text)
    assert shown == [dict(zip(header, row, strict=True))["Hours worked (h)"]] == ["8.25"]

    from openpyxl import load_workbook

    xlsx = admin.get(f"/attendance/download?{period}&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.body))["Period totals"]
    titles = [c.value for c in sheet[1]]
    worked = sheet.cell(row=2, column=titles.index("Hours worked (h)") + 1)
    assert (worked.value, worked.number_format) == (8.25, "0.00")

    admin.language = "es"
    spanish = admin.get(f"/attendance?{period}").text
    assert _cells(spanish, "Horas trabajadas (h)") == ["8,25"]  # as the Spanish CSV writes it
    days = admin.get(f"/attendance?{period}&view=days").text
    assert _cells(days, "Trabajado (h)") == ["8,25"]


def test_the_records_view_leaves_the_record_id_to_the_files(
    admin: ConsoleClient, central: CentralDatabase
) -> None:
    period = _worked_day(admin, central)
    page = admin.get(f"/attendance?{period}&view=records").text
    csv = admin.get(f"/attendance/download?{period}&format=csv&sheet=records")
    header, *rows = csv_rows(csv.text)
    assert header[0] == "Record" and len(rows) == 2
    ids = [row[0] for row in rows]
    assert all(re.fullmatch(r"[0-9a-f-]{36}", i) for i in ids), ids
    assert ">Record<" not in page and not any(i in page for i in ids)
    assert _cells(page, "Code") == ["E1", "E1"] and _cells(page, "Type") == ["In", "Out"]
