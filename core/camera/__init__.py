"""Camera sources for the kiosk and the headless mode (no Qt here, ever).

``parse_source`` classifies a setting; ``CameraReader`` reads it on its own thread and
keeps only the newest frame. See reader.py for the threading and timing rules.
"""

from core.camera.reader import CameraReader, StatusCallback
from core.camera.source import CameraSource, SourceKind, mask_url, parse_source
from core.camera.status import CameraState, CameraStatus, Frame, Image

__all__ = [
    "CameraReader",
    "CameraSource",
    "CameraState",
    "CameraStatus",
    "Frame",
    "Image",
    "SourceKind",
    "StatusCallback",
    "mask_url",
    "parse_source",
]
