"""What HR does in the console, in a real chromium: a forgotten record entered, the period's
report downloaded as CSV and XLSX and its totals checked against the records made here, a
held record released, and a kiosk joined with a join file showing up on the fleet page."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select
from sqlalchemy import insert, select

from console.server import ConsoleServer
from console.web import Console
from core.attendance.log import local_instant, local_today
from core.attendance.rules import Kind
from core.config import load_settings
from core.context import AppContext
from core.host.paths import DataPaths
from core.runtime.join import join_deployment
from core.store.models import AuditEntry
from core.store.tables import EVENTS
from core.sync import join_file
from core.sync.central import CentralDatabase
from core.sync.join_file import new_passphrase, write_join_file
from core.sync.kiosk_admin import access_from_url, add_kiosk
from core.sync.site_admin import create_site
from tests.browser.conftest import ConsolePage
from tests.console.conftest import ADMIN
from tests.support.keys import TEST_KEYS
from tests.support.pg import TestPostgres
from tests.support.sync_support import add_employee_centrally, event_row

pytestmark = [pytest.mark.postgres, pytest.mark.browser]
PREFIX = "browsertest"


def _services(server: ConsoleServer) -> Console:
    return server.app.state.console  # type: ignore[no-any-return]


def _type_date(page: ConsolePage, element_id: str, day: date) -> None:
    """A date typed as a person types it into chromium's English date field."""
    field = page.element(element_id)
    field.send_keys(f"{day:%m%d%Y}")


def test_a_periods_report_downloads_as_csv_and_xlsx_with_the_records_made(
    page: ConsolePage, central: CentralDatabase, console_server: ConsoleServer
) -> None:
    console = _services(console_server)
    zone = console.services.zone
    first = local_today(zone) - timedelta(days=3)
    second = first + timedelta(days=1)
    add_employee_centrally(central, "E1", "Ana Pérez")
    add_employee_centrally(central, "E2", "John Smith")
    service = console.services.attendance()
    made = [
        ("E1", first, "09:00", Kind.IN),
        ("E1", first, "17:30", Kind.OUT),  # 8 h 30
        ("E1", second, "08:00", Kind.IN),
        ("E1", second, "12:15", Kind.OUT),  # 4 h 15
        ("E2", first, "10:00", Kind.IN),
    ]
    for code, day, at, kind in made:
        instant = local_instant(f"{day.isoformat()} {at}", zone)
        service.record_manual("test", code, "made by the test", at=instant, kind=kind)

    page.sign_in()
    # John forgot to check out at 14:00 (4 h): entered as a correction, typed and picked.
    page.open("/corrections")
    page.type("correction-code", "E2")
    when = page.element("correction-at")
    when.send_keys(f"{first:%m%d%Y}")
    when.send_keys(Keys.TAB)
    when.send_keys("0200PM")
    Select(page.element("correction-kind")).select_by_value("out")
    page.type("correction-reason", "forgot to check out")
    page.click("correction-submit")
    assert page.text("notice") == "Record added.", page.main_text()
    assert page.path.startswith(f"/corrections?day={first.isoformat()}")
    assert "John Smith" in page.text("records-table")

    page.click("nav-attendance")
    page.element("from").clear()
    _type_date(page, "from", first)
    page.element("to").clear()
    _type_date(page, "to", second)
    page.click("report-show")
    summary = page.text("report-summary")
    assert "6 records" in summary and "2 employees" in summary, summary
    assert "Ana Pérez" in page.text("report-table")

    totals_csv = page.download("download-csv", ".csv")
    assert totals_csv.name == f"asistencia-{first}-{second}-totals.csv"
    with totals_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["Code"]: row for row in csv.DictReader(handle)}
    assert {code: rows[code]["Hours worked (h)"] for code in rows} == {"E1": "12.75", "E2": "4.00"}
    assert rows["E1"]["Days worked"] == "2" and rows["E2"]["Days worked"] == "1"
    assert rows["E1"]["Name"] == "Ana Pérez"

    xlsx = page.download("download-xlsx", ".xlsx")
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    sheet = book["Period totals"]
    titles = [c.value for c in sheet[1]]
    worked = {
        row[titles.index("Code")]: row[titles.index("Hours worked (h)")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert worked == {"E1": 12.75, "E2": 4.0}
    records = book["Records"]
    assert records.max_row - 1 == 6  # one row a record, under its header
    with central.connect() as connection:
        exports = connection.scalars(
            select(AuditEntry.actor).where(AuditEntry.action == "report.export")
        ).all()
    assert exports == [f"user:{ADMIN}"] * 2


def test_a_held_record_is_released_with_a_reason_and_leaves_the_list(
    page: ConsolePage, central: CentralDatabase
) -> None:
    employee = add_employee_centrally(central, "E1", "Ana Pérez")
    rows = []
    for days in (40, 41):
        row = event_row(employee, "entrada", datetime.now(UTC) - timedelta(days=days))
        row.update(review=f"dated {days} days ago", received_at=datetime.now(UTC))
        rows.append(row)
    with central.begin() as connection:
        connection.execute(insert(EVENTS), rows)
    released, kept = (str(r["id"]) for r in rows)

    page.sign_in()
    page.click("nav-held")
    assert page.has(f"held-{released}") and page.has(f"held-{kept}")
    page.click_element(page.element(f"choose-{released}"), navigates=False)
    page.click_element(page.element("held-release"), navigates=False)
    # No reason: the browser itself asks for one, and nothing is sent.
    assert page.element("held-reason").get_attribute("validationMessage")
    assert page.path == "/held" and not page.has("notice")
    page.type("held-reason", "the kiosk was offline for a month")
    page.click("held-release")
    assert page.text("notice") == "1 record released."
    assert not page.has(f"held-{released}") and page.has(f"held-{kept}")
    with central.connect() as connection:
        reviews = dict(connection.execute(select(EVENTS.c.id, EVENTS.c.review)).all())
        reason = connection.scalar(
            select(AuditEntry.reason).where(AuditEntry.action == "central.release")
        )
    assert reviews == {rows[0]["id"]: None, rows[1]["id"]: "dated 41 days ago"}
    assert reason == "the kiosk was offline for a month"


@pytest.fixture(scope="module")
def passwords_checked(postgres_server: TestPostgres) -> Iterator[None]:
    """This module's kiosk roles log in with SCRAM passwords, checked by the server (the
    embedded test server trusts local logins otherwise), as tests/sync/test_join.py does."""
    if not postgres_server.can_restart:
        pytest.skip("the test server's pg_hba.conf is not this test's to change")
    with psycopg.connect(postgres_server.admin_url, autocommit=True) as connection:
        hba = Path(str(connection.execute("SHOW hba_file").fetchone()[0]))  # type: ignore[index]
        before = hba.read_text()
        lines = (
            f"local all /^kiosk_{PREFIX} scram-sha-256\n"
            f"host all /^kiosk_{PREFIX} 127.0.0.1/32 scram-sha-256\n"
        )
        hba.write_text(lines + before)
        connection.execute("SELECT pg_reload_conf()")
        try:
            yield
        finally:
            hba.write_text(before)
            connection.execute("SELECT pg_reload_conf()")


@pytest.fixture
def joinable(
    central_url: str, passwords_checked: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A join as on a kiosk (a cheap key derivation, the kiosk id from the file) against
    the central database at the URL yielded; the kiosk roles it made are dropped afterwards
    (roles outlive the test's database)."""
    monkeypatch.setattr(join_file, "MEMORY_KIB", 1024)
    monkeypatch.setattr(join_file, "TIME_COST", 1)
    monkeypatch.delenv("ASISTENCIA_KIOSK_ID", raising=False)
    yield central_url
    with psycopg.connect(central_url, autocommit=True) as connection:
        roles = connection.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (f"kiosk_{PREFIX}%",)
        ).fetchall()
        for (role,) in roles:
            connection.execute(f'DROP OWNED BY "{role}"'.encode())
            connection.execute(f'DROP ROLE IF EXISTS "{role}"'.encode())


def test_a_kiosk_joined_with_a_join_file_shows_on_the_fleet_page(
    page: ConsolePage,
    central: CentralDatabase,
    console_server: ConsoleServer,
    joinable: str,
    tmp_path: Path,
) -> None:
    create_site(central, "norte", "Planta Norte")
    kiosk_id = f"{PREFIX}-{uuid.uuid4().hex[:6]}"
    payload = add_kiosk(
        central,
        TEST_KEYS,
        kiosk_id,
        site="norte",
        hours=72,
        access=access_from_url(joinable),
        actor="test",
        now=datetime.now(UTC),
    )

    page.sign_in()
    page.click("nav-fleet")
    row = page.element(f"kiosk-{kiosk_id}")
    assert "never" in row.text.lower()  # registered, nothing heard yet
    assert "attention" in str(row.get_attribute("class"))

    path, passphrase = tmp_path / "entrada.join", new_passphrase()
    write_join_file(path, payload, passphrase)
    paths = DataPaths(tmp_path / "kiosk")
    kiosk = AppContext(paths, load_settings(paths.settings_file))
    try:
        joined = join_deployment(kiosk, path, passphrase)
    finally:
        kiosk.close()
    assert joined.synced.key == "join.synced", joined.synced

    page.driver.refresh()
    row = page.element(f"kiosk-{kiosk_id}")
    cells = [c.text for c in row.find_elements(By.CSS_SELECTOR, "th, td")]
    headers = [h.text for h in page.driver.find_elements(By.CSS_SELECTOR, "#fleet-table thead th")]
    shown = dict(zip(headers, cells, strict=True))
    # Today's times are shown without their date: the table fits a screen.
    now = datetime.now(_services(console_server).services.zone)
    assert shown["Site"] == "norte"
    for column in ("Last sync", "Last seen"):
        seen = datetime.strptime(shown[column], "%H:%M")
        minutes = abs(seen.hour * 60 + seen.minute - (now.hour * 60 + now.minute))
        assert min(minutes, 24 * 60 - minutes) <= 2, shown
    assert shown["Needs attention"] == "all well", shown
    assert "attention" not in str(row.get_attribute("class"))
