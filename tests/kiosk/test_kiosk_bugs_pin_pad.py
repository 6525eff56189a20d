"""The PIN pad's keys stay where they are when it says the PIN was wrong (issue 21,
item 5: the pad jumped 32 px as "PIN incorrecto" appeared, keys moving under the finger)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from core.context import AppContext
from core.errors import RefusedError
from kiosk.app import application, prepare
from kiosk.main_window import KioskWindow
from kiosk.messages import describe_error
from tests.support.kiosk_fakes import FakeRuntime, close_window, open_window


@pytest.fixture
def runtime(ctx: AppContext) -> Iterator[FakeRuntime]:
    fake = FakeRuntime(ctx)
    fake.start()
    yield fake
    fake.stop()


def _keys(window: KioskWindow) -> dict[str, QRect]:
    """Where every key of the pad is on the window (digits, ⌫, ABC, Cancel, Record)."""
    pad = window.kiosk.pin_pad
    digits = pad.keys.widget(0)
    assert digits is not None
    keys = [*digits.findChildren(QPushButton), pad.cancel_key, pad.ok_key]
    return {
        key.accessibleName() or key.text() or str(i): QRect(
            key.mapTo(window, QPoint(0, 0)), key.size()
        )
        for i, key in enumerate(keys)
    }


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)], ids=["1024x768", "1366x768"])
def test_the_keys_do_not_move_when_the_pad_says_the_pin_was_wrong(
    qtbot: QtBot, ctx: AppContext, runtime: FakeRuntime, language: str, size: tuple[int, int]
) -> None:
    window = open_window(qtbot, ctx, runtime)
    try:
        prepare(application(), language)
        window.set_language(language)
        window.resize(*size)
        qtbot.wait(50)
        pad = window.kiosk.pin_pad
        pad.open(window.kiosk.tr("We could not recognise your face. Use your code and PIN."))
        pad.code.setText("E003")
        pad.pin.setText("24")
        qtbot.wait(50)
        before = _keys(window)
        for error in (
            RefusedError("wrong PIN"),
            RefusedError("wrong PIN; 'E003' is locked for 5 min"),
            RefusedError("too many wrong PINs for 'E003'; try again in 4 min"),
        ):
            pad.show_error(describe_error(error).text)
            qtbot.wait(50)
            assert pad.error.isVisible()
            assert _keys(window) == before, pad.error.text()
            assert pad.error.heightForWidth(pad.error.width()) <= pad.error.height()
    finally:
        prepare(application(), "en")
        close_window(window)
