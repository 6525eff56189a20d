"""Where Asistencia keeps its files.

Everything lives under one data dir: ``--data-dir``, else ``ASISTENCIA_DATA_DIR``, else the
platformdirs user data dir. Keeping it in one place makes backups, the Docker volume and
"erase everything" simple.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "asistencia"
DATA_DIR_ENV = "ASISTENCIA_DATA_DIR"
SETTINGS_FILE_NAME = "asistencia.toml"
# The data dir holds face templates, photos, password hashes and secrets: only the kiosk's
# user may open anything in it. main.py sets this umask before any file is written, so
# every new file is 0600 and every new folder 0700, whichever library creates it.
PRIVATE_UMASK = 0o077
PRIVATE_DIR_MODE = 0o700
# How many paths one warning names before "and N more".
_SHOWN = 5

log = logging.getLogger(__name__)


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env_value = os.environ.get(DATA_DIR_ENV)
    if env_value:
        return Path(env_value).expanduser().resolve()
    return default_data_dir()


@dataclass(frozen=True)
class DataPaths:
    """The files and folders inside one data dir."""

    root: Path

    @property
    def settings_file(self) -> Path:
        return self.root / SETTINGS_FILE_NAME

    @property
    def database(self) -> Path:
        return self.root / "asistencia.db"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def models(self) -> Path:
        """DeepFace home: weights are staged into ``models/.deepface/weights``."""
        return self.root / "models"

    @property
    def first_password(self) -> Path:
        """The first administrator's one-time password (0600), until it is changed."""
        return self.root / "first-admin-password.txt"

    @property
    def secrets_file(self) -> Path:
        """The deployment keys and the central password (0600; ``ASISTENCIA_SECRETS_FILE``)."""
        return secrets_path(self.root)

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    def ensure(self) -> PermissionReport:
        """Create the folders (0700) and make what is already there private (see
        ``make_private``); raises OSError with the path when a folder cannot be made.
        What could not be tightened is logged as warnings, never raised."""
        for folder in (self.root, self.backups, self.logs, self.models, self.exports):
            folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
        report = make_private(self.root)
        if report.tightened:
            log.info("%s", report.tightened_sentence())
        for line in report.warnings():
            log.warning("%s", line)
        return report


# --- file modes: the data dir 0700, everything in it 0600 -----------------------------------


@contextmanager
def private_umask() -> Iterator[None]:
    """Files and folders created meanwhile are the user's only (``PRIVATE_UMASK``): SQLite's
    database, -wal and -shm, backups, logs, exports, staged weights. The previous umask comes
    back at the end, for callers that embed ``main.main`` (tests, tools)."""
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


@dataclass
class PermissionReport:
    """What ``make_private`` did in a data dir, and what it could not do."""

    root: Path
    tightened: list[Path] = field(default_factory=list)
    # Entries others can open that belong to another user: reported, never chmod'ed.
    foreign: list[tuple[Path, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def _names(self, paths: list[Path]) -> str:
        shown = ", ".join(_relative(path, self.root) for path in paths[:_SHOWN])
        more = len(paths) - _SHOWN
        return shown + (f" and {more} more" if more > 0 else "")

    def tightened_sentence(self) -> str:
        return (
            f"made {len(self.tightened)} file(s) and folder(s) in the data dir {self.root} "
            f"private (folders 0700, files 0600): {self._names(self.tightened)}"
        )

    def warnings(self) -> list[str]:
        lines = list(self.problems[:_SHOWN])
        if len(self.problems) > _SHOWN:
            lines.append(f"{len(self.problems) - _SHOWN} more file(s) could not be made private")
        if self.foreign:
            owners = ", ".join(
                f"{_relative(path, self.root)} (uid {uid})" for path, uid in self.foreign[:_SHOWN]
            )
            more = len(self.foreign) - _SHOWN
            lines.append(
                f"{len(self.foreign)} entr{'y' if len(self.foreign) == 1 else 'ies'} in the data "
                f"dir {self.root} belong to another user and others can open them: {owners}"
                + (f" and {more} more" if more > 0 else "")
                + f"; chown them to uid {os.getuid()} (the kiosk's user) or remove them"
            )
        return lines


def _relative(path: Path, root: Path) -> str:
    return "." if path == root else str(path.relative_to(root))


def _unsafe_root(root: Path) -> str | None:
    """Why ``root`` is not a folder of the kiosk's own, or None. Walking the home folder or
    /tmp and chmod'ing everything in it would break other programs, so those are left."""
    try:
        if root == Path(root.anchor):
            return "the file system root"
        if root == Path.home():
            return "your home folder"
        if os.lstat(root).st_mode & stat.S_ISVTX:
            return "a shared folder (its sticky bit is set, like /tmp)"
    except (OSError, RuntimeError):
        return None
    return None


def _entries(root: Path, problems: list[str]) -> Iterator[tuple[Path, os.stat_result]]:
    """The root and everything under it, symlinks skipped (never followed, never chmod'ed:
    a link's target is not the data dir's). Unreadable folders become ``problems``."""
    try:
        yield root, os.lstat(root)
    except OSError as exc:
        problems.append(f"cannot check the data dir {root}: {exc.strerror or exc}")
        return
    if _unsafe_root(root) is not None:
        return

    def unreadable(exc: OSError) -> None:
        problems.append(f"cannot look into {exc.filename}: {exc.strerror or exc}")

    for folder, dirs, files in os.walk(root, onerror=unreadable, followlinks=False):
        for name in (*dirs, *files):
            path = Path(folder, name)
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                continue  # removed meanwhile (a -journal, a .part)
            except OSError as exc:
                problems.append(f"cannot check {path}: {exc.strerror or exc}")
                continue
            if not stat.S_ISLNK(info.st_mode):
                yield path, info


def _private_mode(info: os.stat_result) -> int:
    """Folders 0700; files keep their owner bits and lose every group and other bit."""
    if stat.S_ISDIR(info.st_mode):
        return PRIVATE_DIR_MODE
    return stat.S_IMODE(info.st_mode) & 0o700


def is_loose(info: os.stat_result) -> bool:
    """Whether the group or others may do anything with this entry."""
    return bool(stat.S_IMODE(info.st_mode) & 0o077)


def loose_entries(root: Path) -> tuple[list[Path], str | None]:
    """The entries under ``root`` (itself included) that the group or others may open, and
    why the walk stopped at the root (the home folder, /tmp...), for ``doctor``."""
    problems: list[str] = []
    loose = [path for path, info in _entries(root, problems) if is_loose(info)]
    return loose, _unsafe_root(root)


def _chmod_same_entry(path: Path, seen: os.stat_result, mode: int) -> bool:
    """chmod the entry that was checked, never a symlink put in its place meanwhile (that
    could aim a root process at a system file); returns whether it is still loose."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (seen.st_dev, seen.st_ino):
            raise OSError(f"{path} was replaced while it was checked")
        os.fchmod(fd, mode)
        return is_loose(os.fstat(fd))
    finally:
        os.close(fd)


def make_private(root: Path) -> PermissionReport:
    """Make the data dir 0700 and every file in it 0600 (only what is looser changes).

    Entries of another user are reported, not chmod'ed; symlinks are skipped; an entry that
    cannot be tightened (or a file system that ignores modes: FAT, some network shares) is
    a sentence in ``problems``, never an exception.
    """
    report = PermissionReport(root)
    if not root.exists():
        return report
    if (why := _unsafe_root(root)) is not None:
        report.problems.append(
            f"the data dir {root} is {why}; Asistencia leaves its permissions as they are: "
            "give it a folder of its own with --data-dir or ASISTENCIA_DATA_DIR"
        )
        return report
    uid = os.getuid()
    for path, info in _entries(root, report.problems):
        if not is_loose(info):
            continue
        if info.st_uid != uid:
            report.foreign.append((path, info.st_uid))
            continue
        try:
            still_loose = _chmod_same_entry(path, info, _private_mode(info))
        except OSError as exc:
            report.problems.append(
                f"cannot make {path} private (others may read it): {exc.strerror or exc}"
            )
            continue
        if still_loose:
            report.problems.append(
                f"{path} stays open to others after chmod: its file system ignores "
                "permissions (FAT, a network share); keep the data dir on a Linux file system"
            )
        else:
            report.tightened.append(path)
    return report


# The secrets file (core/secrets/secrets_file.py reads and writes it): where it is.
SECRETS_ENV = "ASISTENCIA_SECRETS_FILE"
SECRETS_FILE_NAME = "secrets.toml"


def secrets_path(data_dir: Path) -> Path:
    override = os.environ.get(SECRETS_ENV)
    return Path(override).expanduser() if override else data_dir / SECRETS_FILE_NAME
