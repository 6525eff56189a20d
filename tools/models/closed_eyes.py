"""Close a face's eyes in a photo, as a blink does: the upper lid's skin drawn down over
each eye, with a lash line where the lids meet.

Used by the blink tests (tests/recognition/test_recognition.py), the no-AVX proof's video
(tools/release/noavx_check.py) and the measurement in resources/models/mediapipe/NOTICE.md. Painting
the eye over with skin alone is not a closed eye: the models still see an eye's shape in it.
Run as a script, it prints each photo's eye-aspect ratio open and closed, from the face
mesh's eye points and from the iris model's eyelids::

    .venv/bin/python -m tools.models.closed_eyes tests/data/faces/img*.jpg
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from core.host.images import read_image
from core.recognition.blazeface import BlazeFaceDetector
from core.recognition.face_mesh import FaceMeshModel
from core.recognition.face_mesh import eye_sample as mesh_eye_sample
from core.recognition.iris import IrisModel

Frame = NDArray[np.uint8]


def close_eyes(frame_bgr: Frame, outlines: Sequence[NDArray[np.floating]]) -> Frame:
    """``frame_bgr`` with each eye (its outline's points, frame pixels) closed."""
    out = frame_bgr.copy()
    height, width = frame_bgr.shape[:2]
    for outline in outlines:
        x, y, w, h = cv2.boundingRect(np.asarray(outline, np.float32).astype(np.int32))
        x0, x1 = max(0, x - 3), min(width, x + w + 3)
        top, bottom = max(0, y - h), min(height, y + h + 2)
        if y - top < 1 or bottom - top < 2 or x1 - x0 < 2:
            continue
        lid = frame_bgr[top:y, x0:x1]  # the skin above the eye, stretched down over it
        stretched = cv2.resize(lid, (x1 - x0, bottom - top), interpolation=cv2.INTER_LINEAR)
        mask = np.zeros((bottom - top, x1 - x0), np.float32)
        centre = ((x1 - x0) // 2, (y - top) + h // 2)
        cv2.ellipse(mask, centre, ((x1 - x0) // 2, h // 2 + 3), 0, 0, 360, 1.0, -1)
        mask = cv2.GaussianBlur(mask, (7, 7), 2)[..., None]
        region = out[top:bottom, x0:x1].astype(np.float32)
        out[top:bottom, x0:x1] = (region * (1 - mask) + stretched * mask).astype(np.uint8)
        lashes = (x + w // 2, y + h // 2 + 1)
        cv2.ellipse(out, lashes, (w // 2, max(2, h // 5)), 0, 10, 170, (40, 35, 35), 2)
    return out


class EyeFinder:
    """The shipped models, for finding the eyes of the largest face in a photo."""

    def __init__(self) -> None:
        self.detector = BlazeFaceDetector.load("full")
        self.mesh = FaceMeshModel.load()
        self.iris = IrisModel.load()

    def mesh_points(self, bgr: Frame) -> NDArray[np.float32]:
        rgb = np.ascontiguousarray(bgr[:, :, ::-1])
        found = self.detector.detect(rgb, upsample=1)
        if not found:
            raise ValueError("no face")
        largest = max(found, key=lambda d: d.box.width)
        mesh = self.mesh.landmarks(rgb, largest)
        if mesh is None:
            raise ValueError("no mesh")
        return mesh.points

    def outlines(self, bgr: Frame) -> list[NDArray[np.float32]]:
        """Both eyes' outlines (the iris model's), frame pixels."""
        rgb = np.ascontiguousarray(bgr[:, :, ::-1])
        points = self.mesh_points(bgr)
        return [self.iris.outline(rgb, points, side) for side in ("right", "left")]

    def ears(self, bgr: Frame) -> tuple[float, float]:
        """(face mesh EAR, iris EAR) of the largest face."""
        rgb = np.ascontiguousarray(bgr[:, :, ::-1])
        points = self.mesh_points(bgr)
        return mesh_eye_sample(points).ear, self.iris.eye_sample(rgb, points).ear


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="EAR of photos, eyes open and closed")
    parser.add_argument("photos", nargs="+", type=Path)
    args = parser.parse_args(argv)
    finder = EyeFinder()
    print("photo        mesh open -> closed (ratio)   iris open -> closed (ratio)")
    for path in args.photos:
        bgr = read_image(path)
        mesh_open, iris_open = finder.ears(bgr)
        mesh_shut, iris_shut = finder.ears(close_eyes(bgr, finder.outlines(bgr)))
        print(
            f"{path.name:12} {mesh_open:.3f} -> {mesh_shut:.3f} ({mesh_shut / mesh_open:.2f})"
            f"        {iris_open:.3f} -> {iris_shut:.3f} ({iris_shut / iris_open:.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
