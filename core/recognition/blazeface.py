"""BlazeFace: MediaPipe's face detector (short- or full-range model) run by onnxruntime.

The models are Google's MediaPipe face detection models (Apache-2.0), converted once to ONNX
by ``tools/models/mediapipe_convert.py`` and shipped in ``resources/models/mediapipe/``
(provenance, licence and measurements in its ``NOTICE.md``). The decoding is MediaPipe's own
(``face_detection.pbtxt`` and the short/full-range graphs of its ``modules/face_detection``):

- the frame is letterboxed (aspect kept, centred, black borders) to the model's square input
  (128 px short-range, 192 px full-range), RGB scaled to [-1, 1];
- each anchor (SSD anchors of fixed size 1, centred in their cells: strides 8, 16, 16, 16
  with 2, 6 anchors a cell for short-range; stride 4 with 1 a cell for full-range) regresses
  x, y, w, h and six keypoints, all divided by the input size and offset by the anchor;
- the score is the sigmoid of the logit clipped to ±100; MediaPipe's thresholds are 0.5
  (short-range) and 0.6 (full-range);
- overlapping candidates (IoU > 0.3) are merged by MediaPipe's *weighted* NMS: the
  highest-scoring one keeps its score, box and keypoints become the score-weighted mean of
  all candidates that overlap it (steadier boxes from frame to frame than plain NMS).

The six keypoints, in the order the model gives them (names as MediaPipe gives them for a
non-mirrored image, i.e. the person's own right and left): right eye, left eye, nose tip,
mouth centre, right ear tragion, left ear tragion. The person's right eye is on the image's
left.

Small faces: the short-range model's smallest anchors are ~19 px of its 128 px input, so on a
whole 640×480 frame it misses faces under ~100 px. ``upsample=n`` also searches overlapping
square tiles of side ``longest / 2**n`` (stepped by half a tile, so any face under half a
tile lies wholly inside one), each seen at the model's full input size; candidates touching
an inner tile edge are dropped (the tile cut the face), and all passes are merged by the same
weighted NMS.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import cv2
import numpy as np
from numpy.typing import NDArray

from core.recognition import model_files
from core.recognition.boxes import FaceBox, Image

Floats = NDArray[np.float32]

NUM_KEYPOINTS = 6
RIGHT_EYE, LEFT_EYE, NOSE_TIP, MOUTH, RIGHT_EAR, LEFT_EAR = range(NUM_KEYPOINTS)
SCORE_CLIP = 100.0
NMS_IOU = 0.3
# a tile's candidate whose box comes this close (fraction of the tile) to an inner edge is
# a cut face: the overlapping neighbour tile or the whole-frame pass sees it whole
_TILE_EDGE = 0.02
# Zoomed-in tiles of clothing, hair or background give the short-range model spurious
# candidates scoring 0.5-0.65 (on the 64 shared photos at upsample 1: 13 extra boxes at
# 0.5); real small faces in tiles score above 0.75 (faces 40-60 px wide in 640×480 frames:
# 185 of 186 found at 0.75, none spurious). Tiles keep candidates from this score up.
TILE_MIN_SCORE = 0.75


@dataclass(frozen=True)
class DetectorSpec:
    """One BlazeFace model and MediaPipe's settings for it."""

    name: str
    model: str  # path under resources/models (manifest key)
    size: int  # square input, px
    strides: tuple[int, ...]
    anchors_per_cell: tuple[int, ...]  # per stride group, as MediaPipe's SsdAnchors makes them
    min_score: float


SHORT_RANGE = DetectorSpec(
    "short", "mediapipe/face_detection_short_range.onnx", 128, (8, 16), (2, 6), 0.5
)
FULL_RANGE = DetectorSpec("full", "mediapipe/face_detection_full_range.onnx", 192, (4,), (1,), 0.6)
SPECS = {spec.name: spec for spec in (SHORT_RANGE, FULL_RANGE)}


def ssd_anchors(spec: DetectorSpec) -> Floats:
    """(N, 2) anchor centres in [0, 1], in the order of the model's outputs."""
    centres = []
    for stride, per_cell in zip(spec.strides, spec.anchors_per_cell, strict=True):
        cells = spec.size // stride
        grid = (np.arange(cells, dtype=np.float32) + 0.5) / cells
        ys, xs = np.meshgrid(grid, grid, indexing="ij")
        xy = np.stack([xs.ravel(), ys.ravel()], axis=1)
        centres.append(np.repeat(xy, per_cell, axis=0))
    return np.concatenate(centres).astype(np.float32)


@dataclass(frozen=True, eq=False)
class BlazeDetection:
    """One face: its box (frame pixels, clipped to the frame), score and six keypoints."""

    box: FaceBox
    keypoints: Floats  # (6, 2) frame pixels, order RIGHT_EYE .. LEFT_EAR
    box_xyxy: Floats  # (4,) the unrounded, unclipped box: left, top, right, bottom

    @property
    def score(self) -> float:
        return self.box.score

    @property
    def eyes(self) -> tuple[Floats, Floats]:
        """(right eye, left eye): the one on the image's left first."""
        return self.keypoints[RIGHT_EYE], self.keypoints[LEFT_EYE]


@dataclass(frozen=True)
class _Candidates:
    boxes: Floats  # (N, 4) x1, y1, x2, y2 frame pixels
    keypoints: Floats  # (N, 6, 2) frame pixels
    scores: Floats  # (N,)

    @staticmethod
    def empty() -> _Candidates:
        return _Candidates(
            np.zeros((0, 4), np.float32),
            np.zeros((0, NUM_KEYPOINTS, 2), np.float32),
            np.zeros((0,), np.float32),
        )

    def take(self, keep: NDArray[np.bool_]) -> _Candidates:
        return _Candidates(self.boxes[keep], self.keypoints[keep], self.scores[keep])


def _concat(parts: list[_Candidates]) -> _Candidates:
    if not parts:
        return _Candidates.empty()
    return _Candidates(
        np.concatenate([p.boxes for p in parts]),
        np.concatenate([p.keypoints for p in parts]),
        np.concatenate([p.scores for p in parts]),
    )


def _iou(box: Floats, boxes: Floats) -> Floats:
    ix1 = np.maximum(box[0], boxes[:, 0])
    iy1 = np.maximum(box[1], boxes[:, 1])
    ix2 = np.minimum(box[2], boxes[:, 2])
    iy2 = np.minimum(box[3], boxes[:, 3])
    inter = np.clip(ix2 - ix1, 0, None) * np.clip(iy2 - iy1, 0, None)
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    union = area + areas - inter
    out: Floats = np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0).astype(np.float32)
    return out


def weighted_nms(cands: _Candidates, iou_threshold: float = NMS_IOU) -> _Candidates:
    """MediaPipe's WEIGHTED non-maximum suppression (``NonMaxSuppressionCalculator``).

    Repeatedly takes the best remaining candidate; every remaining one overlapping it by
    more than ``iou_threshold`` (itself included) is merged into one detection whose box and
    keypoints are their score-weighted mean and whose score is the best one's.
    """
    remaining = np.argsort(-cands.scores, kind="stable")
    boxes, kps, scores = [], [], []
    while remaining.size:
        top = remaining[0]
        overlap = _iou(cands.boxes[top], cands.boxes[remaining]) > iou_threshold
        overlap[0] = True
        group = remaining[overlap]
        weights = cands.scores[group][:, None]
        total = float(weights.sum())
        boxes.append((cands.boxes[group] * weights).sum(axis=0) / total)
        kps.append((cands.keypoints[group] * weights[:, :, None]).sum(axis=0) / total)
        scores.append(cands.scores[top])
        remaining = remaining[~overlap]
    if not boxes:
        return _Candidates.empty()
    return _Candidates(
        np.asarray(boxes, np.float32), np.asarray(kps, np.float32), np.asarray(scores, np.float32)
    )


def letterbox(rgb: Image, size: int) -> tuple[NDArray[np.float32], float, float, float, float]:
    """(input tensor (1, 3, size, size) in [-1, 1], sx, sy, pad_x, pad_y).

    A point at model pixel (u, v) is at ((u - pad_x) / sx, (v - pad_y) / sy) in ``rgb``.
    """
    h, w = rgb.shape[:2]
    scale = size / max(w, h)
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    interp = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_LINEAR
    resized = cv2.resize(rgb, (new_w, new_h), interpolation=interp)
    pad_x, pad_y = (size - new_w) // 2, (size - new_h) // 2
    canvas = np.zeros((size, size, 3), np.uint8)  # black borders, as MediaPipe's BORDER_ZERO
    canvas[pad_y : pad_y + new_h, pad_x : pad_x + new_w] = resized
    tensor = canvas.astype(np.float32).transpose(2, 0, 1)[None] / np.float32(127.5) - 1.0
    return tensor.astype(np.float32), new_w / w, new_h / h, float(pad_x), float(pad_y)


def tiles(width: int, height: int, upsample: int) -> list[tuple[int, int, int, int]]:
    """Overlapping square tiles (x, y, w, h) of side ``longest / 2**upsample`` (clipped to
    the frame), stepped by half a side; empty for ``upsample`` 0."""
    if upsample <= 0:
        return []
    side = math.ceil(max(width, height) / 2**upsample)
    step = max(1, side // 2)

    def starts(extent: int) -> list[int]:
        if side >= extent:
            return [0]
        last = extent - side
        return sorted({*range(0, last, step), last})

    return [
        (x, y, min(side, width - x), min(side, height - y))
        for y in starts(height)
        for x in starts(width)
    ]


class BlazeFaceDetector:
    """Finds faces with one BlazeFace model; also a ``detect.BoxDetector``.

    One instance may be used from several threads (onnxruntime sessions allow concurrent
    ``run``; nothing else is mutated).
    """

    name = "blazeface"

    def __init__(self, session: Any, spec: DetectorSpec = SHORT_RANGE) -> None:
        self._session = session
        self.spec = spec
        self._input = session.get_inputs()[0].name
        self._anchors = ssd_anchors(spec)
        outputs = session.get_outputs()
        shapes = [list(o.shape) for o in outputs]
        expected = [[1, len(self._anchors), 4 + 2 * NUM_KEYPOINTS], [1, len(self._anchors), 1]]
        if shapes != expected:
            raise ValueError(f"not a BlazeFace {spec.name}-range graph: outputs {shapes}")

    @classmethod
    def load(cls, model: Literal["short", "full"] = "short", threads: int = 1) -> BlazeFaceDetector:
        """The shipped model (sha256 checked against the manifest first; a missing or
        changed file raises MissingWeightsError / CorruptWeightsError)."""
        spec = SPECS[model]
        return cls(model_files.onnx_session(spec.model, threads), spec)

    def detect(
        self, rgb: Image, *, upsample: int = 0, min_score: float | None = None
    ) -> list[BlazeDetection]:
        """Every face in an RGB frame, best score first (see the module doc for ``upsample``)."""
        h, w = rgb.shape[:2]
        if h < 2 or w < 2:
            return []
        threshold = self.spec.min_score if min_score is None else min_score
        parts = [self._pass(rgb, 0, 0, threshold)]
        for x, y, tw, th in tiles(w, h, upsample):
            found = self._pass(rgb[y : y + th, x : x + tw], x, y, max(threshold, TILE_MIN_SCORE))
            parts.append(found.take(_whole_in_tile(found.boxes, (x, y, tw, th), w, h)))
        merged = weighted_nms(_concat(parts))
        if len(parts) > 1:
            merged = _drop_contained(merged)
        return [_detection(b, k, s, w, h) for b, k, s in zip(*_fields(merged), strict=True)]

    def boxes(self, image_bgr: Image, gray: Image, upsample: int) -> list[FaceBox]:  # noqa: ARG002
        """``detect.BoxDetector``: boxes in ``image_bgr``'s pixels."""
        rgb = np.ascontiguousarray(image_bgr[:, :, ::-1])
        return [d.box for d in self.detect(rgb, upsample=upsample)]

    def _pass(self, rgb: Image, off_x: int, off_y: int, threshold: float) -> _Candidates:
        """Candidates above ``threshold`` in one letterboxed view, in frame pixels."""
        tensor, sx, sy, pad_x, pad_y = letterbox(rgb, self.spec.size)
        raw_boxes, raw_scores = self._session.run(None, {self._input: tensor})
        # float64: exp(100) overflows float32
        logits = np.clip(np.asarray(raw_scores, np.float64)[0, :, 0], -SCORE_CLIP, SCORE_CLIP)
        scores = 1.0 / (1.0 + np.exp(-logits))
        keep = scores >= threshold
        if not keep.any():
            return _Candidates.empty()
        raw = np.asarray(raw_boxes, np.float32)[0, keep]
        anchors = self._anchors[keep] * self.spec.size  # model pixels
        cx, cy = raw[:, 0] + anchors[:, 0], raw[:, 1] + anchors[:, 1]
        half_w, half_h = raw[:, 2] / 2.0, raw[:, 3] / 2.0
        boxes = np.stack([cx - half_w, cy - half_h, cx + half_w, cy + half_h], axis=1)
        kps = raw[:, 4:].reshape(-1, NUM_KEYPOINTS, 2) + anchors[:, None, :]
        scale = np.array([sx, sy], np.float32)
        pad = np.array([pad_x, pad_y], np.float32)
        off = np.array([off_x, off_y], np.float32)
        boxes = ((boxes.reshape(-1, 2, 2) - pad) / scale + off).reshape(-1, 4)
        kps = (kps - pad) / scale + off
        valid = (boxes[:, 2] > boxes[:, 0]) & (boxes[:, 3] > boxes[:, 1])
        return _Candidates(
            boxes.astype(np.float32), kps.astype(np.float32), scores[keep].astype(np.float32)
        ).take(valid)


def _whole_in_tile(
    boxes: Floats, tile: tuple[int, int, int, int], width: int, height: int
) -> NDArray[np.bool_]:
    """Which boxes are small faces wholly inside the tile: clear of its inner edges (edges
    on the frame's border are not cuts: a face may touch the frame's edge) and under half
    its side (a larger face is the coarser pass's to find: a tile holding part of it sees
    an eye or a cheek as a face)."""
    x, y, tw, th = tile
    margin = _TILE_EDGE * max(tw, th)
    sizes = np.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1])
    ok: NDArray[np.bool_] = np.asarray(sizes <= max(tw, th) / 2, dtype=bool)
    if x > 0:
        ok &= boxes[:, 0] > x + margin
    if y > 0:
        ok &= boxes[:, 1] > y + margin
    if x + tw < width:
        ok &= boxes[:, 2] < x + tw - margin
    if y + th < height:
        ok &= boxes[:, 3] < y + th - margin
    return ok


def _drop_contained(cands: _Candidates, cover: float = 0.5) -> _Candidates:
    """Drops each detection that a better-scoring one overlaps by more than ``cover`` of the
    smaller box. The whole-frame pass sees a small face coarsely (a box up to twice too
    large, score 0.5-0.7) while its tile sees it sharply: IoU alone does not merge the two.
    Two real faces never overlap that much."""
    keep = np.ones(len(cands.scores), dtype=bool)
    boxes = cands.boxes
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    for i in np.argsort(-cands.scores, kind="stable"):
        if not keep[i]:
            continue
        ix = np.clip(
            np.minimum(boxes[i, 2], boxes[:, 2]) - np.maximum(boxes[i, 0], boxes[:, 0]), 0, None
        )
        iy = np.clip(
            np.minimum(boxes[i, 3], boxes[:, 3]) - np.maximum(boxes[i, 1], boxes[:, 1]), 0, None
        )
        covered = ix * iy > cover * np.minimum(areas[i], areas)
        covered &= cands.scores < cands.scores[i]
        keep &= ~covered
    return cands.take(keep)


def _fields(c: _Candidates) -> tuple[Floats, Floats, Floats]:
    return c.boxes, c.keypoints, c.scores


def _detection(
    box: Floats, kps: Floats, score: np.float32, width: int, height: int
) -> BlazeDetection:
    face = FaceBox(
        max(0, math.floor(float(box[0]))),
        max(0, math.floor(float(box[1]))),
        min(width, math.ceil(float(box[2]))),
        min(height, math.ceil(float(box[3]))),
        float(score),
    )
    return BlazeDetection(face, kps.astype(np.float32), box.astype(np.float32))
