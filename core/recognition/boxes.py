"""Face boxes and the image type, with no detector behind them (no dlib import).

``detect`` re-exports both, so existing imports keep working; the ONNX detector and face
mesh (``blazeface``, ``face_mesh``) import them from here and so never load dlib.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Image = NDArray[np.uint8]


@dataclass(frozen=True)
class FaceBox:
    """A face rectangle in frame pixels (right/bottom exclusive)."""

    left: int
    top: int
    right: int
    bottom: int
    score: float = 0.0

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def center(self) -> tuple[float, float]:
        return (self.left + self.right) / 2.0, (self.top + self.bottom) / 2.0

    def xywh(self) -> tuple[int, int, int, int]:
        return self.left, self.top, self.width, self.height
