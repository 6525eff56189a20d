"""Convert dlib's face-recognition ResNet to the ONNX file the product ships, once.

A developer's tool, never imported by the product. The kiosk embeds faces with
``resources/models/dlib/dlib_face_recognition_resnet_model_v1.onnx``; this tool wrote it:

    .venv/bin/python -m tools.models.dlib_resnet_convert convert  # then tools.models.model_manifest
    .venv/bin/python -m tools.models.dlib_resnet_convert compare ../shared/data/faces/*.jpg

Source: ``dlib_face_recognition_resnet_model_v1.dat`` from the ``face-recognition-models``
0.3.0 wheel (dev.lock; Davis King's model, CC0-1.0), whose sha256 is checked below.
``tools.models.dlib_net`` parses dlib's serialisation and ``tools.models.dlib_onnx`` writes
the graph with a minimal protobuf encoder (the same bytes on every run). ``compare`` runs
dlib's own forward pass (the ``dlib`` extra, dev.lock only) and the ONNX file on the aligned
chips of real faces and prints the largest difference: the shipped file must compute what
dlib computes.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

from core.recognition.embed import DLIB_RESNET_MEAN_RGB, RESNET_FILE
from tools.models import dlib_net, dlib_onnx, model_manifest

SOURCE = "dlib_face_recognition_resnet_model_v1.dat"
SHAPE5 = "shape_predictor_5_face_landmarks.dat"  # the old alignment, for compare only
SOURCE_SHA256 = "55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30"
OUT = model_manifest.MODELS_ROOT / RESNET_FILE


def source_path() -> Path:
    import face_recognition_models

    path = Path(face_recognition_models.__file__).parent / "models" / SOURCE
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SOURCE_SHA256:
        raise SystemExit(f"{path}: sha256 {digest}, expected {SOURCE_SHA256}")
    return path


def convert() -> None:
    net = dlib_net.parse_dlib_resnet(source_path())
    if tuple(round(v, 6) for v in net.mean_rgb) != tuple(round(v, 6) for v in DLIB_RESNET_MEAN_RGB):
        raise SystemExit(f"the network's mean {net.mean_rgb} is not embed.DLIB_RESNET_MEAN_RGB")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(dlib_onnx.build_onnx(net))
    print(f"{OUT}: {OUT.stat().st_size} bytes")
    print(model_manifest.write())


def compare(images: list[Path]) -> None:
    import cv2
    import dlib
    import onnxruntime as ort  # type: ignore[import-untyped]

    from core.host.images import read_image
    from core.recognition.embed import OnnxDlibEmbedder
    from core.recognition.face_chip import face_chip

    reference = dlib.face_recognition_model_v1(str(source_path()))
    embedder = OnnxDlibEmbedder(ort.InferenceSession(str(OUT)))
    hog = dlib.get_frontal_face_detector()
    shape5 = dlib.shape_predictor(str(source_path().with_name(SHAPE5)))
    worst, count = 0.0, 0
    for path in images:
        rgb = np.ascontiguousarray(cv2.cvtColor(read_image(path), cv2.COLOR_BGR2RGB), np.uint8)
        for rect in hog(rgb, 1):
            shape = shape5(rgb, rect)
            points = np.array([(shape.part(i).x, shape.part(i).y) for i in range(5)], np.float32)
            chip = face_chip(rgb, points, size=150, padding=0.25)
            ours = embedder.raw(chip[None])[0]
            theirs = np.asarray(reference.compute_face_descriptor(chip), np.float32)
            worst = max(worst, float(np.abs(ours - theirs).max()))
            count += 1
    print(f"{count} faces, max |dlib - onnx| {worst:.3g}")
    if worst > 1e-3:
        raise SystemExit("the ONNX file does not compute what dlib computes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("convert")
    cmp = sub.add_parser("compare")
    cmp.add_argument("images", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "convert":
        convert()
    else:
        compare(args.images)
    return 0


if __name__ == "__main__":
    sys.exit(main())
