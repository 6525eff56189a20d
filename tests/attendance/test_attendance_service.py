"""Recording attendance in the real store: PIN, manual, cooldown, corrections, concurrency."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.attendance.outcomes import NotRecorded, Recorded
from core.attendance.rules import IgnoreReason, Kind
from core.context import AppContext
from core.errors import RefusedError
from core.store.models import AttendanceCorrection, AttendanceEvent, AuditEntry

# Monday 2 November 2026, 08:58 in Madrid (UTC+1).
MONDAY_0858 = datetime(2026, 11, 2, 7, 58, tzinfo=UTC)


@pytest.fixture
def ana(ctx: AppContext) -> str:
    ctx.employees().add("cli:test", "E1", "Ana García", pin="4821")
    ctx.employees().assign_shift("cli:test", "E1", "Oficina")  # 09:00-18:00 Mon-Fri, grace 10
    return "E1"


def _events(ctx: AppContext) -> list[AttendanceEvent]:
    with ctx.store.read() as session:
        return list(session.scalars(select(AttendanceEvent).order_by(AttendanceEvent.occurred_at)))


def test_pin_day_in_and_out(ctx: AppContext, ana: str) -> None:
    service = ctx.attendance()
    first = service.record_pin(ana, "4821", now=MONDAY_0858)
    assert isinstance(first, Recorded) and first.kind is Kind.IN and first.late_minutes == 0
    assert first.local_time.hour == 8 and first.method == "pin"
    second = service.record_pin(ana, "4821", now=MONDAY_0858 + timedelta(hours=9, minutes=10))
    assert isinstance(second, Recorded) and second.kind is Kind.OUT and second.overtime_minutes == 8
    stored = _events(ctx)
    assert [(e.kind, e.method, e.kiosk_id, e.timezone) for e in stored] == [
        ("in", "pin", "kiosk-test", "Europe/Madrid"),
        ("out", "pin", "kiosk-test", "Europe/Madrid"),
    ]
    assert all(e.synced_at is None for e in stored)  # both wait for the next sync


def test_late_arrival_beyond_grace(ctx: AppContext, ana: str) -> None:
    outcome = ctx.attendance().record_pin(ana, "4821", now=MONDAY_0858 + timedelta(minutes=17))
    assert isinstance(outcome, Recorded) and outcome.late_minutes == 15


def test_wrong_pin_unknown_code_and_cooldown_leave_no_record(ctx: AppContext, ana: str) -> None:
    service = ctx.attendance()
    with pytest.raises(RefusedError, match="wrong PIN"):
        service.record_pin(ana, "0000", now=MONDAY_0858)
    # An unknown code gets the wrong PIN's answer: the pad does not tell who works here.
    with pytest.raises(RefusedError, match=r"^wrong PIN$"):
        service.record_pin("E404", "4821", now=MONDAY_0858)
    assert _events(ctx) == []
    assert isinstance(service.record_pin(ana, "4821", now=MONDAY_0858), Recorded)
    again = service.record_pin(ana, "4821", now=MONDAY_0858 + timedelta(seconds=20))
    assert isinstance(again, NotRecorded) and again.reason is IgnoreReason.COOLDOWN
    assert again.retry_after == timedelta(seconds=40)
    assert "40 s" in again.message
    assert len(_events(ctx)) == 1


def test_pin_locks_after_five_wrong_guesses(ctx: AppContext, ana: str) -> None:
    service = ctx.attendance()
    for attempt in range(5):
        with pytest.raises(RefusedError, match="wrong PIN"):
            service.record_pin(ana, "1357", now=MONDAY_0858 + timedelta(seconds=attempt))
    with pytest.raises(RefusedError, match="too many wrong PINs"):
        service.record_pin(ana, "4821", now=MONDAY_0858 + timedelta(seconds=10))
    assert _events(ctx) == []
    assert isinstance(
        service.record_pin(ana, "4821", now=MONDAY_0858 + timedelta(minutes=2)), Recorded
    )


def test_deactivated_employee_cannot_record(ctx: AppContext, ana: str) -> None:
    ctx.employees().set_active("cli:test", ana, False, "left")
    with pytest.raises(RefusedError, match="deactivated"):
        ctx.attendance().record_pin(ana, "4821", now=MONDAY_0858)


def test_manual_record_and_void_are_audited_with_reason(ctx: AppContext, ana: str) -> None:
    service = ctx.attendance()
    outcome = service.record_manual("user:admin", ana, "forgot her badge", now=MONDAY_0858)
    assert isinstance(outcome, Recorded) and outcome.method == "manual"
    service.void("user:admin", outcome.event_id, "recorded twice by mistake")
    with pytest.raises(RefusedError, match="already voided"):
        service.void("user:admin", outcome.event_id, "again")
    with ctx.store.read() as session:
        (correction,) = session.scalars(select(AttendanceCorrection)).all()
        actions = {e.action: e for e in session.scalars(select(AuditEntry))}
    assert correction.actor == "user:admin" and correction.reason == "recorded twice by mistake"
    assert actions["attendance.manual"].reason == "forgot her badge"
    assert actions["attendance.void"].reason == "recorded twice by mistake"
    # A voided record no longer counts: the next punch is a check-in again.
    later = service.record_pin(ana, "4821", now=MONDAY_0858 + timedelta(minutes=5))
    assert isinstance(later, Recorded) and later.kind is Kind.IN


def test_two_threads_recording_one_person_make_one_record(ctx: AppContext, ana: str) -> None:
    service = ctx.attendance()
    employee_id = ctx.employees().get(ana).id
    outcomes: list[object] = []
    barrier = threading.Barrier(4)

    def record() -> None:
        barrier.wait()
        outcomes.append(service.record_face(employee_id, 0.12, "blink", now=MONDAY_0858))

    threads = [threading.Thread(target=record) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(isinstance(o, Recorded) for o in outcomes) == 1
    assert sum(isinstance(o, NotRecorded) for o in outcomes) == 3
    assert len(_events(ctx)) == 1
