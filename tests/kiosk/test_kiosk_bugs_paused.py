"""No record while the settings are open, even from a frame decided as they opened
(issue 21, item 5: "recognition keeps recording while an administrator is signed in").

The real engine on a video of an enrolled face, the real window: F2 is pressed while the
frame that decides the person is being processed (the pipeline is held there until the
sign-in screen is up). Nothing may be recorded, shown or heard while the settings are
open; once they close, the person still at the camera is recorded.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from core.config import load_settings, save_settings
from core.context import AppContext
from core.recognition.pipeline import FrameResult, RecognitionPipeline
from core.store.models import AttendanceEvent
from kiosk.sounds import Tone
from tests.support.cli import run_main
from tests.support.kiosk_fakes import FACES, close_window, face_video, open_window

PHOTO = FACES / "img1.jpg"


def _records(ctx: AppContext) -> int:
    with ctx.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(AttendanceEvent)) or 0)


@pytest.mark.slow
@pytest.mark.skipif(not PHOTO.is_file(), reason="needs the face photos in tests/data/faces")
def test_a_face_decided_as_the_settings_open_is_not_recorded_until_they_close(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import main

    done = run_main("enroll", "--code", "P1", "--name", "Persona Uno", str(PHOTO))
    assert done.returncode == 0, done.stderr
    video = face_video(PHOTO, tmp_path / "person.avi", seconds=60, fps=15)
    save_settings(ctx.paths.settings_file, {"camera": str(video), "liveness": "off"})
    ctx.settings = load_settings(ctx.paths.settings_file)

    deciding, opened = threading.Event(), threading.Event()
    process = RecognitionPipeline.process

    def held_at_the_decision(self: Any, frame: Any, now: float | None = None) -> FrameResult[Any]:
        result = process(self, frame, now)
        if result.new_decision and not deciding.is_set():
            deciding.set()
            opened.wait(20)  # the administrator presses F2 while this frame is in flight
        return result

    monkeypatch.setattr(RecognitionPipeline, "process", held_at_the_decision)
    runtime = main.start_kiosk(ctx)
    try:
        window = open_window(qtbot, ctx, runtime)
        played: list[Tone] = []
        monkeypatch.setattr(window.sounds, "play", played.append)
        qtbot.waitUntil(deciding.is_set, timeout=120_000)
        window.activateWindow()
        QTest.keyClick(window, Qt.Key.Key_F2)
        assert window.stack.currentWidget() is window.login
        opened.set()
        qtbot.wait(3000)  # the frame is done; the video goes on showing the person
        assert _records(ctx) == 0
        assert played == []  # no "recorded" tone behind the settings

        window.login.back_button.click()  # the settings close: recognition resumes
        qtbot.waitUntil(window.kiosk.card.isVisible, timeout=30_000)
        assert window.kiosk.card.name.text() == "Persona Uno"
        assert _records(ctx) == 1
        close_window(window)
    finally:
        opened.set()
        runtime.stop()


def test_the_settings_say_that_nobody_is_recorded_while_they_are_open(
    qtbot: QtBot, ctx: AppContext
) -> None:
    from tests.support.admin_window import sign_in
    from tests.support.kiosk_fakes import FakeRuntime

    runtime = FakeRuntime(ctx)
    runtime.start()
    try:
        window = open_window(qtbot, ctx, runtime)
        admin = sign_in(qtbot, window)
        assert runtime.paused
        assert admin.paused_note.isVisible()
        assert admin.paused_note.text() == "Nobody is recorded while the settings are open"
        close_window(window)
    finally:
        runtime.stop()
