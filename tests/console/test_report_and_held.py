"""The period report on the console (the kiosk's Export's sheets) and its downloads, a
forgotten check-out entered as a correction, and a held record released."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from core.reports.csv_format import csv_rows
from core.store.models import AuditEntry
from core.store.tables import EVENTS
from core.sync.central import CentralDatabase
from tests.console.client import ConsoleClient
from tests.console.conftest import ADMIN
from tests.support.sync_support import add_employee_centrally, event_row

pytestmark = pytest.mark.postgres


def _day() -> str:
    return (datetime.now(UTC) - timedelta(days=2)).date().isoformat()


def _record(admin: ConsoleClient, at: str, kind: str, code: str = "E1") -> None:
    form = {"code": code, "at": at, "kind": kind, "reason": "forgot to punch"}
    answer = admin.submit("/corrections", "/corrections/add", form)
    assert answer.status == 303, answer.text[:2000]


def test_a_day_entered_as_corrections_is_in_the_report_and_its_downloads(
    admin: ConsoleClient, central: CentralDatabase
) -> None:
    add_employee_centrally(central, "E1", "Ana Pérez")
    day = _day()
    _record(admin, f"{day}T09:00", "in")
    _record(admin, f"{day}T17:30", "out")
    listed = admin.get(f"/corrections?day={day}&code=E1")
    assert listed.text.count("Ana Pérez") == 2 and "Manual" in listed.text

    period = f"from={day}&to={day}"
    page = admin.get(f"/attendance?{period}")
    assert page.status == 200 and "2 records, 1 day, 1 employee." in page.text
    # Hours worked on the totals sheet, in the files' unit: decimal hours under "(h)".
    assert "<td>8.50</td>" in page.text and "8:30" not in page.text

    csv = admin.get(f"/attendance/download?{period}&format=csv&sheet=totals")
    assert csv.status == 200 and "attachment" in csv.headers["content-disposition"]
    header, row = csv_rows(csv.text)
    totals = dict(zip(header, row, strict=True))
    assert totals["Code"] == "E1" and totals["Hours worked (h)"] == "8.50"
    assert totals["Days worked"] == "1"

    xlsx = admin.get(f"/attendance/download?{period}&format=xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.body))
    sheet = book["Period totals"]
    titles = [c.value for c in sheet[1]]
    worked = sheet.cell(row=2, column=titles.index("Hours worked (h)") + 1).value
    assert worked == 8.5

    with central.connect() as connection:
        exports = connection.execute(
            select(AuditEntry.actor, AuditEntry.details).where(AuditEntry.action == "report.export")
        ).all()
        manual = connection.execute(
            select(AuditEntry.actor).where(AuditEntry.action == "attendance.manual")
        ).all()
    assert [json.loads(d)["format"] for _a, d in exports] == ["csv", "xlsx"]
    assert {a for a, _d in exports} == {a for (a,) in manual} == {f"user:{ADMIN}"}


def test_a_refused_correction_says_why_and_keeps_what_was_typed(
    admin: ConsoleClient, central: CentralDatabase
) -> None:
    add_employee_centrally(central, "E1", "Ana Pérez")
    form = {"code": "E1", "at": "no es una hora", "kind": "out", "reason": "olvidó fichar"}
    bad_time = admin.submit("/corrections", "/corrections/add", form)
    assert bad_time.status == 400 and 'value="olvidó fichar"' in bad_time.text
    unknown = admin.submit(
        "/corrections", "/corrections/add", {**form, "code": "E404", "at": f"{_day()}T17:00"}
    )
    assert unknown.status == 400 and 'value="E404"' in unknown.text


def test_a_held_record_is_released_with_a_reason_and_counts_from_then_on(
    admin: ConsoleClient, central: CentralDatabase
) -> None:
    employee = add_employee_centrally(central, "E1", "Ana Pérez")
    row = event_row(employee, "entrada", datetime.now(UTC) - timedelta(days=40))
    row.update(review="dated 40 days ago", received_at=datetime.now(UTC), sent_by="kiosk_x")
    with central.begin() as connection:
        connection.execute(insert(EVENTS).values(**row))
    record = str(row["id"])
    page = admin.get("/held")
    assert f'id="held-{record}"' in page.text and "dated 40 days ago" in page.text

    no_reason = admin.post(
        "/held/decide",
        {"csrf_token": page.csrf(), "record": [record], "reason": "", "decision": "release"},
    )
    assert no_reason.status == 400 and f'value="{record}" checked' in no_reason.text
    released = admin.post(
        "/held/decide",
        {
            "csrf_token": page.csrf(),
            "record": [record],
            "reason": "the kiosk was offline",
            "decision": "release",
        },
    )
    assert released.status == 303
    assert "1 record released." in admin.get(released.location).text
    with central.connect() as connection:
        assert connection.scalar(select(EVENTS.c.review).where(EVENTS.c.id == row["id"])) is None
        audit = connection.execute(
            select(AuditEntry.actor, AuditEntry.reason).where(
                AuditEntry.action == "central.release"
            )
        ).one()
    assert tuple(audit) == (f"user:{ADMIN}", "the kiosk was offline")
    assert 'id="nothing-held"' in admin.get("/held").text
