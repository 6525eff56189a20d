"""The input crops of the FasNet anti-spoofing models (MiniFASNetV2 and MiniFASNetV1SE).

Each model sees the face with a different amount of context: a square-ish window ``scale``
times the face box (2.7× for MiniFASNetV2, 4.0× for MiniFASNetV1SE), about the box's centre,
shrunk when the frame is too small for it and slid back inside the frame when it overhangs an
edge, then resized to 80×80. This is the rule of Silent-Face-Anti-Spoofing's ``CropImage``
that ``deepface.models.spoofing.FasNetUtils.crop`` applies (same rounding, same inclusive
right/bottom edge, cv2's default bilinear resize), so the ONNX graphs see what they were
trained on. Pixels stay BGR uint8 at 0-255: the models take them unnormalised.

One step is ours: a face box wider than ``FACE_WIDTH`` pixels has each window first shrunk,
area-averaged, to the scale at which the box is that wide. The final bilinear resize to
80×80 has no anti-aliasing filter, so without this step a large face's score depended on how
many pixels it had: the model authors' own phone-replay sample F2 scored 0.315 real on its
480×640 frame and 0.154 on the same picture at 360×480, and a 1080p camera would alias fine
skin texture into the patterns the models take for a screen. With large faces brought to
160 px (about the median face of the labelled photos at 640×480) F2 scores 0.215 and 0.122,
both well under the threshold. Smaller faces are left as they are: enlarging adds no detail
(it measured the same, and ~1 ms slower). ``face_width=None`` gives deepface's crops
exactly, which the PyTorch reference was computed on.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

# how much of the frame around the face box each model sees, as deepface pairs them
V2_SCALE = 2.7
V1SE_SCALE = 4.0
CROP_SIZE = 80
# the face box's width, in pixels, at which the crops are taken (see the module docstring)
FACE_WIDTH = 160.0


def crop_window(
    frame_w: int, frame_h: int, box_xywh: tuple[float, float, float, float], scale: float
) -> tuple[int, int, int, int]:
    """The window (left, top, right, bottom; right and bottom inclusive) for one model."""
    x, y, w, h = box_xywh
    if w <= 0 or h <= 0:
        raise ValueError(f"an empty face box {box_xywh}")
    scale = min((frame_h - 1) / h, (frame_w - 1) / w, scale)
    half_w, half_h = w * scale / 2, h * scale / 2
    cx, cy = x + w / 2, y + h / 2
    left, right = cx - half_w, cx + half_w
    top, bottom = cy - half_h, cy + half_h
    # slide back inside the frame: first off the left/top edge, then off the right/bottom one
    if left < 0:
        right, left = right - left, 0
    if top < 0:
        bottom, top = bottom - top, 0
    if right > frame_w - 1:
        left, right = left - (right - frame_w + 1), frame_w - 1
    if bottom > frame_h - 1:
        top, bottom = top - (bottom - frame_h + 1), frame_h - 1
    return int(left), int(top), int(right), int(bottom)


def crop(
    frame_bgr: NDArray[np.uint8],
    box_xywh: tuple[float, float, float, float],
    scale: float,
    size: int = CROP_SIZE,
    face_width: float | None = FACE_WIDTH,
) -> NDArray[np.uint8]:
    """The ``size``×``size`` BGR crop of ``frame_bgr`` around the face box for one model,
    taken with the face at most ``face_width`` px wide (None: at the frame's own scale, as
    deepface)."""
    frame_h, frame_w = frame_bgr.shape[:2]
    left, top, right, bottom = crop_window(frame_w, frame_h, box_xywh, scale)
    window: NDArray[Any] = frame_bgr[top : bottom + 1, left : right + 1]
    if face_width is not None and box_xywh[2] > face_width:
        # only ever shrink (see the module docstring)
        factor = face_width / box_xywh[2]
        rescaled = (
            max(1, round(window.shape[1] * factor)),
            max(1, round(window.shape[0] * factor)),
        )
        window = cv2.resize(window, rescaled, interpolation=cv2.INTER_AREA)
    resized: NDArray[Any] = cv2.resize(window, (size, size))
    return np.asarray(resized, dtype=np.uint8)


def model_inputs(
    frame_bgr: NDArray[np.uint8],
    box_xywh: tuple[float, float, float, float],
    face_width: float | None = FACE_WIDTH,
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """The (1, 80, 80, 3) float32 inputs of MiniFASNetV2 and MiniFASNetV1SE, channels last."""
    v2 = crop(frame_bgr, box_xywh, V2_SCALE, face_width=face_width)
    v1se = crop(frame_bgr, box_xywh, V1SE_SCALE, face_width=face_width)
    return v2[np.newaxis].astype(np.float32), v1se[np.newaxis].astype(np.float32)
