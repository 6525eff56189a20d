"""Why a camera is where it is: a reason and its values, said from the catalogue.

The camera code names what happened (``CameraReason.NOT_CONNECTED``, the device node); the
sentence is the catalogue's (core/i18n/camera.py), so the window says it in its own words
(kiosk/camera_text.py, a table by reason) and a log or the command line in the language
chosen, without parsing anything back. ``said`` builds the ``Message``: the English one is
the sentence the camera always wrote.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from core.i18n.message import Message

__all__ = ["CameraReason", "said", "source_words"]


class CameraReason(enum.Enum):
    """What a status or a refused camera setting says; its values are catalogue keys
    (``camera.<value>``)."""

    # the reader's own life
    NOT_STARTED = "not_started"
    NO_CAMERA = "no_camera"  # no source is open (the kiosk's camera slot is empty)
    OPENING = "opening"
    STREAMING = "streaming"  # details: size
    BACK = "back"  # a live source sends again; details: size, n (failed attempts)
    STOPPED = "stopped"
    CRASHED = "crashed"  # details: why
    # a device or a stream that cannot be opened (retried)
    NOT_CONNECTED = "not_connected"  # details: node
    NO_PERMISSION = "no_permission"  # details: node
    BUSY = "busy"
    UNREACHABLE = "unreachable"
    LOST = "lost"  # it stopped sending frames
    CUT_OFF = "cut_off"  # a live stream came to an end
    # a file or folder that cannot be read (not retried)
    EMPTY = "empty"
    MISSING = "missing"
    GONE = "gone"  # an image folder that went away while it was read
    UNREADABLE = "unreadable"  # details: why
    NOT_A_VIDEO = "not_a_video"
    NO_FILES = "no_files"
    NO_FRAMES = "no_frames"
    NO_IMAGES = "no_images"  # an image folder where no file was readable
    END_OF_VIDEO = "end_of_video"  # details: n (frames)
    END_OF_FOLDER = "end_of_folder"  # details: n (images), k (unreadable files skipped)
    # a camera setting parse_source refuses (details: raw, and what each names)
    SOURCE_EMPTY = "source_empty"
    SOURCE_NOT_FOUND = "source_not_found"
    SOURCE_NOT_A_FILE = "source_not_a_file"
    DEVICE_OUT_OF_RANGE = "device_out_of_range"  # details: index, top
    URL_SCHEME = "url_scheme"  # details: scheme, schemes
    URL_NO_HOST = "url_no_host"


def source_words(kind: str, name: object) -> Message:
    """'camera 0', 'stream rtsp://…', 'video file …', 'image folder …' (``kind`` is a
    ``SourceKind`` value)."""
    return Message(f"camera.source.{kind}", name=name)


def _counted(key: str, n: int) -> str:
    # English and Spanish both say one thing in the singular and the rest in the plural.
    return f"{key}.one" if n == 1 else key


def said(
    reason: CameraReason,
    source: Message | None,
    details: Mapping[str, object],
    *,
    retry_in: float | None = None,
    attempt: int = 0,
    gave_up: bool = False,
) -> Message:
    """The sentence for ``reason`` about ``source`` (``source_words``), with what the
    reader adds: "; retrying in 2 s (attempt 3)", "; gave up after 3 attempts"."""
    values: dict[str, object] = dict(details)
    if source is not None:
        values["source"] = source
    key = f"camera.{reason.value}"
    if reason in (CameraReason.BACK, CameraReason.END_OF_VIDEO):
        key = _counted(key, int(str(values["n"])))
    elif reason is CameraReason.END_OF_FOLDER:
        images = int(str(values.pop("n")))
        skipped = int(str(values.pop("k", 0)))
        values["images"] = Message(_counted("camera.images", images), n=images)
        if skipped:
            key = "camera.end_of_folder.skipped"
            values["skipped"] = Message(_counted("camera.unreadable_files", skipped), n=skipped)
    message = Message(key, **values)
    if retry_in is not None:
        return Message("camera.retrying", reason=message, s=retry_in, n=attempt)
    if gave_up:
        return Message(_counted("camera.gave_up", attempt), reason=message, n=attempt)
    return message
