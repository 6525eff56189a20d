"""Time the BlazeFace detectors and the face mesh, and compare their detection with dlib's HOG.

A developer's tool (never imported by the product); the numbers it printed are in
``resources/models/mediapipe/NOTICE.md``. Run in the project's venv, where dlib is still
installed for the comparison::

    .venv/bin/python -m tools.bench.mediapipe_bench --faces ../shared/data/faces

- timing: one 640×480 frame (a shared photo scaled to 480 px high, centred on grey), each
  configuration run ``--runs`` times after two warm-up runs; median and minimum, with
  onnxruntime on one thread and on its default (one per core);
- detection: every photo in ``--faces`` at full size, faces found by dlib's HOG (upsample 0
  and 1) and by BlazeFace (short-range upsample 0, 1, 2; full-range), counted per photo;
- small faces: each single-face photo scaled so its HOG face is N px wide and placed on a
  grey 640×480 frame; a face counts as found when a box holds the face's centre, any other
  box counts as spurious.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import cv2
import dlib
import numpy as np
from numpy.typing import NDArray

from core.host.images import read_image
from core.recognition.blazeface import BlazeDetection, BlazeFaceDetector
from core.recognition.face_mesh import FaceMeshModel

MULTI = {"couple.jpg", "selfie-many-people.jpg"}
Frame = NDArray[np.uint8]


def _u8(image: object) -> Frame:
    return np.asarray(image, np.uint8)


def _median_ms(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times), min(times)


def _frame(bgr: Frame) -> Frame:
    scale = 480 / bgr.shape[0]
    img = _u8(cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))[:, :640]
    frame = np.full((480, 640, 3), 90, np.uint8)
    x0 = (640 - img.shape[1]) // 2
    frame[:, x0 : x0 + img.shape[1]] = img
    return frame


def _time_onnx(rgb: Frame, threads: int, runs: int) -> None:
    short = BlazeFaceDetector.load("short", threads)
    full = BlazeFaceDetector.load("full", threads)
    mesh = FaceMeshModel.load(threads)
    face = short.detect(rgb)[0]
    label = "1 thread" if threads == 1 else "default threads"
    cases: list[tuple[str, Callable[[], object]]] = [
        ("short-range", partial(short.detect, rgb)),
        ("short-range upsample 1", partial(short.detect, rgb, upsample=1)),
        ("full-range", partial(full.detect, rgb)),
        ("face mesh, one face", partial(mesh.landmarks, rgb, face)),
    ]
    for name, fn in cases:
        med, low = _median_ms(fn, runs)
        print(f"{label}: {name}: median {med:.2f} ms, min {low:.2f} ms ({runs} runs)")


def timing(photo: Path, runs: int) -> None:
    frame = _frame(read_image(photo))
    rgb = _u8(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    gray = _u8(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))
    for threads in (1, 0):
        _time_onnx(rgb, threads, runs)
    hog = dlib.get_frontal_face_detector()
    for up in (0, 1):
        med, low = _median_ms(partial(hog, gray, up), runs)
        print(f"dlib HOG upsample {up}: median {med:.2f} ms, min {low:.2f} ms ({runs} runs)")


def detection(photos: list[Path]) -> None:
    short, full = BlazeFaceDetector.load("short"), BlazeFaceDetector.load("full")
    hog = dlib.get_frontal_face_detector()
    runs: dict[str, Callable[[Frame, Frame], int]] = {
        "dlib HOG upsample 0": lambda rgb, gray: len(hog(gray, 0)),  # noqa: ARG005
        "dlib HOG upsample 1": lambda rgb, gray: len(hog(gray, 1)),  # noqa: ARG005
        "short-range": lambda rgb, gray: len(short.detect(rgb)),  # noqa: ARG005
        "short-range upsample 1": lambda rgb, gray: len(short.detect(rgb, upsample=1)),  # noqa: ARG005
        "short-range upsample 2": lambda rgb, gray: len(short.detect(rgb, upsample=2)),  # noqa: ARG005
        "full-range": lambda rgb, gray: len(full.detect(rgb)),  # noqa: ARG005
    }
    counts: dict[str, list[tuple[str, int]]] = {name: [] for name in runs}
    for path in photos:
        bgr = read_image(path)
        rgb = _u8(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        gray = _u8(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))
        for name, fn in runs.items():
            counts[name].append((path.name, fn(rgb, gray)))
    single = [p.name for p in photos if p.name not in MULTI]
    for name, found in counts.items():
        one = sum(1 for file, n in found if file in single and n == 1)
        some = sum(1 for file, n in found if file in single and n >= 1)
        multi = {file: n for file, n in found if file in MULTI}
        print(f"{name}: {one}/{len(single)} single-face photos with exactly one face ", end="")
        print(f"({some} with at least one); group photos {multi}")


def _placed(bgr: Frame, box: tuple[int, int, int, int], width: int) -> tuple[Frame, float, float]:
    scale = width / (box[2] - box[0])
    img = _u8(cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    cx, cy = (box[0] + box[2]) / 2 * scale, (box[1] + box[3]) / 2 * scale
    tx, ty = 380 - cx, 210 - cy
    shift = np.array([[1, 0, tx], [0, 1, ty]], np.float32)
    frame = cv2.warpAffine(
        img, shift, (640, 480), borderMode=cv2.BORDER_CONSTANT, borderValue=(128, 128, 128)
    )
    return _u8(frame), cx + tx, cy + ty


def small_faces(photos: list[Path], widths: list[int]) -> None:
    short, full = BlazeFaceDetector.load("short"), BlazeFaceDetector.load("full")
    hog = dlib.get_frontal_face_detector()
    configs: dict[str, Callable[[Frame], list[BlazeDetection]]] = {
        "short-range": short.detect,
        "short-range upsample 1": lambda rgb: short.detect(rgb, upsample=1),
        "short-range upsample 2": lambda rgb: short.detect(rgb, upsample=2),
        "full-range": full.detect,
    }
    single = [p for p in photos if p.name not in MULTI]
    for width in widths:
        found = dict.fromkeys([*configs, "dlib HOG upsample 1"], 0)
        spurious = dict.fromkeys(found, 0)
        for path in single:
            bgr = read_image(path)
            r = max(hog(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), 1), key=lambda r: r.width())
            frame, cx, cy = _placed(bgr, (r.left(), r.top(), r.right(), r.bottom()), width)
            rgb = _u8(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
            boxes = {n: [d.box.xywh() for d in fn(rgb)] for n, fn in configs.items()}
            hog_rects = hog(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), 1)
            boxes["dlib HOG upsample 1"] = [
                (h.left(), h.top(), h.width(), h.height()) for h in hog_rects
            ]
            for name, found_boxes in boxes.items():
                hit = sum(1 for x, y, w, h in found_boxes if x <= cx <= x + w and y <= cy <= y + h)
                found[name] += hit > 0
                spurious[name] += len(found_boxes) - min(hit, 1)
        line = ", ".join(f"{n} {found[n]} (+{spurious[n]})" for n in found)
        print(f"faces {width} px wide in 640×480, {len(single)} photos: {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args(argv)
    photos = sorted(args.faces.glob("*.jpg"))
    timing(args.faces / "img1.jpg", args.runs)
    detection(photos)
    small_faces(photos, [30, 40, 50, 60, 80])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
