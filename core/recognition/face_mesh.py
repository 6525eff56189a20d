"""MediaPipe's face mesh (468 3-D landmarks) run by onnxruntime, and what is read off it.

The model is Google's MediaPipe face landmark model (Apache-2.0; the 2020-04 release, see
``resources/models/mediapipe/NOTICE.md``), converted to ONNX by
``tools/models/mediapipe_convert.py``.
As MediaPipe runs it (``face_detection_front_detection_to_roi.pbtxt``,
``face_landmark_cpu.pbtxt``):

- the region of interest is the detector's box made square on its longer side, 1.5× as
  large, around the box's centre, and rotated so the line from the image-left eye to the
  image-right eye (detector keypoints) is horizontal: a tilted head reaches the model
  upright;
- that square is resampled to 192×192 (bilinear, edges replicated), RGB in [0, 1];
- the model gives 468 (x, y, z) in the crop's pixels (z in the same scale, relative to the
  face's centre, smaller nearer the camera) and a face-presence logit; points are mapped
  back through the same rotation into frame pixels.

The ROI for the next frame may come from this frame's mesh (:func:`roi_from_mesh`, as
MediaPipe tracks), which skips the detector while the face stays in view.

Landmark helpers (indices of MediaPipe's canonical face mesh; "right"/"left" are the
person's own, so the right eye is on the image's left):

- :data:`RIGHT_EYE_EAR`, :data:`LEFT_EYE_EAR`: six points per eye in the order
  ``liveness.eye_aspect_ratio`` expects, which is dlib's 68-point order (p1 and p4 the
  corners, p2 p3 the upper lid left to right, p5 p6 the lower lid right to left, so p2-p6
  and p3-p5 are vertical pairs). The corners are the mesh's eye-corner vertices (33/133,
  362/263); p2/p3 and p5/p6 are the lid vertices a third and two thirds of the way along
  each lid (the lid contours are 33-246-161-160-159-158-157-173-133 above and
  33-7-163-144-145-153-154-155-133 below, the same shape on the other eye), so each pair
  is on the same vertical line whether the eye is open or shut;
- :data:`DLIB5`: the five points matching dlib's 5-point model, in its order: image-right
  eye outer and inner corner, image-left eye outer and inner corner, the point under the
  nose (dlib 68-point equivalents 45, 42, 36, 39, 33);
- :func:`eye_sample`: the ``liveness.EyeSample`` (EAR and the face's height/width) that
  ``BlinkDetector`` takes, from the mesh instead of dlib's 68 points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from core.recognition import model_files
from core.recognition.blazeface import BlazeDetection
from core.recognition.boxes import FaceBox, Image
from core.recognition.liveness import EyeSample, eye_aspect_ratio

Floats = NDArray[np.float32]

MODEL = "mediapipe/face_landmark.onnx"
INPUT_SIZE = 192
NUM_LANDMARKS = 468
ROI_SCALE = 1.5
# sigmoid of the face-presence logit; MediaPipe drops the mesh below 0.5
MIN_PRESENCE = 0.5

# p1..p6 for eye_aspect_ratio (see the module doc)
RIGHT_EYE_EAR = (33, 160, 158, 133, 153, 144)
LEFT_EYE_EAR = (362, 385, 387, 263, 373, 380)
# dlib's 5-point order: 45, 42, 36, 39, 33 of the 68-point scheme
DLIB5 = (263, 362, 33, 133, 2)
# Where the mesh's five vertices sit, on average, relative to dlib's own 5-point model on
# the same face: (along the eye line towards the image's right, perpendicular to it
# downwards), in units of the distance between the eyes. Measured on the 62 single-face
# shared photos (dlib's HOG box for dlib, BlazeFace short-range for the mesh): the mesh
# puts the eye corners ~3 % of that distance further apart and all five points ~2 % higher
# than dlib's annotators did. Subtracting this mean leaves a median error of 0.02 of the
# eye distance per point (before: 0.03-0.04), so chips cut from these points sit where
# dlib's would.
DLIB5_OFFSETS = (
    (0.020, -0.022),
    (-0.029, -0.011),
    (-0.033, -0.016),
    (0.013, -0.008),
    (-0.005, -0.025),
)
# for eye_sample's proportion, the dlib 68-point 0/16 (face sides at eye level), 8 (chin)
# and 27 (top of the nose bridge) equivalents
FACE_RIGHT_SIDE, FACE_LEFT_SIDE, CHIN, NOSE_BRIDGE_TOP = 234, 454, 152, 168
# the eye corners the next frame's ROI is rotated by (MediaPipe's landmarks-to-ROI)
_ROI_EYES = (33, 263)


@dataclass(frozen=True)
class Roi:
    """A rotated square in frame pixels: centre, side and angle (radians; 0 is upright, the
    angle of the eye line measured with y pointing down)."""

    cx: float
    cy: float
    side: float
    angle: float

    def to_frame(self, size: int) -> NDArray[np.float64]:
        """2×3 affine matrix from crop pixels (``size``×``size``) to frame pixels."""
        s = self.side / size
        c, n = math.cos(self.angle) * s, math.sin(self.angle) * s
        # crop centre (size/2, size/2) lands on (cx, cy); crop x runs along the eye line
        tx = self.cx - c * size / 2 + n * size / 2
        ty = self.cy - n * size / 2 - c * size / 2
        return np.array([[c, -n, tx], [n, c, ty]], np.float64)


def roi_from_points(box: tuple[float, float, float, float], eye_a: Floats, eye_b: Floats) -> Roi:
    """MediaPipe's ROI: ``box`` (left, top, right, bottom) squared on its longer side and
    scaled by 1.5 around its centre, rotated by the line from ``eye_a`` (image-left eye) to
    ``eye_b``."""
    left, top, right, bottom = box
    side = max(right - left, bottom - top) * ROI_SCALE
    angle = math.atan2(float(eye_b[1] - eye_a[1]), float(eye_b[0] - eye_a[0]))
    return Roi((left + right) / 2.0, (top + bottom) / 2.0, side, angle)


def roi_from_detection(face: BlazeDetection) -> Roi:
    right_eye, left_eye = face.eyes
    x1, y1, x2, y2 = (float(v) for v in face.box_xyxy)
    return roi_from_points((x1, y1, x2, y2), right_eye, left_eye)


def roi_from_mesh(points: Floats) -> Roi:
    """The next frame's ROI from this frame's mesh: the points' bounding box in the face's
    own rotation, squared and scaled as from a detection (MediaPipe's landmarks-to-ROI)."""
    xy = np.asarray(points, np.float64)[:, :2]
    a, b = xy[_ROI_EYES[0]], xy[_ROI_EYES[1]]
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    c, s = math.cos(angle), math.sin(angle)
    upright = xy @ np.array([[c, -s], [s, c]])  # rotate by -angle
    lo, hi = upright.min(axis=0), upright.max(axis=0)
    mid = (lo + hi) / 2.0
    cx, cy = mid[0] * c - mid[1] * s, mid[0] * s + mid[1] * c
    return Roi(float(cx), float(cy), float(max(hi - lo)) * ROI_SCALE, angle)


def crop(rgb: Image, roi: Roi, size: int = INPUT_SIZE) -> tuple[Image, NDArray[np.float64]]:
    """The ROI resampled to ``size``×``size`` (bilinear, edges replicated) and the matrix
    from crop to frame pixels."""
    to_frame = roi.to_frame(size)
    chip = cv2.warpAffine(
        rgb,
        to_frame,
        (size, size),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return np.asarray(chip, np.uint8), to_frame


@dataclass(frozen=True, eq=False)
class FaceMesh:
    """468 landmarks in frame pixels (x, y; z in pixels too, relative, nearer is smaller)."""

    points: Floats  # (468, 3)
    presence: float  # face-presence probability
    roi: Roi

    @property
    def xy(self) -> Floats:
        out: Floats = self.points[:, :2]
        return out

    def dlib5(self, *, calibrated: bool = True) -> Floats:
        """(5, 2) in dlib's 5-point order (see the module doc); ``calibrated`` moves each
        by :data:`DLIB5_OFFSETS` to where dlib's 5-point model would put it."""
        pts = self.points[list(DLIB5), :2].astype(np.float64)
        if calibrated:
            eye_a, eye_b = pts[2:4].mean(axis=0), pts[0:2].mean(axis=0)
            along = eye_b - eye_a
            distance = float(np.linalg.norm(along))
            if distance > 0:
                u = along / distance
                down = np.array([-u[1], u[0]])
                offsets = np.asarray(DLIB5_OFFSETS, np.float64)
                pts = pts - (offsets[:, :1] * u + offsets[:, 1:] * down) * distance
        out: Floats = pts.astype(np.float32)
        return out

    def eyes_for_ear(self) -> tuple[Floats, Floats]:
        """(right eye, left eye) six points each, in ``eye_aspect_ratio``'s order."""
        return self.points[list(RIGHT_EYE_EAR), :2], self.points[list(LEFT_EYE_EAR), :2]

    def box(self) -> FaceBox:
        lo, hi = self.xy.min(axis=0), self.xy.max(axis=0)
        return FaceBox(
            math.floor(float(lo[0])),
            math.floor(float(lo[1])),
            math.ceil(float(hi[0])),
            math.ceil(float(hi[1])),
            self.presence,
        )


def eye_sample(points: Floats) -> EyeSample:
    """``liveness.EyeSample`` from the mesh: mean EAR of both eyes and the face's
    height/width (nose-bridge top to chin over side to side), as ``liveness.eye_sample``
    computes them from dlib's 68 points."""
    xy = np.asarray(points, np.float64)[:, :2]
    ear = (eye_aspect_ratio(xy[list(RIGHT_EYE_EAR)]) + eye_aspect_ratio(xy[list(LEFT_EYE_EAR)])) / 2
    width = float(np.linalg.norm(xy[FACE_LEFT_SIDE] - xy[FACE_RIGHT_SIDE]))
    height = float(np.linalg.norm(xy[CHIN] - xy[NOSE_BRIDGE_TOP]))
    return EyeSample(ear, height / width if width > 0 else 0.0)


class FaceMeshModel:
    """The face landmark model; safe to share between threads (onnxruntime sessions allow
    concurrent ``run``)."""

    def __init__(self, session: Any) -> None:
        self._session = session
        self._input = session.get_inputs()[0].name
        shapes = [list(o.shape) for o in session.get_outputs()]
        if shapes != [[1, NUM_LANDMARKS * 3, 1, 1], [1, 1, 1, 1]]:
            raise ValueError(f"not a MediaPipe face landmark graph: outputs {shapes}")

    @classmethod
    def load(cls, threads: int = 1) -> FaceMeshModel:
        """The shipped model (sha256 checked against the manifest first)."""
        return cls(model_files.onnx_session(MODEL, threads))

    def landmarks(
        self, rgb: Image, face: BlazeDetection | Roi, min_presence: float = MIN_PRESENCE
    ) -> FaceMesh | None:
        """The mesh of the face ``face`` (a detection or an ROI) in an RGB frame, or None
        when the model says the crop holds no face."""
        roi = roi_from_detection(face) if isinstance(face, BlazeDetection) else face
        chip, to_frame = crop(rgb, roi)
        x = (chip.astype(np.float32) / np.float32(255.0)).transpose(2, 0, 1)[None]
        raw, logit = self._session.run(None, {self._input: np.ascontiguousarray(x)})
        presence = 1.0 / (1.0 + math.exp(-float(np.clip(np.asarray(logit).ravel()[0], -80, 80))))
        if presence < min_presence:
            return None
        pts = np.asarray(raw, np.float64).reshape(NUM_LANDMARKS, 3)
        xy = pts[:, :2] @ to_frame[:, :2].T + to_frame[:, 2]
        z = pts[:, 2:] * (roi.side / INPUT_SIZE)
        return FaceMesh(np.hstack([xy, z]).astype(np.float32), presence, roi)
