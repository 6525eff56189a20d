"""Is there anything new in front of the camera? A cheap test that gates the face detector.

A kiosk spends most of its day looking at an empty entrance. Running the detector on every
frame of it cost half a core around the clock (dlib's HOG: ~40 ms per 640×480 frame at 30
frames a second). ``ChangeGate`` compares a tiny grey copy of each frame (64×48, ~0.2 ms to
make) with the copy of the last frame that was searched, and lets the detector run only
when enough of it changed, or when ``recheck_s`` has passed (so nothing can stand still
in front of the camera unseen for long). The pipeline asks it only while nobody is being
followed: with a face in view every frame is searched, as before.

Averaging 10×10 pixels into one removes a webcam's grain (σ≈2 grey levels becomes ≈0.2),
so noise never opens the gate, while a person walking in changes hundreds of the tiny
image's 3,072 pixels.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

TINY_SIZE = (64, 48)
PIXEL_DELTA = 12  # grey levels of the tiny copy that count as a change
MIN_CHANGED = 0.005  # of the tiny copy's pixels: 15 of 3,072
RECHECK_S = 1.0


class ChangeGate:
    """``should_detect(frame, now)``: True when the frame may show something the last
    searched frame did not. Not thread-safe: it belongs to one pipeline."""

    def __init__(
        self,
        *,
        size: tuple[int, int] = TINY_SIZE,
        pixel_delta: int = PIXEL_DELTA,
        min_changed: float = MIN_CHANGED,
        recheck_s: float = RECHECK_S,
    ) -> None:
        self.size = size
        self.pixel_delta = pixel_delta
        self.min_changed = max(1, round(min_changed * size[0] * size[1]))
        self.recheck_s = recheck_s
        self._reference: NDArray[np.uint8] | None = None
        self._searched_at = 0.0
        self.skipped = 0

    def reset(self) -> None:
        self._reference = None

    def tiny(self, bgr: NDArray[Any]) -> NDArray[np.uint8]:
        small = cv2.resize(bgr, self.size, interpolation=cv2.INTER_AREA)
        if small.ndim == 3:
            small = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        return np.asarray(small, np.uint8)

    def should_detect(self, bgr: NDArray[Any], now: float) -> bool:
        tiny = self.tiny(bgr)
        reference = self._reference
        due = now - self._searched_at >= self.recheck_s or now < self._searched_at
        if reference is None or reference.shape != tiny.shape or due or self._changed(tiny):
            self._reference, self._searched_at = tiny, now
            return True
        self.skipped += 1
        return False

    def _changed(self, tiny: NDArray[np.uint8]) -> bool:
        assert self._reference is not None
        diff = cv2.absdiff(tiny, self._reference)
        return int(np.count_nonzero(diff > self.pixel_delta)) >= self.min_changed
