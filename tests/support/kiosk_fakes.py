"""What the kiosk window tests share: the scripted runtime, a video camera, window helpers.

``FakeRuntime`` is ``tools.harness.demo_runtime.ScriptedRuntime`` (the screenshots use it too):
frames from a video file through the real ``CameraReader`` or from a still picture,
statuses and observations set by the test, PIN records through the real
``AttendanceService`` on a worker thread.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from core.attendance.outcomes import Recorded
from core.attendance.rules import Kind
from core.context import AppContext
from kiosk.app import application, prepare
from kiosk.main_window import KioskWindow
from tests.support.paths import FACES
from tools.harness.demo_runtime import ScriptedRuntime

FakeRuntime = ScriptedRuntime
ZONE = ZoneInfo("Europe/Madrid")


def make_video(path: Path, frames: int = 50, size: tuple[int, int] = (320, 240)) -> Path:
    """A small MJPEG video of a moving shape: a camera for the tests (25 fps)."""
    import cv2

    width, height = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 25, (width, height))
    for index in range(frames):
        image = np.full((height, width, 3), 60, np.uint8)
        x = 40 + (index * 4) % (width - 80)
        cv2.circle(image, (x, height // 2), 30, (200, 180, 160), -1)
        writer.write(image)
    writer.release()
    return path


def turning_face_video(
    frames: list[np.ndarray], path: Path, seconds_each: float, rounds: int, fps: int = 15
) -> Path:
    """A person who turns the head now and then: each picture (letterboxed to 640×480)
    held for ``seconds_each``, the whole turn ``rounds`` times. Guided enrollment takes a
    sample only after the pose changed, so a still photo can no longer enrol anyone."""
    import cv2

    width, height = 640, 480
    boxed = []
    for image in frames:
        scale = min(width / image.shape[1], height / image.shape[0])
        small = cv2.resize(image, (int(image.shape[1] * scale), int(image.shape[0] * scale)))
        canvas = np.full((height, width, 3), 40, np.uint8)
        top, left = (height - small.shape[0]) // 2, (width - small.shape[1]) // 2
        canvas[top : top + small.shape[0], left : left + small.shape[1]] = small
        boxed.append(canvas)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (width, height))
    for _ in range(rounds):
        for canvas in boxed:
            for _ in range(int(seconds_each * fps)):
                writer.write(canvas)
    writer.release()
    return path


def face_video(photo: Path, path: Path, seconds: float, fps: int = 25) -> Path:
    """A video that shows one photo, still, for ``seconds``: a person at the camera."""
    import cv2

    image = cv2.imread(str(photo))
    assert image is not None, photo
    # Even sizes: some encoders refuse odd ones.
    height, width = image.shape[0] // 2 * 2, image.shape[1] // 2 * 2
    image = np.ascontiguousarray(image[:height, :width])
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (width, height))
    for _ in range(int(seconds * fps)):
        writer.write(image)
    writer.release()
    return path


def open_window(qtbot: QtBot, ctx: AppContext, runtime: ScriptedRuntime | object) -> KioskWindow:
    """The kiosk window in English (the source language), shown, polling ``runtime``."""
    prepare(application(), "en")
    window = KioskWindow(ctx, runtime)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def close_window(window: KioskWindow) -> None:
    window.close()
    # The close waited for the work still running; the answers of what had finished are
    # delivered through the event loop (the start-up check of the kiosk's set-up, say).
    QCoreApplication.processEvents()
    assert not window.tasks.busy


def recorded(
    name: str = "Ana García",
    *,
    code: str = "E1",
    kind: Kind = Kind.IN,
    late: int = 0,
    early: int = 0,
    method: str = "face",
    at: datetime | None = None,
) -> Recorded:
    when = at or datetime(2025, 3, 10, 9, 12, tzinfo=ZONE)
    return Recorded(
        event_id=uuid.uuid4(),
        employee_id=uuid.uuid4(),
        employee_code=code,
        employee_name=name,
        kind=kind,
        occurred_at=when,
        local_time=when,
        shift_day=when.date(),
        method=method,
        late_minutes=late,
        early_leave_minutes=early,
        overtime_minutes=0,
    )


__all__ = [
    "FACES",
    "FakeRuntime",
    "close_window",
    "face_video",
    "make_video",
    "open_window",
    "recorded",
]
