"""``headless --camera``: the kiosk runtime (camera → recognition → attendance) as the server's
:class:`core.server.headless.Recognition` hook.

The runtime's constructor starts the model loader thread, so building it in ``start_models``
keeps the start-up order: the loader first, then the stores, the scheduler, and only then
the camera and the recognition worker (``start``). The runtime itself notices new and erased
faces in the store (after a sync's pull) without a restart.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from core.app import AppContext
from core.runtime_api import ModelState, ModelStatus

if TYPE_CHECKING:
    from core.server.headless import Recognition

# A factory the runtime may provide instead: headless_recognition(ctx, camera) -> Recognition.
FACTORY = ("core.runtime", "headless_recognition")


class RuntimeRecognition:
    def __init__(self, ctx: AppContext, camera: str) -> None:
        self.ctx = ctx
        self.camera = camera
        self._runtime: Any = None

    def start_models(self) -> None:
        from core.runtime import Runtime  # imported here: OpenCV and the models, only if asked

        self._runtime = Runtime(self.ctx, camera_source=self.camera)

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


def headless_recognition(ctx: AppContext, camera: str) -> Recognition:
    """The runtime's own factory when it has one, else the adapter above."""
    module_name, name = FACTORY
    try:
        factory = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        return RuntimeRecognition(ctx, camera)
    recognition: Recognition = factory(ctx, camera)
    return recognition
