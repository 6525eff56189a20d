"""Face detection on a downscaled copy of the frame, landmarks on the full frame.

Detection is the costliest step that grows with the frame, so it runs on a copy whose
longest side is ``detect_max_side``; boxes are mapped back and the 5-point landmarks (which
also drive alignment) are fitted on the full-resolution image, so the downscale costs no
alignment precision.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import cv2
import dlib
import numpy as np
from numpy.typing import NDArray

from core.images import as_bgr
from core.recognition.boxes import FaceBox, Image

# FaceBox and Image live in the dlib-free ``boxes`` module; re-exported here
__all__ = [
    "DEFAULT_DETECT_MAX_SIDE",
    "HOG_MIN_FACE_PX",
    "BoxDetector",
    "DeepFaceBoxDetector",
    "DetectedFace",
    "DlibHogDetector",
    "FaceBox",
    "Image",
    "PreparedFrame",
    "detect_faces",
    "detection_plan",
    "eye_geometry",
    "landmarks_for",
    "prepare",
    "primary_face",
    "tracked_scale",
]


@dataclass(frozen=True, eq=False)
class DetectedFace:
    box: FaceBox
    landmarks: NDArray[np.float32]  # (5, 2) in frame pixels, dlib's 5-point order
    shape: Any  # dlib.full_object_detection for dlib.get_face_chip


class BoxDetector(Protocol):
    """Finds face boxes in one image (coordinates of that image)."""

    name: str

    def boxes(self, image_bgr: Image, gray: Image, upsample: int) -> list[FaceBox]: ...


class DlibHogDetector:
    """dlib's HOG + linear SVM frontal face detector (what DeepFace's ``dlib`` backend uses)."""

    name = "dlib"

    def __init__(self, hog: Any) -> None:
        self._hog = hog

    def boxes(self, image_bgr: Image, gray: Image, upsample: int) -> list[FaceBox]:  # noqa: ARG002
        rects, scores, _ = self._hog.run(gray, upsample, 0.0)
        return [
            FaceBox(r.left(), r.top(), r.right(), r.bottom(), float(s))
            for r, s in zip(rects, scores, strict=True)
        ]


class DeepFaceBoxDetector:
    """Any other DeepFace detector client (mtcnn, yunet, ssd, ...), through ``detect_faces``."""

    def __init__(self, name: str, client: Any) -> None:
        self.name = name
        self._client = client

    def boxes(self, image_bgr: Image, gray: Image, upsample: int) -> list[FaceBox]:  # noqa: ARG002
        out = []
        for region in self._client.detect_faces(image_bgr):
            x, y, w, h = int(region.x), int(region.y), int(region.w), int(region.h)
            conf = float(region.confidence) if region.confidence is not None else 0.0
            out.append(FaceBox(x, y, x + w, y + h, conf))
        return out


def _u8(mat: Any) -> Image:
    return np.asarray(mat, dtype=np.uint8)


@dataclass(frozen=True, eq=False)
class PreparedFrame:
    """The conversions of one frame that several steps share (computed once)."""

    bgr: Image
    rgb: Image
    gray: Image


def prepare(frame: NDArray[Any]) -> PreparedFrame:
    bgr = as_bgr(frame)
    return PreparedFrame(
        bgr, _u8(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)), _u8(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))
    )


# dlib's HOG window is 80×80: without upsampling it finds faces from about 80 px wide.
HOG_MIN_FACE_PX = 80
# Other detectors run on a copy this size at most (they have their own minimum sizes).
DEFAULT_DETECT_MAX_SIDE = 320


def detection_plan(
    frame_w: int,
    frame_h: int,
    *,
    detector: str,
    min_face_px: int,
    max_side: int | None = None,
    upsample: int | None = None,
) -> tuple[float, int]:
    """(scale, upsample) for detection: as small a copy as still finds ``min_face_px`` faces.

    HOG's cost grows with the pixels searched, so for ``dlib`` the copy is scaled until the
    smallest face that would pass the size gate is just 80 px there; upsampling is used
    only when that needs a scale above 1. Measured on 640×480 frames (bench): full size
    without upsampling ≈ 56 ms, 533 px ≈ 45 ms, 427 px ≈ 28 ms; 320 px with upsample 1
    costs as much as full size.
    """
    longest = float(max(frame_w, frame_h))
    if max_side is not None or detector != "dlib":
        scale = min(1.0, (max_side or DEFAULT_DETECT_MAX_SIDE) / longest)
        if upsample is None:
            upsample = 1 if detector == "dlib" and min_face_px * scale < HOG_MIN_FACE_PX else 0
        return scale, upsample
    needed = HOG_MIN_FACE_PX / float(max(1, min_face_px))
    if upsample is not None:
        return min(1.0, needed / 2**upsample), upsample
    for up in (0, 1, 2):
        if needed <= 2**up:
            return min(1.0, needed / 2**up), up
    return 1.0, 2


def tracked_scale(
    plan: tuple[float, int], face_width: int, *, detector: str, margin: float
) -> float | None:
    """A smaller detection scale for a frame whose face was this wide in the last one.

    With someone close to the camera, the plan's copy (sized for the smallest allowed
    face) is far larger than the face needs: a 200 px face in a 640×480 frame is still
    112 px (80 px × ``margin``) at a 0.56 scale, a third of the pixels to search. Returns
    None when that would save nothing (the face is small) or for detectors other than
    dlib's HOG, whose minimum size is not known here. The caller searches at the plan's
    scale again when nothing is found (the person stepped back or left).
    """
    if detector != "dlib" or face_width <= 0:
        return None
    scale, upsample = plan
    reduced = HOG_MIN_FACE_PX * margin / face_width
    if reduced >= 0.8 * scale * 2**upsample:
        return None
    return reduced


def detect_faces(
    detector: BoxDetector,
    shape5: Any,
    frame: PreparedFrame,
    *,
    scale: float,
    upsample: int,
) -> list[DetectedFace]:
    """All faces in the frame, boxes and landmarks in frame pixels."""
    h, w = frame.gray.shape[:2]
    scale = min(1.0, scale)
    if scale < 1.0:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        small_gray = _u8(cv2.resize(frame.gray, size, interpolation=cv2.INTER_AREA))
        small_bgr = (
            frame.bgr
            if isinstance(detector, DlibHogDetector)  # HOG reads only the grey copy
            else _u8(cv2.resize(frame.bgr, size, interpolation=cv2.INTER_AREA))
        )
    else:
        small_gray, small_bgr = frame.gray, frame.bgr
    faces = []
    for b in detector.boxes(small_bgr, small_gray, upsample):
        box = FaceBox(
            max(0, math.floor(b.left / scale)),
            max(0, math.floor(b.top / scale)),
            min(w, math.ceil(b.right / scale)),
            min(h, math.ceil(b.bottom / scale)),
            b.score,
        )
        if box.width < 2 or box.height < 2:
            continue
        faces.append(landmarks_for(shape5, frame.rgb, box))
    return faces


def landmarks_for(shape5: Any, rgb: Image, box: FaceBox) -> DetectedFace:
    rect = dlib.rectangle(box.left, box.top, box.right, box.bottom)
    shape = shape5(rgb, rect)
    pts = np.array([(shape.part(i).x, shape.part(i).y) for i in range(shape.num_parts)], np.float32)
    return DetectedFace(box, pts, shape)


def primary_face(faces: Sequence[DetectedFace], frame_w: int, frame_h: int) -> DetectedFace | None:
    """The face nearest the centre and largest: width discounted by distance from centre.

    A face at the centre keeps its whole width; one at a corner keeps about half, so a
    passer-by near the edge does not take over from the person in front of the kiosk.
    """
    if not faces:
        return None
    cx, cy = frame_w / 2.0, frame_h / 2.0
    half_diag = math.hypot(cx, cy) or 1.0

    def weight(face: DetectedFace) -> float:
        fx, fy = face.box.center
        return face.box.width * (1.0 - 0.5 * math.hypot(fx - cx, fy - cy) / half_diag)

    return max(faces, key=weight)


def eye_geometry(
    landmarks: NDArray[np.float32],
) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    """Eye centres (two points) and their distance, from dlib's 5-point landmarks."""
    pts = landmarks.astype(np.float64)
    eye_a = (pts[0] + pts[1]) / 2.0
    eye_b = (pts[2] + pts[3]) / 2.0
    return eye_a, eye_b, float(np.linalg.norm(eye_b - eye_a))
