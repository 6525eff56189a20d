"""Passive liveness: the FasNet anti-spoofing models (MiniFASNetV2 + MiniFASNetV1SE) on onnxruntime.

Each model sees its own crop of the frame around the face box the pipeline already found
(``antispoof_crop``: 2.7× and 4.0× the box, 80×80, BGR 0-255) and gives a softmax over
three classes (0 and 2: two kinds of spoof, 1: real). As deepface does, the two softmaxes are
summed; ``LivenessScore.real`` is that sum's class-1 value / 2, in [0, 1], and ``label`` its
argmax. A face is a spoof when ``real < threshold`` (``PASSIVE_THRESHOLD`` by default).

The graphs are ``resources/models/antispoof/*.onnx`` (made by ``tools/models/fasnet_convert.py``
from the original weights; no torch). Both run in ~7 ms per face on one thread here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.recognition import model_files
from core.recognition.antispoof_crop import FACE_WIDTH, model_inputs
from core.recognition.errors import CorruptWeightsError, MissingWeightsError

# resources/ next to core/ in a checkout, and where the bundle's spec puts it
ROOT = Path(__file__).resolve().parents[2]
MODELS_DIR = ROOT / "resources" / "models" / "antispoof"
# deepface's file names; the order of the crops in ``model_inputs``
MODEL_FILES = ("2.7_80x80_MiniFASNetV2.onnx", "4_0_0_80x80_MiniFASNetV1SE.onnx")
REAL_CLASS = 1
# A face is a spoof when its real score is under this (the `passive_threshold` setting
# overrides it). Calibrated with `evaluate-liveness` on 2026-12-02 (docs/develop/numbers.md,
# "Passive liveness"): bpcer <= 2 % on the 61 labelled shared faces holds up to 0.322
# (one face refused, 0.191; the next scores 0.322), and the model authors' spoof samples
# score at most 0.215 (F2 on its own frame), their real one 0.994: 0.30 sits in that gap,
# nearer its top (the higher, the more spoofs refused). deepface's argmax rule sits near 0.5 and
# refused 4 of the 61.
PASSIVE_THRESHOLD = 0.30


@dataclass(frozen=True)
class LivenessScore:
    real: float  # summed softmax of class 1 / 2, in [0, 1]
    label: int  # argmax of the summed softmax (0/2 spoof kinds, 1 real)
    ms: float  # time spent, crops included

    def is_real(self, threshold: float = PASSIVE_THRESHOLD) -> bool:
        return self.real >= threshold


def model_paths(models_dir: Path | None = None) -> list[Path]:
    """The two ONNX files passive liveness needs (doctor and the bundle name them)."""
    folder = MODELS_DIR if models_dir is None else models_dir
    return [folder / name for name in MODEL_FILES]


# these files ship with the program: nothing stages them in the data dir
_FIX = (
    "reinstall Asistencia (the file ships with it in resources/models/antispoof/; "
    "tools/models/fasnet_convert.py makes it again in a checkout), "
    "or choose liveness = blink or off"
)


def _session(path: Path, threads: int, shipped: bool) -> Any:
    """A session of ``path``; a shipped file (``shipped``) is first checked against its
    digest in resources/models/manifest.json, as every shipped model is."""
    import onnxruntime as ort  # type: ignore[import-untyped]

    if not path.is_file():
        raise MissingWeightsError(path, "passive liveness (FasNet anti-spoofing)", hint=_FIX)
    model: bytes | str = (
        model_files.verified_bytes(f"{path.parent.name}/{path.name}") if shipped else str(path)
    )
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        session = ort.InferenceSession(
            model, sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own Fail/InvalidProtobuf types
        detail = f"onnxruntime cannot load it: {str(exc)[:200]}"
        raise CorruptWeightsError(path, detail, _FIX) from exc
    inputs, outputs = session.get_inputs(), session.get_outputs()
    if (
        len(inputs) != 1
        or list(inputs[0].shape[1:]) != [80, 80, 3]
        or len(outputs) != 1
        or list(outputs[0].shape[1:]) != [3]
    ):
        raise CorruptWeightsError(path, "not a FasNet graph ((N, 80, 80, 3) in, (N, 3) out)", _FIX)
    return session


class PassiveLiveness:
    """Both FasNet sessions; ``score`` is safe to call from one thread at a time or several
    (onnxruntime sessions allow concurrent ``run``)."""

    def __init__(self, sessions: tuple[Any, Any], paths: tuple[Path, Path]) -> None:
        self._sessions = sessions
        self._names = tuple(s.get_inputs()[0].name for s in sessions)
        self.paths = paths

    @classmethod
    def load(cls, models_dir: Path | None = None, threads: int = 1) -> PassiveLiveness:
        """Both models from ``models_dir`` (default: resources/models/antispoof), warmed up
        with one inference; a missing or damaged file raises MissingWeightsError or
        CorruptWeightsError naming its path."""
        if threads < 1:
            raise ValueError("threads must be at least 1")
        v2_path, v1se_path = model_paths(models_dir)
        shipped = models_dir is None
        sessions = (_session(v2_path, threads, shipped), _session(v1se_path, threads, shipped))
        scorer = cls(sessions, (v2_path, v1se_path))
        frame = np.full((240, 320, 3), 128, np.uint8)
        try:
            scorer.score(frame, (110.0, 70.0, 100.0, 100.0))
        except Exception as exc:
            detail = f"the warm-up inference failed: {exc}"
            raise CorruptWeightsError(v2_path, detail, _FIX) from exc
        return scorer

    def score(
        self,
        frame_bgr: NDArray[np.uint8],
        box_xywh: tuple[float, float, float, float],
        face_width: float | None = FACE_WIDTH,
    ) -> LivenessScore:
        """The face at ``box_xywh`` (x, y, width, height in ``frame_bgr``'s pixels), seen at
        ``face_width`` px (``antispoof_crop``; None: deepface's crops, as the reference)."""
        start = time.perf_counter()
        total = np.zeros(3, np.float64)
        inputs = model_inputs(frame_bgr, box_xywh, face_width)
        for session, name, x in zip(self._sessions, self._names, inputs, strict=True):
            total += np.asarray(session.run(None, {name: x})[0][0], np.float64)
        ms = (time.perf_counter() - start) * 1000.0
        real = float(np.clip(total[REAL_CLASS] / 2.0, 0.0, 1.0))
        return LivenessScore(real=real, label=int(np.argmax(total)), ms=ms)
