"""What a kiosk at a door needs of the session it runs in: no cursor on a touch screen, and
a screen that does not go dark while people still have to check in.

Both are best efforts with a sentence in the log when they cannot be had: a kiosk without
them still records. The screen is kept awake through the freedesktop ScreenSaver D-Bus
interface that desktop sessions (GNOME, KDE, Xfce…) implement, for as long as the window
runs; under the cage compositor of the systemd unit nothing blanks the screen to begin with.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QInputDevice

log = logging.getLogger(__name__)

CursorSetting = Literal["auto", "shown", "hidden"]
APP_NAME = "Asistencia"


def cursor_hidden(setting: CursorSetting, devices: Iterable[QInputDevice.DeviceType]) -> bool:
    """``auto`` hides it when a touch screen is attached (a person taps; nobody moves it)."""
    if setting != "auto":
        return setting == "hidden"
    return QInputDevice.DeviceType.TouchScreen in set(devices)


def apply_cursor(app: QGuiApplication, setting: CursorSetting) -> bool:
    devices = [device.type() for device in QInputDevice.devices()]
    hidden = cursor_hidden(setting, devices)
    if hidden:
        app.setOverrideCursor(Qt.CursorShape.BlankCursor)
        log.info("the mouse cursor is hidden (cursor = %s)", setting)
    return hidden


class ScreenAwake:
    """Holds a ScreenSaver inhibition while the kiosk runs (released by ``release``)."""

    def __init__(self) -> None:
        self._cookie: int | None = None
        self._interface: object | None = None

    def hold(self) -> bool:
        from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage

        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            log.info("no D-Bus session: the screen's own settings decide when it blanks")
            return False
        interface = QDBusInterface(
            "org.freedesktop.ScreenSaver",
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver",
            bus,
        )
        reply = interface.call("Inhibit", APP_NAME, "attendance kiosk: people check in")
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
            log.info("the session has no screen saver to hold off (%s)", reply.errorMessage())
            return False
        self._cookie = int(reply.arguments()[0])
        self._interface = interface
        log.info("the screen is kept awake while the kiosk runs")
        return True

    def release(self) -> None:
        if self._cookie is not None and self._interface is not None:
            self._interface.call("UnInhibit", self._cookie)  # type: ignore[attr-defined]
        self._cookie = None
        self._interface = None
