"""``evaluate --perturb``: recognition of perturbed photos against an unperturbed gallery.

Each pipeline enrolls its gallery from the unperturbed labelled photos (as enrollment
would); the probes are the same photos perturbed (core/recognition/perturb.py). A probe is
never matched with its own unperturbed photo (leave one out), so a perturbed copy cannot
find itself. Per pipeline and perturbation:

- ``recognition_rate``: rank-1 over the genuine probes (photos whose person has another
  photo in the gallery): the nearest gallery photo is of the right person. A probe whose
  face is not found counts as a miss. ``accepted_rate`` also asks the distance to be within
  the threshold: what the kiosk would say.
- ``detection_failure_rate``: probes with no face found, or with the primary face found
  away from where the face is (more than half a face width from the perturbed reference
  box's centre: a false detection); each kind is also counted.
- ``strangers_accepted``: as the unperturbed run counts them, each probe matched against
  the gallery without its person; any distance within the threshold is a stranger let in.
  ``wrong_person_accepted`` counts genuine probes whose nearest match is someone else
  within the threshold. Both are reported apart from the recognition rate.

The "none" row is the unperturbed photos scored the same way (no second detection).
All pipelines of a run see the same perturbed images: the face boxes the perturbations
need come from the first pipeline's unperturbed run (the reference).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.host.images import ImageError, fit_within, read_image
from core.recognition.config import RecognitionConfig
from core.recognition.detect import FaceBox
from core.recognition.enroll import PHOTO_MAX_SIDE
from core.recognition.eval_pipelines import EvalPipeline
from core.recognition.perturb import PERTURBATIONS, expected_face

# A face found farther than this × the face width from where it should be is another thing.
PLACE_TOLERANCE = 0.5


@dataclass(frozen=True)
class Probe:
    file: str
    vector: NDArray[np.float32] | None
    placed: bool  # found where the face is
    face_px: int = 0  # width of the face found


@dataclass
class ProbeRuns:
    """Per pipeline name, per perturbation: the probes and the seconds the pipeline took."""

    probes: dict[str, dict[str, list[Probe]]] = field(default_factory=dict)
    seconds: dict[str, dict[str, float]] = field(default_factory=dict)
    excluded: list[str] = field(default_factory=list)  # no reference face: not perturbed


def run_probes(
    pipelines: Sequence[EvalPipeline],
    root: Path,
    reference: Mapping[str, FaceBox],
    *,
    names: Sequence[str],
    config: RecognitionConfig,
    files: Sequence[str],
) -> ProbeRuns:
    """Every file with a reference face, perturbed each way, through every pipeline (one
    photo read at a time, so memory stays that of one photo)."""
    runs = ProbeRuns(
        {p.name: {n: [] for n in names} for p in pipelines},
        {p.name: dict.fromkeys(names, 0.0) for p in pipelines},
    )
    for file in files:
        box = reference.get(file)
        if box is None:
            runs.excluded.append(file)
            continue
        try:
            image = fit_within(read_image(root / file), PHOTO_MAX_SIDE)
        except ImageError:
            runs.excluded.append(file)
            continue
        for name in names:
            perturbed = PERTURBATIONS[name][1](image, box)
            ex, ey, ew = expected_face(perturbed.matrix, box)
            for pipeline in pipelines:
                t0 = time.perf_counter()
                face = pipeline.primary(perturbed.image, config)
                runs.seconds[pipeline.name][name] += time.perf_counter() - t0
                if face is None:
                    probe = Probe(file, None, False)
                else:
                    fx, fy = face.box.center
                    placed = math.hypot(fx - ex, fy - ey) <= PLACE_TOLERANCE * ew
                    probe = Probe(file, face.vector, placed, face.box.width)
                runs.probes[pipeline.name][name].append(probe)
    return runs


@dataclass(frozen=True)
class ProbeGallery:
    names: NDArray[np.str_]
    ids: NDArray[np.str_]
    vectors: NDArray[np.float32]

    @classmethod
    def of(
        cls, vectors: Mapping[str, NDArray[np.float32]], labels: Mapping[str, str]
    ) -> ProbeGallery:
        files = sorted(vectors)
        return cls(
            np.array(files, dtype=np.str_),
            np.array([labels[f] for f in files], dtype=np.str_),
            np.stack([vectors[f] for f in files]) if files else np.zeros((0, 1), np.float32),
        )


@dataclass(frozen=True)
class Outcome:
    """What became of one probe."""

    genuine: bool  # its person has another photo in the gallery
    found: bool
    placed: bool
    right: bool = False  # nearest gallery photo is its person
    within: bool = False  # ... and within the threshold
    wrong: bool = False  # nearest is someone else, within the threshold
    stranger_probe: bool = False  # the gallery has other people to be mistaken for
    stranger: bool = False  # with its person removed, someone is within the threshold
    own_distance: float = math.nan  # to its person's nearest other photo


def outcome(
    probe: Probe,
    gallery: ProbeGallery,
    labels: Mapping[str, str],
    threshold: float,
) -> Outcome:
    person = labels[probe.file]
    others = gallery.names != probe.file  # leave its own photo out
    genuine = bool(np.any(gallery.ids[others] == person))
    if probe.vector is None:
        return Outcome(genuine, found=False, placed=False)
    d = (1.0 - gallery.vectors @ probe.vector).astype(np.float64)
    d[~others] = np.inf
    nearest = int(np.argmin(d))
    right = genuine and gallery.ids[nearest] == person
    within = bool(d[nearest] <= threshold)
    strange = gallery.ids != person
    return Outcome(
        genuine,
        found=True,
        placed=probe.placed,
        right=right,
        within=right and within,
        wrong=genuine and not right and within,
        stranger_probe=bool(strange.any()),
        stranger=bool(strange.any()) and float(np.min(d[strange])) <= threshold,
        own_distance=float(np.min(d[gallery.ids == person])) if genuine else math.nan,
    )


def score(
    probes: Sequence[Probe],
    vectors: Mapping[str, NDArray[np.float32]],
    labels: Mapping[str, str],
    threshold: float,
) -> dict[str, Any]:
    gallery = ProbeGallery.of(vectors, labels)
    done = [(p, outcome(p, gallery, labels, threshold)) for p in probes]
    genuine = sum(o.genuine for _, o in done)
    n = len(done)

    def files(test: Callable[[Outcome], bool]) -> list[str]:
        return [p.file for p, o in done if test(o)]

    no_face = files(lambda o: not o.found)
    elsewhere = files(lambda o: o.found and not o.placed)
    own = [o.own_distance for _, o in done if not math.isnan(o.own_distance)]
    widths = [p.face_px for p, o in done if o.found]
    return {
        "probes": n,
        "genuine_probes": genuine,
        "recognition_rate": sum(o.right for _, o in done) / genuine if genuine else math.nan,
        "accepted_rate": sum(o.within for _, o in done) / genuine if genuine else math.nan,
        "wrong_person_accepted": sum(o.wrong for _, o in done),
        "no_face": len(no_face),
        "face_elsewhere": len(elsewhere),
        "detection_failure_rate": (len(no_face) + len(elsewhere)) / n if n else math.nan,
        "strangers_accepted": sum(o.stranger for _, o in done),
        "stranger_probes": sum(o.stranger_probe for _, o in done),
        "genuine_distance_median": float(np.median(own)) if own else math.nan,
        "face_px_median": float(np.median(widths)) if widths else math.nan,
        "files": {
            "no_face": no_face,
            "face_elsewhere": elsewhere,
            "missed": files(lambda o: o.genuine and not o.right),  # no face included
            "beyond_threshold": files(lambda o: o.right and not o.within),
            "wrong_person_accepted": files(lambda o: o.wrong),
            "strangers_accepted": files(lambda o: o.stranger),
        },
    }


def clean_probes(
    files: Sequence[str], gallery: Mapping[str, NDArray[np.float32]], boxes: Mapping[str, FaceBox]
) -> list[Probe]:
    return [
        Probe(f, gallery.get(f), f in gallery, boxes[f].width if f in boxes else 0) for f in files
    ]


def robustness_report(
    pipeline: EvalPipeline,
    runs: ProbeRuns,
    gallery: Mapping[str, NDArray[np.float32]],
    boxes: Mapping[str, FaceBox],
    *,
    labels: Mapping[str, str],
    threshold: float,
) -> dict[str, Any]:
    """One pipeline's rows: "none" first, then each perturbation run."""
    probed = [f for f in sorted(labels) if f not in runs.excluded]
    rows: dict[str, Any] = {
        "none": {
            "description": "unperturbed",
            **score(clean_probes(probed, gallery, boxes), gallery, labels, threshold),
        }
    }
    for name, probes in runs.probes[pipeline.name].items():
        rows[name] = {
            "description": PERTURBATIONS[name][0],
            **score(probes, gallery, labels, threshold),
            "seconds": round(runs.seconds[pipeline.name][name], 2),
        }
    return {"threshold": threshold, "excluded": list(runs.excluded), "runs": rows}


def add_robustness(
    pipelines: Sequence[EvalPipeline],
    clean: Sequence[tuple[Mapping[str, NDArray[np.float32]], Mapping[str, FaceBox]]],
    reports: Sequence[dict[str, Any]],
    *,
    root: Path,
    labels: Mapping[str, str],
    config: RecognitionConfig,
    names: Sequence[str],
) -> None:
    """Each pipeline's report gains "robustness"; ``clean``: each pipeline's unperturbed
    vectors and face boxes (the first pipeline's boxes place the perturbations)."""
    t0 = time.perf_counter()
    runs = run_probes(
        pipelines, root, clean[0][1], names=names, config=config, files=sorted(labels)
    )
    for pipeline, (vectors, boxes), report in zip(pipelines, clean, reports, strict=True):
        report["robustness"] = {
            "reference_pipeline": pipelines[0].name,
            **robustness_report(
                pipeline, runs, vectors, boxes, labels=labels, threshold=report["threshold"]
            ),
        }
    for report in reports:
        report["robustness"]["runs"]["none"]["seconds"] = report["embed_seconds"]
        report["robustness"]["seconds_all"] = round(time.perf_counter() - t0, 2)


def _pct(v: Any) -> str:
    return "n/a" if not isinstance(v, int | float) or math.isnan(v) else f"{100 * v:.1f} %"


def _num(v: Any) -> str:
    return "n/a" if not isinstance(v, int | float) or math.isnan(v) else f"{v:.3f}"


def _cell(row: Mapping[str, Any]) -> str:
    fails = f"{row['no_face'] + row['face_elsewhere']}/{row['probes']}"
    secs = row.get("seconds")
    seconds = "" if secs is None else f"{secs:.1f}"
    return (
        f"{_pct(row['recognition_rate']):>8} {_pct(row['accepted_rate']):>9}"
        f" {fails:>8} {row['strangers_accepted']:>5} {_num(row['genuine_distance_median']):>6}"
        f" {seconds:>6}"
    )


CELL_HEADER = f"{'rank-1':>8} {'accepted':>9} {'no face':>8} {'strgr':>5} {'dist':>6} {'s':>6}"
_FAILURES = (
    ("no_face", "no face"),
    ("face_elsewhere", "found elsewhere"),
    ("missed", "nearest is someone else"),
    ("beyond_threshold", "right person beyond the threshold"),
    ("wrong_person_accepted", "wrong person accepted"),
    ("strangers_accepted", "stranger accepted"),
)


def _shown(files: Mapping[str, list[str]], kind: str) -> list[str]:
    """The files of one kind of failure; a face not found is not also a wrong rank-1."""
    if kind == "missed":
        return [f for f in files[kind] if f not in files["no_face"]]
    return files[kind]


def format_robustness(reports: Mapping[str, Mapping[str, Any]], reference: str) -> str:
    """The perturbed runs of one or more pipelines, side by side, then who failed."""
    first = next(iter(reports.values()))
    rows = first["runs"]
    none = rows["none"]
    width = max(len(r["description"]) for r in rows.values()) + 2
    lines = [
        f"Robustness: {none['probes']} photos perturbed, each probed against the other photos,",
        "unperturbed (leave one out). Faces placing the perturbations: " + reference,
        f"  rank-1    of {none['genuine_probes']} genuine probes (a face not found is a miss)",
        f"  accepted  rank-1 and within the threshold {first['threshold']:.4f}",
        "  no face   not found, or found away from the face",
        "  strgr     strangers accepted (the probe's person removed from the gallery)",
        "  dist      median distance of a genuine probe to its person's nearest photo",
        "  s         seconds (unperturbed: the enrollment run)",
    ]
    if first["excluded"]:
        lines.append(f"  Not perturbed (no reference face): {', '.join(first['excluded'])}")
    lines += [
        "",
        " " * width + "  ".join(f"{name:^{len(CELL_HEADER)}}" for name in reports),
        f"{'Perturbation':<{width}}" + "  ".join(CELL_HEADER for _ in reports),
    ]
    for key, row in rows.items():
        cells = "  ".join(_cell(r["runs"][key]) for r in reports.values())
        lines.append(f"{row['description']:<{width}}{cells}")
    failures = [
        f"  {name} {key}: {label} {', '.join(shown)}"
        for name, r in reports.items()
        for key, row in r["runs"].items()
        for kind, label in _FAILURES
        if (shown := _shown(row["files"], kind))
    ]
    lines += ["Failures:", *failures] if failures else ["Failures: none"]
    return "\n".join(lines) + "\n"
