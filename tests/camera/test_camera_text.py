"""What the camera says reaches the Spanish interface in Spanish: every sentence it writes.

The sentences come from the real camera code, each made the way a kiosk meets it: a camera
that is not plugged in (retried, then given up), a missing, empty or damaged video file, a
missing or empty image folder, a video that ends, a mistyped source in Settings.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from core.camera.reader import CameraReader
from core.camera.source import parse_source
from core.camera.status import CameraState, CameraStatus
from kiosk.app import prepare
from kiosk.camera_text import camera_text, is_known

# English words that no Spanish sentence of ours contains (names and paths aside).
# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


ENGLISH = re.compile(
    r"\b(the|is|not|could|cannot|camera|file|folder|frames?|images?|end|retrying|attempts?|"
    r"after|from|gave|streaming|stream|connected|exist)\b",
    re.IGNORECASE,
)


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[None]:
    prepare(qapp, "es")
    yield
    prepare(qapp, "en")


def statuses(
    source: str, *, until: set[CameraState], remove: Path | None = None, **options: object
) -> list[CameraStatus]:
    seen: list[CameraStatus] = []
    done = threading.Event()

    def note(status: CameraStatus) -> None:
        seen.append(status)
        if status.state in until:
            done.set()

    reader = CameraReader(source, **options)  # type: ignore[arg-type]
    if remove is not None:
        remove.unlink()  # gone between Settings and the camera opening it
    reader.subscribe(note)
    reader.start()
    try:
        seq, deadline = -1, time.monotonic() + 20
        while not done.is_set():  # take the frames: a file read frame by frame waits for it
            assert time.monotonic() < deadline, [s.message for s in seen]
            frame = reader.wait_frame(seq, timeout=0.1)
            seq = frame.seq if frame is not None else seq
    finally:
        reader.stop()
    return [s for s in seen if s.state is not CameraState.STOPPED]


def write_video(path: Path, frames: int) -> None:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30, (64, 48))
    for i in range(frames):
        writer.write(np.full((48, 64, 3), i * 10 % 255, np.uint8))
    writer.release()


def camera_sentences(tmp_path: Path) -> list[str]:
    video = tmp_path / "walk.avi"
    write_video(video, 12)
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    damaged = tmp_path / "damaged.mp4"
    damaged.write_bytes(b"not a video at all" * 100)
    empty_folder = tmp_path / "no-images"
    empty_folder.mkdir()
    images = tmp_path / "images"
    images.mkdir()
    cv2.imwrite(str(images / "a.png"), np.zeros((48, 64, 3), np.uint8))
    (images / "b.png").write_bytes(b"broken")
    final = {CameraState.FAILED, CameraState.ENDED}
    messages: list[str] = []
    unplugged = statuses("7", until=final, max_retries=2)  # /dev/video7: not plugged in
    messages += [s.message for s in unplugged]
    gone = tmp_path / "gone.mp4"
    gone.write_bytes(b"x")
    messages += [s.message for s in statuses(str(gone), until=final, remove=gone)]
    for source in (str(empty), str(damaged), str(empty_folder)):
        messages += [s.message for s in statuses(source, until=final)]
    messages += [s.message for s in statuses(str(video), until=final, realtime=False)]
    messages += [s.message for s in statuses(str(images), until=final, realtime=False)]
    for typo in ("/no/such/camera", "", "/dev/null"):
        with pytest.raises(ValueError) as caught:
            parse_source(typo)
        messages.append(str(caught.value))
    return [m for m in messages if m]


@pytest.mark.usefixtures("spanish")
def test_every_camera_sentence_is_translated(tmp_path: Path) -> None:
    sentences = camera_sentences(tmp_path)
    kinds = {
        "is not connected",
        "retrying in",
        "gave up after",
        "does not exist",
        "is empty",
        "cannot be opened as a video",
        "has no files",
        "End of",
        "was not found",
        "camera source is empty",
        "Opening",
        "Streaming from",
    }
    for kind in kinds:
        assert any(kind in s for s in sentences), f"no sentence with {kind!r}: {sentences}"
    for sentence in sentences:
        assert is_known(sentence), f"no translation for: {sentence}"
        spanish = camera_text(sentence)
        # Paths and names stay as they are; everything else is Spanish.
        words = re.sub(r"(/\S+|'[^']*'|\b[\w.-]+\.(?:mp4|avi|png)\b)", "", spanish)
        assert not ENGLISH.search(words), f"{sentence!r} -> {spanish!r}"


def test_a_sentence_no_rule_knows_is_shown_as_it_came(qapp: QApplication) -> None:
    assert camera_text("something new happened") == "something new happened"
    assert not is_known("something new happened")
