"""Corrections with a date and a time: a forgotten check-out entered afterwards, a record's
kind or time changed; the original kept (void + replacement), audited, and counted by the
day's totals. Real service, real SQLite store, and the command line."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.attendance.outcomes import Recorded
from core.attendance.rules import Kind
from core.attendance.summary import SummaryRecord, summarize_days
from core.context import AppContext
from core.errors import RefusedError
from core.store.models import AttendanceCorrection, AttendanceEvent, AuditEntry
from tests.support.cli import run_main

MADRID = ZoneInfo("Europe/Madrid")
MONDAY_0858 = datetime(2026, 11, 2, 8, 58, tzinfo=MADRID)
MONDAY_1800 = datetime(2026, 11, 2, 18, 0, tzinfo=MADRID)
TUESDAY_0855 = datetime(2026, 11, 3, 8, 55, tzinfo=MADRID)
LATER = datetime(2026, 11, 3, 10, 0, tzinfo=MADRID)  # when the administrator corrects


@pytest.fixture
def forgot_out(ctx: AppContext) -> AppContext:
    """Ana checked in on Monday, never checked out, and checked in on Tuesday."""
    ctx.employees().add("cli:test", "E1", "Ana García", pin="4821")
    ctx.employees().assign_shift("cli:test", "E1", "Oficina")  # 09:00-18:00 Mon-Fri
    service = ctx.attendance()
    service.record_pin("E1", "4821", now=MONDAY_0858)
    service.record_pin("E1", "4821", now=TUESDAY_0855)
    return ctx


def _monday(ctx: AppContext) -> tuple[timedelta, bool]:
    with ctx.store.read() as session:
        voided = set(session.scalars(select(AttendanceCorrection.event_id)))
        events = [
            e
            for e in session.scalars(select(AttendanceEvent))
            if e.id not in voided and e.shift_day == MONDAY_0858.date()
        ]
        records = [SummaryRecord.from_event(e) for e in events]
    (day,) = summarize_days(records, LATER, MADRID)
    return day.worked, day.missing_checkout


def test_a_forgotten_check_out_entered_afterwards_fixes_the_days_hours(
    forgot_out: AppContext,
) -> None:
    assert _monday(forgot_out) == (timedelta(0), True)
    out = forgot_out.attendance().record_manual(
        "user:admin", "E1", "forgot to check out", now=LATER, at=MONDAY_1800
    )
    assert isinstance(out, Recorded) and out.kind is Kind.OUT and out.method == "manual"
    assert out.local_time == MONDAY_1800 and out.shift_day == MONDAY_0858.date()
    assert _monday(forgot_out) == (timedelta(hours=9, minutes=2), False)
    with forgot_out.store.read() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "attendance.manual")
        ).one()
    assert entry.actor == "user:admin" and entry.reason == "forgot to check out"
    assert MONDAY_1800.isoformat() in entry.details  # when it happened
    assert "entered_at" in entry.details  # and when it was entered


def test_a_correction_that_breaks_the_day_is_refused_and_changes_nothing(
    forgot_out: AppContext,
) -> None:
    service = forgot_out.attendance()
    service.record_manual("user:admin", "E1", "forgot", now=LATER, at=MONDAY_1800)
    with pytest.raises(RefusedError, match="not possible now"):
        # She was already in at noon: a second check-in makes no sense.
        service.record_manual(
            "user:admin", "E1", "x", now=LATER, at=MONDAY_0858 + timedelta(hours=3), kind=Kind.IN
        )
    with pytest.raises(RefusedError, match="check-out at 2026-11-02 18:00 would no longer follow"):
        # An exit at noon would leave the 18:00 check-out closing nothing.
        service.record_manual(
            "user:admin", "E1", "x", now=LATER, at=MONDAY_0858 + timedelta(hours=3), kind=Kind.OUT
        )
    assert _monday(forgot_out) == (timedelta(hours=9, minutes=2), False)


@pytest.mark.parametrize(
    ("reason", "at", "message"),
    [
        ("", MONDAY_1800, "needs a reason"),
        ("typo", LATER + timedelta(hours=2), "cannot be in the future"),
    ],
)
def test_a_correction_needs_a_reason_and_a_past_time(
    forgot_out: AppContext, reason: str, at: datetime, message: str
) -> None:
    with pytest.raises(RefusedError, match=message):
        forgot_out.attendance().record_manual("user:admin", "E1", reason, now=LATER, at=at)


def test_changing_a_records_time_voids_it_and_links_the_replacement(
    forgot_out: AppContext,
) -> None:
    service = forgot_out.attendance()
    out = service.record_manual("user:admin", "E1", "forgot", now=LATER, at=MONDAY_1800)
    assert isinstance(out, Recorded)
    fixed = service.amend(
        "user:admin", out.event_id, "she left at 17:30", at=MONDAY_1800 - timedelta(minutes=30)
    )
    assert fixed.kind is Kind.OUT and fixed.early_leave_minutes == 30
    assert _monday(forgot_out) == (timedelta(hours=8, minutes=32), False)
    with forgot_out.store.read() as session:
        correction = session.scalars(select(AttendanceCorrection)).one()
        original = session.get(AttendanceEvent, out.event_id)
        actions = [e.action for e in session.scalars(select(AuditEntry))]
    assert correction.replacement_event_id == fixed.event_id
    assert original is not None and original.kind == "out"  # kept as it was, marked void
    assert correction.synced_at is None  # travels with the next sync like any record
    assert "attendance.amend" in actions


def test_changing_a_records_kind(forgot_out: AppContext) -> None:
    service = forgot_out.attendance()
    out = service.record_manual(
        "user:admin", "E1", "lunch", now=LATER, at=MONDAY_0858 + timedelta(hours=4)
    )
    assert isinstance(out, Recorded) and out.kind is Kind.OUT
    lunch = service.amend("user:admin", out.event_id, "it was her lunch", kind=Kind.BREAK_START)
    assert lunch.kind is Kind.BREAK_START and lunch.local_time == out.local_time
    with pytest.raises(RefusedError, match="already voided"):
        service.amend("user:admin", out.event_id, "again", kind=Kind.OUT)


def test_punch_at_and_attendance_change_on_the_command_line(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    assert run_main(*data, "employees", "add", "--code", "E1", "--name", "Ana").returncode == 0
    assert run_main(*data, "punch", "--code", "E1", "--at", "2026-12-04 09:00").returncode == 0
    done = run_main(
        *data, "punch", "--code", "E1", "--at", "2026-12-04 18:00", "--reason", "forgot"
    )
    assert done.returncode == 0, done.stderr
    assert "check-out recorded for E1 Ana at 2026-12-04 18:00:00" in done.stdout
    record = done.stdout.rsplit("record ", 1)[1].rstrip(")\n")
    changed = run_main(
        *data, "attendance", "change", record, "--at", "2026-12-04 17:45", "--reason", "17:45"
    )
    assert changed.returncode == 0, changed.stderr
    assert "check-out recorded for E1 Ana at 2026-12-04 17:45:00" in changed.stdout
    listing = run_main(*data, "attendance", "list", "--day", "2026-12-04")
    assert listing.stdout.count("Voided") == 1  # the status, spelled as the report spells it
    bad = run_main(*data, "punch", "--code", "E1", "--at", "yesterday", "--reason", "x")
    assert bad.returncode != 0 and "use YYYY-MM-DD HH:MM" in bad.stderr
    assert "Traceback" not in bad.stderr
