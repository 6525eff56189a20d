"""What the camera says reaches the Spanish interface in Spanish: every status it publishes.

The statuses come from the real camera code, each made the way a kiosk meets it: a camera
that is not plugged in (retried, then given up), a missing, empty or damaged video file, a
missing or empty image folder, a video that ends, a mistyped source in Settings. Each
carries a reason, and the window says the reason in its own words: no English sentence is
parsed back.
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
from core.camera.source import SourceError, parse_source
from core.camera.status import CameraReason, CameraState, CameraStatus
from kiosk.app import prepare
from kiosk.camera_text import camera_text, is_known, setting_text

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


def camera_statuses(tmp_path: Path) -> tuple[list[CameraStatus], list[SourceError]]:
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
    seen: list[CameraStatus] = []
    seen += statuses("7", until=final, max_retries=2)  # /dev/video7: not plugged in
    gone = tmp_path / "gone.mp4"
    gone.write_bytes(b"x")
    seen += statuses(str(gone), until=final, remove=gone)
    for source in (str(empty), str(damaged), str(empty_folder)):
        seen += statuses(source, until=final)
    seen += statuses(str(video), until=final, realtime=False)
    seen += statuses(str(images), until=final, realtime=False)
    refused: list[SourceError] = []
    for typo in ("/no/such/camera", "", "/dev/null"):
        with pytest.raises(SourceError) as caught:
            parse_source(typo)
        refused.append(caught.value)
    return seen, refused


def _spanish_only(english: str, spanish: str) -> None:
    # Paths and names stay as they are; everything else is Spanish.
    words = re.sub(r"(/\S+|'[^']*'|\b[\w.-]+\.(?:mp4|avi|png)\b)", "", spanish)
    assert not ENGLISH.search(words), f"{english!r} -> {spanish!r}"


@pytest.mark.usefixtures("spanish")
def test_every_camera_status_is_translated(tmp_path: Path) -> None:
    seen, refused = camera_statuses(tmp_path)
    # The English sentences (logs, doctor) are the ones the camera always wrote.
    sentences = [s.message for s in seen] + [str(e) for e in refused]
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
    reasons = {s.reason for s in seen} | {e.reason for e in refused}
    assert {
        CameraReason.NOT_CONNECTED,
        CameraReason.MISSING,
        CameraReason.EMPTY,
        CameraReason.NOT_A_VIDEO,
        CameraReason.NO_FILES,
        CameraReason.END_OF_VIDEO,
        CameraReason.END_OF_FOLDER,
        CameraReason.OPENING,
        CameraReason.STREAMING,
        CameraReason.SOURCE_NOT_FOUND,
        CameraReason.SOURCE_EMPTY,
        CameraReason.SOURCE_NOT_A_FILE,
    } <= reasons, reasons
    assert any(s.state is CameraState.RECONNECTING and s.retry_in for s in seen)
    assert any(s.gave_up for s in seen)
    for status in seen:
        assert is_known(status), f"no translation for: {status.message}"
        _spanish_only(status.message, camera_text(status))
    for error in refused:
        _spanish_only(str(error), setting_text(error))


@pytest.mark.usefixtures("spanish")
def test_what_the_window_says_names_the_source_and_the_retry(tmp_path: Path) -> None:
    unplugged = statuses("7", until={CameraState.FAILED}, max_retries=1)
    retrying = next(s for s in unplugged if s.state is CameraState.RECONNECTING)
    said = camera_text(retrying)
    assert said.startswith("La cámara 7 no está conectada (/dev/video7 no existe). Nuevo intento")
    assert said.endswith("(intento 1).")
    assert camera_text(unplugged[-1]).endswith("Se dejó de intentar; intentos: 2.")
    with pytest.raises(SourceError) as caught:
        parse_source(str(tmp_path / "nada"))
    assert setting_text(caught.value).startswith(f"No se encontró la fuente de cámara '{tmp_path}")


@pytest.mark.usefixtures("spanish")
def test_a_reason_the_window_has_no_words_for_is_said_from_cores_catalogue() -> None:
    """A URL with a scheme no camera speaks: core's own Spanish, not its English."""
    with pytest.raises(SourceError) as caught:
        parse_source("ftp://camara.local/1")
    said = setting_text(caught.value)
    assert said.startswith("La fuente de cámara 'ftp://camara.local/1' usa el esquema 'ftp://'")
    assert str(caught.value).startswith("unsupported URL scheme 'ftp://'")


def test_a_status_without_a_reason_is_shown_as_it_came(qapp: QApplication) -> None:
    status = CameraStatus(CameraState.FAILED, "something new happened")
    assert camera_text(status) == "something new happened"
    assert not is_known(status)
