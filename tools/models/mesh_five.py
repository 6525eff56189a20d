"""The face mesh's five points in dlib's order, as a landmark source for
``tools.models.chip_compat`` (``--source tools.models.mesh_five:five_points``): MediaPipe's
detector finds the face that best overlaps the box given, the mesh is fitted on it."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from core.recognition.blazeface import BlazeFaceDetector
from core.recognition.boxes import FaceBox
from core.recognition.face_mesh import FaceMeshModel


@functools.cache
def _models() -> tuple[BlazeFaceDetector, FaceMeshModel]:
    return BlazeFaceDetector.load("full"), FaceMeshModel.load()


def _overlap(a: FaceBox, b: FaceBox) -> float:
    left, top = max(a.left, b.left), max(a.top, b.top)
    right, bottom = min(a.right, b.right), min(a.bottom, b.bottom)
    inter = max(0, right - left) * max(0, bottom - top)
    union = a.width * a.height + b.width * b.height - inter
    return inter / union if union else 0.0


def five_points(rgb: np.ndarray, box: FaceBox) -> Any:
    detector, mesh_model = _models()
    found = detector.detect(rgb, upsample=1)
    if not found:
        return None
    best = max(found, key=lambda d: _overlap(d.box, box))
    if _overlap(best.box, box) < 0.3:
        return None
    mesh = mesh_model.landmarks(rgb, best)
    return None if mesh is None else mesh.dlib5()
