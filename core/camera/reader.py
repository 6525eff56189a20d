"""One thread per camera source that keeps only the newest frame.

Consumers never wait on the camera unless they ask to: the GUI polls ``latest()`` (a lock
held for a few instructions, never during I/O) and the recognition worker blocks in
``wait_frame()``. Frames nobody took in time are simply replaced, so a slow consumer sees
gaps in ``Frame.seq`` but never an old picture.

Timing by kind of source:
- device / URL: read as fast as the camera sends (which also drains the driver's queue,
  the usual cause of seconds-old frames); ``fps_limit`` drops frames above that rate.
  A failure reconnects with exponential backoff, forever unless ``max_retries`` is set.
- video file: paced at the file's own frame rate so a 25-fps clip plays in real time
  (``fps_limit`` can lower it); the end is ENDED, or the start again with ``loop=True``.
- image folder: one image every ``1 / fps_limit`` seconds (one per second by default);
  unreadable files are skipped with a warning; then ENDED (or again with ``loop=True``).
- ``realtime=False`` (files and folders only): no pacing; instead each frame waits until
  a consumer has taken the previous one, so batch jobs (evaluate, bench, tests) see every
  frame exactly as fast as they can process it. Live sources ignore it.

Frames are BGR uint8 at the source's own size (``width``/``height`` are only requested
from a device); anything longer than 1920 px on a side is scaled down on arrival to
protect memory (capture.MAX_FRAME_SIDE).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from types import TracebackType

from core.backoff import Backoff
from core.camera.capture import (
    FrameStream,
    ImageFolderStream,
    OpenError,
    RawFrame,
    SourceLostError,
    open_stream,
)
from core.camera.source import CameraSource, parse_source
from core.camera.state import CameraState, CameraStatus, Frame

__all__ = ["DEFAULT_FILE_FPS", "DEFAULT_FOLDER_FPS", "CameraReader", "StatusCallback"]

log = logging.getLogger(__name__)

StatusCallback = Callable[[CameraStatus], None]

DEFAULT_FILE_FPS = 25.0  # for video files whose container does not say
DEFAULT_FOLDER_FPS = 1.0  # long enough for someone at the preview to see each photo
THREAD_NAME_PREFIX = "camera-reader"
# Frames may come a little early against fps_limit (timer and driver jitter); without this
# slack a 25-fps camera under a 25-fps limit would drop every other frame.
_THROTTLE_SLACK = 0.9


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class CameraReader:
    """Reads one source on its own thread; see the module docstring for the timing rules.

    Status callbacks (``subscribe``) run on the reader thread, except the STARTING
    transition, which ``start()`` publishes on the caller's thread. They must be quick and
    must not block (a Qt view should forward them with a queued signal).
    ``stop()`` from inside a callback only asks the thread to stop; it cannot join itself.

    ``source`` may be text (parsed with ``parse_source``; ValueError if unusable).
    ``max_retries`` bounds reconnection attempts of a live source (None: forever; 0: one
    try, then FAILED, which suits a diagnostic probe). ``open_timeout_s`` bounds both
    connecting to a URL and each read from it. ``clock`` gives monotonic seconds for
    ``Frame.captured_at`` and for pacing.
    """

    def __init__(
        self,
        source: CameraSource | str,
        *,
        width: int = 640,
        height: int = 480,
        fps_limit: float | None = None,
        loop: bool = False,
        realtime: bool = True,
        max_retries: int | None = None,
        backoff: Backoff | None = None,
        open_timeout_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        first_seq: int = 0,
    ) -> None:
        if width <= 0 or height <= 0:
            raise ValueError(f"the camera size must be positive, got {width}x{height}")
        if fps_limit is not None and not fps_limit > 0:
            raise ValueError(f"fps_limit must be positive or None, got {fps_limit}")
        if max_retries is not None and max_retries < 0:
            raise ValueError(f"max_retries must be >= 0 or None, got {max_retries}")
        self.source = parse_source(source) if isinstance(source, str) else source
        self._width = width
        self._height = height
        self._fps_limit = fps_limit
        self._loop = loop
        self._realtime = realtime
        self._max_retries = max_retries
        self._backoff = backoff or Backoff()
        self._open_timeout_s = open_timeout_s
        self._clock = clock
        self._label = self.source.describe()

        # One condition guards the frame slot, the status and the "taken" mark. It is
        # never held during I/O, so latest() from the GUI thread cannot stall.
        self._cond = threading.Condition()
        self._frame: Frame | None = None
        self._seq = first_seq - 1
        self._taken_seq = first_seq - 1
        self._status = CameraStatus(
            CameraState.STOPPED, f"{self._label[:1].upper()}{self._label[1:]} is not started"
        )
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._subscribers: list[StatusCallback] = []
        self._subscribers_lock = threading.Lock()
        self._attempt = 0  # failed attempts in the current outage; reader thread only
        self._last_delivery: float | None = None  # reader thread only
        self._next_due: float | None = None  # pacing of files and folders; reader thread only

    # -- what consumers see ------------------------------------------------------------

    @property
    def status(self) -> CameraStatus:
        with self._cond:
            return self._status

    @property
    def state(self) -> CameraState:
        return self.status.state

    @property
    def last_seq(self) -> int:
        """The seq of the newest frame published (``first_seq - 1`` before the first)."""
        with self._cond:
            return self._seq

    @property
    def running(self) -> bool:
        """True while the reader thread exists (it may still be finishing after stop())."""
        return self._thread is not None and self._thread.is_alive()

    def subscribe(self, callback: StatusCallback) -> Callable[[], None]:
        """Call ``callback`` with every future CameraStatus; returns an unsubscribe function."""
        with self._subscribers_lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._subscribers_lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def latest(self, after_seq: int = -1) -> Frame | None:
        """The newest frame if its seq is greater than ``after_seq``; never blocks."""
        with self._cond:
            return self._take(after_seq)

    def wait_frame(self, after_seq: int = -1, timeout: float | None = None) -> Frame | None:
        """Block until a frame newer than ``after_seq`` exists and return it.

        Returns None on timeout, or at once when the reader is finished (ENDED, FAILED or
        STOPPED) and has nothing newer: check ``state`` to tell which.
        """

        def ready() -> bool:
            frame = self._frame
            return (frame is not None and frame.seq > after_seq) or self._finished_locked()

        with self._cond:
            self._cond.wait_for(ready, timeout)
            return self._take(after_seq)

    # -- life cycle --------------------------------------------------------------------

    def start(self) -> None:
        """Start the reader thread. A reader runs once: make a new one to read again."""
        if self._thread is not None or self._stopping.is_set():
            raise RuntimeError("a CameraReader can only be started once; create a new one")
        self._thread = threading.Thread(
            target=self._run, name=f"{THREAD_NAME_PREFIX} {self._label}", daemon=False
        )
        self._publish(CameraStatus(CameraState.STARTING, f"Opening {self._label}"))
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> bool:
        """Stop and join the thread within ``timeout`` seconds; safe to call repeatedly.

        Returns False if the thread is still inside a driver call (a stalled network read
        can take up to ``open_timeout_s``); it then exits by itself and releases the
        capture, which is never released from here while a read may be using it.
        """
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        thread = self._thread
        if thread is None:
            return True
        if thread is threading.current_thread():
            return False
        thread.join(timeout)
        if thread.is_alive():
            log.warning(
                "%s did not stop within %.1f s (blocked in the driver); it will exit on its own",
                self._label,
                timeout,
            )
            return False
        return True

    def __enter__(self) -> CameraReader:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- frame slot (callers hold self._cond) ------------------------------------------

    def _finished_locked(self) -> bool:
        return self._status.state.is_final or self._stopping.is_set()

    def _take(self, after_seq: int) -> Frame | None:
        frame = self._frame
        if frame is None or frame.seq <= after_seq:
            return None
        if frame.seq > self._taken_seq:
            self._taken_seq = frame.seq
            if not self._realtime:
                self._cond.notify_all()  # the reader may be waiting for this (back-pressure)
        return frame

    def _deliver(self, raw: RawFrame, captured_at: float) -> None:
        # Shared by every consumer, so nobody may draw on it in place.
        raw.image.flags.writeable = False
        with self._cond:
            self._seq += 1
            self._frame = Frame(raw.image, self._seq, captured_at, raw.position, raw.name)
            self._cond.notify_all()
        self._last_delivery = captured_at

    def _wait_until_taken(self) -> bool:
        """Back-pressure for realtime=False: False if stop() came first."""
        with self._cond:
            self._cond.wait_for(lambda: self._taken_seq >= self._seq or self._stopping.is_set())
        return not self._stopping.is_set()

    def _throttled(self, now: float) -> bool:
        if self._fps_limit is None or self._last_delivery is None:
            return False
        return now - self._last_delivery < _THROTTLE_SLACK / self._fps_limit

    # -- status ------------------------------------------------------------------------

    def _publish(self, status: CameraStatus) -> None:
        # Messages are shown as they are, so they read as sentences: "Camera 0 is ...".
        status = replace(status, message=status.message[:1].upper() + status.message[1:])
        with self._cond:
            previous = self._status
            self._status = status
            self._cond.notify_all()  # wakes wait_frame() on final states
        self._log_transition(previous, status)
        with self._subscribers_lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(status)
            except Exception:
                # A broken view must not take the camera down with it.
                log.exception("A camera status subscriber failed")

    def _log_transition(self, previous: CameraStatus, status: CameraStatus) -> None:
        # Log an outage once (warning), its retries quietly, and the recovery once.
        if status.state is CameraState.RECONNECTING:
            if previous.state is CameraState.RECONNECTING:
                log.debug("%s", status.message)
            else:
                log.warning("%s", status.message)
        elif status.state is CameraState.FAILED:
            log.error("%s", status.message)
        else:
            log.info("%s", status.message)

    # -- the thread --------------------------------------------------------------------

    def _run(self) -> None:
        try:
            if self.source.kind.is_live:
                self._run_live()
            else:
                self._run_finite()
        except Exception as exc:
            log.exception("%s: unexpected error in the camera reader", self._label)
            self._publish(
                CameraStatus(CameraState.FAILED, f"{self._label} failed unexpectedly: {exc}")
            )
        finally:
            if not self.state.is_final:
                self._publish(CameraStatus(CameraState.STOPPED, f"{self._label} stopped"))

    def _open(self) -> FrameStream:
        return open_stream(
            self.source, width=self._width, height=self._height, timeout_s=self._open_timeout_s
        )

    def _run_live(self) -> None:
        while not self._stopping.is_set():
            try:
                stream = self._open()
            except OpenError as exc:
                if exc.permanent:
                    self._publish(CameraStatus(CameraState.FAILED, str(exc)))
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
        if self._stopping.is_set():  # the failure was stop() cutting an open or read short
            return False
        self._attempt += 1
        if self._max_retries is not None and self._attempt > self._max_retries:
            tries = _plural(self._attempt, "attempt")
            self._publish(
                CameraStatus(CameraState.FAILED, f"{reason}; gave up after {tries}", self._attempt)
            )
            return False
        delay = self._backoff.next_delay()
        message = f"{reason}; retrying in {delay:.2g} s (attempt {self._attempt})"
        self._publish(CameraStatus(CameraState.RECONNECTING, message, self._attempt, delay))
        return not self._stopping.wait(delay)

    def _pump_live(self, stream: FrameStream) -> None:
        first = True
        while not self._stopping.is_set():
            raw = stream.read()
            if raw is None:  # a live stream has no end; treat one as a loss
                raise SourceLostError(f"{self._label} ended unexpectedly")
            now = self._clock()
            if first:
                first = False
                self._announce_streaming(raw)
                self._attempt = 0
                self._backoff.reset()
            if not self._throttled(now):
                self._deliver(raw, now)

    def _announce_streaming(self, raw: RawFrame) -> None:
        height, width = raw.image.shape[:2]
        if self._attempt:
            failures = _plural(self._attempt, "failed attempt")
            message = f"{self._label} is back after {failures} ({width}x{height})"
        else:
            message = f"Streaming from {self._label} ({width}x{height})"
        self._publish(CameraStatus(CameraState.STREAMING, message))

    def _run_finite(self) -> None:
        try:
            stream = self._open()
        except OpenError as exc:
            self._publish(CameraStatus(CameraState.FAILED, str(exc)))
            return
        try:
            while True:
                read = self._pump_finite(stream)
                if self._stopping.is_set():
                    return
                if read == 0:
                    hint = (
                        " (see the log for skipped files)"
                        if isinstance(stream, ImageFolderStream)
                        else ""
                    )
                    self._publish(
                        CameraStatus(
                            CameraState.FAILED, f"No frame could be read from {self._label}{hint}"
                        )
                    )
                    return
                if not self._loop:
                    self._publish(CameraStatus(CameraState.ENDED, self._end_message(stream, read)))
                    return
                if not stream.rewind():
                    stream.close()
                    stream = self._open()
        except OpenError as exc:  # the file or folder went away while looping
            self._publish(CameraStatus(CameraState.FAILED, str(exc)))
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
        while not self._stopping.is_set():
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
            elif not self._wait_until_taken():
                break
            else:
                now = self._clock()
            if self.state is not CameraState.STREAMING:
                self._announce_streaming(raw)
            self._deliver(raw, now)
        return read

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
        return due <= now or not self._stopping.wait(due - now)
