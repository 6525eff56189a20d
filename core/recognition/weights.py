"""Which weight files each model needs, where they come from, and staging them offline.

The kiosk never downloads a model. Files that ship inside the ``face-recognition-models``
package (dlib's ResNet and landmark predictors) are *staged* into the app's own DeepFace home
(``<data dir>/models/.deepface/weights``) as symlinks, or copies where links are not allowed.
Every other file must be placed there by hand; ``list_models`` says which are missing and the
exact path for each. Nothing here imports deepface or TensorFlow.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

log = logging.getLogger(__name__)

Kind = Literal["recognition", "detector", "landmarks"]
Backend = Literal["tensorflow", "onnx"]

# The sizes of face-recognition-models 0.3.0's files: a staged file of another size is a
# truncated copy (or the package itself is damaged).
PACKAGED_SIZES: dict[str, int] = {
    "shape_predictor_5_face_landmarks.dat": 9_150_489,
    "dlib_face_recognition_resnet_model_v1.dat": 22_466_066,
    "shape_predictor_68_face_landmarks.dat": 99_693_937,
}
SHAPE5 = "shape_predictor_5_face_landmarks.dat"
SHAPE68 = "shape_predictor_68_face_landmarks.dat"
DLIB_RESNET = "dlib_face_recognition_resnet_model_v1.dat"


@dataclass(frozen=True)
class WeightFile:
    name: str  # path under the weights dir
    url: str = ""  # where an administrator can get it (never fetched by the kiosk)
    packaged: bool = False  # staged from face-recognition-models
    min_bytes: int = 1  # smaller than this is certainly a broken copy


@dataclass(frozen=True)
class ModelSpec:
    name: str
    kind: Kind
    files: tuple[WeightFile, ...] = ()
    packages: tuple[str, ...] = ()  # importable modules it needs
    note: str = ""


def _h5(name: str, url: str, min_mb: float = 1) -> WeightFile:
    return WeightFile(name, url, min_bytes=int(min_mb * 2**20))


_REL = "https://github.com/serengil/deepface_models/releases/download/v1.0/"


def _recognition_specs(backend: Backend) -> list[ModelSpec]:
    tf = backend == "tensorflow"
    ext = ".h5" if tf else ".onnx"
    pkgs: tuple[str, ...] = ("tensorflow", "tf_keras") if tf else ("onnxruntime",)

    def one(name: str, file: str, min_mb: float, url: str = "") -> ModelSpec:
        return ModelSpec(name, "recognition", (_h5(file, url or _REL + file, min_mb),), pkgs)

    return [
        ModelSpec(
            "Dlib",
            "recognition",
            (WeightFile(DLIB_RESNET, packaged=True, min_bytes=PACKAGED_SIZES[DLIB_RESNET]),),
            ("dlib",),
            "default; 128-d ResNet from face-recognition-models",
        ),
        one("VGG-Face", "vgg_face_weights" + ext, 100),
        one("Facenet", "facenet_weights" + ext, 20),
        one("Facenet512", "facenet512_weights" + ext, 20),
        one("OpenFace", "openface_weights" + ext, 10 if tf else 5),
        one("DeepFace", "VGGFace2_DeepFace_weights_val-0.9034" + ext, 100),
        one("DeepID", ("deepid_keras_weights" if tf else "deepid_weights") + ext, 0.5),
        one("ArcFace", "arcface_weights" + ext, 50),
        one(
            "GhostFaceNet",
            "ghostfacenet_v1" + ext,
            10,
            "https://github.com/HamadYA/GhostFaceNets/releases/download/v1.2/"
            "GhostFaceNet_W1.3_S1_ArcFace.h5"
            if tf
            else "",
        ),
        ModelSpec(
            "SFace",
            "recognition",
            (
                _h5(
                    "face_recognition_sface_2021dec.onnx",
                    "https://github.com/opencv/opencv_zoo/raw/main/models/"
                    "face_recognition_sface/face_recognition_sface_2021dec.onnx",
                    10,
                ),
            ),
            ("onnxruntime",),
        ),
        ModelSpec(
            "Buffalo_L",
            "recognition",
            (_h5("buffalo_l/webface_r50.onnx", "", 100),),
            ("insightface", "onnxruntime"),
        ),
    ]


_YOLO = {
    "yolov8n": "yolov8n-face.pt",
    "yolov8m": "yolov8m-face.pt",
    "yolov8l": "yolov8l-face.pt",
    "yolov11n": "yolov11n-face.pt",
    "yolov11s": "yolov11s-face.pt",
    "yolov11m": "yolov11m-face.pt",
    "yolov11l": "yolov11l-face.pt",
    "yolov12n": "yolov12n-face.pt",
    "yolov12s": "yolov12s-face.pt",
    "yolov12m": "yolov12m-face.pt",
    "yolov12l": "yolov12l-face.pt",
}


def _detector_specs() -> list[ModelSpec]:
    haar = "https://github.com/opencv/opencv/raw/4.9.0/data/haarcascades/"
    specs = [
        ModelSpec(
            "dlib",
            "detector",
            (WeightFile(SHAPE5, packaged=True, min_bytes=PACKAGED_SIZES[SHAPE5]),),
            ("dlib",),
            "default; HOG detector + 5-point landmarks",
        ),
        ModelSpec(
            "mtcnn",
            "detector",
            (),
            ("mtcnn", "tensorflow"),
            "weights ship inside the mtcnn package; imports TensorFlow",
        ),
        ModelSpec(
            "opencv",
            "detector",
            (
                WeightFile(
                    "haarcascade_frontalface_default.xml",
                    haar + "haarcascade_frontalface_default.xml",
                ),
                WeightFile("haarcascade_eye.xml", haar + "haarcascade_eye.xml"),
            ),
            ("cv2",),
            "OpenCV 5 wheels ship no Haar cascades",
        ),
        ModelSpec(
            "ssd",
            "detector",
            (
                WeightFile(
                    "deploy.prototxt",
                    "https://github.com/opencv/opencv/raw/3.4.0/samples/dnn/face_detector/deploy.prototxt",
                ),
                WeightFile(
                    "res10_300x300_ssd_iter_140000.caffemodel",
                    "https://github.com/opencv/opencv_3rdparty/raw/dnn_samples_face_detector_20170830/"
                    "res10_300x300_ssd_iter_140000.caffemodel",
                    min_bytes=2**20,
                ),
            ),
            ("cv2",),
        ),
        ModelSpec(
            "yunet",
            "detector",
            (
                WeightFile(
                    "face_detection_yunet_2023mar.onnx",
                    "https://github.com/opencv/opencv_zoo/raw/main/models/face_detection_yunet/"
                    "face_detection_yunet_2023mar.onnx",
                    min_bytes=100_000,
                ),
            ),
            ("cv2",),
        ),
        ModelSpec(
            "centerface",
            "detector",
            (
                WeightFile(
                    "centerface.onnx",
                    "https://github.com/Star-Clouds/CenterFace/raw/master/models/onnx/centerface.onnx",
                    min_bytes=1_000_000,
                ),
            ),
            ("cv2",),
        ),
        ModelSpec(
            "retinaface",
            "detector",
            (_h5("retinaface.h5", _REL + "retinaface.h5", 50),),
            ("retinaface", "tensorflow"),
        ),
        ModelSpec("mediapipe", "detector", (), ("mediapipe",)),
        ModelSpec("fastmtcnn", "detector", (), ("facenet_pytorch", "torch")),
    ]
    for name, file in _YOLO.items():
        specs.append(
            ModelSpec(
                name,
                "detector",
                (WeightFile(file, min_bytes=1_000_000),),
                ("ultralytics",),
            )
        )
    return specs


LANDMARKS68 = ModelSpec(
    "landmarks68",
    "landmarks",
    (WeightFile(SHAPE68, packaged=True, min_bytes=PACKAGED_SIZES[SHAPE68]),),
    ("dlib",),
    "68-point landmarks for blink liveness",
)


def backend_engine() -> Backend:
    """The engine deepface will run on, decided the way deepface decides it (no import)."""
    enforced = os.environ.get("DEEPFACE_BACKEND_ENGINE", "").strip().lower()
    if enforced == "onnx":
        return "onnx"
    if enforced == "tensorflow" or _importable("tensorflow"):
        return "tensorflow"
    return "onnx"


def model_specs(backend: Backend | None = None) -> list[ModelSpec]:
    return [*_recognition_specs(backend or backend_engine()), *_detector_specs(), LANDMARKS68]


def find_spec(name: str, kind: Kind, backend: Backend | None = None) -> ModelSpec:
    for spec in model_specs(backend):
        if spec.name == name and spec.kind == kind:
            return spec
    known = ", ".join(s.name for s in model_specs(backend) if s.kind == kind)
    raise ValueError(f"unknown {kind} model {name!r}; known: {known}")


def weights_dir(deepface_home: Path) -> Path:
    """Where deepface looks for weights when DEEPFACE_HOME is ``deepface_home``."""
    return deepface_home / ".deepface" / "weights"


def packaged_dir() -> Path | None:
    """The folder of face-recognition-models' files, found without importing it."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "models"


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


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

    @property
    def problem(self) -> str:
        parts = []
        parts += [f"place {p}" for p in self.missing_paths]
        parts += [f"damaged {p} (replace it)" for p in self.damaged_paths]
        if self.missing_packages:
            parts.append("install " + ", ".join(self.missing_packages))
        return "; ".join(parts)


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
    packages = tuple(p for p in spec.packages if not _importable(p))
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
            for path, url in zip(row.missing_paths, row.urls, strict=False):
                lines.append(f"      place the file at {path}")
                lines.append(f"      (published at {url})")
            for path in row.damaged_paths:
                lines.append(f"      damaged (wrong size), replace {path}")
            if row.missing_packages:
                lines.append(f"      needs Python packages: {', '.join(row.missing_packages)}")
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
