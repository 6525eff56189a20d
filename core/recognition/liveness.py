"""Blink liveness from the eye-aspect ratio (EAR) of both eyes' outlines.

The outlines come from MediaPipe's iris model (``core.recognition.iris``), the face's
proportion from the face mesh; the pipeline feeds one detector per eye, the eyes taking
turns frame by frame. A blink is the EAR falling below ``closed_ratio`` × the
person's own open-eye baseline and rising back above ``open_ratio`` × baseline within
``max_closed_s``. The baseline is the median of recent open-eye frames, so narrow and wide
eyes are treated alike. A photo has a constant EAR: landmark jitter on a still or slightly
moved picture stays far from a 28 % drop, so it never passes.

Tilting a printed photo back and forth would shrink the EAR too (everything gets flatter),
so each frame also records the face's own height/width proportion; a "closure" during which
that proportion changed by more than ``max_shape_change`` is not a blink.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


def eye_aspect_ratio(eye: NDArray[np.floating]) -> float:
    """(|p2-p6| + |p3-p5|) / (2 |p1-p4|) for one eye's six points (Soukupová & Čech)."""
    p = np.asarray(eye, np.float64)
    vertical = np.linalg.norm(p[1] - p[5]) + np.linalg.norm(p[2] - p[4])
    horizontal = 2.0 * np.linalg.norm(p[0] - p[3])
    return float(vertical / horizontal) if horizontal > 0 else 0.0


@dataclass(frozen=True)
class EyeSample:
    ear: float  # mean of both eyes
    proportion: float  # face height / width from the same landmarks (tilt detector)


class BlinkDetector:
    """Feed one EAR per frame; ``update`` returns True on the frame that completes a blink."""

    def __init__(
        self,
        *,
        closed_ratio: float = 0.72,
        open_ratio: float = 0.88,
        max_closed_s: float = 0.8,
        min_baseline_frames: int = 3,
        baseline_frames: int = 15,
        max_shape_change: float = 0.12,
    ) -> None:
        if not 0.0 < closed_ratio < open_ratio <= 1.0:
            raise ValueError("need 0 < closed_ratio < open_ratio <= 1")
        self.closed_ratio = closed_ratio
        self.open_ratio = open_ratio
        self.max_closed_s = max_closed_s
        self.min_baseline_frames = min_baseline_frames
        self.max_shape_change = max_shape_change
        self._open: deque[EyeSample] = deque(maxlen=baseline_frames)
        self._closed_at: float | None = None
        self._closed_proportions: list[float] = []
        self._held_shut = False
        self.blinks = 0
        self.last_blink_at: float | None = None

    @property
    def baseline(self) -> float | None:
        if len(self._open) < self.min_baseline_frames:
            return None
        return float(np.median([s.ear for s in self._open]))

    def _baseline_proportion(self) -> float:
        return float(np.median([s.proportion for s in self._open]))

    def update(self, sample: EyeSample | float, now: float) -> bool:
        if not isinstance(sample, EyeSample):
            sample = EyeSample(float(sample), 1.0)
        base = self.baseline
        if base is None or base <= 0:
            self._open.append(sample)
            return False
        if self._held_shut:
            # After a closure too long to be a blink, the eyes must open before the next.
            if sample.ear >= base * self.open_ratio:
                self._held_shut = False
                self._open.append(sample)
            return False
        if self._closed_at is None:
            if sample.ear < base * self.closed_ratio:
                self._closed_at = now
                self._closed_proportions = [sample.proportion]
            elif sample.ear >= base * self.open_ratio:
                self._open.append(sample)
            return False
        # Eyes were closed: wait for them to open again.
        if sample.ear < base * self.open_ratio:
            self._closed_proportions.append(sample.proportion)
            if now - self._closed_at > self.max_closed_s:
                self._closed_at = None  # too long: looking down or away, not a blink
                self._held_shut = True
            return False
        closed_for = now - self._closed_at
        self._closed_at = None
        self._closed_proportions.append(sample.proportion)
        ref = self._baseline_proportion()
        change = max(abs(p - ref) for p in self._closed_proportions) / ref if ref > 0 else 1.0
        self._open.append(sample)
        if closed_for > self.max_closed_s or change > self.max_shape_change:
            return False
        self.blinks += 1
        self.last_blink_at = now
        return True

    def reset(self) -> None:
        self._open.clear()
        self._closed_at = None
        self._closed_proportions = []
        self._held_shut = False
        self.blinks = 0
        self.last_blink_at = None
