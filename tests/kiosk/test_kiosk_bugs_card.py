"""The result card leaves on time, the camera-lost screen wins over it, and a cooldown
card counts down (issue 21, item 5: a card "Ana García · Salida · 19:36" stayed over the
camera-lost screen for more than a minute and covered "Record with code and PIN")."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from core.attendance.outcomes import NotRecorded
from core.attendance.rules import IgnoreReason, Kind
from core.camera import CameraState, CameraStatus
from core.context import AppContext
from core.runtime.api import RecordEvent
from kiosk.main_window import KioskWindow
from kiosk.result_card import SHOW_MS, SHOW_REFUSED_MS
from tests.support.kiosk_fakes import FakeRuntime, recorded


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


def _on_window(widget: QWidget) -> QRect:
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def _lost() -> CameraStatus:
    return CameraStatus(
        CameraState.RECONNECTING, "Camera 0 is not connected", 3, 4.0, was_streaming=True
    )


def test_a_card_shown_before_the_settings_opened_is_gone_when_they_close(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    """The card's time ran out while the settings were open: back on the kiosk screen it
    must not be there (it stayed until the next record, over whatever the screen showed)."""
    window.resize(1024, 768)
    card = window.kiosk.card
    runtime.push_event(RecordEvent(recorded("Ana García", kind=Kind.OUT)))
    qtbot.waitUntil(card.isVisible, timeout=2000)
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F2)  # an administrator, before the card's time is up
    assert window.stack.currentWidget() is window.login
    qtbot.wait(SHOW_MS + 300)
    window.login.back_button.click()
    assert window.stack.currentWidget() is window.kiosk
    qtbot.wait(50)
    assert not card.isVisible()
    assert window.kiosk.pin_button.isVisible()  # the offer of a PIN is back with it


def test_the_camera_lost_screen_wins_over_a_result_card(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    window.resize(1024, 768)
    screen = window.kiosk
    runtime.push_event(RecordEvent(recorded("Ana García", kind=Kind.OUT)))
    qtbot.waitUntil(screen.card.isVisible, timeout=2000)
    runtime.set_camera_status(_lost())
    qtbot.waitUntil(lambda: screen.pictures.currentWidget() is screen.no_camera, timeout=2000)
    assert not screen.card.isVisible()
    button = screen.no_camera.pin_button
    assert button.isVisible()
    # Nothing over the button the person needs now: a click at its centre reaches it.
    centre = _on_window(button).center()
    assert window.childAt(centre) is button


def test_a_card_shown_while_the_camera_is_lost_leaves_on_time(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    """A PIN record while the camera is lost: its card is shown, then the panel is whole."""
    screen = window.kiosk
    runtime.set_camera_status(_lost())
    qtbot.waitUntil(lambda: screen.pictures.currentWidget() is screen.no_camera, timeout=2000)
    outcome = NotRecorded("E1", "Ana García", IgnoreReason.COOLDOWN, timedelta(seconds=27), "x")
    runtime.push_event(RecordEvent(outcome))
    qtbot.waitUntil(screen.card.isVisible, timeout=2000)
    qtbot.waitUntil(lambda: not screen.card.isVisible(), timeout=SHOW_REFUSED_MS + 1000)


def test_a_cooldown_card_counts_down(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    card = window.kiosk.card
    outcome = NotRecorded("E1", "Ana García", IgnoreReason.COOLDOWN, timedelta(seconds=27), "x")
    runtime.push_event(RecordEvent(outcome))
    qtbot.waitUntil(card.isVisible, timeout=2000)
    assert "27 s" in card.message.text()
    qtbot.waitUntil(lambda: "26 s" in card.message.text(), timeout=1600)
    qtbot.waitUntil(lambda: "25 s" in card.message.text(), timeout=1600)
