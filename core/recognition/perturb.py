"""Perturbations of a labelled photo, for ``evaluate --perturb`` (all deterministic).

Each takes the photo as evaluate reads it (BGR, longest side at most 1280 px) and the box of
its face found unperturbed (by the run's reference pipeline, so every pipeline compared sees
the very same images), and returns the perturbed image with the 2×3 affine matrix that
maps a point of the photo onto it (the identity for the photometric ones): a run can then
check that the face found is the one expected, not something elsewhere.

- ``dim40``: every channel × 0.4, rounded (a dim room; the mean grey level is 40 %).
- ``backlight``: a person in front of a bright window or glass door. The camera's automatic
  exposure is pulled up by the window: the background goes towards white, most of all right
  behind the head (a halo), and the person is under-exposed with crushed shadows. Precisely:
  the person (``person_mask``: ellipses for the head with its hair, the neck and the
  shoulders, the torso below: a rough silhouette from the face box) is
  ``255 · 0.5 · (v/255)^1.6`` (about −2 stops, darker still in the shadows: a face box of
  mean grey 130 comes out near 45, the quality gate's ``min_brightness``); the background
  is ``v + (255 − v) · h`` with ``h = 0.55 + 0.4 · exp(−(d / 1.5w)²)`` (d: distance from
  the face centre, w: face width), so it is at least half-way to white and 95 % of the way
  right behind the head. The edge between them is feathered (Gaussian, σ = 0.12 w): the
  glare that spills over the silhouette. A global contrast change would not do: a window
  darkens the face *relative to* its surround, which is what makes a detector or an
  exposure-metering camera fail.
- ``motion_blur``: a straight-line kernel 10 % of the face width long (min 5 px), at 30°
  above the horizontal. A head moving 0.3 m/s about 0.6 m from a 60° 640×480 camera crosses
  ~9 px of a ~140 px face in a 1/30 s exposure (7 %); 10 % is that with a longer exposure
  in a dim entrance. Relative to the face so it is the same blur on photos of any size.
- ``roll+25`` / ``roll-25``: the whole image rotated about its centre by 25° anticlockwise /
  clockwise as displayed, on a canvas grown to hold all of it (no face is cut off), the
  corners filled with the photo's mean colour (a flat fill adds no edge a detector could
  take for a face).
- ``face48``: the photo scaled so the face box is 48 px wide, placed with the face at the
  centre of a 640×480 canvas (a kiosk camera's frame) filled with the photo's mean colour:
  someone about 2.5 m from the camera.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from core.recognition.detect import FaceBox, Image

Matrix = NDArray[np.float64]  # 2×3 affine, photo → perturbed image

DIM_FACTOR = 0.4
BACKLIGHT_GAIN = 0.5
BACKLIGHT_GAMMA = 1.6
BLUR_FRACTION = 0.10
BLUR_MIN_PX = 5
BLUR_ANGLE_DEG = 30.0
ROLL_DEG = 25.0
SMALL_FACE_PX = 48
KIOSK_FRAME = (640, 480)  # width, height


@dataclass(frozen=True)
class Perturbed:
    image: Image
    matrix: Matrix


Perturbation = Callable[[Image, FaceBox], Perturbed]


def _identity() -> Matrix:
    return np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


def _u8(x: NDArray[np.floating]) -> Image:
    out: Image = np.clip(np.rint(x), 0, 255).astype(np.uint8)
    return out


def _fill(image: Image) -> tuple[float, float, float]:
    mean = image.reshape(-1, 3).mean(axis=0)
    return float(mean[0]), float(mean[1]), float(mean[2])


def dim(image: Image, box: FaceBox, factor: float = DIM_FACTOR) -> Perturbed:  # noqa: ARG001
    return Perturbed(_u8(image.astype(np.float32) * factor), _identity())


def _ellipse(
    mask: NDArray[np.float32], centre: tuple[float, float], axes: tuple[float, float]
) -> None:
    cv2.ellipse(
        mask,
        (round(centre[0]), round(centre[1])),
        (max(1, round(axes[0])), max(1, round(axes[1]))),
        0.0,
        0.0,
        360.0,
        1.0,
        thickness=-1,
    )


def person_mask(shape: tuple[int, ...], box: FaceBox) -> NDArray[np.float32]:
    """1 on the person, 0 on the background, feathered: a head ellipse (hair included) over
    shoulders (a wide ellipse) and the torso below them, in face widths w and heights h."""
    h, w = shape[:2]
    cx, cy = box.center
    fw, fh = float(box.width), float(box.height)
    mask = np.zeros((h, w), np.float32)
    _ellipse(mask, (cx, cy - 0.1 * fh), (0.7 * fw, 0.95 * fh))  # head and hair
    _ellipse(mask, (cx, cy + 0.9 * fh), (0.3 * fw, 0.6 * fh))  # neck
    _ellipse(mask, (cx, cy + 1.7 * fh), (1.5 * fw, 0.8 * fh))  # shoulders
    top = round(cy + 1.7 * fh)
    if top < h:
        left, right = round(cx - 1.5 * fw), round(cx + 1.5 * fw)
        mask[max(0, top) :, max(0, left) : max(0, min(w, right))] = 1.0
    sigma = max(1.0, 0.12 * fw)
    return np.asarray(cv2.GaussianBlur(mask, (0, 0), sigma), np.float32)


def backlight(image: Image, box: FaceBox) -> Perturbed:
    h, w = image.shape[:2]
    v = image.astype(np.float32)
    person = 255.0 * BACKLIGHT_GAIN * np.power(v / 255.0, BACKLIGHT_GAMMA)
    cx, cy = box.center
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d2 = ((xx - cx) ** 2 + (yy - cy) ** 2) / (1.5 * max(1, box.width)) ** 2
    halo = (0.55 + 0.4 * np.exp(-d2))[:, :, None]
    background = v + (255.0 - v) * halo
    m = person_mask(image.shape, box)[:, :, None]
    return Perturbed(_u8(m * person + (1.0 - m) * background), _identity())


def line_kernel(length: int, angle_deg: float) -> NDArray[np.float32]:
    """A normalised straight line ``length`` px long through the centre of a square kernel,
    ``angle_deg`` above the horizontal (anti-aliased, so any angle is the same length)."""
    size = length if length % 2 else length + 1
    kernel = np.zeros((size, size), np.float32)
    c = (size - 1) / 2.0
    half = (length - 1) / 2.0
    dx, dy = half * math.cos(math.radians(angle_deg)), -half * math.sin(math.radians(angle_deg))
    shift = 4  # sub-pixel end points
    p0 = (round((c - dx) * 2**shift), round((c - dy) * 2**shift))
    p1 = (round((c + dx) * 2**shift), round((c + dy) * 2**shift))
    cv2.line(kernel, p0, p1, 1.0, thickness=1, lineType=cv2.LINE_AA, shift=shift)
    total = float(kernel.sum())
    if total <= 0:
        kernel[round(c), round(c)] = 1.0
        total = 1.0
    return kernel / total


def blur_length(box: FaceBox) -> int:
    return max(BLUR_MIN_PX, round(BLUR_FRACTION * box.width))


def motion_blur(image: Image, box: FaceBox) -> Perturbed:
    kernel = line_kernel(blur_length(box), BLUR_ANGLE_DEG)
    out = cv2.filter2D(image, -1, kernel, borderType=cv2.BORDER_REFLECT_101)
    return Perturbed(np.asarray(out, np.uint8), _identity())


def rotate(image: Image, angle_deg: float) -> Perturbed:
    """Rotated about the centre, ``angle_deg`` anticlockwise as displayed, the canvas grown
    to hold the whole photo."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D(((w - 1) / 2.0, (h - 1) / 2.0), angle_deg, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    new_w, new_h = math.ceil(h * sin + w * cos), math.ceil(h * cos + w * sin)
    m[0, 2] += (new_w - w) / 2.0
    m[1, 2] += (new_h - h) / 2.0
    out = cv2.warpAffine(
        image,
        m,
        (new_w, new_h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=_fill(image),
    )
    return Perturbed(np.asarray(out, np.uint8), np.asarray(m, np.float64))


def small_face(image: Image, box: FaceBox, face_px: int = SMALL_FACE_PX) -> Perturbed:
    h, w = image.shape[:2]
    scale = face_px / float(max(1, box.width))
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    interp = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_LINEAR
    small = cv2.resize(image, size, interpolation=interp)
    sx, sy = size[0] / w, size[1] / h
    cx, cy = box.center
    fw, fh = KIOSK_FRAME
    tx, ty = round(fw / 2.0 - cx * sx), round(fh / 2.0 - cy * sy)
    canvas = np.empty((fh, fw, 3), np.uint8)
    canvas[:] = np.array(_fill(image)).round().astype(np.uint8)
    # The part of the scaled photo that lands on the canvas.
    x0, y0 = max(0, tx), max(0, ty)
    x1, y1 = min(fw, tx + size[0]), min(fh, ty + size[1])
    if x1 > x0 and y1 > y0:
        canvas[y0:y1, x0:x1] = small[y0 - ty : y1 - ty, x0 - tx : x1 - tx]
    return Perturbed(canvas, np.array([[sx, 0.0, float(tx)], [0.0, sy, float(ty)]]))


def _roll(angle: float) -> Perturbation:
    def apply(image: Image, box: FaceBox) -> Perturbed:  # noqa: ARG001
        return rotate(image, angle)

    return apply


# Name → (what it is, in a report's words; the function). The order is the report's.
PERTURBATIONS: dict[str, tuple[str, Perturbation]] = {
    "dim40": ("40 % brightness", dim),
    "backlight": ("strong backlight", backlight),
    "motion_blur": ("motion blur (10 % of face, 30°)", motion_blur),
    "roll+25": ("roll +25° (anticlockwise)", _roll(ROLL_DEG)),
    "roll-25": ("roll -25° (clockwise)", _roll(-ROLL_DEG)),
    "face48": ("face 48 px wide in 640×480", small_face),
}


def apply_matrix(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    px = matrix[0, 0] * x + matrix[0, 1] * y + matrix[0, 2]
    py = matrix[1, 0] * x + matrix[1, 1] * y + matrix[1, 2]
    return float(px), float(py)


def expected_face(matrix: Matrix, box: FaceBox) -> tuple[float, float, float]:
    """Where the face of ``box`` is in the perturbed image: its centre and its width."""
    cx, cy = apply_matrix(matrix, *box.center)
    scale = math.sqrt(abs(float(np.linalg.det(matrix[:, :2]))))
    return cx, cy, box.width * scale


def parse_names(spec: str) -> list[str]:
    """``all`` or a comma-separated list of names of PERTURBATIONS (ValueError otherwise)."""
    if spec.strip().lower() in ("", "all"):
        return list(PERTURBATIONS)
    names = [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [n for n in names if n not in PERTURBATIONS]
    if unknown:
        raise ValueError(
            f"unknown perturbation(s) {', '.join(unknown)}; known: {', '.join(PERTURBATIONS)}"
        )
    return list(dict.fromkeys(names))
