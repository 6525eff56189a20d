"""Corrections travel like any record and meet the same review centrally: a forgotten
check-out entered afterwards and a record's time changed on a kiosk reach the central
database through a least-privilege kiosk role, and the central payroll report counts the
replacement, not the original; a correction dated beyond the kiosk's offline window is held
for review and counts nowhere. Real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.attendance.outcomes import Recorded
from core.attendance.rules import Kind, RulesConfig, wall_clock_to_utc
from core.attendance.service import AttendanceService
from core.store.models import AttendanceCorrection, AttendanceEvent
from core.sync.central import CentralDatabase
from core.sync.central_export import central_report
from core.sync.engine import SyncEngine
from core.sync.roles import DEFAULT_MAX_OFFLINE_DAYS
from tests.support.sync_support import add_employee_centrally, kiosk_role, kiosk_store

pytestmark = pytest.mark.postgres
MADRID = ZoneInfo("Europe/Madrid")
PASSWORD = "kiosk-Passw0rd-2"


@pytest.fixture
def role(central_url: str) -> Iterator[str]:
    with kiosk_role(central_url, PASSWORD) as name:
        yield name


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return wall_clock_to_utc(day, time(hour, minute), MADRID)


def test_corrections_sync_and_meet_the_same_review(
    central_url: str, role: str, tmp_path: Path
) -> None:
    owner = CentralDatabase(central_url)
    person = add_employee_centrally(owner, "E1", "Ana García")
    parts = urlsplit(central_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    kiosk_url = parts._replace(netloc=f"{role}:{PASSWORD}@{host}").geturl()
    store = kiosk_store(tmp_path / "k.db")
    engine = SyncEngine(store, CentralDatabase(kiosk_url), kiosk_id="k1")
    service = AttendanceService(store, kiosk_id="k1", zone=MADRID, rules=RulesConfig())
    day = datetime.now(MADRID).date() - timedelta(days=2)
    old = datetime.now(MADRID).date() - timedelta(days=DEFAULT_MAX_OFFLINE_DAYS + 10)
    try:
        assert engine.run_once().ok  # pulls Ana
        service.record_manual("user:admin", "E1", "kiosk was off", at=at(day, 9))
        out = service.record_manual("user:admin", "E1", "forgot to check out", at=at(day, 18))
        assert isinstance(out, Recorded)
        fixed = service.amend("user:admin", out.event_id, "left at 17:30", at=at(day, 17, 30))
        stale = service.record_manual(
            "user:admin", "E1", "a month late", at=at(old, 9), kind=Kind.IN
        )
        assert isinstance(stale, Recorded)
        result = engine.run_once()
        assert result.ok, result.error
        assert result.pushed["attendance_events"] == 4
        assert result.pushed["attendance_corrections"] == 1
    finally:
        engine.close()
        store.dispose()

    with owner.connect() as connection:
        reviews = dict(connection.execute(select(AttendanceEvent.id, AttendanceEvent.review)).all())
        correction = connection.execute(select(AttendanceCorrection)).one()
    assert reviews[out.event_id] is None and reviews[fixed.event_id] is None
    assert correction.event_id == out.event_id
    assert correction.replacement_event_id == fixed.event_id
    assert correction.review is None and correction.sent_by == role
    # Beyond the kiosk's offline window: held for review, like any late record.
    held = reviews[stale.event_id]
    assert held is not None and f"more than {DEFAULT_MAX_OFFLINE_DAYS} days" in held

    report = central_report(
        owner, old, day, datetime.now(UTC), fallback_zone=MADRID, rules=RulesConfig()
    )
    (ana,) = report.totals
    assert ana.worked == timedelta(hours=8, minutes=30)  # the replacement, not 18:00
    assert ana.corrections == 1
    assert {(r.kind, r.voided) for r in report.records} == {
        ("in", False),
        ("out", True),
        ("out", False),
    }  # the held one is not there
    assert person == fixed.employee_id
    owner.dispose()
