"""The whole kiosk with the real engine: a video file as the camera, enrollment from it in
the settings, then the face recognised on the kiosk screen and recorded.

The same window as the other kiosk tests, given ``core.runtime.Runtime`` instead of the
scripted runtime. It needs the face photos in tests/data/faces and the shipped Dlib
weights (the model loads in a few seconds).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from core.app import AppContext
from core.config import load_settings, save_settings
from core.runtime_api import ModelState
from core.store.models import AttendanceEvent, User
from core.users import SignedIn
from tests.kiosk_fakes import FACES, close_window, face_video, open_window

PHOTO = FACES / "img1.jpg"


@pytest.mark.slow
@pytest.mark.skipif(not PHOTO.is_file(), reason="needs the face photos in tests/data/faces")
def test_enroll_from_the_camera_then_the_face_is_recognised_and_recorded(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    import main

    video = face_video(PHOTO, tmp_path / "person.avi", seconds=40, fps=15)
    save_settings(ctx.paths.settings_file, {"camera": str(video), "liveness": "off"})
    ctx.settings = load_settings(ctx.paths.settings_file)
    ctx.employees().add("cli:test", "P1", "Persona Uno")

    runtime = main.start_kiosk(ctx)
    try:
        window = open_window(qtbot, ctx, runtime)
        screen = window.kiosk
        qtbot.waitUntil(lambda: screen.camera.frames_shown > 3, timeout=10_000)
        qtbot.waitUntil(
            lambda: screen.model is not None and screen.model.state is not ModelState.LOADING,
            timeout=120_000,
        )
        assert screen.model is not None and screen.model.state is ModelState.READY, screen.model

        # Enrollment from the live camera, in the settings (the sign-in has its own tests).
        window.open_admin("enrollment")
        with ctx.store.read() as session:
            user = session.scalars(select(User).where(User.username == "admin")).one()
            window.login.signed_in.emit(SignedIn(user.id, user.username, user.role.name, False))
        assert window.admin is not None
        page = window.admin.enrollment
        qtbot.waitUntil(lambda: page.employee.findData("P1") >= 0, timeout=5000)
        page.preselect("P1")
        page.consent.setChecked(True)
        page.samples.setValue(3)
        page.start_button.click()
        qtbot.waitUntil(lambda: not page.running, timeout=60_000)
        assert "complete" in page.notice.text(), page.notice.text()
        assert ctx.employees().get("P1").templates == 3

        # Back on the kiosk screen the same face is recognised and recorded.
        window.admin.close_admin()
        qtbot.waitUntil(screen.card.isVisible, timeout=60_000)
        assert screen.card.name.text() == "Persona Uno"
        assert screen.card.kind.text().startswith("Check-in")
        assert screen.card.avatar.has_photo  # the photo taken at enrollment
        with ctx.store.read() as session:
            methods = list(session.scalars(select(AttendanceEvent.method)))
        assert methods == ["face"]
        close_window(window)
    finally:
        runtime.stop()


@pytest.mark.slow
def test_a_camera_changed_while_running_is_seen_and_recognised_again(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    """A new source numbers its frames on from the old one (the runtime and the window wait
    for "newer than the last seen"), and the same path applied again after the video ended
    opens it again."""
    import main
    from core.images import read_image
    from core.runtime_api import FaceState
    from tests.conftest import run_main
    from tools.scene import Visit, write_scene

    done = run_main("enroll", "--code", "P1", "--name", "Persona Uno", str(PHOTO))
    assert done.returncode == 0, done.stderr
    empty = write_scene(tmp_path / "empty.avi", [], fps=25.0, tail_s=3.0)
    visit = Visit("P1", read_image(FACES / "img2.jpg"), stay_s=2.5, gap_before_s=0.5)
    person = write_scene(tmp_path / "person.avi", [visit], fps=25.0, tail_s=0.5)
    save_settings(ctx.paths.settings_file, {"camera": str(empty.path), "liveness": "off"})
    ctx.settings = load_settings(ctx.paths.settings_file)
    runtime = main.start_kiosk(ctx)
    try:
        window = open_window(qtbot, ctx, runtime)
        screen = window.kiosk
        qtbot.waitUntil(lambda: runtime.model_status().state is ModelState.READY, timeout=120_000)
        qtbot.waitUntil(lambda: runtime.finished, timeout=20_000)  # the empty video ended
        for attempt in ("a new source", "the same path after it ended"):
            shown = screen.camera.frames_shown
            runtime.set_camera(str(person.path), 640, 480)

            def new_frames(before: int = shown) -> bool:
                return screen.camera.frames_shown > before + 10

            qtbot.waitUntil(new_frames, timeout=10_000)
            qtbot.waitUntil(
                lambda: (
                    screen.observation is not None
                    and screen.observation.state is FaceState.RECOGNISED
                ),
                timeout=15_000,
            )
            observation = screen.observation
            assert observation is not None, attempt
            assert observation.employee_name == "Persona Uno", attempt
            qtbot.waitUntil(lambda: runtime.finished, timeout=20_000)
        close_window(window)
    finally:
        runtime.stop()
