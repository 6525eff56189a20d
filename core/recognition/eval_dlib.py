"""The old pipeline, for ``evaluate --pipeline dlib`` to measure beside the current one.

Until the detector moved to MediaPipe, the kiosk found faces with dlib's HOG detector and
placed the five alignment points with dlib's 5-point model. This rebuilds exactly that (photo
search as enrollment did it, the same chip and the same embedder), so a change of the
default is measured against what it replaced on the same photos in one run. It needs the
``dlib`` extra of a source install (``dlib-bin`` and ``face-recognition-models``, dev.lock);
without it, the pipeline says so and nothing else is affected.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from core.i18n import Message
from core.recognition import weights
from core.recognition.config import RecognitionConfig
from core.recognition.detect import (
    DetectedFace,
    FaceBox,
    Image,
    detection_plan,
    prepare,
    primary_face,
)
from core.recognition.embed import face_chip
from core.recognition.enroll import PHOTO_DETECT_MAX_SIDE, PHOTO_MIN_FACE_PX
from core.recognition.errors import RecognitionError
from core.recognition.eval_pipelines import PhotoFace
from core.recognition.loader import load_models
from core.recognition.models import Models
from core.recognition.quality import assess

SHAPE5 = "shape_predictor_5_face_landmarks.dat"


class DlibPipeline:
    name = "dlib"
    detector_name = "dlib"

    def __init__(self, models: Models, hog: Any, shape5: Any) -> None:
        self._models = models
        self._hog = hog
        self._shape5 = shape5
        self.model_name = models.model_name
        self.engine = models.embedder.engine

    def faces(self, image_bgr: Image) -> list[DetectedFace]:
        import dlib

        frame = prepare(image_bgr)
        h, w = frame.gray.shape
        scale, upsample = detection_plan(
            w, h, detector="dlib", min_face_px=PHOTO_MIN_FACE_PX, max_side=PHOTO_DETECT_MAX_SIDE
        )
        gray = frame.gray
        if scale < 1.0:
            size = (max(1, round(w * scale)), max(1, round(h * scale)))
            gray = np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), np.uint8)
        rects, scores, _ = self._hog.run(gray, upsample, 0.0)
        faces = []
        for r, score in zip(rects, scores, strict=True):
            box = FaceBox(
                max(0, math.floor(r.left() / scale)),
                max(0, math.floor(r.top() / scale)),
                min(w, math.ceil(r.right() / scale)),
                min(h, math.ceil(r.bottom() / scale)),
                float(score),
            )
            shape = self._shape5(
                frame.rgb, dlib.rectangle(box.left, box.top, box.right, box.bottom)
            )
            points = np.array([(shape.part(i).x, shape.part(i).y) for i in range(5)], np.float32)
            faces.append(DetectedFace(box, points))
        return faces

    def primary(self, image_bgr: Image, config: RecognitionConfig) -> PhotoFace | None:
        frame = prepare(image_bgr)
        face = primary_face(self.faces(image_bgr), frame.gray.shape[1], frame.gray.shape[0])
        if face is None:
            return None
        embedder = self._models.embedder
        chip = face_chip(frame.rgb, face, embedder.chip_size, embedder.chip_padding)
        quality = assess(face, chip, config)
        return PhotoFace(face.box, embedder.embed(chip[None])[0], quality.message)


def build(config: RecognitionConfig, deepface_home: Path) -> DlibPipeline:
    try:
        import dlib
    except ImportError:
        raise RecognitionError(Message("models.dlib_extra")) from None
    source = weights.packaged_dir()
    if source is None or not (source / SHAPE5).is_file():
        raise RecognitionError(Message("models.dlib_models"))
    hog = dlib.get_frontal_face_detector()
    shape5 = dlib.shape_predictor(str(source / SHAPE5))
    return DlibPipeline(load_models(config, deepface_home), hog, shape5)
