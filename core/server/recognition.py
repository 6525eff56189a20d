"""``headless --camera``: the kiosk runtime (camera → recognition → attendance) as the server's
:class:`core.server.headless.Recognition` hook.

The runtime's constructor starts the model loader thread, so building it in ``start_models``
keeps the start-up order: the loader first, then the stores, the scheduler, and only then
the camera and the recognition worker (``start``). The runtime itself notices new and erased
faces in the store (after a sync's pull) without a restart.
"""

from __future__ import annotations

from typing import Any

from core.app import AppContext
from core.runtime_api import ModelState, ModelStatus


class RuntimeRecognition:
    """``realtime=False`` processes every frame of a file or folder (``--exit-at-end``)."""

    def __init__(self, ctx: AppContext, camera: str, *, realtime: bool = True) -> None:
        self.ctx = ctx
        self.camera = camera
        self.realtime = realtime
        self._runtime: Any = None

    def start_models(self) -> None:
        from core.runtime import Runtime  # imported here: OpenCV and the models, only if asked

        self._runtime = Runtime(self.ctx, camera_source=self.camera, realtime=self.realtime)

    def model_status(self) -> ModelStatus:
        if self._runtime is None:
            return ModelStatus(ModelState.LOADING, self.ctx.settings.model_name, "not started")
        status: ModelStatus = self._runtime.model_status()
        return status

    def start(self) -> None:
        if self._runtime is not None:
            self._runtime.start()

    def stop(self) -> None:
        if self._runtime is not None:
            self._runtime.stop()

    def finished(self) -> bool:
        return self._runtime is not None and bool(self._runtime.finished)
