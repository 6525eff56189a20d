"""What a punch is: ask, shift and toggle modes, breaks, and the person's own change,
through the real service and a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.attendance.outcomes import NotRecorded, PunchChoice, Recorded
from core.attendance.rules import IgnoreReason, Kind
from core.config import load_settings
from core.context import AppContext
from core.errors import RefusedError
from core.host.paths import DataPaths
from core.store.models import AttendanceCorrection, AttendanceEvent, AuditEntry

# Monday 2 November 2026 in Madrid (UTC+1); Ana's shift "Oficina" is 09:00-18:00.
MONDAY_0858 = datetime(2026, 11, 2, 7, 58, tzinfo=UTC)
MONDAY_1330 = datetime(2026, 11, 2, 12, 30, tzinfo=UTC)


def _context(data_dir: Path, monkeypatch: pytest.MonkeyPatch, mode: str) -> AppContext:
    monkeypatch.setenv("ASISTENCIA_PUNCH_MODE", mode)
    paths = DataPaths(data_dir)
    context = AppContext(paths, load_settings(paths.settings_file))
    context.employees().add("cli:test", "E1", "Ana García", pin="4821")
    context.employees().assign_shift("cli:test", "E1", "Oficina")
    return context


@pytest.fixture
def ask(isolated_environment: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    context = _context(isolated_environment, monkeypatch, "ask")
    yield context
    context.close()


@pytest.fixture
def shift(isolated_environment: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    context = _context(isolated_environment, monkeypatch, "shift")
    yield context
    context.close()


def _valid(ctx: AppContext) -> list[tuple[str, datetime]]:
    with ctx.store.read() as session:
        voided = set(session.scalars(select(AttendanceCorrection.event_id)))
        events = session.scalars(select(AttendanceEvent).order_by(AttendanceEvent.occurred_at))
        return [(e.kind, e.occurred_at) for e in events if e.id not in voided]


def test_shift_is_the_default_punch_mode(ctx: AppContext) -> None:
    assert ctx.settings.punch_mode == "shift"


def test_ask_writes_nothing_until_the_person_chooses(ask: AppContext) -> None:
    service = ask.attendance()
    first = service.record_pin("E1", "4821", now=MONDAY_0858, ask=True)
    # Off duty, only a check-in is possible: nothing to ask.
    assert isinstance(first, Recorded) and first.kind is Kind.IN
    choice = service.record_pin("E1", "4821", now=MONDAY_1330, ask=True)
    assert isinstance(choice, PunchChoice)
    assert choice.likely is Kind.BREAK_START  # a first exit mid-shift
    assert set(choice.allowed) == {Kind.BREAK_START, Kind.OUT}
    assert _valid(ask) == [("in", MONDAY_0858)]  # not recorded yet
    # Another service object of the same process finds the choice (the window's request).
    recorded = ask.attendance().choose(choice.token, Kind.OUT)
    assert recorded.kind is Kind.OUT and recorded.occurred_at == MONDAY_1330
    assert recorded.early_leave_minutes == 270
    assert _valid(ask) == [("in", MONDAY_0858), ("out", MONDAY_1330)]
    with pytest.raises(RefusedError, match="expired"):
        service.choose(choice.token, Kind.OUT)  # one use


def test_a_choice_outside_the_offer_is_refused(ask: AppContext) -> None:
    service = ask.attendance()
    service.record_pin("E1", "4821", now=MONDAY_0858, ask=True)
    choice = service.record_pin("E1", "4821", now=MONDAY_1330, ask=True)
    assert isinstance(choice, PunchChoice)
    with pytest.raises(RefusedError, match="not one of the choices"):
        service.choose(choice.token, Kind.BREAK_END)
    assert _valid(ask) == [("in", MONDAY_0858)]


def test_without_a_screen_ask_mode_takes_the_likely_kind(ask: AppContext) -> None:
    service = ask.attendance()
    service.record_pin("E1", "4821", now=MONDAY_0858)  # punch --pin: nobody to ask
    second = service.record_pin("E1", "4821", now=MONDAY_1330)
    assert isinstance(second, Recorded) and second.kind is Kind.BREAK_START


def test_shift_mode_records_the_guess_and_lets_the_person_change_it(shift: AppContext) -> None:
    service = shift.attendance()
    service.record_pin("E1", "4821", now=MONDAY_0858, ask=True)
    guess = service.record_pin("E1", "4821", now=MONDAY_1330, ask=True)
    assert isinstance(guess, Recorded) and guess.kind is Kind.BREAK_START
    assert guess.alternatives == (Kind.OUT,)
    changed = shift.attendance().change_own(guess.event_id, Kind.OUT)
    assert changed.kind is Kind.OUT and changed.occurred_at == MONDAY_1330
    assert changed.method == "pin"  # still the person's own record
    assert _valid(shift) == [("in", MONDAY_0858), ("out", MONDAY_1330)]
    with shift.store.read() as session:
        correction = session.scalars(select(AttendanceCorrection)).one()
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "attendance.amend")
        ).one()
    assert correction.event_id == guess.event_id
    assert correction.replacement_event_id == changed.event_id
    assert audit.actor == "employee:E1"
    with pytest.raises(RefusedError, match="can no longer be changed"):
        service.change_own(guess.event_id, Kind.OUT)


def test_breaks_then_out(shift: AppContext) -> None:
    service = shift.attendance()
    kinds = [
        service.record_pin("E1", "4821", now=MONDAY_0858 + timedelta(hours=h))
        for h in (0, 4.5, 5.5, 9.2)
    ]
    assert [k.kind for k in kinds if isinstance(k, Recorded)] == [
        Kind.IN,
        Kind.BREAK_START,
        Kind.BREAK_END,
        Kind.OUT,
    ]


def test_the_cooldown_says_what_was_recorded_and_when(shift: AppContext) -> None:
    service = shift.attendance()
    service.record_pin("E1", "4821", now=MONDAY_0858)
    again = service.record_pin("E1", "4821", now=MONDAY_0858 + timedelta(seconds=25))
    assert isinstance(again, NotRecorded) and again.reason is IgnoreReason.COOLDOWN
    assert again.last_kind is Kind.IN
    assert again.last_local_time is not None and f"{again.last_local_time:%H:%M}" == "08:58"
    assert "(check-in at 08:58)" in again.message


def test_an_unknown_code_is_answered_and_locked_like_a_wrong_pin(ctx: AppContext) -> None:
    ctx.employees().add("cli:test", "E1", "Ana García", pin="4821")
    service = ctx.attendance()
    answers: dict[str, list[str]] = {"E1": [], "NOPE": []}
    for code, said in answers.items():
        for attempt in range(6):
            try:
                service.record_pin(code, "1357", now=MONDAY_0858 + timedelta(seconds=attempt))
            except RefusedError as exc:
                said.append(str(exc).replace(f"'{code}'", "CODE"))
    assert answers["E1"] == answers["NOPE"]
    assert answers["E1"][0] == "wrong PIN" and "locked" in answers["E1"][4]
