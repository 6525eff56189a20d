"""``headless --camera SRC --exit-at-end`` with a source that gives nothing exits non-zero
with one sentence (issue 11, item 10).

It used to exit 0 for a missing file, a bad scheme or a folder of non-images ("all
processed"), and never exited for a device or URL that never opened (the camera retries
forever). Real processes, real camera readers, real model loader.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run_main

ENV = {"ASISTENCIA_HEALTH_PORT": "0", "ASISTENCIA_LIVENESS": "off"}


def _refused(camera: str, *expected: str) -> None:
    result = run_main("headless", "--camera", camera, "--exit-at-end", env=ENV, timeout=90)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    said = [line for line in result.stderr.splitlines() if line.startswith("asistencia: ")]
    assert len(said) == 1, result.stderr
    for words in expected:
        assert words in said[0], said[0]
    assert "headless server stopped" in result.stderr  # the ordered stop still ran


def test_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "door.mp4"
    _refused(str(missing), "gave nothing to recognise", f"{missing}", "not found")


def test_a_bad_scheme() -> None:
    _refused("ftp://cameras.example/door", "gave nothing to recognise", "'ftp://'")


def test_a_folder_of_non_images(tmp_path: Path) -> None:
    folder = tmp_path / "camera"
    folder.mkdir()
    (folder / "a.jpg").write_text("not a picture", encoding="utf-8")
    (folder / "notes.txt").write_text("nor this", encoding="utf-8")
    _refused(str(folder), "gave nothing to recognise", "no frame could be read", str(folder))


@pytest.mark.parametrize(
    ("camera", "words"),
    [("99", "camera 99 is not connected"), ("rtsp://127.0.0.1:1/door", "cannot connect")],
)
def test_a_live_source_that_never_opens(camera: str, words: str) -> None:
    _refused(camera, "never opened", "attempts", words)
