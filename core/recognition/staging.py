"""Are the model files in place, and staging the packaged ones (``main.py models``).

Files that ship inside the ``face-recognition-models`` package (dlib's ResNet and landmark
predictors) are *staged* into the app's own DeepFace home as symlinks, or copies where links
are not allowed. Every other file must be placed there by hand; ``list_models`` says which
are missing and the exact path for each. Nothing is ever downloaded.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

from core.host.env import frozen
from core.recognition.weights import (
    PACKAGED_SIZES,
    Backend,
    Kind,
    ModelSpec,
    WeightFile,
    backend_engine,
    importable,
    model_specs,
    packaged_dir,
    weights_dir,
)

log = logging.getLogger(__name__)
UNRECORDED_LICENCE = "not recorded here: read its publisher's terms before a commercial use"
# Passive liveness's files ship with the program (resources/models/antispoof), not staged.
PASSIVE_LICENCE = "Apache-2.0 (Minivision's Silent-Face-Anti-Spoofing; see its NOTICE.md)"


# --- availability (``main.py models``) -------------------------------------------------------


@dataclass(frozen=True)
class ModelAvailability:
    name: str
    kind: Kind
    available: bool
    missing_paths: tuple[Path, ...]  # files to place, with their exact path
    damaged_paths: tuple[Path, ...]  # present but of an impossible size
    missing_packages: tuple[str, ...]
    urls: tuple[str, ...]  # where each missing file can be fetched by an administrator
    note: str = ""
    licence: str = ""

    @property
    def problem(self) -> str:
        parts = []
        parts += [f"place {p}" for p in self.missing_paths]
        parts += [f"damaged {p} (replace it)" for p in self.damaged_paths]
        if self.missing_packages:
            parts.append(missing_packages_hint(self.missing_packages))
        return "; ".join(parts)


def missing_packages_hint(packages: tuple[str, ...]) -> str:
    """What to do about a model's missing Python packages. TensorFlow is an optional extra
    of a source install: the bundle and the default image never carry it, and there the
    only useful answer is which install does."""
    names = ", ".join(packages)
    if "tensorflow" not in packages and "tf_keras" not in packages:
        return "install " + names
    if frozen():
        return (
            f"needs {names}, which this installed kiosk does not include: TensorFlow-based "
            "models run only from a source install with `make tensorflow`; the default "
            "models (Dlib + mediapipe) need nothing more"
        )
    return f"install {names} (`make tensorflow` adds them to .venv)"


def check_file(path: Path, wf: WeightFile) -> Literal["ok", "missing", "damaged"]:
    try:
        size = path.stat().st_size  # follows symlinks: a dangling link is missing
    except OSError:
        return "missing"
    if wf.packaged and wf.name in PACKAGED_SIZES:
        return "ok" if size == PACKAGED_SIZES[wf.name] else "damaged"
    return "ok" if size >= wf.min_bytes else "damaged"


def availability(spec: ModelSpec, deepface_home: Path) -> ModelAvailability:
    wdir = weights_dir(deepface_home)
    missing: list[Path] = []
    damaged: list[Path] = []
    urls: list[str] = []
    for wf in spec.files:
        state = check_file(wdir / wf.name, wf)
        if state == "missing" and wf.packaged and _packaged_source_ok(wf):
            # Staged on start; report it as available so `models` does not alarm anyone.
            continue
        if state == "missing":
            missing.append(wdir / wf.name)
            urls.append(wf.url or "(the model's publisher)")
        elif state == "damaged":
            damaged.append(wdir / wf.name)
    packages = tuple(p for p in spec.packages if not importable(p))
    if spec.name == "mtcnn" and not packages:
        assets = _mtcnn_assets()
        if assets is not None and not all((assets / f).is_file() for f in _MTCNN_FILES):
            missing.extend(assets / f for f in _MTCNN_FILES if not (assets / f).is_file())
    return ModelAvailability(
        spec.name,
        spec.kind,
        not missing and not damaged and not packages,
        tuple(missing),
        tuple(damaged),
        packages,
        tuple(urls),
        spec.note,
        spec.licence,
    )


_MTCNN_FILES = ("pnet.lz4", "rnet.lz4", "onet.lz4")


def _mtcnn_assets() -> Path | None:
    spec = importlib.util.find_spec("mtcnn")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "assets" / "weights"


def _packaged_source_ok(wf: WeightFile) -> bool:
    src = packaged_dir()
    return src is not None and check_file(src / wf.name, wf) == "ok"


def list_models(deepface_home: Path, backend: Backend | None = None) -> list[ModelAvailability]:
    """Every selectable model and detector: available, or what is missing and where."""
    return [availability(spec, deepface_home) for spec in model_specs(backend)]


def format_models(rows: Iterable[ModelAvailability], deepface_home: Path) -> str:
    rows = list(rows)
    lines = [f"Model weights live in {weights_dir(deepface_home)}", ""]
    for kind, title in (
        ("recognition", "Recognition models"),
        ("detector", "Face detectors"),
        ("landmarks", "Liveness"),
    ):
        lines.append(f"{title}:")
        for row in rows:
            if row.kind != kind:
                continue
            state = "available" if row.available else "missing"
            note = f"  ({row.note})" if row.note else ""
            lines.append(f"  {row.name:<14} {state}{note}")
            lines.append(f"      licence: {row.licence or UNRECORDED_LICENCE}")
            for path, url in zip(row.missing_paths, row.urls, strict=False):
                lines.append(f"      place the file at {path}")
                lines.append(f"      (published at {url})")
            for path in row.damaged_paths:
                lines.append(f"      damaged (wrong size), replace {path}")
            if row.missing_packages:
                lines.append(f"      needs Python packages: {', '.join(row.missing_packages)}")
        if kind == "landmarks":
            lines.append("  passive        shipped  (FasNet anti-spoofing: liveness passive, both)")
            lines.append(f"      licence: {PASSIVE_LICENCE}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- staging --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StagedFile:
    name: str
    path: Path
    action: Literal["present", "linked", "copied", "restaged", "failed"]
    detail: str = ""


@dataclass(frozen=True)
class StageReport:
    files: tuple[StagedFile, ...]

    @property
    def ok(self) -> bool:
        return all(f.action != "failed" for f in self.files)

    @property
    def problems(self) -> list[str]:
        return [f.detail for f in self.files if f.action == "failed"]


def stage_weights(
    deepface_home: Path,
    names: Iterable[str] = tuple(PACKAGED_SIZES),
    *,
    source_dir: Path | None = None,
) -> StageReport:
    """Make each packaged weight file available under the DeepFace home.

    A missing file is linked (or copied through ``.part`` + rename, so a crash never leaves
    a half file under the real name); a staged file of the wrong size is replaced. A damaged
    or missing *source* is reported, never papered over.
    """
    wdir = weights_dir(deepface_home)
    src_dir = source_dir or packaged_dir()
    results = []
    for name in names:
        wf = WeightFile(name, packaged=True, min_bytes=PACKAGED_SIZES.get(name, 1))
        target = wdir / name
        results.append(_stage_one(wf, target, src_dir))
    return StageReport(tuple(results))


def _source_problem(wf: WeightFile, target: Path, src_dir: Path | None) -> str | None:
    if src_dir is None:
        return (
            f"{wf.name} missing: the face-recognition-models package is not installed; "
            f"install it (pip install face-recognition-models) or place the file at {target}"
        )
    source = src_dir / wf.name
    src_state = check_file(source, wf)
    if src_state == "ok":
        return None
    what = "missing from" if src_state == "missing" else "damaged (wrong size) in"
    return (
        f"{wf.name} is {what} the face-recognition-models package ({source}); "
        "reinstall it: pip install --force-reinstall face-recognition-models"
    )


def _stage_one(wf: WeightFile, target: Path, src_dir: Path | None) -> StagedFile:
    state = check_file(target, wf)
    if state == "ok":
        return StagedFile(wf.name, target, "present")
    problem = _source_problem(wf, target, src_dir)
    if problem is not None or src_dir is None:
        return StagedFile(wf.name, target, "failed", problem or "")
    source = src_dir / wf.name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        action = _link_or_copy(source, target)
    except OSError as exc:
        detail = f"cannot stage {wf.name} into {target.parent}: {exc.strerror or exc}"
        return StagedFile(wf.name, target, "failed", detail)
    if check_file(target, wf) != "ok":
        return StagedFile(wf.name, target, "failed", f"{target} is still damaged after staging")
    if state == "damaged":
        log.warning("weight file %s was damaged (wrong size); restaged it from %s", target, source)
        return StagedFile(wf.name, target, "restaged", f"replaced a damaged copy from {source}")
    return StagedFile(wf.name, target, action)


def _link_or_copy(source: Path, target: Path) -> Literal["linked", "copied"]:
    part = target.with_name(target.name + ".part")
    with contextlib.suppress(FileNotFoundError):
        part.unlink()
    try:
        part.symlink_to(source.resolve())
        action: Literal["linked", "copied"] = "linked"
    except OSError:
        # No symlinks (Windows without developer mode, some container volumes): copy.
        shutil.copyfile(source, part)
        action = "copied"
    # The rename is atomic: readers see the old file or the whole new one, never half.
    part.replace(target)
    return action


def run_models(deepface_home: Path, *, as_json: bool = False, out: TextIO | None = None) -> int:
    """CLI entry for ``main.py models``: stage what ships with the app, then list everything.

    Exit code 0, or 1 when a packaged file could not be staged (the default model would fail).
    """
    out = out or sys.stdout
    report = stage_weights(deepface_home)
    rows = list_models(deepface_home)
    if as_json:
        data = {
            "weights_dir": str(weights_dir(deepface_home)),
            "backend": backend_engine(),
            "passive_licence": PASSIVE_LICENCE,
            "staged": [
                {"file": f.name, "path": str(f.path), "action": f.action, "detail": f.detail}
                for f in report.files
            ],
            "models": [
                {
                    "name": r.name,
                    "kind": r.kind,
                    "available": r.available,
                    "missing_paths": [str(p) for p in r.missing_paths],
                    "damaged_paths": [str(p) for p in r.damaged_paths],
                    "missing_packages": list(r.missing_packages),
                    "urls": list(r.urls),
                    "note": r.note,
                    "licence": r.licence,
                }
                for r in rows
            ],
        }
        json.dump(data, out, indent=2)
        out.write("\n")
    else:
        out.write(format_models(rows, deepface_home))
        for problem in report.problems:
            out.write(f"\nstaging failed: {problem}\n")
    return 0 if report.ok else 1
