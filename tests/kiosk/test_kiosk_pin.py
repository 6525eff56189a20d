"""The PIN fallback: an unknown face is offered the pad; code + PIN records through the rules."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.context import AppContext
from core.runtime.api import FaceState
from core.store.models import AttendanceEvent
from kiosk.kiosk_screen import UNKNOWN_PIN_AFTER_S
from kiosk.main_window import KioskWindow
from kiosk.pin_pad import PinPad
from kiosk.sounds import Tone
from tests.support.kiosk_fakes import FakeRuntime


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    ctx.employees().add("cli:test", "E1", "Ana García", pin="4821")
    fake = FakeRuntime(ctx)  # a still picture at 30 fps
    fake.start()
    yield fake
    fake.stop()


def key(window: KioskWindow, text: str) -> QPushButton:
    for button in window.kiosk.pin_pad.findChildren(QPushButton):
        if button.text() == text and button.isVisible():
            return button
    raise AssertionError(f"no visible key {text!r}")


def tap(*keys: str, window: KioskWindow) -> None:
    for text in keys:
        QTest.mouseClick(key(window, text), Qt.MouseButton.LeftButton)


def tap_code_e1(qtbot: QtBot, window: KioskWindow) -> PinPad:
    """Open the pad with its button, tap the code E1 on the letter and digit keys, and put
    the pad's typing into the PIN field (by tapping it), as a person at a touch screen does."""
    screen = window.kiosk
    QTest.mouseClick(screen.pin_button, Qt.MouseButton.LeftButton)
    pad = screen.pin_pad
    qtbot.waitUntil(pad.isVisible, timeout=2000)
    QTest.mouseClick(pad.code, Qt.MouseButton.LeftButton)
    tap("ABC", "E", "123", "1", window=window)
    QTest.mouseClick(pad.pin, Qt.MouseButton.LeftButton)
    return pad


def events(ctx: AppContext) -> list[tuple[str, str]]:
    with ctx.store.read() as session:
        return [(e.kind, e.method) for e in session.scalars(select(AttendanceEvent))]


def test_an_unknown_face_is_offered_the_pin_pad_and_the_pin_records(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, runtime: FakeRuntime, tones: list[Tone]
) -> None:
    pad = window.kiosk.pin_pad
    runtime.show_face(FaceState.UNKNOWN, unknown_for_s=1.0)
    qtbot.waitUntil(lambda: window.kiosk.banner.tone == "bad", timeout=2000)
    assert not pad.isVisible()  # not yet: the person may still be recognised

    runtime.show_face(FaceState.UNKNOWN, unknown_for_s=UNKNOWN_PIN_AFTER_S + 0.5)
    qtbot.waitUntil(pad.isVisible, timeout=2000)
    assert "could not recognise" in pad.hint.text()
    assert pad.code.hasFocus()
    for button in pad.findChildren(QPushButton):
        if button.isVisible():
            assert button.height() >= 48 and button.width() >= 48  # touch targets

    # The code has a letter: the ABC page of the keypad, then back to the digits; a tap
    # on the PIN box, then its digits: real mouse presses on the widgets, as a finger.
    tap("ABC", "E", "123", "1", window=window)
    assert pad.code.text() == "E1"
    QTest.mouseClick(pad.pin, Qt.MouseButton.LeftButton)
    tap(*"4821", window=window)
    assert pad.pin.text() == "4821" and pad.code.text() == "E1"
    assert pad.ok_key.isEnabled()
    QTest.mouseClick(pad.ok_key, Qt.MouseButton.LeftButton)

    card = window.kiosk.card
    qtbot.waitUntil(card.isVisible, timeout=5000)
    assert not pad.isVisible()
    assert card.name.text() == "Ana García"
    assert card.kind.text().startswith("Check-in")
    assert card.message.text() == "Recorded with PIN"
    assert events(ctx) == [("in", "pin")]
    # The fake, like a runtime may, also queues the record as an event: shown once only.
    qtbot.wait(100)
    assert tones == [Tone.RECORDED]
    assert ("record_pin", ("E1",)) in runtime.calls


def test_a_touch_screen_alone_records_with_a_pin_when_the_window_is_not_active(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    """With no window manager the kiosk's window is never the active one, so Qt has no focus
    widget: the pad must still type where the person last tapped."""
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(other.isActiveWindow, timeout=2000)
    assert not window.isActiveWindow()

    screen = window.kiosk
    pad = tap_code_e1(qtbot, window)
    tap(*"4829", "⌫", "1", window=window)
    assert (pad.code.text(), pad.pin.text()) == ("E1", "4821")
    QTest.mouseClick(pad.code, Qt.MouseButton.LeftButton)  # back to the code: fix a typo
    tap("⌫", "2", window=window)
    assert (pad.code.text(), pad.pin.text()) == ("E2", "4821")
    tap("⌫", "1", window=window)
    QTest.mouseClick(pad.ok_key, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(screen.card.isVisible, timeout=5000)
    assert events(ctx) == [("in", "pin")]


def test_the_pad_stays_open_while_someone_uses_it(qtbot: QtBot, window: KioskWindow) -> None:
    screen = window.kiosk
    screen.open_pin_pad()
    pad = screen.pin_pad
    pad._idle.setInterval(400)
    pad._idle.start()
    for _ in range(6):  # 6 × 150 ms of taps that change no text: the ABC page and back
        qtbot.wait(150)
        tap("ABC", window=window)
        qtbot.wait(0)
        tap("123", window=window)
    assert pad.isVisible()
    with qtbot.waitSignal(pad.cancelled, timeout=2000):
        pass  # and left alone, it closes


def test_a_wrong_pin_says_so_and_keeps_the_pad_open(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow, tones: list[Tone]
) -> None:
    screen = window.kiosk
    screen.open_pin_pad()
    pad = screen.pin_pad
    pad.code.setText("E1")
    pad.pin.setText("1111")
    pad.ok_key.click()
    qtbot.waitUntil(pad.error.isVisible, timeout=5000)
    assert pad.error.text() == "Wrong PIN. Check it and try again."
    assert pad.isVisible() and pad.pin.text() == "" and pad.code.text() == "E1"
    assert tones == [Tone.REFUSED]
    assert events(ctx) == []

    # A code nobody has gets the very same answer: the pad does not tell who works here.
    pad.code.setText("NOPE")
    pad.pin.setText("4821")
    pad.ok_key.click()
    qtbot.waitUntil(lambda: tones == [Tone.REFUSED, Tone.REFUSED], timeout=5000)
    assert pad.error.text() == "Wrong PIN. Check it and try again."
    assert "NOPE" not in pad.error.text() and "employee" not in pad.error.text()


def test_the_pin_pad_works_with_the_keyboard_alone(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    screen = window.kiosk
    screen.setFocus()
    QTest.keyClicks(screen, "E")  # typing opens the pad with what was typed
    pad = screen.pin_pad
    assert pad.isVisible()
    QTest.keyClicks(pad.code, "1")
    QTest.keyClick(pad.code, Qt.Key.Key_Return)
    assert pad.pin.hasFocus()
    QTest.keyClicks(pad.pin, "4821")
    QTest.keyClick(pad.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(screen.card.isVisible, timeout=5000)
    assert events(ctx) == [("in", "pin")]


def test_escape_closes_the_pad_and_it_closes_itself_when_left(
    qtbot: QtBot, window: KioskWindow
) -> None:
    screen = window.kiosk
    screen.open_pin_pad()
    pad = screen.pin_pad
    QTest.keyClicks(pad.code, "E1")
    with qtbot.waitSignal(pad.cancelled, timeout=1000):
        QTest.keyClick(pad.code, Qt.Key.Key_Escape)
    assert not pad.isVisible()

    screen.open_pin_pad()
    assert pad.code.text() == ""  # a fresh pad for the next person
    pad._idle.setInterval(50)
    pad._idle.start()
    with qtbot.waitSignal(pad.cancelled, timeout=2000):
        pass


def test_a_twelve_digit_pin_is_tapped_in_full_and_records(
    qtbot: QtBot, ctx: AppContext, window: KioskWindow
) -> None:
    ctx.employees().set_pin("cli:test", "E1", "482193750264")
    screen = window.kiosk
    pad = tap_code_e1(qtbot, window)
    tap(*"4821937502649", window=window)  # a thirteenth digit does not go in
    assert pad.pin.text() == "482193750264"
    QTest.mouseClick(pad.ok_key, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(screen.card.isVisible, timeout=5000)
    assert events(ctx) == [("in", "pin")]
