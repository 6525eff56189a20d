"""``main.py evaluate``: recognition accuracy on a labelled set of photos.

Dataset: a folder with ``labels.csv`` (``file,identity``) or one sub-folder per person.
Pair files (any other CSV with ``file_x,file_y`` and a ``decision``/``label`` column of
Yes/No or 1/0) define the verification pairs; without them every pair of labelled photos is
used. Each photo is embedded exactly as enrollment does (its primary face; the gates are
reported, not applied, so a photo is never silently dropped).

Metrics (distances are cosine distances; a pair is "same" when distance ≤ threshold):
- verification accuracy at the operating threshold (settings, else the model's calibrated
  default), and a cross-validated accuracy where each pair is scored at a threshold chosen
  only on pairs that share no identity with it (leave-identities-out);
- ROC AUC; TAR at FAR 1 % and 0.1 % (the FAR resolution is 1/impostor pairs);
- rank-1 identification with a leave-one-out gallery;
- strangers accepted: each identity in turn is removed from the gallery and its photos are
  probed; any match at or under the threshold is a stranger accepted as someone else.

``--pipeline NAME`` measures a registered detector + alignment (core/recognition/
eval_pipelines.py) instead of the configured one; named twice, both in one run.
``--perturb`` adds runs on perturbed copies of the photos (core/recognition/robustness.py).
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from numpy.typing import NDArray

from core.host.bounded_read import DATASET_LIST, read_bounded_text
from core.host.images import IMAGE_SUFFIXES, ImageError, fit_within, read_image
from core.recognition.config import RecognitionConfig
from core.recognition.detect import FaceBox
from core.recognition.enroll import PHOTO_MAX_SIDE
from core.recognition.errors import ModelsNotReadyError, RecognitionError
from core.recognition.eval_pipelines import EvalPipeline, PhotoFace, build_pipelines
from core.recognition.metrics import (
    accuracy_at,
    calibrate_threshold,
    leave_identities_out,
    rank1_and_strangers,
    roc_auc,
    tar_at_far,
)
from core.recognition.perturb import parse_names
from core.recognition.robustness import add_robustness, format_robustness

_YES = {"yes", "y", "true", "1", "same", "match"}
_NO = {"no", "n", "false", "0", "different", "impostor"}


class DatasetError(RecognitionError):
    """The dataset folder cannot be used; the message says why."""


@dataclass(frozen=True)
class Dataset:
    root: Path
    labels: dict[str, str]  # file (relative to root) → identity
    pairs: list[tuple[str, str, bool]]  # (file, file, same person)
    pairs_source: str


def load_dataset(root: Path) -> Dataset:
    if not root.is_dir():
        raise DatasetError(f"dataset folder {root} does not exist")
    labels_file = root / "labels.csv"
    labels = _read_labels(labels_file) if labels_file.is_file() else _folder_labels(root)
    if not labels:
        raise DatasetError(f"{root} has no labels.csv and no per-person folders of images")
    missing = [f for f in labels if not (root / f).is_file()]
    if missing:
        raise DatasetError(f"labelled files missing from {root}: {', '.join(missing[:5])}")
    pairs: dict[tuple[str, str], bool] = {}
    sources = []
    by_name = {Path(f).name: f for f in labels}
    for csv_file in sorted(root.glob("*.csv")):
        if csv_file == labels_file:
            continue
        found = _read_pairs(csv_file, labels, by_name)
        if found is not None:
            sources.append(csv_file.name)
            for a, b, same in found:
                pairs[(min(a, b), max(a, b))] = same
    if not pairs:
        files = sorted(labels)
        for i, a in enumerate(files):
            for b in files[i + 1 :]:
                pairs[(a, b)] = labels[a] == labels[b]
        source = "every pair of labelled photos"
    else:
        source = ", ".join(sources)
    return Dataset(root, labels, [(a, b, s) for (a, b), s in sorted(pairs.items())], source)


def _folder_labels(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): person.name
        for person in sorted(root.iterdir())
        if person.is_dir()
        for p in sorted(person.iterdir())
        if p.suffix.lower() in IMAGE_SUFFIXES
    }


def _bounded_csv(path: Path) -> io.StringIO:
    """A list of the dataset, read with a bound (core/host/bounded_read.py): a pipe or a huge
    file named ``*.csv`` in the folder is refused, not read."""
    return io.StringIO(read_bounded_text(path, DATASET_LIST), newline="")


def _read_labels(path: Path) -> dict[str, str]:
    with _bounded_csv(path) as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise DatasetError(f"{path} is empty")
    header = [c.strip().lower() for c in rows[0]]
    body = rows[1:] if {"file", "identity"} & set(header) or "label" in header else rows
    out = {}
    for n, row in enumerate(body, start=2):
        if len(row) < 2 or not row[0].strip():
            raise DatasetError(f"{path} line {n}: expected 'file,identity'")
        out[row[0].strip()] = row[1].strip()
    return out


def _read_pairs(
    path: Path, labels: Mapping[str, str], by_name: Mapping[str, str]
) -> list[tuple[str, str, bool]] | None:
    with _bounded_csv(path) as fh:
        reader = csv.DictReader(fh)
        fields = {f.strip().lower(): f for f in reader.fieldnames or []}
        decision = next(
            (fields[k] for k in ("decision", "label", "same", "match") if k in fields), None
        )
        if "file_x" not in fields or "file_y" not in fields or decision is None:
            return None
        out = []
        for n, row in enumerate(reader, start=2):
            a = _resolve(row[fields["file_x"]], labels, by_name)
            b = _resolve(row[fields["file_y"]], labels, by_name)
            value = (row[decision] or "").strip().lower()
            if value not in _YES | _NO:
                raise DatasetError(f"{path.name} line {n}: decision {value!r} is not Yes/No")
            if a is None or b is None:
                raise DatasetError(f"{path.name} line {n}: a file of the pair is not in labels")
            out.append((a, b, value in _YES))
        return out


def _resolve(name: str, labels: Mapping[str, str], by_name: Mapping[str, str]) -> str | None:
    name = name.strip()
    if name in labels:
        return name
    return by_name.get(Path(name).name)  # pair files often carry another project's paths


# --- running -----------------------------------------------------------------------------


def embed_photo(
    pipeline: EvalPipeline, path: Path, config: RecognitionConfig
) -> tuple[PhotoFace | None, str]:
    """The primary face (box and embedding), and a note (quality or why there is none)."""
    try:
        image = fit_within(read_image(path), PHOTO_MAX_SIDE)
    except ImageError as exc:
        return None, str(exc)
    face = pipeline.primary(image, config)
    if face is None:
        return None, "no face found"
    return face, face.quality


@dataclass
class Embedded:
    vectors: dict[str, NDArray[np.float32]]
    no_face: list[str]  # "file: why"
    gated: dict[str, str]  # file → the quality gate it would fail at enrollment
    seconds: float
    boxes: dict[str, FaceBox] = field(default_factory=dict)  # file → its primary face


def embed_dataset(pipeline: EvalPipeline, dataset: Dataset, config: RecognitionConfig) -> Embedded:
    t0 = time.perf_counter()
    out = Embedded({}, [], {}, 0.0)
    for file in sorted(dataset.labels):
        face, note = embed_photo(pipeline, dataset.root / file, config)
        if face is None:
            out.no_face.append(f"{file}: {note}")
        else:
            out.vectors[file] = face.vector
            out.boxes[file] = face.box
            if note != "ok":
                out.gated[file] = note
    out.seconds = time.perf_counter() - t0
    return out


def evaluate(
    pipeline: EvalPipeline,
    dataset: Dataset,
    config: RecognitionConfig,
    embedded: Embedded | None = None,
) -> dict[str, Any]:
    emb = embedded or embed_dataset(pipeline, dataset, config)
    vectors, no_face, gated, embed_s = emb.vectors, emb.no_face, emb.gated, emb.seconds
    threshold = config.effective_threshold

    d = np.array(
        [
            1.0 - float(vectors[a] @ vectors[b]) if a in vectors and b in vectors else math.inf
            for a, b, _ in dataset.pairs
        ]
    )
    same = np.array([s for _, _, s in dataset.pairs], dtype=bool)
    ids = [frozenset({dataset.labels[a], dataset.labels[b]}) for a, b, _ in dataset.pairs]
    cv_acc, cv_thresholds = leave_identities_out(d, same, ids)
    tar1, t1 = tar_at_far(d, same, 0.01)
    tar01, t01 = tar_at_far(d, same, 0.001)
    files = sorted(vectors)
    id_stats = (
        rank1_and_strangers(
            np.stack([vectors[f] for f in files]), [dataset.labels[f] for f in files], threshold
        )
        if files
        else {}
    )
    predicted = d <= threshold
    calibrated, calibration_pairs = calibrate_threshold(
        vectors, dataset.labels, {(a, b) for a, b, _ in dataset.pairs}
    )
    report: dict[str, Any] = {
        "dataset": str(dataset.root),
        "pipeline": pipeline.name,
        "model": pipeline.model_name,
        "detector": pipeline.detector_name,
        "engine": pipeline.engine,
        "distance": "cosine",
        "threshold": threshold,
        "threshold_source": "settings"
        if config.threshold is not None
        else f"calibrated default for {pipeline.model_name}",
        "verification_accuracy": accuracy_at(d, same, threshold),
        "calibrated_threshold": calibrated,
        "calibration_impostor_pairs": calibration_pairs,
        "cv_verification_accuracy": cv_acc,
        "cv_threshold_min": min(cv_thresholds) if cv_thresholds else math.nan,
        "cv_threshold_max": max(cv_thresholds) if cv_thresholds else math.nan,
        "roc_auc": roc_auc(d, same),
        "tar_at_far_1pct": tar1,
        "tar_at_far_0_1pct": tar01,
        "threshold_at_far_1pct": t1,
        "threshold_at_far_0_1pct": t01,
        **id_stats,
        "false_accepts": int(np.sum(predicted & ~same)),
        "false_rejects": int(np.sum(~predicted & same)),
        "pairs": len(dataset.pairs),
        "genuine_pairs": int(same.sum()),
        "impostor_pairs": int((~same).sum()),
        "pairs_source": dataset.pairs_source,
        "images": len(dataset.labels),
        "identities": len(set(dataset.labels.values())),
        "faces_not_found": no_face,
        "below_quality_gates": gated,
        "genuine_distance_max": float(np.max(d[same])) if same.any() else math.nan,
        "impostor_distance_min": float(np.min(d[~same])) if (~same).any() else math.nan,
        "embed_seconds": round(embed_s, 2),
    }
    return report


def json_ready(value: Any) -> Any:
    """A report for JSON: NaN and infinities as null, floats to 6 decimals (evaluate and
    evaluate-liveness share it)."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else round(value, 6)
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    return value


def format_report(r: Mapping[str, Any]) -> str:
    def pct(key: str) -> str:
        v = r.get(key)
        return (
            "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{100 * v:.2f} %"
        )

    def num(key: str) -> str:
        v = r.get(key)
        return "n/a" if not isinstance(v, int | float) or math.isnan(v) else f"{v:.4f}"

    calibrated = r.get("calibrated_threshold")
    lines = [
        f"Dataset    {r['dataset']} ({r['images']} photos, {r['identities']} people)",
        f"Model      {r['model']} + {r['detector']} ({r['engine']}), cosine distance",
        f"Pairs      {r['pairs']} ({r['genuine_pairs']} same, {r['impostor_pairs']} different)"
        f" from {r['pairs_source']}",
        f"Threshold  {r['threshold']:.4f} ({r['threshold_source']}); calibrated on this set's "
        f"{r['calibration_impostor_pairs']} unscored impostor pairs: "
        + ("n/a" if calibrated is None else f"{calibrated:.3f}"),
        "",
        f"Verification accuracy at the threshold   {pct('verification_accuracy')}"
        f"  ({r['false_accepts']} false accepts, {r['false_rejects']} false rejects)",
        f"Cross-validated (leave identities out)   {pct('cv_verification_accuracy')}"
        f"  (fold thresholds {num('cv_threshold_min')}-{num('cv_threshold_max')})",
        f"ROC AUC                                  {num('roc_auc')}",
        f"TAR at FAR 1 %                           {pct('tar_at_far_1pct')}",
        f"TAR at FAR 0.1 %                         {pct('tar_at_far_0_1pct')}",
        f"Rank-1 identification (leave one out)    {pct('rank1_accuracy')}"
        f" of {r.get('rank1_probes', 0)} probes",
        f"Strangers accepted                       {r.get('strangers_accepted', 'n/a')} of "
        f"{r.get('stranger_probes', 0)} probes (each person removed from the gallery in turn)",
    ]
    if r["faces_not_found"]:
        lines.append(f"No face found in: {', '.join(r['faces_not_found'])}")
    if r["below_quality_gates"]:
        lines.append(
            f"Below the quality gates (still evaluated): {len(r['below_quality_gates'])} photos"
        )
    return "\n".join(lines) + "\n"


def run_evaluate(
    dataset: Path,
    config: RecognitionConfig,
    deepface_home: Path,
    *,
    as_json: bool = False,
    out: TextIO | None = None,
    pipelines: Sequence[str] = (),
    perturb: str | None = None,
) -> int:
    """CLI entry: 0 when the evaluation ran, 2 for a bad dataset or option, 1 if the models
    failed. ``pipelines``: registered names (none: the configured one); ``perturb``: None, or
    ``all`` or a comma-separated list of perturbations to run as well."""
    out = out or sys.stdout
    try:
        data = load_dataset(dataset)
        names = parse_names(perturb) if perturb is not None else []
    except (DatasetError, ValueError) as exc:
        print(f"asistencia: {exc}", file=sys.stderr)
        return 2
    try:
        built = build_pipelines(list(pipelines), config, deepface_home)
    except ValueError as exc:
        print(f"asistencia: {exc}", file=sys.stderr)
        return 2
    except ModelsNotReadyError as exc:
        print(f"asistencia: the face models could not be loaded: {exc}", file=sys.stderr)
        return 1
    embedded = [embed_dataset(p, data, config) for p in built]
    reports = [evaluate(p, data, config, e) for p, e in zip(built, embedded, strict=True)]
    if names:
        clean = [(e.vectors, e.boxes) for e in embedded]
        add_robustness(
            built, clean, reports, root=data.root, labels=data.labels, config=config, names=names
        )
    ready = [json_ready(r) for r in reports]
    if as_json:
        json.dump(ready[0] if len(ready) == 1 else {"pipelines": ready}, out, indent=2)
        out.write("\n")
        return 0
    for pipeline, report in zip(built, ready, strict=True):
        if len(ready) > 1:
            out.write(f"== Pipeline {pipeline.name} ==\n")
        out.write(format_report(report))
        if len(ready) > 1:
            out.write("\n")
    if names:
        out.write("\n")
        out.write(format_robustness({r["pipeline"]: r["robustness"] for r in ready}, built[0].name))
    return 0
