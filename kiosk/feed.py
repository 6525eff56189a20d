"""The one place that polls the runtime, turning its newest values into Qt signals.

``KioskRuntime`` calls return at once (core/runtime/api.py), so polling them from GUI
timers never blocks. Frames, the face observation and record events are polled every
16 ms: a 30 fps camera's frame is on screen within one display refresh of arriving, which
keeps the preview at the camera's own rate. Statuses change slowly and are polled four
times a second. Every view (the kiosk screen, the camera and enrollment pages) listens
here instead of polling on its own, so there is one reader of each value.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from core.runtime.api import KioskRuntime

log = logging.getLogger(__name__)

FRAME_POLL_MS = 16
STATUS_POLL_MS = 250


class RuntimeFeed(QObject):
    frame = Signal(object)  # core.camera.Frame
    observation = Signal(object)  # FaceObservation
    model_status = Signal(object)  # ModelStatus
    camera_status = Signal(object)  # CameraStatus
    sync_status = Signal(object)  # SyncStatus
    store_status = Signal(object)  # WriteProblem | None: the store cannot keep records
    record = Signal(object)  # RecordEvent

    def __init__(self, runtime: KioskRuntime, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self._last_seq = -1
        self._last_observation: object = None
        self._last_status: dict[str, object] = {}
        self._fast = QTimer(self)
        self._fast.setTimerType(Qt.TimerType.PreciseTimer)
        self._fast.setInterval(FRAME_POLL_MS)
        self._fast.timeout.connect(self.poll_fast)
        self._slow = QTimer(self)
        self._slow.setInterval(STATUS_POLL_MS)
        self._slow.timeout.connect(self.poll_status)

    def start(self) -> None:
        self.poll_status()
        self.poll_fast()
        self._fast.start()
        self._slow.start()

    def stop(self) -> None:
        self._fast.stop()
        self._slow.stop()

    @property
    def running(self) -> bool:
        return self._fast.isActive()

    def poll_fast(self) -> None:
        frame = self.runtime.latest_frame(self._last_seq)
        if frame is not None:
            self._last_seq = frame.seq
            self.frame.emit(frame)
        # Records before the observation: the worker publishes a recognised face only after
        # its record was written, and its card (recorded, or not saved) must be up before
        # the greeting that the observation brings.
        for event in self.runtime.poll_events():
            self.record.emit(event)
        observation = self.runtime.observation()
        if observation != self._last_observation:
            self._last_observation = observation
            self.observation.emit(observation)

    def poll_status(self) -> None:
        for name, value, signal in (
            ("model", self.runtime.model_status(), self.model_status),
            ("camera", self.runtime.camera_status(), self.camera_status),
            ("sync", self.runtime.sync_status(), self.sync_status),
            ("store", self.runtime.store_problem(), self.store_status),
        ):
            if self._last_status.get(name) != value:
                self._last_status[name] = value
                signal.emit(value)

    def refresh(self) -> None:
        """Re-send every status, e.g. to screens built after a language change."""
        self._last_status.clear()
        self._last_observation = None
        self.poll_status()
