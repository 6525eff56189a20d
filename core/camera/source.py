"""What a camera setting means: a device, a URL, a video file or a folder of images.

``parse_source`` turns the text an administrator types (or ``--camera SRC``) into a
``CameraSource``; it never opens anything, so it is cheap and safe on the GUI thread.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from core.camera.reasons import CameraReason, said, source_words
from core.errors import UsageError

__all__ = [
    "URL_SCHEMES",
    "CameraSource",
    "SourceError",
    "SourceKind",
    "mask_url",
    "parse_source",
]

# Schemes OpenCV's FFmpeg backend can stream from a network camera.
URL_SCHEMES = ("rtsp", "rtsps", "http", "https")

# "/dev/video2" is how Linux users name a camera; it is a character device, not a video
# file, so it must not fall through to the "existing file" rule.
_DEV_VIDEO = re.compile(r"^/dev/video(\d+)$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
_MAX_DEVICE_INDEX = 255


class SourceError(UsageError, ValueError):
    """A camera setting that names no usable source. A ``ValueError`` as it always was;
    ``reason`` and ``details`` say why in any language (core/camera/reasons.py)."""

    def __init__(self, reason: CameraReason, **details: object) -> None:
        self.reason = reason
        self.details = details
        super().__init__(said(reason, None, details))


class SourceKind(enum.Enum):
    DEVICE = "device"
    URL = "url"
    VIDEO_FILE = "video_file"
    IMAGE_FOLDER = "image_folder"

    @property
    def is_live(self) -> bool:
        """Live sources never end on their own: a failure means reconnect, not ENDED."""
        return self in (SourceKind.DEVICE, SourceKind.URL)


@dataclass(frozen=True)
class CameraSource:
    """A parsed camera setting. ``value`` is the device index (int) or the URL/path (str)."""

    kind: SourceKind
    value: str | int

    def __post_init__(self) -> None:
        wants_int = self.kind is SourceKind.DEVICE
        if wants_int != isinstance(self.value, int):
            expected = "an int index" if wants_int else "a str"
            raise TypeError(f"a {self.kind.value} source needs {expected}, got {self.value!r}")

    @property
    def name(self) -> str:
        """The source as shown: its number, its URL without the password, its path."""
        return mask_url(str(self.value)) if self.kind is SourceKind.URL else str(self.value)

    def describe(self) -> str:
        """Human text for logs and screens ("camera 0", "stream rtsp://…"); a URL's
        password is never shown."""
        return str(source_words(self.kind.value, self.name))

    def __repr__(self) -> str:
        # The default repr would put the URL password into tracebacks and log lines.
        shown = mask_url(self.value) if isinstance(self.value, str) else self.value
        return f"CameraSource(kind={self.kind.name}, value={shown!r})"

    def __str__(self) -> str:
        return self.describe()


def mask_url(url: str) -> str:
    """Replace the password in ``scheme://user:pass@host`` with ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid URL>"
    if "@" not in parts.netloc:
        return url
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, has_password, _ = userinfo.partition(":")
    if not has_password:
        return url
    return urlunsplit(parts._replace(netloc=f"{user}:***@{hostport}"))


def parse_source(text: str) -> CameraSource:
    """Classify a camera setting; raise ``SourceError`` (a ValueError) naming the accepted
    forms.

    Order matters: a number is a device even if a file called "0" exists in the
    working directory, because that is what "camera 0" means to every user.
    """
    raw = text.strip()
    if not raw:
        raise SourceError(CameraReason.SOURCE_EMPTY)

    if raw.isascii() and raw.isdigit():
        index = int(raw)
        if index > _MAX_DEVICE_INDEX:
            raise SourceError(CameraReason.DEVICE_OUT_OF_RANGE, index=index, top=_MAX_DEVICE_INDEX)
        return CameraSource(SourceKind.DEVICE, index)

    if match := _DEV_VIDEO.match(raw):
        return CameraSource(SourceKind.DEVICE, int(match.group(1)))

    if match := _SCHEME.match(raw):
        scheme = match.group(1).lower()
        if scheme not in URL_SCHEMES:
            schemes = ", ".join(s + "://" for s in URL_SCHEMES)
            raise SourceError(
                CameraReason.URL_SCHEME, scheme=scheme, raw=mask_url(raw), schemes=schemes
            )
        if not urlsplit(raw).hostname:
            raise SourceError(CameraReason.URL_NO_HOST, raw=mask_url(raw))
        return CameraSource(SourceKind.URL, raw)

    path = Path(raw).expanduser()
    if path.is_dir():
        return CameraSource(SourceKind.IMAGE_FOLDER, str(path.resolve()))
    if path.is_file():
        return CameraSource(SourceKind.VIDEO_FILE, str(path.resolve()))
    if path.exists():
        raise SourceError(CameraReason.SOURCE_NOT_A_FILE, raw=raw)
    raise SourceError(CameraReason.SOURCE_NOT_FOUND, raw=raw)
