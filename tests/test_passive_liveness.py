"""Passive liveness (core/recognition/antispoof.py): the shipped FasNet graphs through the
scorer the pipeline uses, on the samples and the faces scored by the PyTorch reference."""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from core.recognition.antispoof import (
    MODEL_FILES,
    PASSIVE_THRESHOLD,
    LivenessScore,
    PassiveLiveness,
    model_paths,
)
from core.recognition.errors import CorruptWeightsError, MissingWeightsError, RecognitionError
from tests.conftest import DATA


def reference() -> dict[str, dict[str, Any]]:
    data = json.loads((DATA / "antispoof" / "reference_scores.json").read_text("utf-8"))
    images: dict[str, dict[str, Any]] = data["images"]
    return images


@cache
def scorer() -> PassiveLiveness:
    return PassiveLiveness.load()


def score_of(image: str) -> LivenessScore:
    frame = cv2.imread(str(DATA / image))
    assert frame is not None, image
    x, y, w, h = reference()[image]["box_xywh"]
    return scorer().score(np.asarray(frame, np.uint8), (float(x), float(y), float(w), float(h)))


@pytest.mark.parametrize("image", sorted(reference()))
def test_the_score_is_the_references_summed_softmax(image: str) -> None:
    summed = np.asarray(reference()[image]["sum"])
    result = score_of(image)
    assert abs(result.real - summed[1] / 2) <= 1e-4
    assert result.label == int(np.argmax(summed))
    assert 0.0 <= result.real <= 1.0 and result.ms > 0


@pytest.mark.parametrize(
    ("image", "real"),
    [("antispoof/image_T1.jpg", True), ("antispoof/image_F1.jpg", False),
     ("antispoof/image_F2.jpg", False)],
)  # fmt: skip
def test_the_samples_at_the_threshold(image: str, real: bool) -> None:
    result = score_of(image)
    assert (result.real >= PASSIVE_THRESHOLD) is real, result
    assert result.is_real() is real


def test_a_face_costs_under_10_ms_on_one_thread() -> None:
    times = sorted(score_of("antispoof/image_T1.jpg").ms for _ in range(15))
    assert times[len(times) // 2] < 10.0, times


def test_a_missing_model_names_its_path(tmp_path: Path) -> None:
    shutil.copy(model_paths()[0], tmp_path / MODEL_FILES[0])
    with pytest.raises(MissingWeightsError) as caught:
        PassiveLiveness.load(tmp_path)
    assert caught.value.path == tmp_path / MODEL_FILES[1]
    assert str(tmp_path / MODEL_FILES[1]) in str(caught.value)
    assert isinstance(caught.value, RecognitionError)


def test_a_damaged_model_names_its_path(tmp_path: Path) -> None:
    for source in model_paths():
        shutil.copy(source, tmp_path / source.name)
    damaged = tmp_path / MODEL_FILES[0]
    damaged.write_bytes(damaged.read_bytes()[:5000])
    with pytest.raises(CorruptWeightsError) as caught:
        PassiveLiveness.load(tmp_path)
    assert caught.value.path == damaged and str(damaged) in str(caught.value)
