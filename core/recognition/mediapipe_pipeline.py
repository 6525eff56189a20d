"""The dlib-free pipeline, as ``evaluate --pipeline mediapipe`` measures it: MediaPipe's
full-range detector and face mesh on onnxruntime (core/recognition/blazeface.py,
face_mesh.py), the mesh's five points in dlib's order, dlib's chip geometry reproduced
without dlib (face_chip.py) and the same Dlib ResNet embedding on ONNX.

Not yet what the kiosk runs (issue 23): it is here so that the old and the new pipeline are
measured on the same photos, perturbed or not, in one run.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.recognition.blazeface import BlazeFaceDetector
from core.recognition.config import RecognitionConfig
from core.recognition.detect import DetectedFace, Image, prepare, primary_face
from core.recognition.embed import face_chip
from core.recognition.eval_pipelines import PhotoFace
from core.recognition.face_mesh import FaceMeshModel
from core.recognition.loader import load_models
from core.recognition.models import Models
from core.recognition.quality import assess


class MediaPipePipeline:
    name = "mediapipe"
    detector_name = "mediapipe"

    def __init__(self, models: Models, detector: BlazeFaceDetector, mesh: FaceMeshModel) -> None:
        self._models = models
        self._detector = detector
        self._mesh = mesh
        self.model_name = models.model_name
        self.engine = models.embedder.engine

    def faces(self, image_bgr: Image) -> list[DetectedFace]:
        """Every face of a photo with its five points (photos: one upsampling pass, so a
        small face in a large picture is found as enrollment's photo search finds it)."""
        frame = prepare(image_bgr)
        found = []
        for detection in self._detector.detect(frame.rgb, upsample=1):
            mesh = self._mesh.landmarks(frame.rgb, detection)
            if mesh is None:
                continue
            points = np.asarray(mesh.dlib5(), dtype=np.float32)
            found.append(DetectedFace(detection.box, points, None))
        return found

    def primary(self, image_bgr: Image, config: RecognitionConfig) -> PhotoFace | None:
        frame = prepare(image_bgr)
        faces = self.faces(image_bgr)
        face = primary_face(faces, frame.gray.shape[1], frame.gray.shape[0])
        if face is None:
            return None
        embedder = self._models.embedder
        chip = face_chip(frame.rgb, face, embedder.chip_size, embedder.chip_padding)
        quality = assess(face, chip, config)
        return PhotoFace(face.box, embedder.embed(chip[None])[0], quality.message)


def build(config: RecognitionConfig, deepface_home: Path) -> MediaPipePipeline:
    """The embedder the settings configure (Dlib on ONNX by default), MediaPipe's models."""
    return MediaPipePipeline(
        load_models(config, deepface_home),
        BlazeFaceDetector.load("full", threads=config.threads),
        FaceMeshModel.load(threads=config.threads),
    )
