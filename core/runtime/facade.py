"""``Runtime``: the running kiosk core as the window sees it (``core.runtime.api.KioskRuntime``).

A thin front over parts built and started by the composition root (main.py): the model
loader, the camera slot, the recognition worker, live enrollment and, when a central
database is configured, the sync scheduler. Every call returns at once: getters read the
newest published value; a PIN record, and the employee an enrollment is for, are looked up
on its own ``kiosk-io`` thread so the GUI never waits on argon2 or the disk. A settings
change reaches the parts through ``apply``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from core.attendance.outcomes import KioskOutcome, Recorded
from core.attendance.rules import Kind
from core.camera import CameraStatus, Frame
from core.camera.slot import CameraSlot
from core.config import Settings
from core.context import AppContext
from core.people.employees import EmployeeView
from core.recognition.config import RecognitionConfig
from core.recognition.loader import ModelLoader, shared_loader
from core.runtime.api import (
    EnrollmentProgress,
    FaceObservation,
    PhotoEnrollmentReport,
    PhotoVerdict,
    RecordEvent,
)
from core.runtime.enrollment import LiveEnrollment
from core.runtime.worker import RecognitionWorker
from core.states import ModelStatus
from core.store.durability import WriteProblem, check_writable
from core.sync.status import SyncStatus

if TYPE_CHECKING:
    from core.sync.scheduler import SyncScheduler

log = logging.getLogger(__name__)

T = TypeVar("T")
SyncFactory = Callable[[Settings], "SyncScheduler | None"]
# While the store cannot keep records, a tiny change is tried this often: nobody may come
# for a while, and the kiosk must stop saying so once space is freed.
STORE_CHECK_S = 15.0


class Runtime:
    """``start()`` opens the camera, starts sync and the worker; ``stop()`` undoes them in
    reverse (the worker first: nothing records after it)."""

    def __init__(
        self,
        ctx: AppContext,
        loader: ModelLoader,
        camera: CameraSlot,
        worker: RecognitionWorker,
        enrollment: LiveEnrollment,
        *,
        camera_source: str | None = None,
        sync_factory: SyncFactory | None = None,
    ) -> None:
        self.ctx = ctx
        self.camera_source = camera_source  # None: the camera setting
        self.loader = loader
        self.camera = camera
        self.worker = worker
        self.enrollment = enrollment
        self._sync_factory = sync_factory
        self._sync: SyncScheduler | None = None
        self._io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-io")
        self._started_at = time.monotonic()
        self._next_store_check: float | None = None
        # Bumped by every cancel: an enrollment still being looked up on kiosk-io when it
        # changes never starts (the page was told "cancelled" already).
        self._enrollment_lock = threading.Lock()
        self._cancels = 0
        self._cancel_why = "cancelled"

    # --- life cycle -----------------------------------------------------------------------
    def start(self) -> None:
        s = self.ctx.settings
        source = self.camera_source or s.camera
        self.camera.open(source, s.camera_width, s.camera_height, loop=s.camera_loop)
        self._start_sync(s)
        self.worker.start()

    def stop(self) -> None:
        self._cancel_enrollment("stopped")
        self.worker.stop()
        self._stop_sync()
        self.camera.stop()
        self._io.shutdown(wait=True, cancel_futures=True)

    @property
    def finished(self) -> bool:
        return self.worker.finished

    @property
    def frames_processed(self) -> int:
        return self.worker.frames_processed

    @property
    def records_not_saved(self) -> int:
        return self.worker.records_not_saved

    def _start_sync(self, settings: Settings) -> None:
        if self._sync_factory is None:
            return
        self._sync = self._sync_factory(settings)
        if self._sync is not None:
            self._sync.start()

    def _stop_sync(self) -> None:
        sync, self._sync = self._sync, None
        if sync is not None:
            sync.stop()
            sync.engine.close()

    # --- what the window polls ------------------------------------------------------------
    def latest_frame(self, after_seq: int = -1) -> Frame | None:
        return self.camera.latest(after_seq)

    def observation(self) -> FaceObservation:
        return self.worker.observation()

    def poll_events(self) -> list[RecordEvent]:
        return self.worker.poll_events()

    def model_status(self) -> ModelStatus:
        status = self.loader.status
        elapsed = status.timings.get("total_s", time.monotonic() - self._started_at)
        return ModelStatus(
            status.state, status.model_name, status.reason or status.message, elapsed
        )

    def camera_status(self) -> CameraStatus:
        return self.camera.status()

    def sync_status(self) -> SyncStatus:
        sync = self._sync
        if sync is not None:
            return sync.status()
        return SyncStatus(configured=self.ctx.settings.central_configured)

    def store_problem(self) -> WriteProblem | None:
        if not self.ctx.store_open:
            return None
        store = self.ctx.store
        problem = store.write_problem
        now = time.monotonic()
        if problem is None:
            self._next_store_check = None
        elif self._next_store_check is None:
            self._next_store_check = now + STORE_CHECK_S
        elif now >= self._next_store_check:
            self._next_store_check = now + STORE_CHECK_S
            # Clears the problem once it commits; a stopping executor takes no more work.
            with contextlib.suppress(RuntimeError):
                self._io.submit(check_writable, store)
        return problem

    def sync_now(self) -> bool:
        sync = self._sync
        if sync is None:
            return False
        sync.run_soon()
        return True

    # --- what the window asks for -----------------------------------------------------------
    def record_pin(self, code: str, pin: str) -> Future[KioskOutcome]:
        return self._io.submit(self.ctx.attendance().record_pin, code, pin, ask=True)

    def choose_punch(self, token: uuid.UUID, kind: Kind) -> Future[Recorded]:
        return self._io.submit(self.ctx.attendance().choose, token, kind)

    def change_punch(self, event_id: uuid.UUID, kind: Kind) -> Future[Recorded]:
        return self._io.submit(self.ctx.attendance().change_own, event_id, kind)

    def set_camera(self, source: str, width: int, height: int) -> None:
        """Show another source now (the camera page's "apply", before it saves)."""
        self.camera.open(source, width, height, loop=self.ctx.settings.camera_loop)

    def apply(self, new: Settings, old: Settings) -> None:
        """A saved settings change, in force from now: the rules and thresholds at the next
        frame; a new model loads in the background; a new camera or central database is
        switched to."""
        config = RecognitionConfig.from_settings(new)
        if (new.model_name, new.detector) != (old.model_name, old.detector):
            self.loader = shared_loader(config, self.ctx.paths.models).start()
            self.worker.use_loader(self.loader)
        self.worker.use_config(config)
        if _camera_of(new) != _camera_of(old):
            # Only a change to the camera's own settings: saving another page must not
            # reopen it, nor undo a camera set since (set_camera) with the older value.
            self.camera.open(new.camera, new.camera_width, new.camera_height, loop=new.camera_loop)
        if new.central_url() != old.central_url():
            self._stop_sync()
            self._start_sync(new)

    def pause_recognition(self, paused: bool) -> None:
        self.worker.pause(paused)

    def start_enrollment(
        self,
        employee_code: str,
        samples: int,
        on_progress: Callable[[EnrollmentProgress], None],
        actor: str = "kiosk",
    ) -> Future[EnrollmentProgress]:
        def start(employee: EmployeeView) -> Future[EnrollmentProgress]:
            return self.enrollment.start(employee.code, employee.id, samples, on_progress, actor)

        def cancelled(why: str) -> EnrollmentProgress:
            return EnrollmentProgress(0, max(samples, 1), error=why, cancelled=True)

        return self._begin_enrollment(employee_code, start, cancelled)

    def cancel_enrollment(self) -> None:
        self._cancel_enrollment("cancelled")

    def _cancel_enrollment(self, why: str) -> None:
        with self._enrollment_lock:
            self._cancels += 1
            self._cancel_why = why
        self.enrollment.cancel(why)

    def enroll_photos(
        self,
        employee_code: str,
        photos: Sequence[Path],
        on_verdict: Callable[[PhotoVerdict], None],
        actor: str = "kiosk",
    ) -> Future[PhotoEnrollmentReport]:
        def start(employee: EmployeeView) -> Future[PhotoEnrollmentReport]:
            return self.enrollment.start_photos(
                employee.code, employee.id, list(photos), on_verdict, actor
            )

        def cancelled(why: str) -> PhotoEnrollmentReport:
            return PhotoEnrollmentReport((), error=why, cancelled=True)

        return self._begin_enrollment(employee_code, start, cancelled)

    def _begin_enrollment(
        self,
        employee_code: str,
        start: Callable[[EmployeeView], Future[T]],
        cancelled: Callable[[str], T],
    ) -> Future[T]:
        """Look the employee up on ``kiosk-io``, then ``start``; the answer comes through
        the returned future (an unknown code as its exception). A cancel that comes first
        wins: nothing starts, and the future says "cancelled"."""
        result: Future[T] = Future()
        with self._enrollment_lock:
            cancels = self._cancels

        def begin() -> None:
            try:
                employee = self.ctx.employees().get(employee_code)
                with self._enrollment_lock:
                    if self._cancels != cancels:
                        result.set_result(cancelled(self._cancel_why))
                        return
                    started = start(employee)
            except Exception as exc:
                result.set_exception(exc)
                return
            started.add_done_callback(lambda done: _pass_on(done, result))

        def dropped(looked_up: Future[None]) -> None:
            # Stopped before kiosk-io got to it: said as a stop, like a capture cut short.
            if looked_up.cancelled():
                result.set_result(cancelled("stopped"))

        self._io.submit(begin).add_done_callback(dropped)
        return result


def _camera_of(settings: Settings) -> tuple[str, int, int, bool]:
    return (settings.camera, settings.camera_width, settings.camera_height, settings.camera_loop)


def _pass_on(done: Future[T], to: Future[T]) -> None:
    """``done``'s outcome (a result or an exception), into ``to``."""
    if done.cancelled():
        to.cancel()
        return
    exc = done.exception()
    if exc is not None:
        to.set_exception(exc)
    else:
        to.set_result(done.result())
