"""Work off the GUI thread, with results delivered back on it.

The GUI thread never waits (docs/develop/architecture.md, "Threads"): sign-in (argon2,
~240 ms), store reads and writes, exports and network checks run on a ``TaskRunner``'s own
worker threads. Their results, and those of the runtime's futures (a PIN record, an
enrollment), come back through a queued signal, so callbacks always run on the GUI thread
and never inside the call that scheduled them.

Store work uses one worker per runner (Anki's habit: one database task at a time, in
order); the network runner is separate so a 5 s connection timeout never delays a save.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
ErrorCallback = Callable[[BaseException], None]


class TaskRunner(QObject):
    """A small thread pool whose completions are delivered on the GUI thread.

    ``owner`` (a widget) ties a callback to its screen: when the owner has been deleted
    (the language changed and the screens were rebuilt, the admin signed out) the result
    is dropped instead of touching a dead widget.
    """

    busy_changed = Signal(bool)
    # A zero-argument callable to run on the GUI thread; emitted from worker threads.
    _deliver = Signal(object)

    def __init__(self, name: str, workers: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._pending = 0
        self._closed = False
        # Queued even when emitted on the GUI thread (a future that is already done), so a
        # callback never runs re-entrantly inside submit()/watch().
        self._deliver.connect(self._run_delivery, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def submit(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: ErrorCallback | None = None,
        *,
        owner: QObject | None = None,
    ) -> Future[T]:
        """Run ``fn`` on a worker; then ``on_done(result)`` or ``on_error(exc)`` here."""
        if self._closed:
            raise RuntimeError(f"the {self._name} task runner is shut down")
        future = self._executor.submit(fn)
        self.watch(future, on_done, on_error, owner=owner)
        return future

    def watch(
        self,
        future: Future[T],
        on_done: Callable[[T], None],
        on_error: ErrorCallback | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Deliver the outcome of a future made elsewhere (the runtime's) on the GUI thread."""
        self._set_pending(self._pending + 1)

        def finished(done: Future[T]) -> None:  # a worker thread, or this one if already done
            try:
                self._deliver.emit(lambda: self._finish(done, on_done, on_error, owner))
            except RuntimeError:
                # The runner itself is gone (the window closed): nobody is left to tell.
                log.debug("%s: result dropped after shutdown", self._name)

        future.add_done_callback(finished)

    def shutdown(self, wait: bool = True) -> None:
        """Cancel what has not started and (by default) wait for what is running."""
        self._closed = True
        self._executor.shutdown(wait=wait, cancel_futures=True)

    @Slot(object)
    def _run_delivery(self, delivery: Callable[[], None]) -> None:
        delivery()

    def _finish(
        self,
        done: Future[Any],
        on_done: Callable[[Any], None],
        on_error: ErrorCallback | None,
        owner: QObject | None,
    ) -> None:
        self._set_pending(self._pending - 1)
        if owner is not None and not shiboken6.isValid(owner):
            return
        try:
            result = done.result()
        except CancelledError:
            return
        except Exception as exc:
            if on_error is None:
                log.error("%s: a background task failed", self._name, exc_info=exc)
            else:
                on_error(exc)
            return
        on_done(result)

    def _set_pending(self, count: int) -> None:
        was_busy = self._pending > 0
        self._pending = max(count, 0)
        if was_busy != (self._pending > 0):
            self.busy_changed.emit(self._pending > 0)
