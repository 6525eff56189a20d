"""The default pipeline (MediaPipe's detector and mesh, dlib's chip geometry without dlib,
the Dlib ResNet on ONNX) against the old one (dlib's HOG and 5-point model, the ``dlib``
extra), on real photos: templates enrolled before the change must match probes made after
it (an upgraded kiosk keeps recognising everyone), and strangers must stay strangers."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from core.host.images import read_image
from core.recognition.config import RecognitionConfig
from core.recognition.eval_pipelines import EvalPipeline, build_pipelines
from tests.support.paths import FACES

CONFIG = RecognitionConfig()
THRESHOLD = 0.066  # Dlib's cosine distance (core/recognition/config.py)


@pytest.fixture(scope="module")
def pipelines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, EvalPipeline]:
    pytest.importorskip("dlib")  # the old pipeline: the dlib extra (dev.lock)
    home = tmp_path_factory.mktemp("deepface-home")
    built = build_pipelines(["dlib", "mediapipe"], CONFIG, home)
    return {p.name: p for p in built}


def _labels() -> dict[str, str]:
    with (FACES / "labels.csv").open(encoding="utf-8") as handle:
        return {row["file"]: row["identity"] for row in csv.DictReader(handle)}


def test_old_templates_match_new_probes_and_strangers_stay_strangers(
    pipelines: dict[str, EvalPipeline],
) -> None:
    labels = _labels()
    old, new = {}, {}
    for name in labels:
        image = read_image(FACES / name)
        before = pipelines["dlib"].primary(image, CONFIG)
        after = pipelines["mediapipe"].primary(image, CONFIG)
        assert before is not None and after is not None, name
        old[name], new[name] = before.vector, after.vector
    for a in labels:
        # The same photo through both pipelines: far inside the threshold.
        assert 1.0 - float(np.dot(old[a], new[a])) < THRESHOLD / 5, a
        for b in labels:
            if a == b:
                continue
            distance = 1.0 - float(np.dot(old[a], new[b]))
            if labels[a] == labels[b]:
                assert distance < THRESHOLD, (a, b, distance)
            else:
                assert distance > THRESHOLD, (a, b, distance)


def test_no_face_and_several_faces(pipelines: dict[str, EvalPipeline]) -> None:
    mediapipe = pipelines["mediapipe"]
    assert mediapipe.primary(read_image(FACES / "no_face.jpg"), CONFIG) is None
    assert mediapipe.primary(read_image(FACES / "couple.jpg"), CONFIG) is not None
