"""The attendance page builds only the employees its page shows, and shows what the whole
report has at that place; the download streams the same file as the report's own CSV."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from html import unescape
from typing import Any

import pytest
from sqlalchemy import insert, select

from console.pages.attendance import on_screen, shown
from console.server import ConsoleServer
from console.web import Console
from core.reports import write_sheet
from core.reports.columns import cell, sheets
from core.store.tables import EVENTS, SHIFTS
from core.store.tables import SHIFT_ASSIGNMENTS as ASSIGNMENTS
from core.sync import central_page
from core.sync.central import CentralDatabase
from core.sync.central_export import central_report, stream_central_report
from tests.console.client import ConsoleClient
from tests.support.sync_support import add_employee_centrally, event_row

pytestmark = pytest.mark.postgres

PEOPLE = 110  # three pages of totals
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<td>(.*?)</td>", re.S)


def _company(central: CentralDatabase) -> tuple[date, date]:
    """110 people with two days of records each, and five more with a shift and no record."""
    first = (datetime.now(UTC) - timedelta(days=4)).date()
    rows: list[dict[str, Any]] = []
    for i in range(PEOPLE):
        employee = add_employee_centrally(central, f"P{i:03}", f"Persona {i}")
        for offset in range(2):
            day = first + timedelta(days=offset)
            for hour, kind in ((8 + i % 3, "in"), (16 + i % 2, "out")):
                at = datetime.combine(day, time(hour, i % 60), tzinfo=UTC)
                row = event_row(employee, "entrada", at)
                rows.append({**row, "kind": kind, "received_at": at, "verified_at": at})
    absent = [add_employee_centrally(central, f"Q{i}", f"Ausente {i}") for i in range(5)]
    with central.begin() as connection:
        connection.execute(insert(EVENTS), rows)
        shift = connection.scalar(select(SHIFTS.c.id).limit(1))
        connection.execute(
            insert(ASSIGNMENTS),
            [
                {
                    "id": uuid.uuid4(),
                    "employee_id": e,
                    "shift_id": shift,
                    "created_at": datetime.now(UTC),
                    "sync_pending": False,
                }
                for e in absent
            ],
        )
    return first, first + timedelta(days=1)


def _table(text: str) -> list[list[str]]:
    body = text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[unescape(c) for c in CELL.findall(row)] for row in ROW.findall(body)]


def test_a_page_builds_only_its_employees_and_shows_the_whole_report_at_that_place(
    admin: ConsoleClient,
    central: CentralDatabase,
    console_server: ConsoleServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    start, end = _company(central)
    services = console_server.app.state.console.services
    assert isinstance(console_server.app.state.console, Console)
    whole = central_report(
        central, start, end, services.clock(), fallback_zone=services.zone, rules=services.rules
    )
    assert len(whole.totals) == PEOPLE + 5 and len(whole.records) == PEOPLE * 4
    built: list[Collection[str] | None] = []
    real = stream_central_report

    def counting(*args: Any, **kwargs: Any) -> Any:
        built.append(kwargs.get("employee_codes"))
        return real(*args, **kwargs)

    monkeypatch.setattr(central_page, "stream_central_report", counting)
    period = f"from={start}&to={end}"
    by_view = {s.name: s for s in sheets(whole)}
    for view, sheet_name, page in (
        ("totals", "sheet.totals", 1),
        ("totals", "sheet.totals", 3),
        ("days", "sheet.days", 2),
        ("records", "sheet.records", 5),
    ):
        built.clear()
        answer = admin.get(f"/attendance?{period}&view={view}&page={page}")
        assert answer.status == 200
        assert f"{PEOPLE * 4} records, {PEOPLE * 2} days, {PEOPLE + 5} employees" in answer.text
        sheet = by_view[sheet_name]
        lines = sheet.rows[(page - 1) * 50 : page * 50]
        columns = on_screen(sheet)
        expected = [[shown(cell(c, row, "en"), c.kind, "en") for c in columns] for row in lines]
        assert _table(answer.text) == expected, (view, page)
        (codes,) = built  # one report built, of the page's people only
        assert codes is not None
        assert set(codes) == {line.code for line in lines}, (view, page)
    assert "page 3 of 3" in admin.get(f"/attendance?{period}&page=9").text.lower()


def test_the_download_streams_the_reports_own_csv(
    admin: ConsoleClient, central: CentralDatabase, console_server: ConsoleServer
) -> None:
    start, end = _company(central)
    services = console_server.app.state.console.services
    whole = central_report(
        central, start, end, services.clock(), fallback_zone=services.zone, rules=services.rules
    )
    for view, sheet_name in (("records", "sheet.records"), ("totals", "sheet.totals")):
        answer = admin.get(f"/attendance/download?from={start}&to={end}&format=csv&sheet={view}")
        assert answer.status == 200 and "content-length" not in answer.headers  # streamed
        expected = io.StringIO(newline="")
        sheet = next(s for s in sheets(whole) if s.name == sheet_name)
        write_sheet(expected, sheet, "en", "spreadsheet")
        assert answer.body == expected.getvalue().encode("utf-8")


def test_a_companys_day_of_records_is_listed_a_page_at_a_time(
    admin: ConsoleClient, central: CentralDatabase
) -> None:
    start, _end = _company(central)  # 220 records that day
    first = admin.get(f"/corrections?day={start}")
    assert first.status == 200 and first.text.count('<tr id="record-') == 100
    assert "page 1 of 3" in first.text.lower() and 'id="records-previous"' not in first.text
    last = admin.get(f"/corrections?day={start}&page=3")
    assert last.text.count('<tr id="record-') == 20 and 'id="records-next"' not in last.text
    seen = set()
    for page in (1, 2, 3):
        listed = admin.get(f"/corrections?day={start}&page={page}").text
        seen |= set(re.findall(r'<tr id="record-([^"]+)"', listed))
    assert len(seen) == 220  # every record once, none skipped between pages
    one = admin.get(f"/corrections?day={start}&code=P007")
    assert one.text.count('<tr id="record-') == 2 and 'class="pages"' not in one.text


def test_the_counts_are_kept_until_a_record_changes_them(
    admin: ConsoleClient, central: CentralDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    start, end = _company(central)
    counted: list[int] = []
    real = central_page._sizes

    def counting(*args: Any) -> Any:
        counted.append(1)
        return real(*args)

    monkeypatch.setattr(central_page, "_sizes", counting)
    period = f"/attendance?from={start}&to={end}&view=records"
    summary = f"{PEOPLE * 4} records, {PEOPLE * 2} days, {PEOPLE + 5} employees"
    assert summary in admin.get(period).text and summary in admin.get(period + "&page=2").text
    assert len(counted) == 1  # the second page reused the first one's counts
    employee = add_employee_centrally(central, "R1", "Recién llegada")
    at = datetime.combine(start, time(9), tzinfo=UTC)
    with central.begin() as connection:  # a kiosk's push, as the server stores it
        connection.execute(
            insert(EVENTS), [{**event_row(employee, "entrada", at), "received_at": at}]
        )
    later = admin.get(period).text  # the page derives it first, then counts again
    assert f"{PEOPLE * 4 + 1} records, {PEOPLE * 2 + 1} days, {PEOPLE + 6} employees" in later
    assert len(counted) == 2
