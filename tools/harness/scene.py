"""A camera scene for benchmarks and soaks: an empty entrance where people walk up.

``write_scene`` renders a video file (MJPEG in AVI, which OpenCV writes and reads without
extra codecs): a still background with a little sensor noise, and for each visit a
person's photo that slides in from the side, stays in front of the camera swaying a
little, and leaves. It returns the timeline, so a measurement knows who was in front of
the camera at any frame: what the time to a decision, idle CPU and "was a stranger
recorded?" are computed from.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

Image = NDArray[np.uint8]

WIDTH, HEIGHT = 640, 480
ENTER_S = 0.6  # sliding in from the edge
LEAVE_S = 0.6
NOISE_SIGMA = 2.0  # a webcam's grain on a still scene: the idle gate must not see it as motion
NOISE_FRAMES = 16


@dataclass(frozen=True)
class Visit:
    """Someone in front of the camera: ``who`` is a label (an employee code, "stranger")."""

    who: str
    photo: Image  # BGR
    stay_s: float = 3.5
    gap_before_s: float = 8.0  # the empty entrance before they walk up


@dataclass(frozen=True)
class Segment:
    """Frames [first, last] of the file in which ``who`` (None: nobody) is in view."""

    who: str | None
    first: int
    last: int
    settled: int  # the first frame at which the person stands in front of the camera


@dataclass(frozen=True)
class Scene:
    path: Path
    fps: float
    frames: int
    segments: tuple[Segment, ...]

    @property
    def seconds(self) -> float:
        return self.frames / self.fps

    def who_at(self, position: int) -> str | None:
        """Who is in view at frame ``position`` of the file (any loop)."""
        position %= self.frames
        for segment in self.segments:
            if segment.first <= position <= segment.last:
                return segment.who
        return None

    def visits(self) -> list[Segment]:
        return [s for s in self.segments if s.who is not None]


@dataclass(frozen=True)
class Person:
    """Someone to enroll from ``enroll`` and show to the camera in ``shown`` (a photo the
    enrollment did not use, so recognising it is real work)."""

    code: str
    name: str
    enroll: tuple[Path, ...]
    shown: Path


def cast(dataset: Path, people: int = 2) -> tuple[list[Person], Path]:
    """People with three photos or more from a labelled set (``labels.csv``: file,
    identity), every photo but one enrolled, and a stranger: someone else's photo."""
    by_identity: dict[str, list[Path]] = defaultdict(list)
    with (dataset / "labels.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_identity[row["identity"]].append(dataset / row["file"])
    ranked = sorted(by_identity.items(), key=lambda item: (-len(item[1]), item[0]))
    chosen = [(identity, sorted(paths)) for identity, paths in ranked if len(paths) >= 3]
    chosen = chosen[:people]
    if len(chosen) < people:
        raise ValueError(f"{dataset} needs {people} people with three photos or more")
    cast = [
        Person(f"S{i + 1:02d}", f"Person {identity}", tuple(paths[:-1]), paths[-1])
        for i, (identity, paths) in enumerate(chosen)
    ]
    taken = {identity for identity, _ in chosen}
    stranger = next(paths[0] for identity, paths in ranked if identity not in taken)
    return cast, stranger


def background(width: int = WIDTH, height: int = HEIGHT) -> Image:
    """A plain entrance: a wall with a gradient, a door frame, a floor line."""
    y = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :]
    wall = 150 + 40 * y - 20 * x
    image = np.dstack([wall * 0.92, wall * 0.97, wall]).clip(0, 255).astype(np.uint8)
    cv2.rectangle(
        image, (int(width * 0.62), int(height * 0.12)), (width - 40, height), (90, 80, 70), 6
    )
    cv2.line(image, (0, int(height * 0.86)), (width, int(height * 0.86)), (110, 110, 115), 3)
    return image


def person_layer(photo: Image, width: int = WIDTH, height: int = HEIGHT) -> Image:
    """The photo scaled to the frame's height (aspect kept), as a person close to the camera."""
    h, w = photo.shape[:2]
    scale = min(height / h, width / w)
    size = (max(2, round(w * scale)), max(2, round(h * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return np.ascontiguousarray(cv2.resize(photo, size, interpolation=interpolation))


def _compose(base: Image, layer: Image, left: int) -> Image:
    frame = base.copy()
    h, w = layer.shape[:2]
    top = (frame.shape[0] - h) // 2
    x0, x1 = max(0, left), min(frame.shape[1], left + w)
    if x1 > x0:
        frame[top : top + h, x0:x1] = layer[:, x0 - left : x1 - left]
    return frame


def write_scene(
    path: Path,
    visits: Sequence[Visit],
    *,
    fps: float = 30.0,
    tail_s: float = 8.0,
    seed: int = 7,
) -> Scene:
    """Render the visits, one after another, then ``tail_s`` of empty entrance."""
    rng = np.random.default_rng(seed)
    base = background()
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (WIDTH, HEIGHT))
    if not writer.isOpened():
        raise OSError(f"cannot write a video at {path}")
    segments: list[Segment] = []
    position = 0

    # Grain from a small bank of noise frames, added and subtracted with saturation: as
    # random as a webcam's to the gate, and fast enough to render an hour's loop.
    noise = rng.normal(0.0, NOISE_SIGMA, (NOISE_FRAMES, HEIGHT, WIDTH, 3))
    lighter = np.clip(noise, 0, 255).astype(np.uint8)
    darker = np.clip(-noise, 0, 255).astype(np.uint8)

    def emit(image: Image) -> None:
        nonlocal position
        grain = position % NOISE_FRAMES
        writer.write(cv2.subtract(cv2.add(image, lighter[grain]), darker[grain]))
        position += 1

    def empty(seconds: float) -> None:
        first = position
        for _ in range(round(seconds * fps)):
            emit(base)
        if position > first:
            segments.append(Segment(None, first, position - 1, first))

    try:
        for visit in visits:
            empty(visit.gap_before_s)
            layer = person_layer(visit.photo)
            centre = (WIDTH - layer.shape[1]) // 2
            first = position
            enter, leave = round(ENTER_S * fps), round(LEAVE_S * fps)
            for i in range(enter):  # from beyond the right edge to the centre
                emit(_compose(base, layer, round(WIDTH + (centre - WIDTH) * (i + 1) / enter)))
            settled = position
            for i in range(round(visit.stay_s * fps)):
                sway = round(3 * np.sin(i / fps * 2.0 * np.pi * 0.7))
                emit(_compose(base, layer, centre + sway))
            for i in range(leave):  # out over the left edge
                end = -layer.shape[1]
                emit(_compose(base, layer, round(centre + (end - centre) * (i + 1) / leave)))
            segments.append(Segment(visit.who, first, position - 1, settled))
        empty(tail_s)
    finally:
        writer.release()
    return Scene(path, fps, position, tuple(segments))


def letterbox(
    image: NDArray[np.uint8], width: int = WIDTH, height: int = HEIGHT
) -> NDArray[np.uint8]:
    h, w = image.shape[:2]
    scale = min(width / w, height / h)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    resized = cv2.resize(
        image, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    )
    canvas = np.zeros((height, width, 3), np.uint8)
    y, x = (height - size[1]) // 2, (width - size[0]) // 2
    canvas[y : y + size[1], x : x + size[0]] = resized
    return canvas


def cover(image: NDArray[np.uint8], width: int = WIDTH, height: int = HEIGHT) -> NDArray[np.uint8]:
    """A camera-like frame of a photo: scaled to cover the frame and cropped, no borders.
    Passive liveness needs this: a letterbox's black bars, or a photo's edges pasted on a
    wall, look like a screen's bezel or a print's border to FasNet, as they should."""
    h, w = image.shape[:2]
    scale = max(width / w, height / h)
    size = (max(width, round(w * scale)), max(height, round(h * scale)))
    resized = cv2.resize(
        image, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    )
    y, x = (size[1] - height) // 2, (size[0] - width) // 2
    return np.ascontiguousarray(resized[y : y + height, x : x + width], dtype=np.uint8)


def write_video(frames: Sequence[NDArray[np.uint8]], path: Path, fps: float = 25.0) -> None:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (WIDTH, HEIGHT))
    try:
        for frame in frames:
            writer.write(frame)
    finally:
        writer.release()
