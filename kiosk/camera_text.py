"""What the camera says, in the window's language: a table from reason to sentence.

Core's camera statuses carry a reason (``CameraReason``), the kind and name of the source
and the reason's values (core/camera/reasons.py); a refused camera setting is a
``SourceError`` with the same. Each reason a kiosk user meets has the window's own words
here (Qt's .ts files translate them); any other is said from core's catalogue in the
window's language. A status made without a reason (a demo's) is shown as it came.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QCoreApplication, QLocale

from core.camera.reasons import CameraReason, said, source_words
from core.camera.source import SourceError
from core.camera.status import CameraState, CameraStatus
from core.i18n import Message, text_in
from kiosk.i18n import window_language

translate = QCoreApplication.translate
R = CameraReason
# Counts are written "frames: 12", not "12 frame(s)": pyside6-lupdate does not mark a
# translate() call with a count as plural (and Qt then finds no translation for plurals),
# so counts are formatted in, never passed as %n.


def source_label(kind: str | None, name: str, *, the: bool = False) -> str:
    """'camera 0', 'stream rtsp://…', 'video file …', 'image folder …' translated (``kind``
    a ``SourceKind`` value); with ``the``, as the subject of a sentence ("the video file
    …": Spanish needs its gender)."""
    forms = {
        "device": (
            translate("CameraText", "camera {name}"),
            translate("CameraText", "the camera {name}"),
        ),
        "url": (
            translate("CameraText", "stream {name}"),
            translate("CameraText", "the stream {name}"),
        ),
        "video_file": (
            translate("CameraText", "video file {name}"),
            translate("CameraText", "the video file {name}"),
        ),
        "image_folder": (
            translate("CameraText", "image folder {name}"),
            translate("CameraText", "the image folder {name}"),
        ),
    }
    bare, with_article = forms.get(kind or "", ("{name}", "{name}"))
    return (with_article if the else bare).format(name=name)


class _About:
    """What a sentence fills in: the source as a subject (``label``) or bare (``bare``),
    and the reason's values."""

    def __init__(self, kind: str | None, name: str, details: Mapping[str, object]) -> None:
        self.label = source_label(kind, name, the=True)
        self.bare = source_label(kind, name)
        self.details = details

    def __getitem__(self, name: str) -> object:
        return self.details[name]


def _end_of_folder(a: _About) -> str:
    text = translate("CameraText", "End of the {label}; images: {n}").format(label=a.bare, n=a["n"])
    if a.details.get("k"):
        text += translate("CameraText", "; unreadable files skipped: {k}").format(k=a["k"])
    return text


def _no_frames(a: _About) -> str:
    return translate("CameraText", "No picture could be read from {label}").format(label=a.label)


def _missing(a: _About) -> str:
    return translate("CameraText", "{label} does not exist").format(label=a.label)


def _stopped_sending(a: _About) -> str:
    return translate("CameraText", "{label} stopped sending pictures").format(label=a.label)


def _texts() -> dict[CameraReason, Callable[[_About], str]]:
    # Built on each call so the texts follow the language installed at that moment.
    return {
        R.NOT_CONNECTED: lambda a: translate(
            "CameraText", "{label} is not connected ({node} does not exist)"
        ).format(label=a.label, node=a["node"]),
        R.NO_PERMISSION: lambda a: translate(
            "CameraText",
            "No permission to use {label} ({node}): add this user to the “video” group",
        ).format(label=a.label, node=a["node"]),
        R.BUSY: lambda a: translate(
            "CameraText",
            "{label} could not be opened (another program uses it, or it is not a camera)",
        ).format(label=a.label),
        R.UNREACHABLE: lambda a: translate(
            "CameraText",
            "Cannot connect to {label} (unreachable, a wrong address or password, or not "
            "a video stream)",
        ).format(label=a.label),
        R.EMPTY: lambda a: translate("CameraText", "{label} is empty").format(label=a.label),
        R.MISSING: _missing,
        R.GONE: _missing,
        R.UNREADABLE: lambda a: translate("CameraText", "{label} cannot be read ({why})").format(
            label=a.label, why=a["why"]
        ),
        R.NOT_A_VIDEO: lambda a: translate(
            "CameraText",
            "{label} cannot be opened as a video (damaged, or a format that cannot be read)",
        ).format(label=a.label),
        R.NO_FILES: lambda a: translate("CameraText", "{label} has no files").format(label=a.label),
        R.LOST: _stopped_sending,
        R.CUT_OFF: _stopped_sending,
        R.OPENING: lambda a: translate("CameraText", "Opening {label}").format(label=a.label),
        R.STREAMING: lambda a: translate("CameraText", "Showing {label} ({size})").format(
            label=a.label, size=a["size"]
        ),
        R.BACK: lambda a: translate(
            "CameraText", "{label} is back ({size}); failed attempts: {n}"
        ).format(label=a.label, size=a["size"], n=a["n"]),
        R.NO_FRAMES: _no_frames,
        R.NO_IMAGES: lambda a: (
            _no_frames(a) + translate("CameraText", " (the log lists the skipped files)")
        ),
        R.END_OF_VIDEO: lambda a: translate("CameraText", "End of the {label}; frames: {n}").format(
            label=a.bare, n=a["n"]
        ),
        R.END_OF_FOLDER: _end_of_folder,
        R.SOURCE_NOT_FOUND: lambda a: translate(
            "CameraText",
            "The camera source {raw} was not found. Use a camera number (0, 1, …), "
            "/dev/videoN, an rtsp:// or http(s):// address, a video file or a folder of "
            "images that exists.",
        ).format(raw=repr(a["raw"])),
        R.SOURCE_NOT_A_FILE: lambda a: translate(
            "CameraText",
            "The camera source {raw} is neither a video file nor a folder of images.",
        ).format(raw=repr(a["raw"])),
        R.SOURCE_EMPTY: lambda _a: translate(
            "CameraText",
            "Write a camera source: a camera number (0, 1, …), /dev/videoN, an rtsp:// or "
            "http(s):// address, a video file or a folder of images.",
        ),
    }


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _core_words(message: Message) -> str:
    return text_in(window_language(), message.key, **message.params)


def _cause_text(
    reason: CameraReason, kind: str | None, name: str, details: Mapping[str, object]
) -> str:
    make = _texts().get(reason)
    if make is not None:
        return _sentence(make(_About(kind, name, details)))
    words = source_words(kind, name) if kind is not None else None
    return _sentence(_core_words(said(reason, words, details)))


def camera_text(status: CameraStatus) -> str:
    """``status`` in the installed language."""
    if status.reason is None:
        return status.message
    reason = _cause_text(status.reason, status.source, status.name, status.details)
    if status.state is CameraState.RECONNECTING and status.retry_in is not None:
        text = translate("CameraText", "{reason}. Trying again in {s} s (attempt {n}).")
        delay = status.retry_in
        # Below a second the first retries would all read "0 s".
        shown = f"{delay:.1f}".replace(".", QLocale().decimalPoint()) if delay < 1 else round(delay)
        return text.format(reason=reason, s=shown, n=status.attempt)
    if status.gave_up:
        text = translate("CameraText", "{reason}. Gave up; attempts: {n}.")
        return text.format(reason=reason, n=status.attempt)
    return reason


def setting_text(error: ValueError) -> str:
    """Why a camera setting was refused (``parse_source``), in the installed language."""
    if isinstance(error, SourceError):
        return _cause_text(error.reason, None, "", error.details)
    return str(error)


def is_known(status: CameraStatus) -> bool:
    """True when ``camera_text`` says ``status`` in the window's own words (not core's)."""
    return status.reason is not None and status.reason in _texts()
