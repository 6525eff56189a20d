"""Where an export may be written: a new file, or an existing regular file that is not ours.

An export is written to a temporary file and renamed over its target, and a rename replaces
whatever the name pointed to: the live database (every unsynced record gone), a backup, a
device node (as root), a named pipe. So the target is checked first, by its resolved path
and by its inode (``st_dev``, ``st_ino``), which also catches a symbolic or hard link to the
database under another name. A refusal is a ``UsageError`` whose sentence starts with
"cannot write PATH:", the form the kiosk's message table already translates; the command
line says it, and why, in its own language (``export.cannot_write`` in core/i18n).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from core.errors import UsageError
from core.i18n import Message
from core.paths import DataPaths

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
    (stat.S_ISDIR, Message("export.is_folder")),
    (stat.S_ISCHR, Message("export.is_character_device")),
    (stat.S_ISBLK, Message("export.is_block_device")),
    (stat.S_ISFIFO, Message("export.is_fifo")),
    (stat.S_ISSOCK, Message("export.is_socket")),
)
_REPORT_SUFFIXES = frozenset({".csv", ".xlsx"})
# SQLite's companions of a database file, each as precious as the file itself.
_DATABASE_SUFFIXES = {
    "": Message("export.is_database"),
    "-wal": Message("export.is_database_wal"),
    "-shm": Message("export.is_database_shm"),
    "-journal": Message("export.is_database_journal"),
}


def checked_export_target(path: Path, paths: DataPaths) -> Path:
    """The resolved file an export may replace; ``UsageError`` with the reason when not.

    Resolving first means a symbolic link is followed to the file it names, which is then
    the file replaced (the link stays a link) and the one checked.
    """
    try:
        target = path.expanduser().resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
        why = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(Message("export.cannot_write", path=path, why=why)) from None
    if (system := _system_filesystem(target)) is not None:
        mount, fstype = system
        why = Message("export.system_file_system", mount=mount, fstype=fstype)
        raise UsageError(Message("export.cannot_write", path=path, why=why))
    try:
        found: os.stat_result | None = target.stat()
    except FileNotFoundError:
        found = None
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise UsageError(Message("export.cannot_write", path=path, why=why)) from None
    if found is not None:
        for is_kind, why in _KINDS:
            if is_kind(found.st_mode):
                raise UsageError(Message("export.cannot_write", path=path, why=why))
        if not stat.S_ISREG(found.st_mode):
            why = Message("export.not_regular")
            raise UsageError(Message("export.cannot_write", path=path, why=why))
    if (own := _protected(target, found, paths)) is not None:
        raise UsageError(Message("export.cannot_write", path=path, why=own))
    return target


def _protected(target: Path, found: os.stat_result | None, paths: DataPaths) -> Message | None:
    """Why ``target`` is one of the data dir's own files, or None."""
    identity = None if found is None else (found.st_dev, found.st_ino)
    for candidate, why in _own_files(paths):
        resolved = _resolved(candidate)
        if resolved == target:
            return why
        if identity is not None:
            try:
                other = candidate.stat()
            except OSError:
                continue
            if (other.st_dev, other.st_ino) == identity:
                return Message("export.under_another_name", why=why)
    backups = _resolved(paths.backups)
    if target.is_relative_to(backups):
        return Message("export.in_backups")
    return None


def _own_files(paths: DataPaths) -> Iterator[tuple[Path, Message]]:
    database = paths.database
    for suffix, why in _DATABASE_SUFFIXES.items():
        yield database.with_name(database.name + suffix), why
    yield paths.settings_file, Message("export.is_settings")
    yield paths.first_password, Message("export.is_first_password")
    # Also where ASISTENCIA_SECRETS_FILE puts it outside the data dir: the keys without
    # which sealed faces and peppered PINs are lost.
    yield paths.secrets_file, Message("export.is_secrets")
    # Whatever else lies at the top of the data dir is the kiosk's own too (its secrets and
    # keys among them), except what looks like an earlier report written there.
    for own in _files_in(paths.root):
        if own.suffix.lower() not in _REPORT_SUFFIXES:
            yield own, Message("export.is_own_file")
    for backup in _files_in(paths.backups):
        yield backup, Message("export.is_backup")


def _files_in(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        return []


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


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
