"""The values a camera reader publishes: its status and its frames (plain, immutable data)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from core.camera.reasons import CameraReason, said, source_words
from core.i18n.message import Message

__all__ = ["CameraReason", "CameraState", "CameraStatus", "Frame", "Image"]

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
    """One state change, ready to show: ``message`` is a complete sentence for people
    (English, for logs); ``reason`` and its values say it in any language.

    ``attempt`` counts failed connection attempts in the current outage (0 when healthy);
    ``retry_in`` is the delay before the next attempt while RECONNECTING; ``was_streaming``
    tells a lost camera (it streamed before) from one never reached; ``gave_up``: a live
    source FAILED after its last retry. ``source`` is the kind of source (a ``SourceKind``
    value) and ``name`` its name as shown (the device number, the URL without its password,
    the path); ``details`` the values of the reason (core/camera/reasons.py). A status made
    without a reason (a demo's) is shown as its message.
    """

    state: CameraState
    message: str
    attempt: int = 0
    retry_in: float | None = None
    was_streaming: bool = False
    reason: CameraReason | None = None
    source: str | None = None
    name: str = ""
    details: Mapping[str, object] = field(default_factory=dict, hash=False)
    gave_up: bool = False

    @classmethod
    def of(
        cls,
        state: CameraState,
        reason: CameraReason,
        source: str | None = None,
        name: object = "",
        *,
        attempt: int = 0,
        retry_in: float | None = None,
        was_streaming: bool = False,
        gave_up: bool = False,
        details: Mapping[str, object] | None = None,
    ) -> CameraStatus:
        """A status for ``reason``, its English sentence made from the catalogue."""
        status = cls(
            state,
            "",
            attempt,
            retry_in,
            was_streaming,
            reason,
            source,
            str(name),
            dict(details or {}),
            gave_up,
        )
        english = str(status.said())
        return replace(status, message=english[:1].upper() + english[1:])

    def cause(self) -> Message | None:
        """What happened, without what the reader adds while it retries; None for a
        status made without a reason."""
        if self.reason is None:
            return None
        words = source_words(self.source, self.name) if self.source is not None else None
        return said(self.reason, words, self.details)

    def said(self) -> Message | None:
        """The whole sentence ("…; retrying in 2 s (attempt 3)") as a ``Message``."""
        if self.reason is None:
            return None
        words = source_words(self.source, self.name) if self.source is not None else None
        retrying = self.retry_in if self.state is CameraState.RECONNECTING else None
        return said(
            self.reason,
            words,
            self.details,
            retry_in=retrying,
            attempt=self.attempt,
            gave_up=self.gave_up,
        )


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
