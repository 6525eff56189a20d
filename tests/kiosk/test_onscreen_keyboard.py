"""The on-screen keyboard: an administrator signs in on a touch kiosk by tapping its keys,
and the keyboard never covers the field being typed in at 1024x768."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QInputDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from core.config import load_settings
from core.context import AppContext
from core.host.paths import DataPaths
from kiosk.main_window import KioskWindow
from kiosk.onscreen_keyboard import (
    BACKSPACE,
    ENTER,
    LAYER,
    LETTERS,
    SHIFT,
    OnscreenKeyboard,
    keyboard_wanted,
)
from tests.support.keys import ADMIN_PASSWORD
from tests.support.kiosk_fakes import FakeRuntime

Device = QInputDevice.DeviceType


@pytest.fixture
def keyboard_setting() -> str:
    return "on"  # the tests' screens have no touch screen: "on" stands for one


@pytest.fixture
def ctx(
    isolated_environment: Path, monkeypatch: pytest.MonkeyPatch, keyboard_setting: str
) -> Iterator[AppContext]:
    monkeypatch.setenv("ASISTENCIA_ONSCREEN_KEYBOARD", keyboard_setting)
    paths = DataPaths(isolated_environment)
    context = AppContext(paths, load_settings(paths.settings_file), notices=io.StringIO())
    yield context
    context.close()


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


def in_window(widget: QWidget) -> QRect:
    return QRect(widget.mapTo(widget.window(), widget.rect().topLeft()), widget.size())


def tap(qtbot: QtBot, keyboard: OnscreenKeyboard, text: str) -> None:
    """Type ``text`` by clicking the keyboard's keys, shift for capitals, ?123 for symbols."""
    for char in text:
        lower = char.lower()
        on_letters = lower in "".join(LETTERS) or char in "1234567890@. "
        if on_letters == keyboard.symbols and not char.isdigit() and char not in "@. ":
            QTest.mouseClick(keyboard.keys[LAYER], Qt.MouseButton.LeftButton)
        if char.isupper():
            QTest.mouseClick(keyboard.keys[SHIFT], Qt.MouseButton.LeftButton)
        key = keyboard.key_for(char)
        assert not key.isHidden(), char
        QTest.mouseClick(key, Qt.MouseButton.LeftButton)


def open_sign_in(qtbot: QtBot, window: KioskWindow) -> None:
    window.resize(1024, 768)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.open_admin()
    qtbot.waitUntil(window.login.username.hasFocus, timeout=3000)
    if window.ctx.settings.onscreen_keyboard == "on":
        qtbot.waitUntil(window.login.keyboard.isVisible, timeout=3000)


def test_an_administrator_signs_in_with_the_onscreen_keyboard_only(
    qtbot: QtBot, window: KioskWindow
) -> None:
    open_sign_in(qtbot, window)
    login = window.login
    keyboard = login.keyboard

    tap(qtbot, keyboard, "adminx")
    QTest.mouseClick(keyboard.keys[BACKSPACE], Qt.MouseButton.LeftButton)
    assert login.username.text() == "admin"
    assert login.username.hasFocus()  # the keys never take the focus from the field
    QTest.mouseClick(keyboard.keys[ENTER], Qt.MouseButton.LeftButton)  # on to the password
    assert login.password.hasFocus()
    # the field being typed in stays above the keyboard, on a 1024x768 screen
    qtbot.waitUntil(lambda: in_window(keyboard).top() > 0, timeout=2000)
    for field in (login.username, login.password, login.sign_in_button):
        assert in_window(field).bottom() < in_window(keyboard).top(), field.accessibleName()
    assert in_window(keyboard).bottom() <= window.height()

    tap(qtbot, keyboard, ADMIN_PASSWORD)
    assert login.password.text() == ADMIN_PASSWORD
    QTest.mouseClick(keyboard.keys[ENTER], Qt.MouseButton.LeftButton)  # signs in
    qtbot.waitUntil(lambda: window.admin is not None, timeout=5000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=5000)


def test_capitals_and_symbols(qtbot: QtBot, window: KioskWindow) -> None:
    open_sign_in(qtbot, window)
    keyboard = window.login.keyboard
    tap(qtbot, keyboard, "Ana.García!#1 Ñ")
    assert window.login.username.text() == "Ana.García!#1 Ñ"
    assert not keyboard.shifted  # one capital, then small letters again


@pytest.mark.parametrize("keyboard_setting", ["off"])
def test_off_means_no_keyboard(qtbot: QtBot, window: KioskWindow) -> None:
    open_sign_in(qtbot, window)
    qtbot.wait(100)
    assert not window.login.keyboard.isVisible()


def test_auto_shows_it_only_with_a_touch_screen() -> None:
    assert keyboard_wanted("auto", [Device.Mouse, Device.TouchScreen])
    assert not keyboard_wanted("auto", [Device.Mouse, Device.Keyboard])
    assert keyboard_wanted("on", [])
    assert not keyboard_wanted("off", [Device.TouchScreen])
