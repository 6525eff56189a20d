"""``main.py evaluate-liveness``: passive liveness (FasNet) measured on a folder of faces.

Dataset: a folder with ``real/`` and/or ``spoof/`` sub-folders of images (searched
recursively). Each image is first scaled down to fit the kiosk camera's 640×480 frame, the
picture passive liveness sees in the kiosk (``PassiveLiveness`` shrinks a large face to 160
px anyway, but the detector and the crops' context are then the kiosk's own). The primary
face is then found as ``evaluate`` and enrollment find it (the finer photo search; the face
nearest the centre and largest) and scored by ``PassiveLiveness`` on that same picture. An
image that cannot be read, or has no face, is counted and named, never silently dropped.

Metrics (ISO/IEC 30107-3's names; a face is refused as a spoof when ``real < threshold``):
- ``apcer``: the share of spoof faces accepted as real;
- ``bpcer``: the share of real faces refused as spoofs;
- the time per face (both models and their crops), median and p90;
- the worst cases: the lowest-scoring real faces and the highest-scoring spoofs;
- ``threshold_at_bpcer_2pct``: the highest threshold that still refuses at most 2 % of the
  real faces (with the apcer it would give), to calibrate ``PASSIVE_THRESHOLD`` from;
- with ``--json``, every face's score (``scores``), to study other thresholds.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from numpy.typing import NDArray

from core.host.images import IMAGE_SUFFIXES, ImageError, fit_within, read_image
from core.recognition.antispoof import PASSIVE_THRESHOLD, PassiveLiveness
from core.recognition.config import RecognitionConfig
from core.recognition.detect import prepare, primary_face
from core.recognition.enroll import photo_faces
from core.recognition.errors import RecognitionError
from core.recognition.evaluate import json_ready
from core.recognition.loader import load_models
from core.recognition.models import Models

CLASSES = ("real", "spoof")
# the kiosk camera's frame: every image is scored at that size (see the module docstring)
FRAME_W, FRAME_H = 640, 480
WORST = 5
BPCER_TARGET = 0.02


class LivenessDatasetError(RecognitionError):
    """The dataset folder cannot be used; the message says why."""


@dataclass(frozen=True)
class Scored:
    file: str  # relative to the dataset folder
    kind: str  # "real" or "spoof"
    real: float
    ms: float


def dataset_images(root: Path) -> dict[str, list[Path]]:
    """The images of ``real/`` and ``spoof/`` (recursively, sorted); raises when unusable."""
    if not root.is_dir():
        raise LivenessDatasetError(f"dataset folder {root} does not exist")
    present = [kind for kind in CLASSES if (root / kind).is_dir()]
    if not present:
        raise LivenessDatasetError(
            f"{root} has no real/ or spoof/ sub-folder (put real faces in real/, attacks in spoof/)"
        )
    images = {
        kind: sorted(
            p
            for p in (root / kind).rglob("*")
            if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
        )
        for kind in present
    }
    if not any(images.values()):
        raise LivenessDatasetError(f"{', '.join(f'{root / k}/' for k in present)}: no images")
    return images


def camera_sized(image: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """``image`` scaled down (never up, area-averaged) to fit the camera's 640×480."""
    h, w = image.shape[:2]
    scale = min(FRAME_W / w, FRAME_H / h)
    if scale >= 1.0:
        return image
    return fit_within(image, max(1, round(max(h, w) * scale)))


def score_image(models: Models, liveness: PassiveLiveness, path: Path) -> tuple[float, float] | str:
    """(real score, ms) for the image's primary face, or why there is none."""
    try:
        image = camera_sized(read_image(path))
    except ImageError as exc:
        return f"unreadable: {exc}"
    face = primary_face(photo_faces(models, prepare(image)), image.shape[1], image.shape[0])
    if face is None:
        return "no face found"
    x, y, w, h = face.box.xywh()
    result = liveness.score(image, (float(x), float(y), float(w), float(h)))
    return result.real, result.ms


def threshold_for_bpcer(reals: Sequence[float], target: float = BPCER_TARGET) -> float | None:
    """The highest threshold refusing at most ``target`` of ``reals`` (refused: < t)."""
    if not reals:
        return None
    ordered = sorted(reals)
    allowed = math.floor(target * len(ordered) + 1e-9)  # real faces that may be refused
    return ordered[allowed] if allowed < len(ordered) else ordered[-1]


def evaluate_liveness(
    models: Models, liveness: PassiveLiveness, root: Path, threshold: float
) -> dict[str, Any]:
    images = dataset_images(root)
    scored: list[Scored] = []
    no_face: list[str] = []
    unreadable: list[str] = []
    for kind, paths in images.items():
        for path in paths:
            rel = str(path.relative_to(root))
            outcome = score_image(models, liveness, path)
            if isinstance(outcome, str):
                (unreadable if outcome.startswith("unreadable") else no_face).append(
                    f"{rel}: {outcome}"
                )
            else:
                scored.append(Scored(rel, kind, outcome[0], outcome[1]))
    reals = [s for s in scored if s.kind == "real"]
    spoofs = [s for s in scored if s.kind == "spoof"]
    refused = [s for s in reals if s.real < threshold]
    accepted = [s for s in spoofs if s.real >= threshold]
    ms = np.array([s.ms for s in scored], np.float64)
    calibrated = threshold_for_bpcer([s.real for s in reals])
    return {
        "dataset": str(root),
        "threshold": threshold,
        "rule": "spoof when real < threshold (real: summed FasNet class-1 softmax / 2)",
        "real_images": len(images.get("real", [])),
        "spoof_images": len(images.get("spoof", [])),
        "real_faces": len(reals),
        "spoof_faces": len(spoofs),
        "apcer": len(accepted) / len(spoofs) if spoofs else None,
        "bpcer": len(refused) / len(reals) if reals else None,
        "spoofs_accepted": len(accepted),
        "reals_refused": len(refused),
        "ms_median": float(np.median(ms)) if ms.size else None,
        "ms_p90": float(np.percentile(ms, 90)) if ms.size else None,
        "worst_real": [_case(s) for s in sorted(reals, key=lambda s: s.real)[:WORST]],
        "worst_spoof": [_case(s) for s in sorted(spoofs, key=lambda s: -s.real)[:WORST]],
        "threshold_at_bpcer_2pct": calibrated,
        "apcer_at_that_threshold": (
            sum(s.real >= calibrated for s in spoofs) / len(spoofs)
            if spoofs and calibrated is not None
            else None
        ),
        "by_folder": _by_folder(scored, threshold),
        "real_score_min": min((s.real for s in reals), default=None),
        "spoof_score_max": max((s.real for s in spoofs), default=None),
        "faces_not_found": no_face,
        "unreadable": unreadable,
        "scores": [
            {"file": s.file, "kind": s.kind, "real": round(s.real, 4), "ms": round(s.ms, 2)}
            for s in scored
        ],
    }


def _by_folder(scored: Sequence[Scored], threshold: float) -> dict[str, dict[str, Any]]:
    """The error rate per sub-folder of real/ or spoof/ (one attack kind each, say)."""
    groups: dict[str, list[Scored]] = {}
    for s in scored:
        parts = Path(s.file).parts
        if len(parts) > 2:
            groups.setdefault(f"{parts[0]}/{parts[1]}", []).append(s)
    out = {}
    for name, members in sorted(groups.items()):
        wrong = sum((m.real >= threshold) == (m.kind == "spoof") for m in members)
        metric = "apcer" if members[0].kind == "spoof" else "bpcer"
        out[name] = {"faces": len(members), "wrong": wrong, metric: wrong / len(members)}
    return out


def _case(s: Scored) -> dict[str, Any]:
    return {"file": s.file, "real": round(s.real, 4)}


def format_report(r: Mapping[str, Any]) -> str:
    def pct(key: str, count: str, of: str) -> str:
        v = r[key]
        return "n/a (none scored)" if v is None else f"{100 * v:.2f} % ({r[count]} of {r[of]})"

    def ms(key: str) -> str:
        return "n/a" if r[key] is None else f"{r[key]:.1f} ms"

    def cases(key: str) -> str:
        return ", ".join(f"{c['file']} {c['real']:.3f}" for c in r[key]) or "none"

    calibrated = r["threshold_at_bpcer_2pct"]
    apcer_there = r["apcer_at_that_threshold"]
    lines = [
        f"Dataset    {r['dataset']} ({r['real_images']} real, {r['spoof_images']} spoof images)",
        f"Threshold  {r['threshold']:.3f} (a face is a spoof when its real score is under it)",
        "",
        f"APCER (spoofs accepted)        {pct('apcer', 'spoofs_accepted', 'spoof_faces')}",
        f"BPCER (real faces refused)     {pct('bpcer', 'reals_refused', 'real_faces')}",
        f"Time per face                  {ms('ms_median')} median, {ms('ms_p90')} p90",
        f"Lowest-scoring real faces      {cases('worst_real')}",
        f"Highest-scoring spoofs         {cases('worst_spoof')}",
        "Threshold at BPCER <= 2 %      "
        + (
            "n/a"
            if calibrated is None
            else f"{calibrated:.3f}"
            + ("" if apcer_there is None else f" (APCER there {100 * apcer_there:.2f} %)")
        ),
    ]
    for name, group in r["by_folder"].items():
        metric = "apcer" if "apcer" in group else "bpcer"
        lines.append(
            f"  {name + '/':<28} {metric.upper()} {100 * group[metric]:.2f} %"
            f" ({group['wrong']} of {group['faces']})"
        )
    if r["faces_not_found"]:
        lines.append(
            f"No face found in {len(r['faces_not_found'])}: {', '.join(r['faces_not_found'])}"
        )
    if r["unreadable"]:
        lines.append(f"Unreadable {len(r['unreadable'])}: {', '.join(r['unreadable'])}")
    return "\n".join(lines) + "\n"


def run_evaluate_liveness(
    dataset: Path,
    config: RecognitionConfig,
    deepface_home: Path,
    *,
    threshold: float | None = None,
    as_json: bool = False,
    out: TextIO | None = None,
) -> int:
    """CLI entry: 0 when it ran, 2 for a bad dataset or threshold, 1 if a model failed."""
    out = out or sys.stdout
    t = PASSIVE_THRESHOLD if threshold is None else threshold
    if not 0.0 <= t <= 1.0:
        print(f"asistencia: --threshold {t} is not between 0 and 1", file=sys.stderr)
        return 2
    try:
        dataset_images(dataset)
    except LivenessDatasetError as exc:
        print(f"asistencia: {exc}", file=sys.stderr)
        return 2
    try:
        models = load_models(config, deepface_home)
        liveness = PassiveLiveness.load()
    except RecognitionError as exc:  # ModelsNotReadyError, a missing or damaged file
        print(f"asistencia: the models could not be loaded: {exc}", file=sys.stderr)
        return 1
    report = json_ready(evaluate_liveness(models, liveness, dataset, t))
    if as_json:
        json.dump(report, out, indent=2)
        out.write("\n")
    else:
        out.write(format_report(report))
    return 0
