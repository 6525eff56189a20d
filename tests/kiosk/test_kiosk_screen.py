"""The employee screen: statuses, prompts, the face box, the result card, no camera."""

from __future__ import annotations

import os
import re

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from core.attendance.outcomes import NotRecorded
from core.attendance.rules import IgnoreReason, Kind
from core.camera import CameraState, CameraStatus
from core.context import AppContext
from core.runtime.api import FaceState, ModelState, RecordEvent, Refusal
from core.states import ModelStatus
from core.sync.status import SyncStatus
from kiosk import theme
from kiosk.camera_view import BOX_COLORS
from kiosk.main_window import KioskWindow
from kiosk.result_card import SHOW_LATE_MS, SHOW_MS, initials
from kiosk.sounds import Tone
from tests.support.kiosk_fakes import FakeRuntime, make_video, recorded


@pytest.fixture
def runtime(ctx: AppContext, tmp_path: Path) -> Iterator[FakeRuntime]:
    fake = FakeRuntime(ctx, camera=str(make_video(tmp_path / "camera.avi")))
    fake.start()
    yield fake
    fake.stop()


def test_the_video_plays_in_the_preview_with_the_status_strip(
    qtbot: QtBot, window: KioskWindow
) -> None:
    screen = window.kiosk
    qtbot.waitUntil(lambda: screen.camera.frames_shown >= 5, timeout=5000)
    qtbot.waitUntil(lambda: screen.strip.camera_chip.headline.text() == "On", timeout=3000)
    assert screen.camera.frame is not None and screen.camera.frame.width == 320
    assert screen.strip.model_chip.headline.text() == "Ready"
    assert screen.strip.sync_chip.headline.text() == "Not configured"
    assert screen.strip.kiosk_name.text() == "Entrada principal"
    assert screen.strip.clock.text().count(":") == 1
    assert screen.banner.text.text() == "Look at the camera"


def test_model_loading_then_failed_is_shown_with_its_reason(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    chip = window.kiosk.strip.model_chip
    runtime.set_model(ModelStatus(ModelState.LOADING, "Dlib", "weights", 2.0))
    qtbot.waitUntil(lambda: chip.headline.text() == "Loading…", timeout=2000)
    assert chip.progress is not None and chip.progress.isVisible()
    assert chip.progress.maximum() == 0  # busy: the loader knows no fraction done
    assert re.match(r"Recognition · \d+ s\n", chip.toolTip())  # the seconds so far instead
    assert "PIN" in window.kiosk.banner.text.text()  # the PIN works while the model loads

    reason = "The Dlib weights are missing: run make venv and restart the kiosk."
    runtime.set_model(ModelStatus(ModelState.FAILED, "Dlib", reason))
    qtbot.waitUntil(lambda: chip.headline.text() == "Failed", timeout=2000)
    assert not chip.progress.isVisible()
    assert reason in chip.toolTip()
    assert window.kiosk.banner.tone == "bad"
    assert "not available" in window.kiosk.banner.text.text()


def test_sync_states(qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime) -> None:
    chip = window.kiosk.strip.sync_chip
    last = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)
    runtime.set_sync(SyncStatus(configured=True, pending=3, last_success=last))
    qtbot.waitUntil(lambda: chip.headline.text() == "3 waiting", timeout=2000)
    assert "09:00" in chip.detail  # shown in the kiosk's zone (Europe/Madrid)
    runtime.set_sync(SyncStatus(configured=True, pending=3, last_error="server unreachable"))
    qtbot.waitUntil(lambda: chip.headline.text() == "Offline", timeout=2000)
    assert "server unreachable" in chip.toolTip()


def test_face_box_colour_follows_the_state(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    view = window.kiosk.camera
    qtbot.waitUntil(lambda: view.frame is not None, timeout=5000)
    runtime.show_face(FaceState.CHECKING, box=(10, 20, 100, 120))
    qtbot.waitUntil(lambda: view.box_rect() is not None, timeout=2000)
    box = view.box_rect()
    assert box is not None
    image = view.image_rect()
    scale = image.width() / 320
    # Mirrored preview: a box at the frame's left edge is drawn at the picture's right.
    assert box.right() == pytest.approx(image.right() - 10 * scale, abs=1)
    assert box.height() == pytest.approx(120 * scale, abs=1)
    colours = {BOX_COLORS[s].name() for s in (FaceState.CHECKING, FaceState.RECOGNISED)}
    colours.add(BOX_COLORS[FaceState.UNKNOWN].name())
    assert len(colours) == 3
    assert BOX_COLORS[FaceState.RECOGNISED] == theme.FACE_RECOGNISED


def test_prompts_for_blink_recognised_and_refused_faces(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    banner = window.kiosk.banner
    runtime.show_face(FaceState.BLINK)
    qtbot.waitUntil(lambda: banner.text.text() == "Please blink", timeout=2000)
    assert banner.icon.isVisible()
    runtime.show_face(FaceState.RECOGNISED, employee_name="Ana García")
    qtbot.waitUntil(lambda: banner.text.text() == "Hello, Ana García", timeout=2000)
    runtime.show_face(FaceState.REFUSED, reason=Refusal.TOO_SMALL)
    qtbot.waitUntil(lambda: banner.text.text() == "Come a little closer", timeout=2000)
    assert banner.property("tone") == "warn"
    runtime.show_face(FaceState.REFUSED, reason=Refusal.SPOOF)  # passive liveness
    qtbot.waitUntil(lambda: banner.text.text().startswith("This looks like a photo"), timeout=2000)
    assert banner.property("tone") == "bad" and "code and PIN" in banner.text.text()


def test_a_prompt_too_long_for_two_lines_is_set_smaller_and_keeps_off_the_face(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    """At 1024×768 a three-line banner covered the top of the face box it was about."""
    from kiosk.prompt_banner import LONG_PROMPT_PX, PROMPT_PX

    window.resize(1024, 768)
    banner = window.kiosk.banner
    runtime.show_face(FaceState.REFUSED, reason=Refusal.SPOOF)
    qtbot.waitUntil(lambda: banner.text.text().startswith("This looks like a photo"), timeout=2000)
    line = banner.text.fontMetrics().lineSpacing()  # at whichever size it was given
    assert banner.text.heightForWidth(banner.text.minimumWidth()) <= 2 * line + 2

    long_text = " ".join(["A prompt much longer than the ones the kiosk shows today."] * 3)
    banner.show_prompt(long_text, "warn")
    assert banner.property("long") is True
    assert banner.text.font().pixelSize() == LONG_PROMPT_PX  # the style sheet's smaller rule
    banner.show_prompt("Look at the camera")
    assert banner.property("long") is False and banner.text.font().pixelSize() == PROMPT_PX


def test_result_card_shows_name_check_in_time_and_late_notice(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime, tones: list[Tone]
) -> None:
    card = window.kiosk.card
    runtime.push_event(RecordEvent(recorded("Ana García", late=12)))
    qtbot.waitUntil(card.isVisible, timeout=2000)
    assert card.name.text() == "Ana García"
    assert card.kind.text() == "Check-in  ·  09:12"
    assert card.late.isVisible() and "12 min" in card.late.text()
    assert card.tone == "in"
    assert card.avatar._initials == "AG"
    assert not card.avatar.has_photo
    assert card._timer.interval() == SHOW_LATE_MS
    assert tones == [Tone.LATE]

    runtime.push_event(RecordEvent(recorded("Luis Pérez", kind=Kind.OUT)))
    qtbot.waitUntil(lambda: card.name.text() == "Luis Pérez", timeout=2000)
    assert card.kind.text().startswith("Check-out")
    assert card.tone == "out"
    assert not card.late.isVisible()
    assert card._timer.interval() == SHOW_MS
    assert tones == [Tone.LATE, Tone.RECORDED]


def test_lateness_and_early_leave_read_in_hours_and_minutes(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    card = window.kiosk.card
    runtime.push_event(RecordEvent(recorded("Ana García", late=367)))
    qtbot.waitUntil(lambda: card.name.text() == "Ana García", timeout=2000)
    assert card.late.text() == "Late by 6 h 7 min"
    # A check-out at 20:12 on a 14:00-22:00 shift: 108 minutes early.
    runtime.push_event(RecordEvent(recorded("Luis Pérez", kind=Kind.OUT, early=108)))
    qtbot.waitUntil(lambda: card.name.text() == "Luis Pérez", timeout=2000)
    assert card.late.isVisible()
    assert card.late.text() == "Leaving 1 h 48 min before the end of the shift"
    runtime.push_event(RecordEvent(recorded("María López", kind=Kind.IN, late=45)))
    qtbot.waitUntil(lambda: card.name.text() == "María López", timeout=2000)
    assert card.late.text() == "Late by 45 min"


def test_result_card_uses_the_enrollment_photo(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage, QImageWriter

    image = QImage(60, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("#ff8800"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    QImageWriter(buffer, QByteArray(b"jpeg")).write(image)
    runtime.push_event(RecordEvent(recorded(), bytes(buffer.data().data())))
    qtbot.waitUntil(window.kiosk.card.isVisible, timeout=2000)
    assert window.kiosk.card.avatar.has_photo


def test_refused_record_says_why_without_recording(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime, tones: list[Tone]
) -> None:
    outcome = NotRecorded("E1", "Ana García", IgnoreReason.COOLDOWN, timedelta(seconds=45), "x")
    runtime.push_event(RecordEvent(outcome))
    card = window.kiosk.card
    qtbot.waitUntil(card.isVisible, timeout=2000)
    assert card.tone == "refused"
    assert card.kind.text() == "Not recorded"
    assert "45 s" in card.message.text()
    assert tones == [Tone.REFUSED]


def test_no_camera_screen_says_so_and_how_to_choose_one(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    screen = window.kiosk
    runtime.set_camera_status(CameraStatus(CameraState.FAILED, "Camera 3 could not be opened"))
    qtbot.waitUntil(lambda: screen.pictures.currentWidget() is screen.no_camera, timeout=2000)
    assert screen.no_camera.title.text() == "No camera"
    assert "Settings" in screen.no_camera.body.text()
    assert screen.no_camera.detail.text() == "Camera 3 could not be opened"
    assert screen.strip.camera_chip.headline.text() == "No camera"
    assert not screen.banner.isVisible()

    screen.no_camera.pin_button.click()
    assert screen.pin_pad.isVisible()
    screen.pin_pad.cancel()
    screen.no_camera.choose_button.click()
    assert window.stack.currentWidget() is window.login
    assert window._after_login == "camera"
    window.login.back_button.click()

    # Never reached yet: waiting, not "lost"; once it had streamed, lost.
    runtime.set_camera_status(CameraStatus(CameraState.RECONNECTING, "gone", 2, 4.0))
    qtbot.waitUntil(lambda: screen.no_camera.title.text() == "Waiting for the camera", timeout=2000)
    assert "attempt 2" in screen.no_camera.body.text()
    lost = CameraStatus(CameraState.RECONNECTING, "lost", 3, 4.0, was_streaming=True)
    runtime.set_camera_status(lost)
    qtbot.waitUntil(lambda: screen.no_camera.title.text() == "The camera was lost", timeout=2000)
    assert "attempt 3" in screen.no_camera.body.text()
    runtime.set_camera_status(None)
    qtbot.waitUntil(lambda: screen.pictures.currentWidget() is screen.camera, timeout=2000)


def test_initials() -> None:
    assert initials("Ana García") == "AG"
    assert initials("María José de la Fuente") == "MF"
    assert initials("Cher") == "CH"
    assert initials("") == "?"


def test_stall_heartbeat_runs(qtbot: QtBot, window: KioskWindow) -> None:
    qtbot.waitUntil(lambda: window.heartbeat.beats > 5, timeout=2000)
    assert window.heartbeat.max_gap_ms >= 0.0


def test_a_record_arriving_by_both_paths_is_shown_once(
    window: KioskWindow, tones: list[Tone]
) -> None:
    """A PIN record comes as the future's result and may come as an event too, either first."""
    outcome = recorded("Ana García")
    window.kiosk.on_record(RecordEvent(outcome))
    window.kiosk.show_outcome(outcome)
    assert tones == [Tone.RECORDED]
    assert window.kiosk.card.event_id == outcome.event_id
    refusal = NotRecorded("E1", "Ana García", IgnoreReason.COOLDOWN, timedelta(seconds=9), "x")
    window.kiosk.show_outcome(refusal)
    window.kiosk.on_record(RecordEvent(refusal))
    assert tones == [Tone.RECORDED, Tone.REFUSED]


def test_the_name_tag_moves_under_the_face_when_the_greeting_covers_its_place(
    qtbot: QtBot, window: KioskWindow, runtime: FakeRuntime
) -> None:
    """A face high in the picture: its name tag would sit under the "Hello, …" banner."""
    screen = window.kiosk
    qtbot.waitUntil(lambda: runtime.latest_frame() is not None, timeout=2000)
    frame = runtime.latest_frame()
    assert frame is not None
    height, width = frame.height, frame.width
    side = height // 4
    high = ((width - side) // 2, 2, side, side)  # x, y, w, h: centred, at the top edge
    runtime.show_face(FaceState.RECOGNISED, employee_name="Ana García", box=high)
    qtbot.waitUntil(lambda: screen.banner.isVisible() and "Ana" in screen.banner.text.text())
    qtbot.waitUntil(lambda: screen.camera.box_rect() is not None, timeout=2000)
    box = screen.camera.box_rect()
    assert box is not None
    banner = screen.banner_over_camera()
    tag = screen.camera.name_rect(box, "Ana García")
    assert not banner.isNull() and not tag.intersects(banner), (tag, banner)
    assert tag.top() > box.bottom()  # under the face instead

    low = ((width - side) // 2, height - side - 2, side, side)
    runtime.show_face(FaceState.RECOGNISED, employee_name="Ana García", box=low)
    qtbot.waitUntil(lambda: (screen.camera.box_rect() or box).top() != box.top(), timeout=2000)
    lowered = screen.camera.box_rect()
    assert lowered is not None
    assert screen.camera.name_rect(lowered, "Ana García").bottom() < lowered.top()  # above
