"""Starting and closing the kiosk: run_kiosk's event loop, and no thread left behind."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.context import AppContext
from kiosk.app import run_kiosk
from kiosk.main_window import KioskWindow
from tests.support.kiosk_fakes import FakeRuntime, make_video, open_window


def kiosk_threads() -> list[str]:
    prefixes = ("kiosk-", "camera-reader", "demo-runtime")
    return [t.name for t in threading.enumerate() if t.name.startswith(prefixes)]


def test_run_kiosk_shows_the_window_and_closing_it_stops_every_thread(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    runtime = FakeRuntime(ctx, camera=str(make_video(tmp_path / "camera.avi", frames=200)))
    runtime.start()
    seen: dict[str, object] = {}
    threads: list[str] = []

    def close_when_running() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow)]
        window = windows[-1]
        if window.kiosk.camera.frames_shown < 5:  # wait for the video to be on screen
            QTimer.singleShot(20, close_when_running)
            return
        seen["visible"] = window.isVisible()
        seen["frames"] = window.kiosk.camera.frames_shown
        threads.extend(kiosk_threads())
        window.close()

    QTimer.singleShot(0, close_when_running)
    try:
        assert run_kiosk(ctx, runtime, fullscreen=False) == 0
        assert seen["visible"] is True
        assert any(name.startswith("camera-reader") for name in threads)
        # The window's own threads are gone; the runtime is its starter's to stop (main.py).
        assert not any(t.startswith("kiosk-") for t in kiosk_threads())
        assert not runtime.stopped
    finally:
        runtime.stop()
    assert kiosk_threads() == []


def test_closing_the_window_waits_for_work_in_flight(qtbot: QtBot, ctx: AppContext) -> None:
    runtime = FakeRuntime(ctx)
    runtime.start()
    try:
        window = open_window(qtbot, ctx, runtime)
        results: list[object] = []
        # Work the window started (a sign-in, a save) is finished, not cut, by closing.
        window.tasks.submit(lambda: ctx.auth().list_users(), results.append)
        window.net_tasks.submit(lambda: "done", results.append)
        window.close()
        assert window.feed.running is False
        assert not any(t.name.startswith("kiosk-") for t in threading.enumerate())
    finally:
        runtime.stop()
    assert kiosk_threads() == []


def test_fullscreen_by_flag(qtbot: QtBot, ctx: AppContext) -> None:
    runtime = FakeRuntime(ctx)
    runtime.start()
    try:
        window = open_window(qtbot, ctx, runtime)
        window.fullscreen = True
        window.show_in_mode()
        assert window.isFullScreen()
        window.fullscreen = False
        window.show_in_mode()
        assert not window.isFullScreen()
        window.close()
    finally:
        runtime.stop()
