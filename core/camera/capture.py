"""Opening and reading each kind of source with OpenCV; no threads and no state here.

Everything OpenCV-specific lives in this module so the reader's loop (reader.py) is only
about timing, states and handing frames over. Errors carry sentences meant for people:
the reader publishes them as they are.
"""

from __future__ import annotations

import logging
import math
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from core.camera.source import CameraSource, SourceKind, mask_url
from core.camera.status import Image
from core.host.images import ImageError, as_bgr, fit_within, read_image

__all__ = [
    "MAX_FRAME_SIDE",
    "FrameStream",
    "ImageFolderStream",
    "OpenError",
    "RawFrame",
    "SourceLostError",
    "VideoCaptureStream",
    "open_stream",
]

log = logging.getLogger(__name__)

# Frames larger than this (4K IP cameras, phone photos) are scaled down on arrival: face
# detection works on a downscaled copy anyway, and a 12-Mpixel frame per camera tick would
# cost 36 MB per copy on a small kiosk.
MAX_FRAME_SIDE = 1920

if sys.platform.startswith("linux"):
    # A stalled V4L2 camera makes each read wait 10 s by default, and a reader stuck in
    # read() cannot notice stop(). OpenCV reads this once, at the first V4L2 frame grab,
    # so setting it when this module is imported is early enough; a value already in the
    # environment wins.
    os.environ.setdefault("OPENCV_VIDEOIO_V4L_SELECT_TIMEOUT", "2")


class OpenError(Exception):
    """A source could not be opened. ``permanent`` sources are not retried."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class SourceLostError(Exception):
    """A live source stopped delivering frames (unplugged, network down)."""


@dataclass(frozen=True)
class RawFrame:
    image: Image
    position: int
    name: str | None = None


class FrameStream(Protocol):
    """An opened source. ``fps`` is the native rate of a video file, else None."""

    @property
    def fps(self) -> float | None: ...

    def read(self) -> RawFrame | None:
        """The next frame; None at the end of a file or folder; SourceLostError for live ones."""
        ...

    def rewind(self) -> bool:
        """Go back to the first frame (for loop=True); False when that is not possible."""
        ...

    def close(self) -> None: ...


def _normalise(image: Image) -> Image:
    """Every frame as contiguous 3-channel BGR, at most MAX_FRAME_SIDE on its longer side."""
    return fit_within(as_bgr(image), MAX_FRAME_SIDE)


class VideoCaptureStream:
    """A ``cv2.VideoCapture`` over a device, a URL or a video file."""

    def __init__(self, capture: cv2.VideoCapture, label: str, *, live: bool) -> None:
        self._capture = capture
        self._label = label
        self._live = live
        self._position = 0
        fps = float(capture.get(cv2.CAP_PROP_FPS)) if not live else 0.0
        # Containers without a frame rate report 0 or NaN; the reader then uses its default.
        self._fps = fps if math.isfinite(fps) and 0 < fps <= 240 else None

    @property
    def fps(self) -> float | None:
        return self._fps

    def read(self) -> RawFrame | None:
        ok, image = self._capture.read()
        if not ok or image is None or image.size == 0:
            if self._live:
                raise SourceLostError(f"{self._label} stopped sending frames")
            # OpenCV cannot tell "end of file" from "undecodable rest of file"; both end it.
            return None
        frame = RawFrame(_normalise(np.asarray(image)), self._position)
        self._position += 1
        return frame

    def rewind(self) -> bool:
        if self._live or not self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0):
            return False
        self._position = 0
        return True

    def close(self) -> None:
        self._capture.release()


_DIGITS = re.compile(r"(\d+)")


def _natural_key(path: Path) -> tuple[tuple[int, int | str], ...]:
    """Sort "img2" before "img10", as people number their photos."""
    parts = _DIGITS.split(path.name.casefold())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


class ImageFolderStream:
    """Each readable image of a folder once, in natural name order; bad files skipped.

    Sub-folders and hidden files (".DS_Store") are ignored. Every other file is tried,
    whatever its extension, so "FOTO.JPEG" and extension-less exports work; a file that
    does not decode is skipped with one warning for the reader's life (not one per loop).
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._warned: set[str] = set()
        self._files: list[Path] = []
        self._next = 0
        self.delivered = 0
        self.skipped = 0
        self._scan()

    def _scan(self) -> None:
        try:
            entries = [p for p in self._folder.iterdir() if not p.name.startswith(".")]
            files = [p for p in entries if p.is_file()]
        except FileNotFoundError as exc:
            raise OpenError(
                f"the image folder {self._folder} no longer exists", permanent=True
            ) from exc
        except OSError as exc:
            raise OpenError(
                f"the image folder {self._folder} cannot be read ({exc.strerror or exc})",
                permanent=True,
            ) from exc
        if not files:
            raise OpenError(f"the image folder {self._folder} has no files", permanent=True)
        self._files = sorted(files, key=_natural_key)
        self._next = 0

    @property
    def fps(self) -> float | None:
        return None

    def read(self) -> RawFrame | None:
        while self._next < len(self._files):
            path = self._files[self._next]
            self._next += 1
            try:
                image = _normalise(read_image(path))
            except ImageError as exc:
                self.skipped += 1
                if path.name not in self._warned:
                    self._warned.add(path.name)
                    log.warning("Skipping %s in the image folder: %s", path.name, exc)
                continue
            self.delivered += 1
            return RawFrame(image, self._next - 1, path.name)
        return None

    def rewind(self) -> bool:
        # Scan again so photos added while looping are picked up.
        self.delivered = 0
        self.skipped = 0
        self._scan()
        return True

    def close(self) -> None:
        self._files = []


def _open_device(index: int, width: int, height: int) -> VideoCaptureStream:
    label = f"camera {index}"
    api = cv2.CAP_ANY
    if sys.platform.startswith("linux"):
        api = cv2.CAP_V4L2
        # Checking the device node first gives a message people can act on, and spares
        # the log OpenCV's own warnings for the common "not plugged in" case.
        node = Path(f"/dev/video{index}")
        if not node.exists():
            raise OpenError(f"{label} is not connected ({node} does not exist)", permanent=False)
        if not os.access(node, os.R_OK | os.W_OK):
            raise OpenError(
                f"no permission to use {label} ({node}); add this user to the 'video' group",
                permanent=False,
            )
    capture = cv2.VideoCapture(index, api)
    if not capture.isOpened():
        capture.release()
        raise OpenError(
            f"{label} could not be opened (in use by another program, or not a video "
            "capture device)",
            permanent=False,
        )
    # MJPG first: most USB webcams only reach 30 fps at 640x480 and above in MJPG over
    # USB 2. A camera that refuses any of these keeps its own mode, which is fine.
    capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
    capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
    capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
    # A one-frame driver queue: we want the newest picture, not a backlog.
    capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
    return VideoCaptureStream(capture, label, live=True)


def _open_url(url: str, timeout_s: float) -> VideoCaptureStream:
    label = f"stream {mask_url(url)}"
    timeout_ms = max(1, round(timeout_s * 1000))
    # Without these, FFmpeg may wait ~30 s on a silent host, and stop() would wait with it.
    params = [
        cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
        timeout_ms,
        cv2.CAP_PROP_READ_TIMEOUT_MSEC,
        timeout_ms,
    ]
    capture = cv2.VideoCapture(url, cv2.CAP_FFMPEG, params)
    if not capture.isOpened():
        capture.release()
        raise OpenError(
            f"cannot connect to {label} (unreachable, wrong address or credentials, "
            "or not a video stream)",
            permanent=False,
        )
    capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
    return VideoCaptureStream(capture, label, live=True)


def _open_video_file(path: Path) -> VideoCaptureStream:
    label = f"video file {path}"
    try:
        if path.stat().st_size == 0:
            raise OpenError(f"the {label} is empty", permanent=True)
    except FileNotFoundError as exc:
        raise OpenError(f"the {label} does not exist", permanent=True) from exc
    except OSError as exc:
        raise OpenError(
            f"the {label} cannot be read ({exc.strerror or exc})", permanent=True
        ) from exc
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        capture.release()
        raise OpenError(
            f"the {label} cannot be opened as a video (corrupt, or a format OpenCV's FFmpeg "
            "does not read)",
            permanent=True,
        )
    return VideoCaptureStream(capture, label, live=False)


def open_stream(source: CameraSource, *, width: int, height: int, timeout_s: float) -> FrameStream:
    """Open ``source``; raise ``OpenError`` with a message for people when it fails.

    Never blocks for long: a missing device fails at once, a URL within ``timeout_s``.
    """
    if source.kind is SourceKind.DEVICE:
        assert isinstance(source.value, int)
        return _open_device(source.value, width, height)
    path_or_url = str(source.value)
    if source.kind is SourceKind.URL:
        return _open_url(path_or_url, timeout_s)
    if source.kind is SourceKind.VIDEO_FILE:
        return _open_video_file(Path(path_or_url))
    folder = Path(path_or_url)
    if not folder.is_dir():
        raise OpenError(f"the image folder {folder} does not exist", permanent=True)
    return ImageFolderStream(folder)
