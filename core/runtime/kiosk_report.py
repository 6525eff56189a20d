"""What a kiosk says of itself with each sync, read from the running kiosk core.

The sync engine (core/sync) cannot import the runtime; main.py hands it
``kiosk_report_of(runtime)``, which the engine calls after each cycle on its own thread.
Every value it reads is published (the camera's status, the loader's) or plain settings:
cheap, and safe from any thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from core.context import AppContext
from core.states import ModelState, ModelStatus
from core.sync.heartbeat import KioskReport, settings_report

if TYPE_CHECKING:
    from core.camera import CameraStatus
    from core.runtime.facade import Runtime


def model_words(status: ModelStatus) -> str:
    """The model's name, and its state unless it is ready: "Dlib", "Dlib (failed)"."""
    if status.state is ModelState.READY:
        return status.model_name
    return f"{status.model_name} ({status.state.value})"


def kiosk_report(
    ctx: AppContext, camera: CameraStatus | None, model: ModelStatus | None
) -> KioskReport:
    return settings_report(
        ctx.settings,
        ctx.paths.root,
        camera="" if camera is None else camera.state.value,
        model=None if model is None else model_words(model),
    )


def kiosk_report_of(runtime: Runtime) -> Callable[[], KioskReport]:
    """The engine's provider for a running kiosk core."""
    return lambda: kiosk_report(runtime.ctx, runtime.camera_status(), runtime.model_status())
