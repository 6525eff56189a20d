"""Which record is this, on the real window: In / Out / Break chosen with taps (ask), the
likely one taken by itself, and "Not right? Change" on a record the kiosk guessed (shift).
pytest-qt with real mouse events, a real store and the real attendance service."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.attendance.rules import Kind
from core.context import AppContext
from core.store.models import AttendanceCorrection, AttendanceEvent, AuditEntry
from kiosk import punch_chooser
from kiosk.main_window import KioskWindow
from kiosk.sounds import Tone
from tests.support.kiosk_fakes import FakeRuntime


@pytest.fixture(autouse=True)
def punch_settings(
    isolated_environment: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    marker = request.node.get_closest_marker("punch_mode")
    mode = marker.args[0] if marker else "ask"
    if mode is not None:  # None: the settings file decides (the Kiosk page saves it)
        monkeypatch.setenv("ASISTENCIA_PUNCH_MODE", mode)
    monkeypatch.setenv("ASISTENCIA_COOLDOWN_SECONDS", "0")  # several punches in one test
    monkeypatch.setattr(punch_chooser, "ASK_TAKE_S", 2)


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    ctx.employees().add("cli:test", "E1", "Ana García", pin="4821")
    # Checked in an hour ago: now she may go out or start a break.
    ctx.attendance().record_pin("E1", "4821", now=datetime.now(UTC) - timedelta(hours=1))
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


def valid(ctx: AppContext) -> list[tuple[str, str]]:
    with ctx.store.read() as session:
        voided = set(session.scalars(select(AttendanceCorrection.event_id)))
        events = session.scalars(select(AttendanceEvent).order_by(AttendanceEvent.occurred_at))
        return [(e.kind, e.method) for e in events if e.id not in voided]


def pin(qtbot: QtBot, window: KioskWindow) -> None:
    screen = window.kiosk
    QTest.mouseClick(screen.pin_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(screen.pin_pad.isVisible, timeout=2000)
    screen.pin_pad.code.setText("E1")
    screen.pin_pad.pin.setText("4821")
    QTest.mouseClick(screen.pin_pad.ok_key, Qt.MouseButton.LeftButton)


def tap(kind: Kind, window: KioskWindow) -> None:
    QTest.mouseClick(window.kiosk.chooser.buttons[kind], Qt.MouseButton.LeftButton)


def test_ask_mode_in_out_and_breaks_by_taps(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, tones: list[Tone]
) -> None:
    screen = window.kiosk
    chooser = screen.chooser
    pin(qtbot, window)
    qtbot.waitUntil(chooser.isVisible, timeout=5000)
    assert not screen.pin_pad.isVisible() and not screen.card.isVisible()
    enabled = {k for k, b in chooser.buttons.items() if b.isEnabled()}
    assert enabled == {Kind.OUT, Kind.BREAK_START}  # she is in
    assert chooser.buttons[Kind.OUT].property("likely") is True
    assert "Check-out will be recorded in" in chooser.countdown.text()
    assert valid(ctx) == [("in", "pin")]  # nothing written while she chooses

    tap(Kind.BREAK_START, window)
    qtbot.waitUntil(screen.card.isVisible, timeout=5000)
    assert not chooser.isVisible()
    assert screen.card.kind.text().startswith("Break start")
    assert screen.card.tone == "break"
    assert valid(ctx) == [("in", "pin"), ("break_start", "pin")]

    # Back from the break: the likely kind is taken by itself when nobody taps.
    pin(qtbot, window)
    qtbot.waitUntil(chooser.isVisible, timeout=5000)
    assert chooser.buttons[Kind.BREAK_END].property("likely") is True
    qtbot.waitUntil(lambda: len(valid(ctx)) == 3, timeout=6000)
    assert valid(ctx)[-1] == ("break_end", "pin")
    qtbot.waitUntil(lambda: screen.card.kind.text().startswith("Break end"), timeout=3000)

    pin(qtbot, window)
    qtbot.waitUntil(chooser.isVisible, timeout=5000)
    tap(Kind.OUT, window)
    qtbot.waitUntil(lambda: len(valid(ctx)) == 4, timeout=5000)
    assert valid(ctx)[-1] == ("out", "pin")
    qtbot.waitUntil(lambda: screen.card.tone == "out", timeout=3000)


@pytest.mark.punch_mode("shift")
def test_shift_mode_not_right_change(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, tones: list[Tone]
) -> None:
    screen = window.kiosk
    pin(qtbot, window)
    qtbot.waitUntil(screen.card.isVisible, timeout=5000)
    assert screen.card.kind.text().startswith("Check-out")  # the guess, recorded at once
    assert screen.card.change_button.isVisible()
    assert valid(ctx) == [("in", "pin"), ("out", "pin")]

    QTest.mouseClick(screen.card.change_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(screen.chooser.isVisible, timeout=2000)
    enabled = {k for k, b in screen.chooser.buttons.items() if b.isEnabled()}
    assert enabled == {Kind.BREAK_START}
    tap(Kind.BREAK_START, window)
    qtbot.waitUntil(lambda: valid(ctx) == [("in", "pin"), ("break_start", "pin")], timeout=5000)
    qtbot.waitUntil(lambda: screen.card.kind.text().startswith("Break start"), timeout=3000)
    assert not screen.card.change_button.isVisible()  # changed once: an admin does the rest


@pytest.mark.punch_mode("shift")
def test_shift_mode_keep_changes_nothing(
    qtbot: QtBot, ctx: AppContext, runtime: FakeRuntime, window: KioskWindow, tones: list[Tone]
) -> None:
    screen = window.kiosk
    pin(qtbot, window)
    qtbot.waitUntil(screen.card.change_button.isVisible, timeout=5000)
    QTest.mouseClick(screen.card.change_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(screen.chooser.keep_button.isVisible, timeout=2000)
    QTest.mouseClick(screen.chooser.keep_button, Qt.MouseButton.LeftButton)
    assert not screen.chooser.isVisible()
    qtbot.wait(300)
    assert valid(ctx) == [("in", "pin"), ("out", "pin")]
    assert "change_punch" not in runtime.call_names()


@pytest.mark.punch_mode("toggle")
def test_toggle_mode_offers_no_change(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, tones: list[Tone]
) -> None:
    screen = window.kiosk
    pin(qtbot, window)
    qtbot.waitUntil(screen.card.isVisible, timeout=5000)
    assert screen.card.kind.text().startswith("Check-out")
    assert not screen.card.change_button.isVisible()


@pytest.mark.punch_mode(None)
def test_the_punch_mode_is_chosen_in_settings_audited_and_in_force(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, tones: list[Tone]
) -> None:
    from tests.support.admin_window import settle, sign_in

    admin = sign_in(qtbot, window, "kiosk")
    page = admin.kiosk
    settle(qtbot, window)
    assert page.punch_mode.currentData() == "shift"
    assert "Recommended" in page.punch_mode_note.text()
    page.punch_mode.setCurrentIndex(page.punch_mode.findData("ask"))
    assert "highlighted" in page.punch_mode_note.text()
    page.save_button.click()
    qtbot.waitUntil(lambda: ctx.settings.punch_mode == "ask", timeout=5000)
    settle(qtbot, window)
    with ctx.store.read() as session:
        details = session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "settings.change")
        ).all()
    assert any('"punch_mode": "ask"' in d for d in details)
    admin.close_admin()
    pin(qtbot, window)  # she is in: now the kiosk asks
    qtbot.waitUntil(window.kiosk.chooser.isVisible, timeout=5000)


def test_an_open_question_closes_unanswered_when_the_settings_open(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, tones: list[Tone]
) -> None:
    pin(qtbot, window)
    qtbot.waitUntil(window.kiosk.chooser.isVisible, timeout=5000)
    window.open_admin()  # F2: the sign-in takes the screen
    assert not window.kiosk.chooser.isVisible()
    qtbot.wait((punch_chooser.ASK_TAKE_S + 1) * 1000)  # past the countdown
    assert valid(ctx) == [("in", "pin")]  # nothing recorded behind the settings


def test_the_next_person_asked_takes_the_previous_ones_likely_record(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, tones: list[Tone]
) -> None:
    ctx.employees().add("cli:test", "E2", "Luis Pérez", pin="1357")
    ctx.attendance().record_pin("E2", "1357", now=datetime.now(UTC) - timedelta(hours=1))
    screen = window.kiosk
    pin(qtbot, window)  # Ana is asked ...
    qtbot.waitUntil(screen.chooser.isVisible, timeout=5000)
    screen.open_pin_pad()  # ... and walks away; Luis types his code on the keyboard
    qtbot.waitUntil(screen.pin_pad.isVisible, timeout=2000)
    screen.pin_pad.code.setText("E2")
    screen.pin_pad.pin.setText("1357")
    QTest.mouseClick(screen.pin_pad.ok_key, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.chooser.name.text() == "Luis Pérez", timeout=5000)
    # Ana's question was not lost: what her countdown would have taken is recorded.
    qtbot.waitUntil(lambda: valid(ctx).count(("out", "pin")) == 1, timeout=5000)
    assert screen.chooser.isVisible() and screen.chooser.name.text() == "Luis Pérez"
