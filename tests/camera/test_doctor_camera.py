"""``doctor``'s camera check: the configured source opened and one picture read, or why not."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tests.support.cli import run_main
from tools.harness.scene import write_video


def camera_check(camera: str) -> dict[str, str]:
    done = run_main("doctor", "--json", env={"ASISTENCIA_CAMERA": camera})
    report = json.loads(done.stdout)
    # a camera that does not open is a warning: the kiosk still records PINs
    assert report["healthy"] == (done.returncode == 0)
    return next(check for check in report["checks"] if check["name"] == "camera")


def test_a_video_that_opens_gives_its_picture_size(
    isolated_environment: Path, tmp_path: Path
) -> None:
    video = tmp_path / "door.avi"
    write_video([np.full((480, 640, 3), 90, np.uint8)] * 5, video)
    check = camera_check(str(video))
    assert check["status"] == "ok" and "640×480" in check["detail"]


def test_a_missing_camera_is_a_warning_that_says_what_to_do(isolated_environment: Path) -> None:
    check = camera_check("9")
    assert check["status"] == "warn"
    assert "camera 9 is not connected (/dev/video9 does not exist)" in check["detail"]
    assert "Settings → Camera" in check["fix"]
    missing = camera_check(str(isolated_environment / "nowhere.avi"))
    assert missing["status"] == "warn" and "nowhere.avi' was not found" in missing["detail"]
