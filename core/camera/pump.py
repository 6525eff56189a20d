"""The camera reader's thread: open a source, read it, pace it, reconnect it.

``SourcePump.run`` is the body of a ``CameraReader``'s thread; the reader is its sink: it
hands each frame over (``deliver``), tells its state (``publish``) and says when to stop.
Timing rules by kind of source are in reader.py's docstring.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from core.camera.capture import (
    FrameStream,
    ImageFolderStream,
    OpenError,
    RawFrame,
    SourceLostError,
    open_stream,
)
from core.camera.source import CameraSource
from core.camera.status import CameraState, CameraStatus
from core.host.backoff import Backoff

log = logging.getLogger(__name__)

DEFAULT_FILE_FPS = 25.0  # for video files whose container does not say
DEFAULT_FOLDER_FPS = 1.0  # long enough for someone at the preview to see each photo
# Frames may come a little early against fps_limit (timer and driver jitter); without this
# slack a 25-fps camera under a 25-fps limit would drop every other frame.
_THROTTLE_SLACK = 0.9


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class FrameSink(Protocol):
    stopping: threading.Event

    @property
    def state(self) -> CameraState: ...
    def deliver(self, raw: RawFrame, captured_at: float) -> None: ...
    def publish(self, status: CameraStatus) -> None: ...
    def wait_until_taken(self) -> bool: ...


class SourcePump:
    """One source's reading loop; its state belongs to the reader's thread alone."""

    def __init__(
        self,
        sink: FrameSink,
        source: CameraSource,
        *,
        width: int,
        height: int,
        fps_limit: float | None,
        loop: bool,
        realtime: bool,
        max_retries: int | None,
        backoff: Backoff,
        open_timeout_s: float,
        clock: Callable[[], float],
    ) -> None:
        self._sink = sink
        self.source = source
        self._label = source.describe()
        self._width = width
        self._height = height
        self._fps_limit = fps_limit
        self._loop = loop
        self._realtime = realtime
        self._max_retries = max_retries
        self._backoff = backoff
        self._open_timeout_s = open_timeout_s
        self._clock = clock
        self._attempt = 0  # failed attempts in the current outage
        self._streamed = False  # a frame came at least once: an outage is a lost camera
        self._last_delivery: float | None = None
        self._next_due: float | None = None  # pacing of files and folders
        self._file_clock: float | None = None  # realtime=False: the video file's own time

    def _throttled(self, now: float) -> bool:
        if self._fps_limit is None or self._last_delivery is None:
            return False
        return now - self._last_delivery < _THROTTLE_SLACK / self._fps_limit

    def run(self) -> None:
        try:
            if self.source.kind.is_live:
                self._run_live()
            else:
                self._run_finite()
        except Exception as exc:
            log.exception("%s: unexpected error in the camera reader", self._label)
            self._sink.publish(
                CameraStatus(CameraState.FAILED, f"{self._label} failed unexpectedly: {exc}")
            )
        finally:
            if not self._sink.state.is_final:
                self._sink.publish(CameraStatus(CameraState.STOPPED, f"{self._label} stopped"))

    def _open(self) -> FrameStream:
        return open_stream(
            self.source, width=self._width, height=self._height, timeout_s=self._open_timeout_s
        )

    def _run_live(self) -> None:
        while not self._sink.stopping.is_set():
            try:
                stream = self._open()
            except OpenError as exc:
                if exc.permanent:
                    self._sink.publish(CameraStatus(CameraState.FAILED, str(exc)))
                    return
                reason = str(exc)
            else:
                try:
                    self._pump_live(stream)
                    return  # only a stop request ends the pump normally
                except SourceLostError as exc:
                    reason = str(exc)
                finally:
                    stream.close()
            if not self._wait_to_retry(reason):
                return

    def _wait_to_retry(self, reason: str) -> bool:
        """Publish RECONNECTING (or FAILED past max_retries) and sleep; False to give up."""
        if self._sink.stopping.is_set():  # the failure was stop() cutting an open or read short
            return False
        self._attempt += 1
        if self._max_retries is not None and self._attempt > self._max_retries:
            tries = _plural(self._attempt, "attempt")
            self._sink.publish(
                CameraStatus(
                    CameraState.FAILED,
                    f"{reason}; gave up after {tries}",
                    self._attempt,
                    was_streaming=self._streamed,
                )
            )
            return False
        delay = self._backoff.next_delay()
        message = f"{reason}; retrying in {delay:.2g} s (attempt {self._attempt})"
        self._sink.publish(
            CameraStatus(
                CameraState.RECONNECTING,
                message,
                self._attempt,
                delay,
                was_streaming=self._streamed,
            )
        )
        return not self._sink.stopping.wait(delay)

    def _pump_live(self, stream: FrameStream) -> None:
        first = True
        while not self._sink.stopping.is_set():
            raw = stream.read()
            if raw is None:  # a live stream has no end; treat one as a loss
                raise SourceLostError(f"{self._label} ended unexpectedly")
            now = self._clock()
            if first:
                first = False
                self._announce_streaming(raw)
                self._streamed = True
                self._attempt = 0
                self._backoff.reset()
            if not self._throttled(now):
                self._sink.deliver(raw, now)
            self._last_delivery = now

    def _announce_streaming(self, raw: RawFrame) -> None:
        height, width = raw.image.shape[:2]
        if self._attempt:
            failures = _plural(self._attempt, "failed attempt")
            message = f"{self._label} is back after {failures} ({width}x{height})"
        else:
            message = f"Streaming from {self._label} ({width}x{height})"
        self._sink.publish(CameraStatus(CameraState.STREAMING, message))

    def _run_finite(self) -> None:
        try:
            stream = self._open()
        except OpenError as exc:
            self._sink.publish(CameraStatus(CameraState.FAILED, str(exc)))
            return
        try:
            while True:
                read = self._pump_finite(stream)
                if self._sink.stopping.is_set():
                    return
                if read == 0:
                    hint = (
                        " (see the log for skipped files)"
                        if isinstance(stream, ImageFolderStream)
                        else ""
                    )
                    self._sink.publish(
                        CameraStatus(
                            CameraState.FAILED, f"No frame could be read from {self._label}{hint}"
                        )
                    )
                    return
                if not self._loop:
                    self._sink.publish(
                        CameraStatus(CameraState.ENDED, self._end_message(stream, read))
                    )
                    return
                if not stream.rewind():
                    stream.close()
                    stream = self._open()
        except OpenError as exc:  # the file or folder went away while looping
            self._sink.publish(CameraStatus(CameraState.FAILED, str(exc)))
        finally:
            stream.close()

    def _end_message(self, stream: FrameStream, read: int) -> str:
        if isinstance(stream, ImageFolderStream):
            message = f"End of {self._label}: {_plural(read, 'image')}"
            if stream.skipped:
                message += f", {_plural(stream.skipped, 'unreadable file')} skipped"
            return message
        return f"End of {self._label} after {_plural(read, 'frame')}"

    def _frame_interval(self, stream: FrameStream) -> float:
        if isinstance(stream, ImageFolderStream):
            return 1.0 / (self._fps_limit or DEFAULT_FOLDER_FPS)
        return 1.0 / (stream.fps or DEFAULT_FILE_FPS)

    def _pump_finite(self, stream: FrameStream) -> int:
        """Deliver one pass over a file or folder; returns how many frames were read."""
        interval = self._frame_interval(stream)
        read = 0
        while not self._sink.stopping.is_set():
            raw = stream.read()
            if raw is None:
                break
            read += 1
            if self._realtime:
                if not self._pace(interval):
                    break
                now = self._clock()
                if self._throttled(now):
                    continue
            elif not self._sink.wait_until_taken():
                break
            else:
                now = self._frame_time(stream, interval)
            if self._sink.state is not CameraState.STREAMING:
                self._announce_streaming(raw)
            self._sink.deliver(raw, now)
            self._last_delivery = now
        return read

    def _frame_time(self, stream: FrameStream, interval: float) -> float:
        """When a frame read with realtime=False happened. A video file's frames are dated on
        the file's own clock (the first frame's arrival, then one frame interval each, on
        across loop passes): what is judged over time (votes within a window, how long the
        eyes stayed closed) is then judged as it was recorded, however slowly this machine
        analyses it (under CPU emulation a frame takes seconds). An image folder's pictures
        have no time of their own: they keep their arrival time."""
        if isinstance(stream, ImageFolderStream):
            return self._clock()
        if self._file_clock is None:
            self._file_clock = self._clock()
        else:
            self._file_clock += interval
        return self._file_clock

    def _pace(self, interval: float) -> bool:
        """Sleep until the next frame is due; False if stop() came first.

        The schedule runs on across loop passes, so a looping file keeps its rhythm. A
        reader more than one frame late (slow decoder, busy machine) starts a new schedule
        instead of bursting to catch up.
        """
        now = self._clock()
        due = self._next_due
        if due is None or due < now - interval:
            due = now
        self._next_due = due + interval
        # Waiting on the stop event keeps stop() prompt even between slow folder images.
        return due <= now or not self._sink.stopping.wait(due - now)
