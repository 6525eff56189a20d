"""What a stolen kiosk login *sends*, against a real PostgreSQL (issue 22).

The attacker holds the role `central create-kiosk-role --apply` made for kiosk ``norte-1``
of site ``norte`` (its password, straight psql). Two sites share one shift. Every attack
here must leave the central export, the shifts and the other site's rows as they were; an
honest kiosk's records, computed by the same rules, must still count (so each test can
fail both ways). New findings get a test here.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import psycopg
import pytest
from sqlalchemy import insert, select

from core.attendance.rules import Accepted, Kind, PriorRecord, RulesConfig, ShiftSpec, decide
from core.reports import Report
from core.store.models import AttendanceEvent, Shift, ShiftAssignment
from core.store.types import utcnow
from core.sync.central import CentralDatabase, lock_revisions
from core.sync.central_export import central_report
from core.sync.review import decide as review_decide
from core.sync.site_admin import assign_kiosk, change_members, create_site
from core.sync.verify import verify_arrivals
from tests.sync_support import add_employee_centrally, kiosk_role

pytestmark = pytest.mark.postgres
PASSWORD = "stolen-Passw0rd-1"
UTC_ZONE = ZoneInfo("UTC")
SHIFT_ID = uuid.UUID("5a1f0000-0000-4000-8000-000000000001")
SPEC = ShiftSpec(
    shift_id=str(SHIFT_ID),
    name="Mañana",
    start=time(8, 0),
    end=time(16, 0),
    weekdays=frozenset(range(7)),
    grace_in_minutes=5,
    grace_out_minutes=0,
)
EVENTS = AttendanceEvent.__table__


@dataclass
class Company:
    owner: CentralDatabase
    login: str  # the stolen kiosk login's URL (site norte)
    people: dict[str, uuid.UUID]


def _login(central_url: str, role: str) -> str:
    parts = urlsplit(central_url)
    host = parts.netloc.split("@", 1)[1]
    return parts._replace(netloc=f"{role}:{PASSWORD}@{host}").geturl()


@pytest.fixture
def company(central_url: str) -> Iterator[Company]:
    owner = CentralDatabase(central_url)
    people = {code: add_employee_centrally(owner, code) for code in ("A1", "B1")}
    now = utcnow()
    with owner.begin() as connection:
        lock_revisions(connection)
        connection.execute(
            insert(Shift).values(
                id=SHIFT_ID,
                name=SPEC.name,
                start_time=SPEC.start,
                end_time=SPEC.end,
                weekdays=0b1111111,
                grace_in_minutes=5,
                grace_out_minutes=0,
                active=True,
                created_at=now,
                updated_at=now,
                sync_pending=False,
            )
        )
        for person in people.values():
            connection.execute(
                insert(ShiftAssignment).values(
                    id=uuid.uuid4(),
                    employee_id=person,
                    shift_id=SHIFT_ID,
                    created_at=now,
                    sync_pending=False,
                )
            )
    create_site(owner, "norte", "Planta Norte")
    create_site(owner, "sur", "Planta Sur")
    change_members(owner, "norte", ["A1"], add=True)
    change_members(owner, "sur", ["B1"], add=True)
    with kiosk_role(central_url, PASSWORD, "norte-1") as role:
        assign_kiosk(owner, "norte-1", "norte")
        yield Company(owner, _login(central_url, role), people)
    owner.dispose()


def _push(url: str, kind: str, rows: list[dict[str, Any]]) -> int:
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT asistencia_push(%s, %s::jsonb)", (kind, json.dumps(rows, default=str))
        ).fetchone()
    assert row is not None
    return int(row[0])


def _row(employee: uuid.UUID, kind: str, at: datetime, **figures: Any) -> dict[str, Any]:
    """An event as a kiosk's push sends it, with the figures given."""
    return {
        "id": str(uuid.uuid4()),
        "employee_id": str(employee),
        "kiosk_id": "norte-1",
        "kind": kind,
        "occurred_at": at.isoformat(),
        "timezone": "UTC",
        "shift_day": at.date().isoformat(),
        "late_minutes": 0,
        "early_leave_minutes": 0,
        "overtime_minutes": 0,
        "method": "face",
        "score": 0.93,
        "created_at": at.isoformat(),
        **figures,
    }


def _honest(
    employee: uuid.UUID, kind: Kind, at: datetime, history: list[PriorRecord]
) -> dict[str, Any]:
    """What an honest kiosk with the central shift computes and sends (its own rules)."""
    decision = decide(at, UTC_ZONE, [SPEC], history, RulesConfig(), kind=kind)
    assert isinstance(decision, Accepted)
    history.append(PriorRecord(at, kind, decision.shift_day))
    return _row(
        employee,
        kind.value,
        at,
        shift_day=decision.shift_day.isoformat(),
        shift_id=decision.shift_id,
        scheduled_start=decision.scheduled_start.isoformat() if decision.scheduled_start else None,
        scheduled_end=decision.scheduled_end.isoformat() if decision.scheduled_end else None,
        late_minutes=decision.late_minutes,
        early_leave_minutes=decision.early_leave_minutes,
        overtime_minutes=decision.overtime_minutes,
    )


def _day(days_ago: int) -> date:
    return datetime.now(UTC).date() - timedelta(days=days_ago)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _report(owner: CentralDatabase, start: date, end: date) -> Report:
    return central_report(owner, start, end, datetime.now(UTC), fallback_zone=UTC_ZONE)


def _totals(report: Report) -> dict[str, tuple[Any, ...]]:
    return {
        t.code: (t.days_worked, t.worked, t.overtime_minutes, t.late_minutes) for t in report.totals
    }


def _review(owner: CentralDatabase, event_id: str) -> tuple[str | None, str | None]:
    with owner.connect() as connection:
        row = connection.execute(
            select(EVENTS.c.review, EVENTS.c.claimed).where(EVENTS.c.id == uuid.UUID(event_id))
        ).one()
    return row.review, row.claimed


def test_an_honest_kiosks_figures_count_as_the_server_derives_them(company: Company) -> None:
    day = _day(2)
    history: list[PriorRecord] = []
    person = company.people["A1"]
    rows = [
        _honest(person, Kind.IN, _at(day, 8, 20), history),
        _honest(person, Kind.OUT, _at(day, 17, 0), history),
    ]
    assert _push(company.login, "attendance_events", rows) == 2
    # Not counted before the server derives it; central export derives first.
    report = _report(company.owner, day, day)
    assert _totals(report)["A1"] == (1, timedelta(hours=8, minutes=40), 60, 20)
    assert all(_review(company.owner, row["id"]) == (None, None) for row in rows)


def test_a_forged_shift_day_and_overtime_change_no_payroll(company: Company) -> None:
    """Finding: an event dated now with shift_day a month and a half earlier and
    overtime_minutes=9999 was stored unreviewed and counted in that month's export."""
    person = company.people["A1"]
    month_ago = _day(45)
    before = _totals(
        _report(company.owner, month_ago - timedelta(days=10), month_ago + timedelta(days=10))
    )
    forged = _row(
        person,
        "out",
        datetime.now(UTC) - timedelta(minutes=5),
        shift_day=month_ago.isoformat(),
        overtime_minutes=9999,
    )
    assert _push(company.login, "attendance_events", [forged]) == 1
    verify_arrivals(company.owner, rules=RulesConfig(), now=utcnow(), settle=None)
    review, claimed = _review(company.owner, forged["id"])
    assert review is not None and "the kiosk computed shift_day" in review
    assert "overtime_minutes 9999" in review and "the server computes" in review
    assert claimed is not None and json.loads(claimed)["overtime_minutes"] == 9999
    after = _totals(
        _report(company.owner, month_ago - timedelta(days=10), month_ago + timedelta(days=10))
    )
    assert after == before
    # And nowhere else either: this week's report does not count it.
    assert "A1" not in {
        t.code for t in _report(company.owner, _day(6), _day(0)).totals if t.days_worked
    }


def test_an_old_in_and_a_new_out_on_one_day_are_not_331_hours(company: Company) -> None:
    """Finding: an "in" 13 days old and an "out" now on one shift_day gave 331.98 worked
    hours in one day."""
    person = company.people["A1"]
    old_day = _day(13)
    check_in = _row(person, "in", _at(old_day, 8, 0), shift_day=old_day.isoformat())
    check_out = _row(person, "out", _at(_day(1), 16, 0), shift_day=old_day.isoformat())
    _push(company.login, "attendance_events", [check_in, check_out])
    report = _report(company.owner, old_day, _day(0))
    assert max((d.worked for d in report.days), default=timedelta(0)) < timedelta(hours=24)
    review, _claimed = _review(company.owner, check_out["id"])
    assert review is not None and f"shift_day {old_day}" in review


def test_a_record_for_another_sites_employee_is_held(company: Company) -> None:
    """Finding: an event for another site's employee (whose id the kiosk could read in
    tombstones) with overtime_minutes=480 was stored too."""
    day = _day(3)
    before = _totals(_report(company.owner, day, day))
    history: list[PriorRecord] = []
    _honest(company.people["B1"], Kind.IN, _at(day, 8, 0), history)  # made at sur's door
    other = _honest(company.people["B1"], Kind.OUT, _at(day, 16, 0), history)
    other["overtime_minutes"] = 480
    _push(company.login, "attendance_events", [other])
    verify_arrivals(company.owner, rules=RulesConfig(), now=utcnow(), settle=None)
    review, _claimed = _review(company.owner, other["id"])
    assert review is not None and "not a member of the sending kiosk's site" in review
    assert _totals(_report(company.owner, day, day)) == before


def test_facts_a_kiosk_cannot_have_made_are_held(company: Company) -> None:
    day = _day(4)
    person = company.people["A1"]
    bad = [
        _row(person, "lunch", _at(day, 9)),
        _row(person, "in", _at(day, 10), method="magic"),
        _row(person, "in", _at(day, 11), score=7.5),
        _row(person, "in", _at(day, 12), timezone="Mars/Olympus_Mons"),
    ]
    _push(company.login, "attendance_events", bad)
    verify_arrivals(company.owner, rules=RulesConfig(), now=utcnow(), settle=None)
    reasons = [_review(company.owner, row["id"])[0] or "" for row in bad]
    assert "unknown kind of record 'lunch'" in reasons[0]
    assert "unknown method 'magic'" in reasons[1]
    assert "a score of 7.5 is outside 0..1" in reasons[2]
    assert "unknown time zone 'Mars/Olympus_Mons'" in reasons[3]
    assert not [t for t in _report(company.owner, day, day).totals if t.days_worked]


def test_a_disagreement_is_shown_with_both_values_and_counts_the_servers_once_released(
    company: Company,
) -> None:
    """A kiosk that computed with an older shift (late 40 against a 07:40 start, say) is
    not lying on purpose: held with both figures; released, the server's count."""
    day = _day(5)
    person = company.people["A1"]
    row = _row(
        person,
        "in",
        _at(day, 8, 20),
        shift_id=str(SHIFT_ID),
        scheduled_start=_at(day, 7, 40).isoformat(),
        scheduled_end=_at(day, 15, 40).isoformat(),
        late_minutes=40,
    )
    _push(company.login, "attendance_events", [row])
    assert not [t for t in _report(company.owner, day, day).totals if t.days_worked]
    review, claimed = _review(company.owner, row["id"])
    assert review is not None
    assert "late_minutes 40" in review and "late_minutes 20" in review
    assert json.loads(claimed or "{}")["late_minutes"] == 40
    review_decide(
        company.owner, [row["id"]], release=True, reason="old shift", actor="hr", kiosk_id="central"
    )
    totals = {t.code: t for t in _report(company.owner, day, day).totals}
    assert totals["A1"].late_minutes == 20
