"""The running kiosk core, in parts that main.py (the composition root) builds and starts.

Threads, each with one job and one owner:

- ``camera-reader`` (core/camera/reader.py, in a ``CameraSlot``): reads the source, keeps
  the newest frame; a settings change replaces it;
- ``model-loader`` (core/recognition/loader.py): started before anything else;
- ``recognition-worker`` (``RecognitionWorker``): newest frame → pipeline → decision →
  attendance record; hands frames to ``LiveEnrollment`` while an enrollment runs;
- ``kiosk-io`` (``Runtime``): PIN records and the employee an enrollment is for, so the
  window never waits on argon2 or the disk;
- the sync scheduler's thread, when a central database is configured.

``Runtime`` is the window's view of them (core/runtime/api.py's ``KioskRuntime``).
"""

from core.runtime.enrollment import LiveEnrollment
from core.runtime.facade import Runtime
from core.runtime.worker import WORKER_THREAD, RecognitionWorker

__all__ = ["WORKER_THREAD", "LiveEnrollment", "RecognitionWorker", "Runtime"]
