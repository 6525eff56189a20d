"""Face detection, then the face mesh on the full frame for landmarks.

The default detector is MediaPipe's BlazeFace (``blazeface``); each face it finds is given
to the face mesh (``face_mesh``), whose five points in dlib's order drive alignment and the
quality gates, and whose eyes the iris model reads for blink liveness. Other detectors
(DeepFace's clients; dlib's HOG, an optional extra) give boxes only, and the mesh is fitted
on each box. Detection may run on a downscaled copy; boxes are mapped back and the mesh is
fitted on the full-resolution image, so the downscale costs no alignment precision.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import cv2
import numpy as np
from numpy.typing import NDArray

from core.host.images import as_bgr
from core.recognition.blazeface import BlazeFaceDetector
from core.recognition.boxes import FaceBox, Image
from core.recognition.face_mesh import FaceMesh, FaceMeshModel, roi_from_detection, roi_from_points

# FaceBox and Image live in the detector-free ``boxes`` module; re-exported here
__all__ = [
    "DEFAULT_DETECT_MAX_SIDE",
    "HOG_MIN_FACE_PX",
    "BoxDetector",
    "DeepFaceBoxDetector",
    "DetectedFace",
    "FaceBox",
    "Image",
    "MediaPipeDetector",
    "PreparedFrame",
    "detect_faces",
    "detection_plan",
    "eye_geometry",
    "prepare",
    "primary_face",
    "tracked_scale",
]


@dataclass(frozen=True, eq=False)
class DetectedFace:
    box: FaceBox
    landmarks: NDArray[np.float32]  # (5, 2) in frame pixels, dlib's 5-point order
    mesh: FaceMesh | None = None  # the 468 points they came from (blink reads its eyes)


class BoxDetector(Protocol):
    """Finds face boxes in one image (coordinates of that image)."""

    name: str

    def boxes(self, image_bgr: Image, gray: Image, upsample: int) -> list[FaceBox]: ...


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


# The smallest face each BlazeFace model finds, as a fraction of the frame's longest side
# (resources/models/mediapipe/NOTICE.md, "Small faces": on 640×480 frames short-range finds
# every face from 80 px, full-range from 40 px).
SHORT_RANGE_MIN_FRACTION = 0.125
FULL_RANGE_MIN_FRACTION = 0.0625


class MediaPipeDetector:
    """MediaPipe's BlazeFace, short-range model when the smallest face to find is large
    enough for it (1.5 ms a 640×480 frame), else full-range (3.7 ms, faces half as wide)."""

    name = "mediapipe"

    def __init__(self, short: BlazeFaceDetector, full: BlazeFaceDetector) -> None:
        self.short = short
        self.full = full

    @classmethod
    def load(cls, threads: int = 1) -> MediaPipeDetector:
        return cls(
            BlazeFaceDetector.load("short", threads), BlazeFaceDetector.load("full", threads)
        )

    def model_for(self, width: int, height: int, min_face_px: int) -> BlazeFaceDetector:
        big_enough = min_face_px >= SHORT_RANGE_MIN_FRACTION * max(width, height)
        return self.short if big_enough else self.full

    def boxes(self, image_bgr: Image, gray: Image, upsample: int) -> list[FaceBox]:
        """``BoxDetector``: every face the full-range model finds."""
        return self.full.boxes(image_bgr, gray, upsample)


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
    if detector == "mediapipe":
        # BlazeFace letterboxes the frame to its own input size: no copy to make. Tiles
        # (upsampling) only for faces too small for the full-range model.
        if upsample is None:
            upsample = 0 if min_face_px >= FULL_RANGE_MIN_FRACTION * longest else 1
        return 1.0, upsample
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
    mesh: FaceMeshModel,
    frame: PreparedFrame,
    *,
    scale: float,
    upsample: int,
    min_face_px: int = 0,
) -> list[DetectedFace]:
    """All faces in the frame that the mesh confirms, boxes and landmarks in frame pixels.
    ``min_face_px`` (the smallest face wanted) picks BlazeFace's model."""
    h, w = frame.gray.shape[:2]
    if isinstance(detector, MediaPipeDetector):
        model = detector.model_for(w, h, min_face_px)
        found = model.detect(frame.rgb, upsample=upsample)
        return _meshed(mesh, frame.rgb, [(d.box, roi_from_detection(d)) for d in found])
    scale = min(1.0, scale)
    if scale < 1.0:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        small_gray = _u8(cv2.resize(frame.gray, size, interpolation=cv2.INTER_AREA))
        small_bgr = (
            frame.bgr
            if detector.name == "dlib"  # HOG reads only the grey copy
            else _u8(cv2.resize(frame.bgr, size, interpolation=cv2.INTER_AREA))
        )
    else:
        small_gray, small_bgr = frame.gray, frame.bgr
    boxes = []
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
        # no eye points from a box: the mesh's region is taken upright
        mid_y = (box.top + box.bottom) / 2.0
        left = np.array([box.left, mid_y], np.float32)
        right = np.array([box.right, mid_y], np.float32)
        edges = (float(box.left), float(box.top), float(box.right), float(box.bottom))
        boxes.append((box, roi_from_points(edges, left, right)))
    return _meshed(mesh, frame.rgb, boxes)


def _meshed(
    mesh: FaceMeshModel, rgb: Image, found: list[tuple[FaceBox, Any]]
) -> list[DetectedFace]:
    """Each (box, mesh region) with its mesh; a region the mesh says holds no face (a false
    detection) is dropped."""
    faces = []
    for box, roi in found:
        fitted = mesh.landmarks(rgb, roi)
        if fitted is not None:
            faces.append(DetectedFace(box, fitted.dlib5(), fitted))
    return faces


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
