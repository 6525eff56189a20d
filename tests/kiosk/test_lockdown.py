"""A door, not a desk: no cursor over a touch screen, no screen saver mid-shift."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QInputDevice
from pytestqt.qtbot import QtBot

from kiosk.lockdown import ScreenAwake, apply_cursor, cursor_hidden

TOUCH = QInputDevice.DeviceType.TouchScreen
MOUSE = QInputDevice.DeviceType.Mouse


def test_auto_hides_the_cursor_only_where_a_touch_screen_is() -> None:
    assert cursor_hidden("auto", [MOUSE, TOUCH])
    assert not cursor_hidden("auto", [MOUSE, QInputDevice.DeviceType.Keyboard])
    assert cursor_hidden("hidden", [MOUSE]) and not cursor_hidden("shown", [TOUCH])


def test_the_application_cursor_follows_the_setting(qtbot: QtBot) -> None:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    assert not apply_cursor(app, "shown") and QGuiApplication.overrideCursor() is None
    try:
        assert apply_cursor(app, "hidden")
        cursor = QGuiApplication.overrideCursor()
        assert cursor is not None and cursor.shape() == Qt.CursorShape.BlankCursor
    finally:
        QGuiApplication.restoreOverrideCursor()
    assert QGuiApplication.overrideCursor() is None


def test_without_a_session_bus_the_screen_is_left_to_its_settings(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    awake = ScreenAwake()
    assert awake.hold() is False  # a sentence in the log, never a stop
    awake.release()
