"""The camera's status sentences (English, from ``core/camera``) in the window's language.

Core writes one sentence per state change for logs and screens; the window shows it under
its own translated headline. Each form the camera code writes is recognised here: the
source's label ("camera 0", "video file …"), the reason, and the suffixes the reader adds
("; retrying in 2 s (attempt 3)"). A sentence no rule knows is shown as it came, so no
detail is ever hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QLocale

translate = QCoreApplication.translate
Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
# Counts are written "frames: 12", not "12 frame(s)": pyside6-lupdate does not mark a
# translate() call with a count as plural (and Qt then finds no translation for plurals),
# so counts are formatted in, never passed as %n.


def source_label(label: str, *, the: bool = False) -> str:
    """'camera 0', 'stream rtsp://…', 'video file …', 'image folder …' translated; with
    ``the``, as the subject of a sentence ("the video file …": Spanish needs its gender)."""
    forms = (
        (
            "camera ",
            translate("CameraText", "camera {name}"),
            translate("CameraText", "the camera {name}"),
        ),
        (
            "stream ",
            translate("CameraText", "stream {name}"),
            translate("CameraText", "the stream {name}"),
        ),
        (
            "video file ",
            translate("CameraText", "video file {name}"),
            translate("CameraText", "the video file {name}"),
        ),
        (
            "image folder ",
            translate("CameraText", "image folder {name}"),
            translate("CameraText", "the image folder {name}"),
        ),
    )
    for prefix, bare, with_article in forms:
        if label.lower().startswith(prefix):
            return (with_article if the else bare).format(name=label[len(prefix) :])
    return label


def _subject(m: re.Match[str]) -> str:
    return source_label(m["label"], the=True)


_LABEL = r"(?P<label>(?:camera|stream|video file|image folder) .+?)"


def _back(m: re.Match[str]) -> str:
    n = int(m["n"])
    text = translate("CameraText", "{label} is back ({size}); failed attempts: {n}")
    return text.format(label=_subject(m), size=m["size"], n=n)


def _end_of_video(m: re.Match[str]) -> str:
    n = int(m["n"])
    text = translate("CameraText", "End of the {label}; frames: {n}")
    return text.format(label=source_label(m["label"]), n=n)


def _end_of_folder(m: re.Match[str]) -> str:
    n = int(m["n"])
    text = translate("CameraText", "End of the {label}; images: {n}")
    text = text.format(label=source_label(m["label"]), n=n)
    if m["k"]:
        k = int(m["k"])
        text += translate("CameraText", "; unreadable files skipped: {k}").format(k=k)
    return text


def _reasons() -> list[Rule]:
    # Built on each call so the texts follow the language installed at that moment.
    rules: list[tuple[str, Callable[[re.Match[str]], str]]] = [
        (
            rf"{_LABEL} is not connected \((?P<node>.+) does not exist\)",
            lambda m: translate(
                "CameraText", "{label} is not connected ({node} does not exist)"
            ).format(label=_subject(m), node=m["node"]),
        ),
        (
            rf"no permission to use {_LABEL} \((?P<node>.+)\); add this user to the 'video' group",
            lambda m: translate(
                "CameraText",
                "No permission to use {label} ({node}): add this user to the “video” group",
            ).format(label=_subject(m), node=m["node"]),
        ),
        (
            rf"{_LABEL} could not be opened \(in use by another program, or not a video "
            r"capture device\)",
            lambda m: translate(
                "CameraText",
                "{label} could not be opened (another program uses it, or it is not a camera)",
            ).format(label=_subject(m)),
        ),
        (
            rf"cannot connect to {_LABEL} \(unreachable, wrong address or credentials, or not a "
            r"video stream\)",
            lambda m: translate(
                "CameraText",
                "Cannot connect to {label} (unreachable, a wrong address or password, or not "
                "a video stream)",
            ).format(label=_subject(m)),
        ),
        (
            rf"the {_LABEL} is empty",
            lambda m: translate("CameraText", "{label} is empty").format(label=_subject(m)),
        ),
        (
            rf"the {_LABEL} (?:does not exist|no longer exists)",
            lambda m: translate("CameraText", "{label} does not exist").format(label=_subject(m)),
        ),
        (
            rf"the {_LABEL} cannot be read \((?P<why>.+)\)",
            lambda m: translate("CameraText", "{label} cannot be read ({why})").format(
                label=_subject(m), why=m["why"]
            ),
        ),
        (
            rf"the {_LABEL} cannot be opened as a video \(.+\)",
            lambda m: translate(
                "CameraText",
                "{label} cannot be opened as a video (damaged, or a format that cannot be read)",
            ).format(label=_subject(m)),
        ),
        (
            rf"the {_LABEL} has no files",
            lambda m: translate("CameraText", "{label} has no files").format(label=_subject(m)),
        ),
        (
            rf"{_LABEL} (?:ended unexpectedly|stopped sending frames)",
            lambda m: translate("CameraText", "{label} stopped sending pictures").format(
                label=_subject(m)
            ),
        ),
        (
            rf"opening {_LABEL}",
            lambda m: translate("CameraText", "Opening {label}").format(label=_subject(m)),
        ),
        (
            rf"streaming from {_LABEL} \((?P<size>\d+x\d+)\)",
            lambda m: translate("CameraText", "Showing {label} ({size})").format(
                label=_subject(m), size=m["size"]
            ),
        ),
        (
            rf"{_LABEL} is back after (?P<n>\d+) failed attempts? \((?P<size>\d+x\d+)\)",
            _back,
        ),
        (
            rf"no frame could be read from {_LABEL}(?P<hint> \(see the log for skipped files\))?",
            lambda m: (
                translate("CameraText", "No picture could be read from {label}").format(
                    label=_subject(m)
                )
                + (
                    translate("CameraText", " (the log lists the skipped files)")
                    if m["hint"]
                    else ""
                )
            ),
        ),
        (
            rf"end of {_LABEL} after (?P<n>\d+) frames?",
            _end_of_video,
        ),
        (
            rf"end of {_LABEL}: (?P<n>\d+) images?(?:, (?P<k>\d+) unreadable files? skipped)?",
            _end_of_folder,
        ),
        (
            r"camera source (?P<raw>.+) was not found; use .+",
            lambda m: translate(
                "CameraText",
                "The camera source {raw} was not found. Use a camera number (0, 1, …), "
                "/dev/videoN, an rtsp:// or http(s):// address, a video file or a folder of "
                "images that exists.",
            ).format(raw=m["raw"]),
        ),
        (
            r"camera source (?P<raw>.+) is neither a regular file nor a folder",
            lambda m: translate(
                "CameraText",
                "The camera source {raw} is neither a video file nor a folder of images.",
            ).format(raw=m["raw"]),
        ),
        (
            r"the camera source is empty; use .+",
            lambda _m: translate(
                "CameraText",
                "Write a camera source: a camera number (0, 1, …), /dev/videoN, an rtsp:// or "
                "http(s):// address, a video file or a folder of images.",
            ),
        ),
    ]
    return [(re.compile(pattern, re.IGNORECASE | re.DOTALL), make) for pattern, make in rules]


_RETRYING = re.compile(
    r"^(?P<reason>.+); retrying in (?P<s>[\d.e+-]+) s \(attempt (?P<n>\d+)\)$", re.DOTALL
)
_GAVE_UP = re.compile(r"^(?P<reason>.+); gave up after (?P<n>\d+) attempts?$", re.DOTALL)


def camera_text(message: str) -> str:
    """``message`` from ``CameraStatus`` in the installed language."""
    if m := _RETRYING.match(message):
        n, delay = int(m["n"]), float(m["s"])
        text = translate("CameraText", "{reason}. Trying again in {s} s (attempt {n}).")
        # Below a second the first retries would all read "0 s".
        shown = f"{delay:.1f}".replace(".", QLocale().decimalPoint()) if delay < 1 else round(delay)
        return text.format(reason=camera_text(m["reason"]), s=shown, n=n)
    if m := _GAVE_UP.match(message):
        n = int(m["n"])
        text = translate("CameraText", "{reason}. Gave up; attempts: {n}.")
        return text.format(reason=camera_text(m["reason"]), n=n)
    for pattern, make in _reasons():
        if found := pattern.fullmatch(message.strip()):
            text = make(found)
            return text[:1].upper() + text[1:]
    return message


def is_known(message: str) -> bool:
    """True when ``camera_text`` has a translation for every part of ``message``."""
    if m := _RETRYING.match(message) or _GAVE_UP.match(message):
        return is_known(m["reason"])
    return any(pattern.fullmatch(message.strip()) for pattern, _make in _reasons())
