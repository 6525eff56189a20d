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
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import psycopg
import pytest
from argon2 import PasswordHasher
from sqlalchemy import insert, select, update

from core.attendance.history import employee_shifts
from core.attendance.rules import Accepted, Kind, PriorRecord, RulesConfig, ShiftSpec, decide
from core.reports import Report
from core.secrets.keys import PEPPERED_PREFIX
from core.secrets.pins import hash_pin
from core.store import tables
from core.store.models import Shift, ShiftAssignment, SyncChange
from core.store.tables import EVENTS, SYNC_CHANGES
from core.store.types import utcnow
from core.sync import codec
from core.sync.central import CentralDatabase, lock_revisions
from core.sync.central_export import central_report
from core.sync.engine import SyncEngine
from core.sync.inbox import apply_inbox
from core.sync.review import decide as review_decide
from core.sync.review import held_records
from core.sync.site_admin import assign_kiosk, change_members, create_site
from core.sync.verify import verify_arrivals
from tests.support.keys import TEST_KEYS
from tests.support.sync_support import add_employee_centrally, kiosk_role, kiosk_store

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


def test_facts_a_kiosk_cannot_have_made_are_refused_for_good(company: Company) -> None:
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
    # Refused, not held: an administrator cannot release them into the reports.
    assert all(reason.startswith("rejected: ") for reason in reasons)
    listed = {h.id for h in held_records(company.owner)}
    assert not listed & {uuid.UUID(row["id"]) for row in bad}
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


# --- changes of shared rows, through the inbox (item 2) -------------------------------------


def _change(
    owner: CentralDatabase, table: Any, row_id: uuid.UUID, **changes: Any
) -> dict[str, Any]:
    """An inbox row changing a central row, as a kiosk's outbox sends it."""
    with owner.connect() as connection:
        current = connection.execute(select(table).where(table.c.id == row_id)).mappings().one()
    payload = codec.encode(table, {**current, **changes, "updated_at": utcnow()})
    return {
        "id": str(uuid.uuid4()),
        "kiosk_id": "norte-1",
        "entity": table.name,
        "entity_id": str(row_id),
        "operation": "upsert",
        "payload": json.dumps(payload),
        "created_at": utcnow().isoformat(),
    }


def _server_applies(owner: CentralDatabase) -> dict[str, int]:
    return apply_inbox(owner, batch=100, clock=utcnow, keys=TEST_KEYS).outcomes


def _inbox_row(owner: CentralDatabase, row_id: str) -> Any:
    with owner.connect() as connection:
        return connection.execute(
            select(SYNC_CHANGES).where(SyncChange.id == uuid.UUID(row_id))
        ).one()


def _shift(owner: CentralDatabase) -> Any:
    with owner.connect() as connection:
        return connection.execute(select(tables.SHIFTS).where(tables.SHIFTS.c.id == SHIFT_ID)).one()


def test_a_shift_no_kiosk_could_use_is_refused_and_no_kiosk_takes_it(
    company: Company, tmp_path: Path
) -> None:
    """Finding: an upsert of a shared shift (weekdays=-1, grace_in_minutes=-99999,
    grace_out_minutes=2147483647) was applied, every kiosk pulled it, and punches of that
    shift's people failed at another site."""
    before = _shift(company.owner)
    forged = _change(
        company.owner,
        tables.SHIFTS,
        SHIFT_ID,
        weekdays=-1,
        grace_in_minutes=-99999,
        grace_out_minutes=2147483647,
    )
    _push(company.login, "sync_inbox", [forged])
    assert _server_applies(company.owner) == {"rejected": 1}
    row = _inbox_row(company.owner, forged["id"])
    assert row.status == "rejected" and "weekdays -1" in row.detail
    assert _shift(company.owner) == before
    # Had such a row reached the central table anyway (an owner's mistake), a kiosk keeps
    # the shift it has and its people still punch.
    store = kiosk_store(tmp_path / "sur.db")
    engine = SyncEngine(store, CentralDatabase(company.owner.url), kiosk_id="sur-1")
    try:
        assert engine.run_once().ok
        with company.owner.begin() as connection:
            lock_revisions(connection)
            connection.execute(
                update(tables.SHIFTS)
                .where(tables.SHIFTS.c.id == SHIFT_ID)
                .values(grace_in_minutes=-99999)
            )
        assert engine.run_once().ok
        with store.read() as session:
            shifts = employee_shifts(session, company.people["B1"])
        assert [s.grace_in_minutes for s in shifts] == [5]
    finally:
        engine.close()
        store.dispose()


def test_a_change_of_a_shift_other_sites_use_waits_for_an_administrator(
    company: Company,
) -> None:
    first = _change(company.owner, tables.SHIFTS, SHIFT_ID, grace_in_minutes=30)
    _push(company.login, "sync_inbox", [first])
    assert _server_applies(company.owner) == {"held": 1}
    assert _shift(company.owner).grace_in_minutes == 5
    row = _inbox_row(company.owner, first["id"])
    assert "shared with other sites (1 people: B1)" in row.review
    assert any(h.id == uuid.UUID(first["id"]) for h in held_records(company.owner))
    # A later change is held too, and the first is never silently superseded by it.
    second = _change(company.owner, tables.SHIFTS, SHIFT_ID, grace_in_minutes=15)
    _push(company.login, "sync_inbox", [second])
    _server_applies(company.owner)
    review_decide(
        company.owner, [second["id"]], release=True, reason="agreed", actor="hr", kiosk_id="central"
    )
    assert _server_applies(company.owner) == {"applied": 1}
    assert _shift(company.owner).grace_in_minutes == 15
    kept = _inbox_row(company.owner, first["id"])
    assert kept.status == "held" and kept.review is not None and kept.applied_at is None


def test_another_sites_assignment_cannot_be_changed_through_ones_own_employee(
    company: Company,
) -> None:
    """Finding: an assignment upsert with another site's assignment id but one of its own
    employees passed the site check and changed the other site's row."""
    with company.owner.connect() as connection:
        theirs = connection.execute(
            select(tables.SHIFT_ASSIGNMENTS).where(
                tables.SHIFT_ASSIGNMENTS.c.employee_id == company.people["B1"]
            )
        ).one()
    forged = _change(
        company.owner,
        tables.SHIFT_ASSIGNMENTS,
        theirs.id,
        employee_id=company.people["A1"],
        valid_to=_day(30),
    )
    _push(company.login, "sync_inbox", [forged])
    assert _server_applies(company.owner) == {"rejected": 1}
    assert "belongs to someone of another site" in _inbox_row(company.owner, forged["id"]).detail
    with company.owner.connect() as connection:
        after = connection.execute(
            select(tables.SHIFT_ASSIGNMENTS).where(tables.SHIFT_ASSIGNMENTS.c.id == theirs.id)
        ).one()
    assert after == theirs


def test_a_pin_hash_weaker_than_the_deployments_is_refused(company: Company) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    person = company.people["A1"]
    planted = PEPPERED_PREFIX + weak.hash(TEST_KEYS.pin_secret(person, "1234"))
    forged = _change(company.owner, tables.EMPLOYEES, person, pin_hash=planted)
    _push(company.login, "sync_inbox", [forged])
    assert _server_applies(company.owner) == {"rejected": 1}
    assert "argon2id parameters" in _inbox_row(company.owner, forged["id"]).detail
    honest = _change(
        company.owner, tables.EMPLOYEES, person, pin_hash=hash_pin(TEST_KEYS, person, "1234")
    )
    _push(company.login, "sync_inbox", [honest])
    assert _server_applies(company.owner) == {"applied": 1}
