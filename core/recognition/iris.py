"""MediaPipe's iris landmark model run by onnxruntime: the eyelids, for blink liveness.

Why a second model: the face mesh (face_mesh.py) predicts an eye's shape largely from the
rest of the face, so its eyelid points barely move when the eyes close (on photos whose eyes
were closed by drawing the lids down, its eye-aspect ratio moved by -5 % to +1 %, where a
blink must lower it by 28 %). The iris model sees only the eye, and its eyelid contour
follows the lids (the same photos: 32-79 % lower; ``python -m tools.models.closed_eyes``);
MediaPipe itself refines the mesh's eyes with it.

As MediaPipe runs it (``iris_landmark_landmarks_to_roi.pbtxt``, ``iris_landmark_cpu.pbtxt``):

- each eye's region is the square on the line between its two corners (mesh vertices 33/133
  and 362/263), 2.3 times as wide, rotated so that line is horizontal;
- it is resampled to 64×64 (bilinear, edges replicated), RGB in [0, 1]; the model is trained
  on one eye, so the other eye's crop is mirrored first and its points mirrored back;
- the model gives 71 eye-contour and brow points and 5 iris points, in crop pixels.

The first 16 contour points are the eye's outline, the same vertices as the mesh's
(:data:`CONTOUR`, MediaPipe's refinement order), so the eye-aspect ratio takes the same six
vertices as ``face_mesh.RIGHT_EYE_EAR``.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from core.recognition import model_files
from core.recognition.boxes import Image
from core.recognition.face_mesh import Roi, crop
from core.recognition.face_mesh import eye_sample as mesh_eye_sample
from core.recognition.liveness import EyeSample, eye_aspect_ratio

Floats = NDArray[np.float32]
Side = Literal["right", "left"]

MODEL = "mediapipe/iris_landmark.onnx"
INPUT_SIZE = 64
ROI_SCALE = 2.3
NUM_CONTOUR = 71
# The outline's 16 points as mesh vertices of the person's right eye (image left), in the
# model's order: outer corner, lower lid, inner corner, upper lid. The left eye's crop is
# mirrored, so the same positions are its own outer corner, lower lid, and so on.
CONTOUR = (33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173)
# eye_aspect_ratio's p1..p6 (mesh 33, 160, 158, 133, 153, 144) as positions in CONTOUR
EAR_POINTS = (0, 11, 13, 8, 5, 3)
# (first corner, second corner, mirrored) per eye: the mesh vertices the region is cut on
EYE_CORNERS: dict[Side, tuple[int, int, bool]] = {
    "right": (33, 133, False),
    "left": (362, 263, True),
}
EYE_SIDES: tuple[Side, Side] = ("right", "left")


def eye_roi(points: NDArray[np.floating], side: Side) -> Roi:
    """The eye's region from the mesh (frame pixels), as MediaPipe cuts it."""
    first, second, _ = EYE_CORNERS[side]
    a = np.asarray(points[first, :2], np.float64)
    b = np.asarray(points[second, :2], np.float64)
    centre = (a + b) / 2.0
    angle = math.atan2(float(b[1] - a[1]), float(b[0] - a[0]))
    side_px = float(np.linalg.norm(b - a)) * ROI_SCALE
    return Roi(float(centre[0]), float(centre[1]), side_px, angle)


def eye_crop(
    rgb: Image, points: NDArray[np.floating], side: Side
) -> tuple[Image, NDArray[np.float64]]:
    """The 64×64 crop the model takes for one eye (mirrored for the left one) and the matrix
    from crop to frame pixels (of the unmirrored crop)."""
    chip, to_frame = crop(rgb, eye_roi(points, side), INPUT_SIZE)
    if EYE_CORNERS[side][2]:
        chip = np.ascontiguousarray(chip[:, ::-1])
    return chip, to_frame


class IrisModel:
    """The iris landmark model; safe to share between threads (onnxruntime sessions allow
    concurrent ``run``)."""

    def __init__(self, session: Any) -> None:
        self._session = session
        self._input = session.get_inputs()[0].name
        shapes = [list(o.shape) for o in session.get_outputs()]
        if shapes != [[1, NUM_CONTOUR * 3], [1, 15]]:
            raise ValueError(f"not a MediaPipe iris landmark graph: outputs {shapes}")

    @classmethod
    def load(cls, threads: int = 1) -> IrisModel:
        """The shipped model (sha256 checked against the manifest first)."""
        return cls(model_files.onnx_session(MODEL, threads))

    def outline(self, rgb: Image, points: NDArray[np.floating], side: Side) -> Floats:
        """One eye's 16 outline points (:data:`CONTOUR` order) in frame pixels."""
        chip, to_frame = eye_crop(rgb, points, side)
        x = (chip.astype(np.float32) / np.float32(255.0)).transpose(2, 0, 1)[None]
        contour, _iris = self._session.run(None, {self._input: np.ascontiguousarray(x)})
        xy = np.asarray(contour, np.float64).reshape(NUM_CONTOUR, 3)[: len(CONTOUR), :2].copy()
        if EYE_CORNERS[side][2]:
            xy[:, 0] = INPUT_SIZE - xy[:, 0]
        out: Floats = (xy @ to_frame[:, :2].T + to_frame[:, 2]).astype(np.float32)
        return out

    def eye_sample(
        self, rgb: Image, points: NDArray[np.floating], sides: tuple[Side, ...] = EYE_SIDES
    ) -> EyeSample:
        """``liveness.EyeSample`` for the face whose mesh is ``points``: the mean eye-aspect
        ratio of the ``sides`` eyes' outlines, and the face's height/width from the mesh."""
        ears = [
            eye_aspect_ratio(self.outline(rgb, points, side)[list(EAR_POINTS)]) for side in sides
        ]
        return EyeSample(sum(ears) / len(ears), mesh_eye_sample(points).proportion)
