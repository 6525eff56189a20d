"""The values a camera reader publishes: its status and its frames (plain, immutable data)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["CameraState", "CameraStatus", "Frame", "Image"]

Image = npt.NDArray[np.uint8]


class CameraState(enum.Enum):
    """Where a reader is. Only STREAMING delivers frames."""

    STARTING = "starting"  # start() was called; opening the source, no frame yet
    STREAMING = "streaming"  # frames are arriving
    RECONNECTING = "reconnecting"  # a live source failed or was lost; waiting to retry
    ENDED = "ended"  # a file or folder reached its end (loop=False); the thread is done
    FAILED = "failed"  # the source cannot work (missing file, nothing decodable); done
    STOPPED = "stopped"  # not started yet, or stop() ended it

    @property
    def is_final(self) -> bool:
        """No frame will ever come after this state."""
        return self in (CameraState.ENDED, CameraState.FAILED, CameraState.STOPPED)


@dataclass(frozen=True)
class CameraStatus:
    """One state change, ready to show: ``message`` is a complete sentence for people.

    ``attempt`` counts failed connection attempts in the current outage (0 when healthy);
    ``retry_in`` is the delay before the next attempt while RECONNECTING; ``was_streaming``
    tells a lost camera (it streamed before) from one never reached.
    """

    state: CameraState
    message: str
    attempt: int = 0
    retry_in: float | None = None
    was_streaming: bool = False


@dataclass(frozen=True, eq=False)
class Frame:
    """One published frame.

    ``image`` is BGR uint8 (H, W, 3) and read-only: the same array is handed to every
    consumer (preview and recognition), so whoever draws on it must copy it first.
    ``seq`` increases by one per published frame for the reader's whole life (across
    reconnects and loops), so a gap tells a consumer how many frames it skipped.
    ``position`` is the frame number in a video file, the image number in a folder, or
    the count of frames read from a live source; ``name`` is the image's file name for
    folders and None otherwise.
    """

    image: Image
    seq: int
    captured_at: float
    position: int
    name: str | None = None

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])
