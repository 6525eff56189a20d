"""BlazeFace (MediaPipe's face detector on onnxruntime): one face per portrait, none on an
empty picture, boxes where dlib's HOG puts them, small faces found with upsampling."""

from __future__ import annotations

import csv
import subprocess
import sys
from functools import cache

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from core.host.images import read_image
from core.recognition.blazeface import (
    LEFT_EYE,
    MOUTH,
    NOSE_TIP,
    RIGHT_EYE,
    BlazeFaceDetector,
    _Candidates,
    tiles,
    weighted_nms,
)
from tests.support.paths import FACES, ROOT

Image = NDArray[np.uint8]


def single_face_photos() -> list[str]:
    with (FACES / "labels.csv").open(encoding="utf-8") as f:
        return [row["file"] for row in csv.DictReader(f)]


@cache
def detector(model: str) -> BlazeFaceDetector:
    return BlazeFaceDetector.load("short" if model == "short" else "full")


def rgb(name: str) -> Image:
    return np.asarray(cv2.cvtColor(read_image(FACES / name), cv2.COLOR_BGR2RGB), np.uint8)


@pytest.mark.parametrize("model", ["short", "full"])
@pytest.mark.parametrize("upsample", [0, 1])
def test_each_portrait_has_exactly_one_face(model: str, upsample: int) -> None:
    for name in single_face_photos():
        faces = detector(model).detect(rgb(name), upsample=upsample)
        assert len(faces) == 1, f"{name}: {len(faces)} faces"
        assert faces[0].score >= 0.8, name


@pytest.mark.parametrize("model", ["short", "full"])
def test_group_photos_have_each_face(model: str) -> None:
    assert len(detector(model).detect(rgb("couple.jpg"))) == 2
    assert len(detector(model).detect(rgb("selfie-many-people.jpg"))) == 4


@pytest.mark.parametrize("model", ["short", "full"])
def test_no_face_on_a_blank_frame_or_a_window(model: str) -> None:
    for frame in (
        np.zeros((480, 640, 3), np.uint8),
        np.full((480, 640, 3), 200, np.uint8),
        rgb("no_face.jpg"),
    ):
        assert detector(model).detect(frame, upsample=1) == []
    assert detector(model).detect(np.zeros((1, 1, 3), np.uint8)) == []


def test_keypoints_are_in_the_face_in_the_right_places() -> None:
    for name in single_face_photos():
        face = detector("short").detect(rgb(name))[0]
        kp = face.keypoints
        box = face.box
        for x, y in kp[:4]:  # eyes, nose, mouth inside the box (the ears may not be)
            assert box.left <= x <= box.right and box.top <= y <= box.bottom, name
        # the person's right eye is on the image's left; eyes above nose above mouth
        assert kp[RIGHT_EYE][0] < kp[LEFT_EYE][0], name
        assert max(kp[RIGHT_EYE][1], kp[LEFT_EYE][1]) < kp[NOSE_TIP][1] < kp[MOUTH][1], name


def test_boxes_agree_with_dlib_hog() -> None:
    """Same faces as the detector it replaces: centres within 20 % of HOG's box width and
    widths within 0.75-1.35 of it (on the 64 shared photos: 18 % and 0.80-1.26)."""
    dlib = pytest.importorskip("dlib")
    hog = dlib.get_frontal_face_detector()
    for name in [*single_face_photos(), "couple.jpg"]:
        image = rgb(name)
        rects = hog(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), 1)
        faces = detector("short").detect(image)
        assert len(rects) == len(faces), name
        for r in rects:
            hx, hy, hw = (r.left() + r.right()) / 2, (r.top() + r.bottom()) / 2, r.width()
            face = min(faces, key=lambda f: abs(f.box.center[0] - hx) + abs(f.box.center[1] - hy))
            assert abs(face.box.center[0] - hx) <= 0.2 * hw, name
            assert abs(face.box.center[1] - hy) <= 0.2 * hw, name
            assert 0.75 <= face.box.width / hw <= 1.35, name


def small_face_frame(width: int) -> tuple[Image, tuple[float, float]]:
    """img1's face scaled to ``width`` px, on a grey 640×480 frame; and the face's centre."""
    image = rgb("img1.jpg")
    face = detector("short").detect(image)[0].box
    scale = width / face.width
    small = np.asarray(cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    frame = np.full((480, 640, 3), 128, np.uint8)
    y0, x0 = 150, 380
    h, w = min(small.shape[0], 480 - y0), min(small.shape[1], 640 - x0)
    frame[y0 : y0 + h, x0 : x0 + w] = small[:h, :w]
    return frame, (x0 + face.center[0] * scale, y0 + face.center[1] * scale)


def test_a_small_far_face_needs_upsampling_or_the_full_range_model() -> None:
    frame, (cx, cy) = small_face_frame(45)
    assert detector("short").detect(frame) == []  # under ~60 px the short range misses it
    for faces in (detector("short").detect(frame, upsample=1), detector("full").detect(frame)):
        assert len(faces) == 1
        box = faces[0].box
        assert box.left <= cx <= box.right and box.top <= cy <= box.bottom
        assert 35 <= box.width <= 65


def test_the_boxdetector_interface_takes_bgr() -> None:
    bgr = read_image(FACES / "img1.jpg")
    gray = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), np.uint8)
    boxes = detector("short").boxes(bgr, gray, 0)
    assert [b.xywh() for b in boxes] == [
        f.box.xywh() for f in detector("short").detect(rgb("img1.jpg"))
    ]


def test_tiles_cover_the_frame_with_half_tile_overlap() -> None:
    assert tiles(640, 480, 0) == []
    one = tiles(640, 480, 1)
    assert len(one) == 6 and all(w == h == 320 for _, _, w, h in one)
    covered = np.zeros((480, 640), bool)
    for x, y, w, h in tiles(640, 480, 2):
        assert w == h == 160
        covered[y : y + h, x : x + w] = True
    assert covered.all()


def test_weighted_nms_merges_overlapping_boxes_by_score() -> None:
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [50, 50, 60, 60]], np.float32)
    kps = np.zeros((3, 6, 2), np.float32)
    kps[1] += 3.0
    merged = weighted_nms(_Candidates(boxes, kps, np.array([0.9, 0.3, 0.6], np.float32)))
    assert merged.scores.tolist() == pytest.approx([0.9, 0.6])
    # the merged box is the 3:1 score-weighted mean of the two overlapping ones
    assert merged.boxes[0].tolist() == pytest.approx([0.25, 0.25, 10.25, 10.25])
    assert merged.keypoints[0, 0].tolist() == pytest.approx([0.75, 0.75])
    assert merged.boxes[1].tolist() == pytest.approx([50, 50, 60, 60])


def test_the_onnx_detector_and_mesh_never_load_dlib() -> None:
    """What the no-AVX kiosk runs must not import dlib (its wheel needs AVX)."""
    code = (
        "import sys; import core.recognition.blazeface, core.recognition.face_mesh; "
        "sys.exit('dlib' in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)
