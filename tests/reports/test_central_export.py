"""The company-wide report against a real PostgreSQL: two kiosks of two sites record through
their own attendance rules and sync as their own roles; `central export` must give exactly
their records and, day by day, the summaries the kiosks' own exports give."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import psycopg
import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from core.attendance.outcomes import Recorded
from core.attendance.rules import RulesConfig
from core.attendance.service import AttendanceService
from core.reports import Report, build_report
from core.reports.columns import DAY_COLUMNS, TOTAL_COLUMNS, headers
from core.store.models import AuditEntry, Shift, ShiftAssignment
from core.store.types import utcnow
from core.sync.central import CentralDatabase, lock_revisions
from core.sync.central_export import central_report
from core.sync.engine import SyncEngine
from core.sync.site_admin import assign_kiosk, change_members, create_site
from tests.support.cli import run_main
from tests.support.sync_support import add_employee_centrally, kiosk_role, kiosk_store

pytestmark = pytest.mark.postgres
PASSWORD = "export-Passw0rd-1"
MADRID = ZoneInfo("Europe/Madrid")
# A Monday 7-13 days ago: inside the 14 days a kiosk's record may be late by.
TODAY = datetime.now(MADRID).date()
MONDAY = TODAY - timedelta(days=TODAY.weekday() + 7)
RULES = RulesConfig()


def _login(central_url: str, role: str) -> str:
    parts = urlsplit(central_url)
    host = parts.netloc.split("@", 1)[1]
    return parts._replace(netloc=f"{role}:{PASSWORD}@{host}").geturl()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), MADRID).astimezone(UTC)


@pytest.fixture
def owner(central_url: str) -> Iterator[CentralDatabase]:
    central = CentralDatabase(central_url)
    yield central
    central.dispose()


def _office_shift(owner: CentralDatabase, employees: list[uuid.UUID]) -> None:
    now = utcnow()
    shift_id = uuid.uuid4()
    with owner.begin() as connection:
        lock_revisions(connection)
        connection.execute(
            insert(Shift).values(
                id=shift_id,
                name="Oficina",
                start_time=time(9),
                end_time=time(18),
                weekdays=0b0011111,
                grace_in_minutes=5,
                grace_out_minutes=0,
                active=True,
                created_at=now,
                updated_at=now,
                sync_pending=False,
            )
        )
        connection.execute(
            insert(ShiftAssignment),
            [
                {
                    "id": uuid.uuid4(),
                    "employee_id": employee,
                    "shift_id": shift_id,
                    "created_at": now,
                    "sync_pending": False,
                }
                for employee in employees
            ],
        )


class Door:
    def __init__(self, engine: SyncEngine, kiosk_id: str, login: str) -> None:
        self.engine, self.kiosk_id, self.login = engine, kiosk_id, login
        self.service = AttendanceService(engine.store, kiosk_id=kiosk_id, zone=MADRID, rules=RULES)

    def punch(self, code: str, at: datetime) -> uuid.UUID:
        outcome = self.service.record_manual("cli:test", code, "door", now=at)
        assert isinstance(outcome, Recorded), outcome
        return uuid.UUID(str(outcome.event_id))

    def report(self, now: datetime) -> Report:
        return build_report(self.engine.store, MONDAY, MONDAY + timedelta(days=4), MADRID, now)


@pytest.fixture
def doors(owner: CentralDatabase, central_url: str, tmp_path: Path) -> Iterator[dict[str, Door]]:
    people = {code: add_employee_centrally(owner, code) for code in ("E1", "E2", "E3", "=X")}
    _office_shift(owner, list(people.values()))
    create_site(owner, "norte", "Norte")
    create_site(owner, "sur", "Sur")
    change_members(owner, "norte", ["E1", "E3", "=X"], add=True)
    change_members(owner, "sur", ["E2", "E3"], add=True)
    with ExitStack() as stack:
        found: dict[str, Door] = {}
        for kiosk_id, site in (("k-norte", "norte"), ("k-sur", "sur")):
            role = stack.enter_context(kiosk_role(central_url, PASSWORD, kiosk_id))
            assign_kiosk(owner, kiosk_id, site)
            store = kiosk_store(tmp_path / f"{kiosk_id}.db")
            login = _login(central_url, role)
            engine = SyncEngine(store, CentralDatabase(login), kiosk_id=kiosk_id)
            stack.callback(store.dispose)
            stack.callback(engine.close)
            assert engine.run_once().ok
            found[kiosk_id] = Door(engine, kiosk_id, login)
        yield found


def _a_week(doors: dict[str, Door]) -> set[uuid.UUID]:
    north, south = doors["k-norte"], doors["k-sur"]
    made = set()
    for offset in range(3):
        day = MONDAY + timedelta(days=offset)
        made.add(north.punch("E1", _at(day, 9, 12 + offset)))  # late 12, 13, 14
        made.add(north.punch("E1", _at(day, 17, 50)))  # early 10
        made.add(south.punch("E2", _at(day, 8, 55)))
        made.add(south.punch("E2", _at(day, 18, 40)))  # overtime 40
    # E3 works Monday in the north and Tuesday in the south, and forgets Tuesday's out.
    made.add(north.punch("E3", _at(MONDAY, 9)))
    made.add(north.punch("E3", _at(MONDAY, 13)))
    made.add(south.punch("E3", _at(MONDAY + timedelta(days=1), 9, 30)))
    made.add(north.punch("=X", _at(MONDAY + timedelta(days=3), 9)))
    # A wrong record voided at its kiosk: listed, not counted, on both sides.
    wrong = north.punch("E1", _at(MONDAY + timedelta(days=4), 9))
    north.service.void("cli:test", wrong, "wrong person")
    made.add(wrong)
    for door in doors.values():
        assert door.engine.run_once().ok
    return made


def _forge_held_record(door: Door, employee: uuid.UUID) -> str:
    """A record pushed by the north login claiming the south kiosk: held for review."""
    at = _at(MONDAY + timedelta(days=2), 12)
    record_id = str(uuid.uuid4())
    row = {
        "id": record_id,
        "employee_id": str(employee),
        "kiosk_id": "k-sur",
        "kind": "in",
        "occurred_at": at.isoformat(),
        "timezone": "Europe/Madrid",
        "shift_day": (MONDAY + timedelta(days=2)).isoformat(),
        "late_minutes": 180,
        "early_leave_minutes": 0,
        "overtime_minutes": 0,
        "method": "pin",
        "created_at": at.isoformat(),
    }
    with psycopg.connect(door.login, autocommit=True) as connection:
        connection.execute(
            "SELECT asistencia_push('attendance_events', %s::jsonb)", (json.dumps([row]),)
        )
    return record_id


def test_the_central_export_over_two_kiosks_is_exactly_their_records_and_summaries(
    owner: CentralDatabase, doors: dict[str, Door]
) -> None:
    made = _a_week(doors)
    held = _forge_held_record(doors["k-norte"], add_employee_centrally(owner, "E9"))
    now = datetime.now(UTC)
    report = central_report(
        owner, MONDAY, MONDAY + timedelta(days=4), now, fallback_zone=ZoneInfo("UTC"), rules=RULES
    )
    ids = {uuid.UUID(row.event_id) for row in report.records}
    assert ids == made and uuid.UUID(held) not in ids
    assert report.central and {row.site for row in report.records} == {"norte", "sur"}
    kiosk_reports = {kiosk: door.report(now) for kiosk, door in doors.items()}
    # Each record reads as it does on its kiosk, with the site of that kiosk after it.
    expected_records = sorted(
        (
            replace(row, site={"k-norte": "norte", "k-sur": "sur"}[kiosk])
            for kiosk, kiosk_report in kiosk_reports.items()
            for row in kiosk_report.records
        ),
        key=lambda r: r.event_id,
    )
    assert sorted(report.records, key=lambda r: r.event_id) == expected_records

    # Day by day, the summary is the kiosks' own (E3's two days come from two kiosks).
    def key(day: object) -> tuple[str, date]:
        return (day.code, day.shift_day)  # type: ignore[attr-defined]

    expected_days = sorted((d for r in kiosk_reports.values() for d in r.days), key=key)
    assert sorted(report.days, key=key) == expected_days
    assert len(report.days) == 3 + 3 + 2 + 1 + 1  # E1's voided Friday shows its correction
    e3_tuesday = next(d for d in report.days if d.code == "E3" and d.shift_day != MONDAY)
    assert e3_tuesday.missing_checkout and e3_tuesday.shift == "Oficina"
    totals = {t.code: t for t in report.totals}

    def summed(code: str) -> tuple[object, ...]:
        t = totals[code]
        return (
            t.days_worked,
            t.worked,
            t.late_minutes,
            t.early_leave_minutes,
            t.overtime_minutes,
            t.missing_checkouts,
            t.corrections,
            t.absences,
        )

    # Monday to Friday, all past: absences are the Office days with no valid record.
    assert summed("E1") == (3, 3 * timedelta(hours=8, minutes=37), 39, 30, 0, 0, 1, 2)
    assert summed("E2") == (3, 3 * timedelta(hours=9, minutes=45), 0, 0, 120, 0, 0, 2)
    assert summed("E3") == (2, timedelta(hours=4), 30, 300, 0, 1, 0, 3)
    assert summed("=X")[0] == 1 and summed("=X")[-1] == 4
    assert "E9" not in totals  # no shift and no counted record

    north_only = central_report(
        owner, MONDAY, MONDAY + timedelta(days=4), now, site="norte", fallback_zone=ZoneInfo("UTC")
    )
    assert sorted(north_only.records, key=lambda r: r.event_id) == sorted(
        (replace(row, site="norte") for row in kiosk_reports["k-norte"].records),
        key=lambda r: r.event_id,
    )
    # People listed there are the north's members: E2 works only in the south.
    assert {t.code for t in north_only.totals} == {"E1", "E3", "=X"}


def test_central_export_from_the_command_line(
    owner: CentralDatabase, doors: dict[str, Door], central_url: str, tmp_path: Path
) -> None:
    _a_week(doors)
    env = {"CENTRAL_DATABASE_URL": central_url, "ASISTENCIA_LANGUAGE": "es"}
    days = ["--from", MONDAY.isoformat(), "--to", (MONDAY + timedelta(days=4)).isoformat()]
    target = tmp_path / "out" / "company.csv"
    done = run_main("central", "export", *days, "-o", str(target), env=env)
    assert done.returncode == 0, done.stderr
    # In the chosen language (ASISTENCIA_LANGUAGE=es in this test's environment).
    assert "17 registros, 10 días, totales de 4 empleados" in done.stderr

    def read(path: Path) -> list[dict[str, str]]:
        # the spreadsheet style for Spanish: BOM, ';'
        return list(csv.DictReader(path.open(encoding="utf-8-sig", newline=""), delimiter=";"))

    rows = read(target)
    assert len(rows) == 17 and {row["Sede"] for row in rows} == {"norte", "sur"}
    assert {row["Código"] for row in rows if row["Código"].startswith("'")} == {
        "'=X"
    }  # defused like the kiosk's
    summary = read(tmp_path / "out" / "company-summary.csv")
    assert list(summary[0]) == headers(DAY_COLUMNS, "es") and len(summary) == 10
    totals = read(tmp_path / "out" / "company-totals.csv")
    assert list(totals[0]) == headers(TOTAL_COLUMNS, "es") and len(totals) == 4
    xlsx = tmp_path / "company.xlsx"
    done = run_main(
        "central", "export", *days, "--site", "sur", "--format", "xlsx", "-o", str(xlsx), env=env
    )
    assert done.returncode == 0, done.stderr
    book = load_workbook(xlsx, read_only=True)
    assert book.sheetnames == ["Registros", "Resumen diario", "Totales del periodo"]
    assert {row[-1] for row in book["Registros"].iter_rows(min_row=2, values_only=True)} == {"sur"}
    stdout = run_main("central", "export", *days, "--summary", env=env)
    assert stdout.returncode == 0
    assert next(csv.reader(io.StringIO(stdout.stdout))) == headers(DAY_COLUMNS, "es")
    with owner.connect() as connection:
        assert connection.scalar(
            select(AuditEntry.action).where(AuditEntry.action == "report.export")
        )

    # Bad input: one sentence each.
    bad_day = run_main("central", "export", "--from", "2026-13-01", "--to", "2026-12-01", env=env)
    assert bad_day.returncode == 2 and "'2026-13-01' is not a date; use YYYY-MM-DD" in (
        bad_day.stderr
    )
    backwards = run_main("central", "export", "--from", "2026-12-02", "--to", "2026-12-01", env=env)
    # The command speaks the chosen language (ASISTENCIA_LANGUAGE=es above), errors too.
    assert backwards.returncode == 2 and "es anterior a --from" in backwards.stderr
    unknown = run_main("central", "export", *days, "--site", "oeste", env=env)
    assert unknown.returncode == 1 and "no site 'oeste' in the central database" in unknown.stderr
    xlsx_out = run_main("central", "export", *days, "--format", "xlsx", env=env)
    assert xlsx_out.returncode == 2 and "XLSX needs a file" in xlsx_out.stderr

    # A kiosk's login cannot run it.
    kiosk = run_main(
        "central", "export", *days, env={"CENTRAL_DATABASE_URL": doors["k-norte"].login}
    )
    assert kiosk.returncode == 1
    assert "needs the owner's login" in kiosk.stderr and "e1" not in kiosk.stdout.lower()
