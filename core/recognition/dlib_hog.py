"""dlib's HOG face detector: an optional detector (``detector = "dlib"``), never the default.

It needs ``dlib-bin`` (the ``dlib`` extra of a source install: Boost Software Licence, but
built with AVX, so it stops a CPU without it with "Illegal instruction"). It gives boxes
only; the face mesh fits the landmarks on each, as for every detector.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from core.recognition import weights
from core.recognition.boxes import FaceBox, Image

log = logging.getLogger(__name__)

HOG_DETECTOR_FILE = "dlib_frontal_face_detector.svm"


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


def frontal_face_detector(home: Path) -> Any:
    """dlib's frontal face detector, loaded from a copy saved in the weights folder.

    ``dlib.get_frontal_face_detector()`` decodes the model compiled into dlib, which takes
    ~650 ms with the GIL held; loading the same model from the file saved at the first start
    takes ~3 ms. A damaged copy is replaced.
    """
    import dlib

    path = weights.weights_dir(home) / HOG_DETECTOR_FILE
    if path.is_file():
        try:
            return dlib.fhog_object_detector(str(path))
        except RuntimeError as exc:
            log.warning("saved face detector %s is damaged (%s); rebuilding it", path, exc)
    detector = dlib.get_frontal_face_detector()
    partial = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        detector.save(str(partial))
        partial.replace(path)
    except (OSError, RuntimeError) as exc:  # a read-only data dir only costs start-up time
        log.warning("cannot save the face detector to %s: %s", path, exc)
        partial.unlink(missing_ok=True)
    return detector
