"""Reading a file that a person or another machine names: a regular file, never too much.

``secrets import`` used to read whatever it was given to the end: a named pipe blocked it
forever, ``/dev/zero`` grew it to 22 GB before a ``MemoryError``. Here a file is read only
if it is a regular file (a pipe, a device, a socket or a folder is refused by its type,
before anything is read from it), and only up to its kind's limit: at most ``limit + 1``
bytes are read, whatever the file claims its size is (``/proc`` files claim 0, a file may
grow while it is read). A refusal is a ``FileRefusedError`` whose one sentence names the file,
its kind and why, in the command's language (``read.*`` in core/i18n).

The type is checked twice: by ``stat`` before the open, so no device is ever opened (a
tape rewinds when it is), and by ``fstat`` after it, on what was really opened. The open
itself is non-blocking, so a file swapped for a pipe between the two cannot block it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from core.errors import UsageError
from core.i18n import Message

_KINDS = (
    (stat.S_ISDIR, "export.is_folder"),
    (stat.S_ISCHR, "export.is_character_device"),
    (stat.S_ISBLK, "export.is_block_device"),
    (stat.S_ISFIFO, "export.is_fifo"),
    (stat.S_ISSOCK, "export.is_socket"),
)
_CHUNK = 2**20


@dataclass(frozen=True)
class FileKind:
    """What a file is for, named in a sentence (a ``read.kind.*`` key), and the most bytes
    such a file ever holds: far above a real one, far below what could hurt."""

    key: str
    limit: int


SECRETS = FileKind("read.kind.secrets", 64 * 2**10)  # a real one is ~300 bytes
SETTINGS = FileKind("read.kind.settings", 2**20)  # a real one is ~1 KB
PHOTO = FileKind("read.kind.photo", 40 * 2**20)  # core.host.images.MAX_BYTES
DATASET_LIST = FileKind("read.kind.dataset_list", 16 * 2**20)  # evaluate's labels and pairs
FIRST_PASSWORD = FileKind("read.kind.first_password", 4 * 2**10)


class FileRefusedError(UsageError):
    """A file that is not read: missing, not a regular file, too large, or unreadable."""

    def __init__(self, path: Path, kind: FileKind, why: Message | str) -> None:
        self.message = Message("read.refused", what=Message(kind.key), path=path, why=why)
        self.why = why
        super().__init__(self.message)


def size_words(limit: int) -> str:
    """1048576 → "1 MiB": a limit as people read it (units are the same in both languages)."""
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if limit >= size:
            return f"{limit / size:.4g} {unit}"
    return f"{limit} B"


def not_regular(mode: int) -> Message | None:
    """Why a file of ``mode`` is not a regular file, or None when it is one."""
    if stat.S_ISREG(mode):
        return None
    for is_kind, key in _KINDS:
        if is_kind(mode):
            return Message(key)
    return Message("export.not_regular")


def read_bounded(path: Path, kind: FileKind) -> bytes:
    """The whole of ``path`` if it is a regular file of at most ``kind.limit`` bytes;
    ``FileRefusedError`` with the reason otherwise."""
    try:
        before = path.stat()
    except FileNotFoundError:
        raise FileRefusedError(path, kind, Message("read.missing")) from None
    except OSError as exc:
        raise FileRefusedError(path, kind, exc.strerror or str(exc)) from None
    _check(path, kind, before)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileRefusedError(path, kind, exc.strerror or str(exc)) from None
    try:
        opened = os.fstat(fd)
        _check(path, kind, opened)
        data = _read_at_most(fd, kind.limit + 1)
    except OSError as exc:
        raise FileRefusedError(path, kind, exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if len(data) > kind.limit:  # it grew, or its size was not its size (/proc)
        raise FileRefusedError(path, kind, Message("read.too_large", limit=size_words(kind.limit)))
    return data


def read_bounded_text(path: Path, kind: FileKind) -> str:
    """``read_bounded`` as UTF-8 text (a byte order mark is dropped); ``FileRefusedError`` for
    bytes that are not UTF-8, naming the first one."""
    data = read_bounded(path, kind)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefusedError(path, kind, Message("read.not_text", byte=exc.start + 1)) from None


def _check(path: Path, kind: FileKind, found: os.stat_result) -> None:
    if (why := not_regular(found.st_mode)) is not None:
        raise FileRefusedError(path, kind, why)
    if found.st_size > kind.limit:
        raise FileRefusedError(path, kind, Message("read.too_large", limit=size_words(kind.limit)))


def _read_at_most(fd: int, most: int) -> bytes:
    chunks: list[bytes] = []
    left = most
    while left > 0:
        chunk = os.read(fd, min(left, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
