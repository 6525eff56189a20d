"""Where Asistencia keeps its files.

Everything lives under one data dir: ``--data-dir``, else ``ASISTENCIA_DATA_DIR``, else the
platformdirs user data dir. Keeping it in one place makes backups, the Docker volume and
"erase everything" simple.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "asistencia"
DATA_DIR_ENV = "ASISTENCIA_DATA_DIR"
SETTINGS_FILE_NAME = "asistencia.toml"


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
    def exports(self) -> Path:
        return self.root / "exports"

    def ensure(self) -> None:
        """Create the folders; raises OSError with the path when that is impossible."""
        for folder in (self.root, self.backups, self.logs, self.models):
            folder.mkdir(parents=True, exist_ok=True)
