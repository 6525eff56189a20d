"""The kiosk's camera: the reader in use, which a settings change can replace at any time.

Consumers (the recognition worker, the window's preview) ask for "a frame newer than the
last one I saw". A replacement reader continues the numbers of the one it replaces, so they
keep seeing frames without being told of the switch; the old reader stops on a thread of
its own (a network camera can take seconds to let go). Opening the source that is already
open does nothing, unless it has ended or failed: then it is opened again.
"""

from __future__ import annotations

import logging
import threading

from core.camera.reader import CameraReader
from core.camera.source import parse_source
from core.camera.status import CameraState, CameraStatus, Frame

log = logging.getLogger(__name__)

_NO_CAMERA = CameraStatus(CameraState.STOPPED, "No camera is open")


class CameraSlot:
    """Thread-safe: the GUI polls it while the worker waits on it and settings replace it.

    ``realtime=False`` hands files and folders over frame by frame, as fast as they are
    taken (headless ``--exit-at-end``); see CameraReader.
    """

    def __init__(self, *, realtime: bool = True) -> None:
        self._realtime = realtime
        self._lock = threading.Lock()
        self._reader: CameraReader | None = None
        self._error: CameraStatus | None = None
        self._key: tuple[str, int, int, bool] | None = None
        self._next_seq = 0

    def open(self, source: str, width: int, height: int, *, loop: bool = False) -> None:
        """Show ``source`` from now on; an unusable setting becomes a FAILED status."""
        key = (source, width, height, loop)
        with self._lock:
            current = self._reader
            if current is not None and self._key == key and not current.state.is_final:
                return
            if current is not None:
                self._next_seq = max(self._next_seq, current.last_seq + 1)
            try:
                reader: CameraReader | None = CameraReader(
                    parse_source(source),
                    width=width,
                    height=height,
                    loop=loop,
                    realtime=self._realtime,
                    first_seq=self._next_seq,
                )
                error = None
            except ValueError as exc:
                reader, error = None, CameraStatus(CameraState.FAILED, str(exc))
                log.error("camera setting %r: %s", source, exc)
            if reader is not None:
                reader.start()
            self._reader, self._error, self._key = reader, error, key
        if current is not None:
            threading.Thread(target=current.stop, name="camera-stopper", daemon=True).start()

    def stop(self) -> None:
        with self._lock:
            reader, self._reader = self._reader, None
        if reader is not None:
            reader.stop()

    @property
    def reader(self) -> CameraReader | None:
        return self._reader

    def latest(self, after_seq: int = -1) -> Frame | None:
        reader = self._reader
        return None if reader is None else reader.latest(after_seq)

    def status(self) -> CameraStatus:
        reader = self._reader
        if reader is None:
            return self._error or _NO_CAMERA
        return reader.status

    def ended(self, after_seq: int) -> bool:
        """True when nothing newer than ``after_seq`` will come: a file or folder ended (or
        the source failed, or the setting is unusable) and its last frame was taken."""
        reader = self._reader
        if reader is None:
            return self._error is not None
        return reader.state.is_final and reader.latest(after_seq) is None
