"""The perturbations of evaluate's robustness runs (core/recognition/perturb.py) and their
scoring (core/recognition/robustness.py), without the models: each is deterministic and
has the effect it states."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from core.host.images import read_image
from core.recognition.detect import FaceBox
from core.recognition.perturb import (
    KIOSK_FRAME,
    PERTURBATIONS,
    blur_length,
    expected_face,
    line_kernel,
    parse_names,
    person_mask,
)
from core.recognition.robustness import Probe, score
from tests.support.paths import DATA

# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


PHOTO = read_image(DATA / "faces" / "img1.jpg")  # 296×400, one face
# Where dlib finds its face (checked against the detector in test_robustness.py).
BOX = FaceBox(81, 64, 236, 219)


def grey(image: NDArray[np.uint8]) -> NDArray[np.float64]:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).astype(np.float64)


@pytest.mark.parametrize("name", list(PERTURBATIONS))
def test_each_perturbation_is_deterministic_and_leaves_the_photo_alone(name: str) -> None:
    before = PHOTO.copy()
    a = PERTURBATIONS[name][1](PHOTO, BOX)
    b = PERTURBATIONS[name][1](PHOTO, BOX)
    assert np.array_equal(a.image, b.image) and np.array_equal(a.matrix, b.matrix)
    assert a.image.dtype == np.uint8 and a.image.ndim == 3
    assert np.array_equal(PHOTO, before)
    assert not np.array_equal(a.image, PHOTO)  # it did something


def test_40_percent_brightness() -> None:
    out = PERTURBATIONS["dim40"][1](PHOTO, BOX)
    assert out.image.shape == PHOTO.shape
    assert grey(out.image).mean() / grey(PHOTO).mean() == pytest.approx(0.4, abs=0.005)


def test_backlight_darkens_the_face_and_brightens_behind_it() -> None:
    out = PERTURBATIONS["backlight"][1](PHOTO, BOX).image
    face = (slice(BOX.top, BOX.bottom), slice(BOX.left, BOX.right))
    before, after = grey(PHOTO), grey(out)
    assert after[face].mean() < 0.5 * before[face].mean()
    assert after[face].mean() < 70  # a dark face, near the quality gate's 45
    background = person_mask(PHOTO.shape, BOX) < 0.01
    assert after[background].mean() > 200 > before[background].mean()
    # The halo: brightest right beside the head, less so in the far corner.
    beside = after[BOX.top : BOX.bottom, max(0, BOX.left - 30) : BOX.left - 15]
    assert beside.mean() > after[-20:, -20:].mean()


def test_the_motion_blur_kernel_is_a_line_of_the_stated_length_and_angle() -> None:
    length = blur_length(BOX)
    assert length == round(0.1 * BOX.width) == 16
    kernel = line_kernel(length, 30.0)
    assert kernel.sum() == pytest.approx(1.0)
    ys, xs = np.nonzero(kernel > 0.01)
    c = (kernel.shape[0] - 1) / 2
    # Its direction (y grows downwards, so "above the horizontal" is a negative dy).
    w = kernel[ys, xs]
    dx, dy = xs - c, ys - c
    cov = np.cov(np.vstack([dx, -dy]), aweights=w)
    angle = math.degrees(math.atan2(*np.linalg.eigh(cov)[1][:, -1][::-1]))
    assert angle % 180 == pytest.approx(30, abs=2)
    extent = max(np.hypot(dx, dy)) * 2 + 1
    assert length - 2 <= extent <= length + 2
    # It blurs: the face loses most of its fine detail.
    out = PERTURBATIONS["motion_blur"][1](PHOTO, BOX).image
    sharp = cv2.Laplacian(grey(PHOTO), cv2.CV_64F).var()
    assert cv2.Laplacian(grey(out), cv2.CV_64F).var() < 0.5 * sharp


@pytest.mark.parametrize(("name", "angle"), [("roll+25", 25.0), ("roll-25", -25.0)])
def test_roll_rotates_the_whole_photo_about_its_centre(name: str, angle: float) -> None:
    out = PERTURBATIONS[name][1](PHOTO, BOX)
    h, w = PHOTO.shape[:2]
    oh, ow = out.image.shape[:2]
    m = out.matrix
    # Every corner of the photo lands inside the grown canvas: nothing is cut off.
    for x, y in ((0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)):
        px, py = m @ (x, y, 1)
        assert -1 <= px <= ow and -1 <= py <= oh
    # The centre stays the centre, and the rotation is the stated one (anticlockwise
    # as displayed for a positive angle: the top edge's direction turns upwards).
    cx, cy = m @ ((w - 1) / 2, (h - 1) / 2, 1)
    assert (cx, cy) == pytest.approx(((ow - 1) / 2, (oh - 1) / 2), abs=1)
    top = m[:, :2] @ (1.0, 0.0)
    assert math.degrees(math.atan2(-top[1], top[0])) == pytest.approx(angle)
    # Pixels moved with it: the face's centre pixel is where the matrix says.
    fx, fy, fw = expected_face(m, BOX)
    assert fw == pytest.approx(BOX.width)
    src = PHOTO[round(BOX.center[1]), round(BOX.center[0])].astype(int)
    dst = out.image[round(fy), round(fx)].astype(int)
    assert np.abs(src - dst).max() < 40


def test_face48_puts_a_48_px_face_at_the_centre_of_a_kiosk_frame() -> None:
    out = PERTURBATIONS["face48"][1](PHOTO, BOX)
    assert out.image.shape[1::-1] == KIOSK_FRAME
    fx, fy, fw = expected_face(out.matrix, BOX)
    assert fw == pytest.approx(48, abs=0.5)
    assert (fx, fy) == pytest.approx((320, 240), abs=1)
    # The photo is there, scaled: the canvas is flat only outside it.
    sx = out.matrix[0, 0]
    x0, y0 = round(out.matrix[0, 2]), round(out.matrix[1, 2])
    inside = out.image[y0 : y0 + round(PHOTO.shape[0] * sx), x0 : x0 + round(PHOTO.shape[1] * sx)]
    assert inside.std() > 20
    assert (out.image[:10, :10] == out.image[0, 0]).all()


def test_perturbation_names() -> None:
    assert parse_names("all") == list(PERTURBATIONS)
    assert parse_names("roll+25, dim40,roll+25") == ["roll+25", "dim40"]
    with pytest.raises(ValueError, match="unknown perturbation"):
        parse_names("dim40,fog")


def _unit(*v: float) -> NDArray[np.float32]:
    a = np.array(v, np.float32)
    return a / np.linalg.norm(a)


def test_scoring_leaves_the_own_photo_out_and_counts_strangers_apart() -> None:
    labels = {"a1": "A", "a2": "A", "b1": "B", "c1": "C"}
    gallery = {
        "a1": _unit(1, 0, 0),
        "a2": _unit(1, 0.2, 0),
        "b1": _unit(0, 1, 0),
        "c1": _unit(0, 0, 1),
    }
    probes = [
        Probe("a1", _unit(1, 0, 0), True),  # its own photo is identical: must not count
        Probe("a2", None, False),  # no face: a miss
        Probe("b1", _unit(1, 0.21, 0), True),  # B looks like A now: a stranger accepted
        Probe("c1", _unit(0, 0, 1), False),  # found elsewhere
    ]
    r = score(probes, gallery, labels, threshold=0.066)
    assert r["genuine_probes"] == 2  # B and C have no other photo
    assert r["recognition_rate"] == 0.5  # a1 → a2 (distance 0.02), a2 not found
    assert r["accepted_rate"] == 0.5
    assert (r["no_face"], r["face_elsewhere"], r["detection_failure_rate"]) == (1, 1, 0.5)
    assert r["strangers_accepted"] == 1 and r["stranger_probes"] == 3
    assert r["files"]["strangers_accepted"] == ["b1"]
    assert r["files"]["missed"] == ["a2"]
    assert r["wrong_person_accepted"] == 0
    assert 0.01 < r["genuine_distance_median"] < 0.03
