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
  frame exactly as fast as they can process it. A video file's ``Frame.captured_at`` is
  then the file's own time (one frame interval apart), not the arrival: what is judged
  over time is judged as recorded, on a fast machine or a slow one. Live sources ignore it.

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

from core.camera.capture import RawFrame
from core.camera.pump import DEFAULT_FILE_FPS, DEFAULT_FOLDER_FPS, SourcePump
from core.camera.source import CameraSource, parse_source
from core.camera.status import CameraState, CameraStatus, Frame
from core.host.backoff import Backoff

__all__ = ["DEFAULT_FILE_FPS", "DEFAULT_FOLDER_FPS", "CameraReader", "StatusCallback"]

log = logging.getLogger(__name__)

StatusCallback = Callable[[CameraStatus], None]

THREAD_NAME_PREFIX = "camera-reader"


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
        self._realtime = realtime
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
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._subscribers: list[StatusCallback] = []
        self._subscribers_lock = threading.Lock()
        self._pump = SourcePump(
            self,
            self.source,
            width=width,
            height=height,
            fps_limit=fps_limit,
            loop=loop,
            realtime=realtime,
            max_retries=max_retries,
            backoff=backoff or Backoff(),
            open_timeout_s=open_timeout_s,
            clock=clock,
        )

    # -- what consumers see ------------------------------------------------------------

    @property
    def realtime(self) -> bool:
        """False: every frame is handed over, dated on the file's own clock."""
        return self._realtime

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
        if self._thread is not None or self.stopping.is_set():
            raise RuntimeError("a CameraReader can only be started once; create a new one")
        self._thread = threading.Thread(
            target=self._pump.run, name=f"{THREAD_NAME_PREFIX} {self._label}", daemon=False
        )
        self.publish(CameraStatus(CameraState.STARTING, f"Opening {self._label}"))
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> bool:
        """Stop and join the thread within ``timeout`` seconds; safe to call repeatedly.

        Returns False if the thread is still inside a driver call (a stalled network read
        can take up to ``open_timeout_s``); it then exits by itself and releases the
        capture, which is never released from here while a read may be using it.
        """
        self.stopping.set()
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

    # -- the frame slot (the pump's side; callers of _finished_locked and _take hold _cond) --

    def _finished_locked(self) -> bool:
        return self._status.state.is_final or self.stopping.is_set()

    def _take(self, after_seq: int) -> Frame | None:
        frame = self._frame
        if frame is None or frame.seq <= after_seq:
            return None
        if frame.seq > self._taken_seq:
            self._taken_seq = frame.seq
            if not self._realtime:
                self._cond.notify_all()  # the reader may be waiting for this (back-pressure)
        return frame

    def deliver(self, raw: RawFrame, captured_at: float) -> None:
        # Shared by every consumer, so nobody may draw on it in place.
        raw.image.flags.writeable = False
        with self._cond:
            self._seq += 1
            self._frame = Frame(raw.image, self._seq, captured_at, raw.position, raw.name)
            self._cond.notify_all()

    def wait_until_taken(self) -> bool:
        """Back-pressure for realtime=False: False if stop() came first."""
        with self._cond:
            self._cond.wait_for(lambda: self._taken_seq >= self._seq or self.stopping.is_set())
        return not self.stopping.is_set()

    # -- status ------------------------------------------------------------------------

    def publish(self, status: CameraStatus) -> None:
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
