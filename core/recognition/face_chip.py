"""The aligned face chip dlib's ResNet was trained on, without the dlib library.

A re-implementation of ``dlib.get_face_chip(img, shape, size, padding)`` for 5-point shapes
(dlib 20.0, ``dlib/image_transforms/interpolation.h`` and ``image_pyramid.h``), so that the
embedding keeps seeing the same chip after dlib leaves the product:

- ``get_face_chip_details``: the five points are matched to dlib's mean-face template
  (``TEMPLATE_5``, in chip units, widened by ``padding`` on every side) with the
  least-squares similarity transform of Umeyama; the chip is described by a rectangle in
  the image (centre, side = ``size`` × scale) and a rotation angle.
- ``extract_image_chip``: when the rectangle is much larger than the chip, the region
  around it is first halved with dlib's ``pyramid_down<2>`` (5×5 binomial filter, integer
  arithmetic) as often as needed, so bilinear sampling never skips pixels; then every chip
  pixel is sampled bilinearly (truncated to uint8, black outside the image).

Points are in dlib's 5-point order: right eye outer corner, right eye inner corner, left
eye outer corner, left eye inner corner (the subject's right/left), bottom of the nose.
Any source of landmarks that gives those five points in image pixels can feed it.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

# dlib's mean face for its 5-point model, in units of the unpadded chip (x, y), in the
# order of the model's parts (get_face_chip_details, dlib 20.0).
TEMPLATE_5 = np.array(
    [
        (0.8595674595992, 0.2134981538014),
        (0.6460604764104, 0.2289674387677),
        (0.1205750620789, 0.2137274526848),
        (0.3340850613712, 0.2290642403242),
        (0.4901123135679, 0.6277975316475),
    ],
    dtype=np.float64,
)

Image = NDArray[np.uint8]
Points = NDArray[np.float64]


@dataclass(frozen=True)
class ChipDetails:
    """Where the chip lies in the image: dlib's ``chip_details`` (rect l, t, r, b)."""

    left: float
    top: float
    right: float
    bottom: float
    angle: float  # radians, the rotation of the chip's x axis in the image
    rows: int
    cols: int

    @property
    def center(self) -> tuple[float, float]:
        return (self.left + self.right) / 2.0, (self.top + self.bottom) / 2.0

    def area(self) -> float:
        return (self.right - self.left + 1.0) * (self.bottom - self.top + 1.0)


def chip_template(size: int = 150, padding: float = 0.25) -> Points:
    """The five template points in chip pixels for this size and padding."""
    # The Python binding takes padding as a C float: the same rounding here.
    pad = float(np.float32(padding))
    return ((pad + TEMPLATE_5) / (2.0 * pad + 1.0)) * float(size)


def similarity_transform(src: Points, dst: Points) -> tuple[NDArray[np.float64], Points]:
    """(M, t) with dst ≈ c·R·src + t in the least-squares sense (Umeyama 1991, eq. 34-43),
    as dlib's ``find_similarity_transform``; M = c·R is 2×2, t has shape (2,)."""
    src = np.asarray(src, np.float64)
    dst = np.asarray(dst, np.float64)
    mean_src, mean_dst = src.mean(axis=0), dst.mean(axis=0)
    sigma_src = float(np.mean(np.sum((src - mean_src) ** 2, axis=1)))
    cov = (dst - mean_dst).T @ (src - mean_src) / len(src)
    u, d, vt = np.linalg.svd(cov)
    s = np.eye(2)
    det = float(np.linalg.det(cov))
    if det < 0 or (det == 0 and np.linalg.det(u) * np.linalg.det(vt) < 0):
        s[1, 1] = -1.0  # numpy's singular values are sorted: d[1] ≤ d[0]
    r = u @ s @ vt
    c = float(np.trace(np.diag(d) @ s)) / sigma_src if sigma_src != 0 else 1.0
    m = c * r
    return m, mean_dst - m @ mean_src


def chip_details(five_points: Any, size: int = 150, padding: float = 0.25) -> ChipDetails:
    """dlib's ``get_face_chip_details`` for a 5-point shape (points in image pixels)."""
    pts = np.asarray(five_points, np.float64).reshape(-1, 2)
    if pts.shape != (5, 2) or not np.all(np.isfinite(pts)):
        raise ValueError(f"expected 5 finite (x, y) points, got shape {pts.shape}")
    if size <= 0 or padding < 0:
        raise ValueError("size must be positive and padding not negative")
    m, t = similarity_transform(chip_template(size, padding), pts)
    px, py = m @ np.array([1.0, 0.0])
    angle = math.atan2(py, px)
    scale = math.hypot(px, py)
    cx, cy = m @ np.array([size / 2.0, size / 2.0]) + t
    # centered_drect: a rectangle of width w spans w - 1 pixels between its edges.
    half_w = (size * scale - 1.0) / 2.0
    half_h = (size * scale - 1.0) / 2.0
    return ChipDetails(cx - half_w, cy - half_h, cx + half_w, cy + half_h, angle, size, size)


def chip_to_image(details: ChipDetails) -> NDArray[np.float64]:
    """The 2×3 affine map from chip pixels (x, y) to image pixels (full resolution)."""
    corners = _rotated_corners(details.left, details.top, details.right, details.bottom, details)
    return _corner_map(corners, details)


def points_to_chip(points: Any, details: ChipDetails) -> Points:
    """Image points in chip pixels (to compare landmark sources in the chip's frame)."""
    a = chip_to_image(details)
    inv = np.linalg.inv(np.vstack([a, [0.0, 0.0, 1.0]]))[:2]
    pts = np.asarray(points, np.float64).reshape(-1, 2)
    out: Points = pts @ inv[:, :2].T + inv[:, 2]
    return out


def face_chip(rgb: Image, five_points: Any, size: int = 150, padding: float = 0.25) -> Image:
    """The aligned chip, as ``dlib.get_face_chip(rgb, shape, size, padding)`` makes it."""
    return extract_chip(rgb, chip_details(five_points, size, padding))


# --- extract_image_chip ---------------------------------------------------------------------


def _rotate(cx: float, cy: float, x: float, y: float, angle: float) -> tuple[float, float]:
    ca, sa = math.cos(angle), math.sin(angle)
    dx, dy = x - cx, y - cy
    return ca * dx - sa * dy + cx, sa * dx + ca * dy + cy


def _rotated_corners(
    left: float, top: float, right: float, bottom: float, details: ChipDetails
) -> NDArray[np.float64]:
    """tl, tr, bl, br of the rectangle turned by the chip's angle about its centre."""
    cx, cy = (left + right) / 2.0, (top + bottom) / 2.0
    corners = [(left, top), (right, top), (left, bottom), (right, bottom)]
    return np.array([_rotate(cx, cy, x, y, details.angle) for x, y in corners])


def _corner_map(corners: NDArray[np.float64], details: ChipDetails) -> NDArray[np.float64]:
    """The affine map sending the chip's tl, tr, bl pixels to those corners."""
    tl, tr, bl = corners[0], corners[1], corners[2]
    ex = (tr - tl) / max(details.cols - 1, 1)
    ey = (bl - tl) / max(details.rows - 1, 1)
    return np.array([[ex[0], ey[0], tl[0]], [ex[1], ey[1], tl[1]]])


def _rect_down(rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """pyramid_down<2>::rect_down: p / 2 - (1.25, 0.75) for both corners."""
    left, top, right, bottom = rect
    return left / 2.0 - 1.25, top / 2.0 - 0.75, right / 2.0 - 1.25, bottom / 2.0 - 0.75


def _area(rect: tuple[float, float, float, float]) -> float:
    left, top, right, bottom = rect
    if top > bottom or left > right:
        return 0.0
    return (right - left + 1.0) * (bottom - top + 1.0)


def _lround(v: float) -> int:
    """C's lround: halves away from zero (Python's round goes to even)."""
    return math.floor(abs(v) + 0.5) * (1 if v >= 0 else -1)


def pyramid_down(img: Image) -> Image:
    """dlib's ``pyramid_down<2>``: a 1-4-6-4-1 filter each way, every other pixel, in
    integers (an output pixel is its filtered sum // 256); about half the size.

    Computed with OpenCV's ``pyrDown`` (same kernel, same even centres), which rounds
    ``(sum + 128) >> 8`` instead of dlib's ``sum >> 8``: fed the pixels × 256 in 16 bits,
    it returns the exact sum (at most 255 × 256), and the shift is done here. Output pixel
    ``i`` of dlib is centred on input ``2i + 2``: OpenCV's ``i + 1``, away from its border.
    """
    rows, cols = img.shape[:2]
    if rows <= 8 or cols <= 8:
        return np.zeros((0, 0, *img.shape[2:]), np.uint8)
    out_r, out_c = (rows - 3) // 2, (cols - 3) // 2
    sums = np.asarray(cv2.pyrDown(img.astype(np.uint16) << 8), np.uint16)
    out: Image = (sums[1 : 1 + out_r, 1 : 1 + out_c] >> 8).astype(np.uint8)
    return out


@functools.lru_cache(maxsize=4)
def _grid(rows: int, cols: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r, c = np.mgrid[0:rows, 0:cols].astype(np.float64)
    r.flags.writeable = False
    c.flags.writeable = False
    return r.ravel(), c.ravel()


def _bilinear(src: Image, mapping: NDArray[np.float64], rows: int, cols: int) -> Image:
    """transform_image with interpolate_bilinear: each chip pixel's position in ``src``,
    its 2×2 neighbours weighted in doubles as dlib does and truncated; 0 where they leave
    ``src``. (In-place steps: a product or sum of two doubles does not depend on the
    operands' order, so the result is dlib's to the bit.)"""
    r, c = _grid(rows, cols)
    px = mapping[0, 0] * c + mapping[0, 1] * r + mapping[0, 2]
    py = mapping[1, 0] * c + mapping[1, 1] * r + mapping[1, 2]
    left, top = np.floor(px), np.floor(py)
    h, w = src.shape[:2]
    inside = (left >= 0) & (top >= 0) & (left + 1 < w) & (top + 1 < h)
    lr = (px - left)[inside]
    tb = (py - top)[inside]
    at = (top[inside] * w + left[inside]).astype(np.intp)
    # One row per channel: the weights then run along contiguous memory.
    planes = np.ascontiguousarray(src.reshape(h * w, -1).T)
    upper = planes.take(at, axis=1).astype(np.float64)
    upper *= 1 - lr
    upper += lr * planes.take(at + 1, axis=1)
    lower = planes.take(at + w, axis=1).astype(np.float64)
    lower *= 1 - lr
    lower += lr * planes.take(at + w + 1, axis=1)
    upper *= 1 - tb
    lower *= tb
    upper += lower
    out = np.zeros((planes.shape[0], rows * cols), np.uint8)
    out[:, inside] = upper  # C's cast: truncation (values are in 0..255)
    return np.ascontiguousarray(out.T).reshape(rows, cols, *src.shape[2:])


def extract_chip(img: Image, details: ChipDetails) -> Image:
    """dlib's ``extract_image_chip`` with bilinear interpolation (see the module doc)."""
    img = np.asarray(img)
    if img.dtype != np.uint8 or img.ndim not in (2, 3):
        raise ValueError(f"expected a uint8 image, got {img.dtype} {img.shape}")
    rect = (details.left, details.top, details.right, details.bottom)
    size = details.rows * details.cols
    h, w = img.shape[:2]
    # How many halvings keep the region at least as large as the chip.
    depth, grow = 0, 2.0
    down = _rect_down(rect)
    while _area(down) > size:
        down = _rect_down(down)
        depth += 1
        grow = grow * 2 + 2  # a 2-pixel border per level avoids the crop's edge effects
    corners = _rotated_corners(*rect, details)
    # The region the pyramid is built on: the turned rectangle, grown, within the image,
    # rounded to whole pixels.
    box = (
        max(float(corners[:, 0].min()) - grow, 0.0),
        max(float(corners[:, 1].min()) - grow, 0.0),
        min(float(corners[:, 0].max()) + grow, w - 1.0),
        min(float(corners[:, 1].max()) + grow, h - 1.0),
    )
    bl, bt, br, bb = (_lround(v) for v in box)
    shape = (details.rows, details.cols, *img.shape[2:])
    if bl > br or bt > bb:
        return np.zeros(shape, np.uint8)
    level = img[bt : bb + 1, bl : br + 1]
    local = (rect[0] - bl, rect[1] - bt, rect[2] - bl, rect[3] - bt)
    for _ in range(depth):
        level = pyramid_down(level)
        local = _rect_down(local)
    mapping = _corner_map(_rotated_corners(*local, details), details)
    return _bilinear(level, mapping, details.rows, details.cols).reshape(shape)
