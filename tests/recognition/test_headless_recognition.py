"""``main.py headless --camera VIDEO --exit-at-end``: camera → recognition → attendance, no Qt.

Real models, real photos (tests/data/faces), a real video file as the camera and the real
store, run as the operator would run it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run_main
from tests.support.paths import FACES
from tools.release.bundle_check import door_video, records

pytestmark = pytest.mark.slow


@pytest.fixture
def enrolled(isolated_environment: Path) -> Path:
    for code, name, photos in (
        ("E01", "Persona Uno", ("img1.jpg", "img2.jpg")),
        ("E13", "Persona Trece", ("img39.jpg", "img40.jpg")),
    ):
        done = run_main("enroll", "--code", code, "--name", name, *(str(FACES / p) for p in photos))
        assert done.returncode == 0, done.stderr
    return isolated_environment


@pytest.fixture
def video(tmp_path: Path) -> Path:
    """Unseen photos of both people and of a stranger, 20 frames each (the bundle test's)."""
    return door_video(tmp_path / "door.avi")


def test_each_person_is_recorded_once_and_the_stranger_never(enrolled: Path, video: Path) -> None:
    done = run_main(
        "headless",
        "--camera",
        str(video),
        "--exit-at-end",
        env={"ASISTENCIA_LIVENESS": "off", "ASISTENCIA_HEALTH_PORT": "0"},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert records(enrolled) == [("E01", "in", "face"), ("E13", "in", "face")]
    log = done.stderr
    assert "decision: recognised E01 Persona Uno" in log
    assert "decision: recognised E13 Persona Trece" in log
    assert "decision: unknown face" in log  # the stranger
    # The models were loading while the file was opened: no frame was lost to that.
    assert log.index("Face models ready") < log.index("decision: recognised E01")


def test_photos_held_to_the_camera_do_not_pass_blink_liveness(enrolled: Path, video: Path) -> None:
    done = run_main(
        "headless",
        "--camera",
        str(video),
        "--exit-at-end",
        env={"ASISTENCIA_LIVENESS": "blink", "ASISTENCIA_HEALTH_PORT": "0"},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert records(enrolled) == []
    assert "E01 Persona Uno matches, waiting for a blink" in done.stderr
