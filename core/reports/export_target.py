"""Where an export may be written: a new file, or an earlier report, in a folder for reports.

An export is written to a temporary file and renamed over its target, and a rename replaces
whatever the name held: the live database, a log, a model's weights, /etc/passwd as root. A
list of forbidden names could never be complete, so the rules say what *may* be replaced:

- the folder: anywhere the administrator names (the ``-o`` path's folder, the Export page's
  folder or USB drive) except the kiosk's own data dir, where only its exports folder takes
  reports (the database, secrets, logs, models and backups live there); never a kernel or
  device file system (/proc, /sys, /dev);
- the name: nothing yet, or a regular file that is one of our own reports, recognised by its
  content (``core.reports.marker``), never by its name;
- never through a symbolic link: a link is refused, not followed. The folder is opened once
  and every later step names the file relative to it (``dir_fd``), the file is read with
  ``O_NOFOLLOW`` to be recognised, it is looked at again just before the rename, and a
  rename replaces a link itself rather than what it points to; so a link swapped in between
  the check and the write is never written through.

The database and its companions keep their own sentence, also under another name (a hard
link, found by ``st_dev``/``st_ino``), because "it is the kiosk's database" says more than
"it is not a report". A refusal is a ``UsageError`` whose sentence starts with
"cannot write PATH:", the form the kiosk's message table translates; the command line says
it, and why, in its own language (``export.cannot_write`` in core/i18n).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from core.errors import UsageError
from core.host.paths import DataPaths
from core.i18n import Message

# Nothing in these file systems is a file in the ordinary sense: writing there is never an
# export. proc and sysfs count wherever they are above the target (the kernel mounts other
# file systems inside /sys); the rest only when the target is directly on them.
_KERNEL_FILESYSTEMS = frozenset({"proc", "sysfs"})
_SPECIAL_FILESYSTEMS = frozenset(
    {
        "binfmt_misc",
        "bpf",
        "cgroup",
        "cgroup2",
        "configfs",
        "debugfs",
        "devpts",
        "devtmpfs",
        "efivarfs",
        "fusectl",
        "hugetlbfs",
        "mqueue",
        "pstore",
        "securityfs",
        "tracefs",
    }
)
# Where /proc/self/mounts cannot be read (not Linux, a restricted sandbox).
_FALLBACK_MOUNTS = ((Path("/proc"), "proc"), (Path("/sys"), "sysfs"))
_KINDS = (
    (stat.S_ISLNK, Message("export.is_symlink")),
    (stat.S_ISDIR, Message("export.is_folder")),
    (stat.S_ISCHR, Message("export.is_character_device")),
    (stat.S_ISBLK, Message("export.is_block_device")),
    (stat.S_ISFIFO, Message("export.is_fifo")),
    (stat.S_ISSOCK, Message("export.is_socket")),
)
# SQLite's companions of a database file, each as precious as the file itself.
_DATABASE_SUFFIXES = {
    "": Message("export.is_database"),
    "-wal": Message("export.is_database_wal"),
    "-shm": Message("export.is_database_shm"),
    "-journal": Message("export.is_database_journal"),
}
# Read to recognise a report: never follow a link, never wait on a FIFO swapped in, never
# make a terminal ours. (getattr: POSIX flags, so that importing this elsewhere still works.)
_NOFOLLOW, _CLOEXEC = getattr(os, "O_NOFOLLOW", 0), getattr(os, "O_CLOEXEC", 0)
_NONBLOCK, _NOCTTY = getattr(os, "O_NONBLOCK", 0), getattr(os, "O_NOCTTY", 0)
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _NOCTTY | _CLOEXEC
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC

Identity = tuple[int, int]  # (st_dev, st_ino)
Recogniser = Callable[[BinaryIO], bool]


@dataclass(frozen=True)
class Checked:
    """A name an export may write: new (``identity`` None) or an earlier report."""

    name: str
    shown: Path  # as the administrator named it, for sentences
    identity: Identity | None
    mode: int | None  # the earlier report's mode, which the new one keeps


def _refusal(shown: Path, why: Message | str) -> UsageError:
    return UsageError(Message("export.cannot_write", path=shown, why=why))


class ExportFolder:
    """A folder opened once for writing reports; every name is taken relative to it."""

    def __init__(self, fd: int, location: Path, paths: DataPaths) -> None:
        self.fd = fd
        self.location = location  # where the folder really is
        self.paths = paths

    def check(self, shown: Path, is_ours: Recogniser) -> Checked:
        """The name ``shown`` ends in, when an export may write it; else ``UsageError``."""
        name = shown.name
        if name in ("", ".", ".."):
            raise _refusal(shown, Message("export.is_folder"))
        found = self._lstat(name, shown)
        if found is not None and (database := self._database(found, name)) is not None:
            raise _refusal(shown, database)
        if (why := _folder_refusal(self.location, self.paths)) is not None:
            raise _refusal(shown, why)
        if found is None:
            return Checked(name, shown, None, None)
        _refuse_kind(found, shown)
        identity = (found.st_dev, found.st_ino)
        if not self._recognised(name, shown, identity, is_ours):
            raise _refusal(shown, Message("export.not_a_report"))
        return Checked(name, shown, identity, stat.S_IMODE(found.st_mode))

    def write(self, checked: Checked, data: bytes, mode: int) -> Path:
        """Write ``data`` to a new file beside it, then rename it over ``checked``'s name."""
        with self.writing(checked, mode) as handle:
            handle.write(data)
        return self.location / checked.name

    @contextlib.contextmanager
    def writing(self, checked: Checked, mode: int) -> Iterator[BinaryIO]:
        """A new file beside ``checked``'s name to write (a report as it streams); renamed
        over that name when the block ends, removed if it fails."""
        temporary = f".{checked.name}.{secrets.token_hex(6)}.part"
        try:
            fd = os.open(temporary, _CREATE_FLAGS, 0o600, dir_fd=self.fd)
        except OSError as exc:
            raise _refusal(checked.shown, exc.strerror or str(exc)) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                # A FAT stick has no modes and refuses to change them: the file is still fine.
                with contextlib.suppress(PermissionError):
                    os.fchmod(handle.fileno(), checked.mode if checked.mode is not None else mode)
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            self._unchanged(checked)
            os.rename(temporary, checked.name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=self.fd)
            if isinstance(exc, OSError):
                raise _refusal(checked.shown, exc.strerror or str(exc)) from None
            raise
        with contextlib.suppress(OSError):  # the rename itself survives a power cut
            os.fsync(self.fd)

    def _lstat(self, name: str, shown: Path) -> os.stat_result | None:
        try:
            return os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _refusal(shown, exc.strerror or str(exc)) from None

    def _database(self, found: os.stat_result, name: str) -> Message | None:
        database = self.paths.database
        for suffix, why in _DATABASE_SUFFIXES.items():
            companion = database.with_name(database.name + suffix)
            try:
                own = companion.stat()
            except OSError:
                continue
            if (own.st_dev, own.st_ino) == (found.st_dev, found.st_ino):
                if _resolved(companion) == self.location / name:
                    return why
                return Message("export.under_another_name", why=why)
        return None

    def _recognised(self, name: str, shown: Path, identity: Identity, is_ours: Recogniser) -> bool:
        try:
            fd = os.open(name, _READ_FLAGS, dir_fd=self.fd)
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # O_NOFOLLOW: a link swapped in since the lstat
                raise _refusal(shown, Message("export.is_symlink")) from None
            raise _refusal(shown, exc.strerror or str(exc)) from None
        with os.fdopen(fd, "rb") as handle:
            opened = os.fstat(fd)
            _refuse_kind(opened, shown)
            if (opened.st_dev, opened.st_ino) != identity:
                raise _refusal(shown, Message("export.changed"))
            return is_ours(handle)

    def _unchanged(self, checked: Checked) -> None:
        """Just before the rename: the name still holds what was checked (nothing, or the
        same earlier report), not a link or a stranger's file put there meanwhile."""
        now = self._lstat(checked.name, checked.shown)
        identity = None if now is None else (now.st_dev, now.st_ino)
        if identity != checked.identity or (now is not None and not stat.S_ISREG(now.st_mode)):
            raise _refusal(checked.shown, Message("export.changed"))


@contextlib.contextmanager
def export_folder(shown: Path, paths: DataPaths) -> Iterator[ExportFolder]:
    """The folder of ``shown`` (a file to write), created when missing and held open."""
    folder = shown.expanduser().parent
    try:
        resolved = folder.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
        raise _refusal(shown, getattr(exc, "strerror", None) or str(exc)) from None
    _refuse_system(resolved, shown)
    if not resolved.exists():
        # Nothing is created in the data dir outside its exports folder.
        if (why := _folder_refusal(resolved, paths)) is not None:
            raise _refusal(shown, why)
        try:
            resolved.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _refusal(shown, exc.strerror or str(exc)) from None
    try:
        fd = os.open(resolved, _FOLDER_FLAGS)
    except OSError as exc:
        raise _refusal(shown, exc.strerror or str(exc)) from None
    try:
        location = _location(fd, resolved)
        _refuse_system(location, shown)
        yield ExportFolder(fd, location, paths)
    finally:
        os.close(fd)


def _folder_refusal(location: Path, paths: DataPaths) -> Message | None:
    """Why a report may not go into ``location`` (a real path), or None."""
    root, exports = _resolved(paths.root), _resolved(paths.exports)
    if location.is_relative_to(root) and not location.is_relative_to(exports):
        return Message("export.in_data_dir", exports=exports)
    return None


def _refuse_kind(found: os.stat_result, shown: Path) -> None:
    for is_kind, why in _KINDS:
        if is_kind(found.st_mode):
            raise _refusal(shown, why)
    if not stat.S_ISREG(found.st_mode):
        raise _refusal(shown, Message("export.not_regular"))


def _location(fd: int, resolved: Path) -> Path:
    """Where the open folder really is, whatever its path has become since it was resolved."""
    try:
        return Path(f"/proc/self/fd/{fd}").readlink()
    except OSError:  # not Linux
        return resolved


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _refuse_system(target: Path, shown: Path) -> None:
    if (system := _system_filesystem(target)) is not None:
        mount, fstype = system
        why = Message("export.system_file_system", mount=mount, fstype=fstype)
        raise _refusal(shown, why)


def _system_filesystem(target: Path) -> tuple[Path, str] | None:
    """The mount point and type when ``target`` lies in a kernel or device file system."""
    mounts = _mounts()
    above = [(mount, fstype) for mount, fstype in mounts if target.is_relative_to(mount)]
    for mount, fstype in above:
        if fstype in _KERNEL_FILESYSTEMS:
            return mount, fstype
    if above:
        # The deepest mount is the file system the file would be on.
        mount, fstype = max(above, key=lambda item: len(item[0].parts))
        if fstype in _SPECIAL_FILESYSTEMS:
            return mount, fstype
    return None


def _mounts() -> list[tuple[Path, str]]:
    try:
        text = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return list(_FALLBACK_MOUNTS)
    mounts: list[tuple[Path, str]] = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            mounts.append((Path(_unescape(fields[1])), fields[2]))
    return mounts or list(_FALLBACK_MOUNTS)


def _unescape(field: str) -> str:
    """/proc/self/mounts writes a space in a mount point as ``\\040`` (octal escapes)."""
    if "\\" not in field:
        return field
    out, index = [], 0
    while index < len(field):
        chunk = field[index : index + 4]
        if len(chunk) == 4 and chunk[0] == "\\" and chunk[1:].isdigit():
            out.append(chr(int(chunk[1:], 8)))
            index += 4
        else:
            out.append(field[index])
            index += 1
    return "".join(out)
