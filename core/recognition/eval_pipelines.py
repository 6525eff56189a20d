"""Which face pipeline (detector + alignment) ``evaluate`` measures: the registry.

A pipeline turns a photo into its primary face's box and embedding, exactly as enrollment
does. ``evaluate`` measures the configured one (the settings' detector) unless told
``--pipeline NAME`` (once, or twice to compare two in one run). To make a new pipeline
selectable, add one entry to ``PIPELINES``:

- if the loader builds it from a setting (``Models`` then carries its detector and
  alignment, and ``photo_faces``/``face_chip`` use them), the entry is
  ``"name": ("what it is", models_pipeline("name", detector="name"))`` (the keyword
  arguments are the ``RecognitionConfig`` fields that select it);
- otherwise, any class with ``name``, ``label`` and ``primary(image, config)`` (the
  ``EvalPipeline`` protocol below) and a builder ``(config, deepface_home) -> it``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from core.recognition.config import RecognitionConfig
from core.recognition.detect import FaceBox, Image, prepare, primary_face
from core.recognition.embed import face_chip
from core.recognition.enroll import photo_faces
from core.recognition.loader import load_models
from core.recognition.models import Models
from core.recognition.quality import assess


@dataclass(frozen=True)
class PhotoFace:
    """A photo's primary face as a pipeline sees it."""

    box: FaceBox
    vector: NDArray[np.float32]  # unit length
    quality: str  # "ok", or the quality gate enrollment would refuse it at


class EvalPipeline(Protocol):
    name: str  # as given to --pipeline
    model_name: str  # recognition model (threshold, report)
    detector_name: str
    engine: str

    def primary(self, image_bgr: Image, config: RecognitionConfig) -> PhotoFace | None:
        """The primary face (nearest the centre and largest) of a photo, or None."""
        ...


class ModelsPipeline:
    """The pipeline a loaded ``Models`` runs: enrollment's photo search, its alignment and
    its embedder."""

    def __init__(self, name: str, models: Models) -> None:
        self.name = name
        self.models = models
        self.model_name = models.model_name
        self.detector_name = models.detector_name
        self.engine = models.embedder.engine

    def primary(self, image_bgr: Image, config: RecognitionConfig) -> PhotoFace | None:
        frame = prepare(image_bgr)
        faces = photo_faces(self.models, frame)
        face = primary_face(faces, frame.gray.shape[1], frame.gray.shape[0])
        if face is None:
            return None
        embedder = self.models.embedder
        chip = face_chip(frame.rgb, face, embedder.chip_size, embedder.chip_padding)
        quality = assess(face, chip, config)
        return PhotoFace(face.box, embedder.embed(chip[None])[0], quality.message)


PipelineBuilder = Callable[[RecognitionConfig, Path], EvalPipeline]


def models_pipeline(name: str, **settings: Any) -> PipelineBuilder:
    """A builder for the pipeline the loader builds from these recognition settings."""

    def build(config: RecognitionConfig, deepface_home: Path) -> EvalPipeline:
        return ModelsPipeline(name, load_models(config.with_(**settings), deepface_home))

    return build


def _dlib(config: RecognitionConfig, deepface_home: Path) -> EvalPipeline:
    from core.recognition.eval_dlib import build  # it builds on this module

    return build(config, deepface_home)


# name → (what it is, its builder). Register a new pipeline here (see the module docstring).
PIPELINES: dict[str, tuple[str, PipelineBuilder]] = {
    "mediapipe": (
        "MediaPipe's BlazeFace and face mesh on onnxruntime (the default)",
        models_pipeline("mediapipe", detector="mediapipe"),
    ),
    "dlib": (
        "the old pipeline: dlib's HOG detector and 5-point landmarks (the dlib extra)",
        _dlib,
    ),
}


def configured(config: RecognitionConfig, deepface_home: Path) -> EvalPipeline:
    """The pipeline the settings select (what the kiosk runs)."""
    return ModelsPipeline(config.detector, load_models(config, deepface_home))


def build_pipelines(
    names: list[str], config: RecognitionConfig, deepface_home: Path
) -> list[EvalPipeline]:
    """The named pipelines, or the configured one when none is named; raises
    ModelsNotReadyError when one cannot load, ValueError for an unknown name."""
    unknown = [n for n in names if n not in PIPELINES]
    if unknown:
        raise ValueError(f"unknown pipeline(s) {', '.join(unknown)}; known: {', '.join(PIPELINES)}")
    if not names:
        return [configured(config, deepface_home)]
    return [PIPELINES[n][1](config, deepface_home) for n in dict.fromkeys(names)]
