"""Schema migrations (Alembic), with the SQLite file copied aside before any change."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from core.errors import StoreError
from core.i18n import Message

if TYPE_CHECKING:
    from alembic.config import Config

    from core.secrets.keys import DeploymentKeys

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
KEEP_BACKUPS = 5
# The newest migration. Start-up compares the database with it without importing Alembic
# (~150 ms saved before the window shows); a test checks it against the scripts.
SCHEMA_HEAD = "0010"


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def alembic_config(script_location: Path = MIGRATIONS_DIR) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def head_revision(config: Config | None = None) -> str:
    """The newest revision of the scripts (``SCHEMA_HEAD`` for the shipped ones)."""
    if config is None:
        return SCHEMA_HEAD
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None, "no migrations found"
    return head


def scripts_head() -> str | None:
    """The head as Alembic computes it from the shipped scripts (tests compare it)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The database's revision, or None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup_sqlite(database: Path, backups: Path, label: str) -> Path:
    """Copy a live SQLite database with the online backup API (consistent even in WAL).

    The copy holds everything the database does (faces, hashes): it is made 0600 in a
    0700 folder whatever the umask."""
    backups.mkdir(parents=True, exist_ok=True, mode=0o700)
    size = database.stat().st_size
    free = shutil.disk_usage(backups).free
    if free < size * 1.2 + 10 * 2**20:
        raise StoreError(
            Message("store.no_space_for_backup", need=size / 2**20, free=free / 2**20, path=backups)
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backups / f"{database.stem}-{stamp}-{label}.db"
    partial = target.with_suffix(".db.part")
    # SQLite writes into an existing empty file with the mode it has.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    os.close(fd)
    source = sqlite3.connect(database)
    try:
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    partial.replace(target)
    _prune(backups, database.stem)
    return target


def _prune(backups: Path, stem: str) -> None:
    old = sorted(backups.glob(f"{stem}-*.db"))[:-KEEP_BACKUPS]
    for path in old:
        path.unlink(missing_ok=True)


def migrate(
    engine: Engine,
    database: Path | None = None,
    backups: Path | None = None,
    config: Config | None = None,
    keys: DeploymentKeys | None = None,
) -> MigrationResult:
    """Bring the schema to the newest revision; a SQLite file with data is backed up first.

    ``keys`` seal the faces stored before revision 0003; a database holding faces cannot
    be taken past it without them."""
    before = current_revision(engine)
    head = head_revision(config)
    if before == head:
        return MigrationResult(before, head, None)
    config = config or alembic_config()
    backup = None
    if database is not None and backups is not None and before is not None and database.exists():
        backup = backup_sqlite(database, backups, f"before-{head}")
        log.info("database backed up to %s before migrating %s -> %s", backup, before, head)
    from alembic import command

    with engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["keys"] = keys
        command.upgrade(config, "head")
    log.info("database schema at revision %s (was %s)", head, before or "empty")
    return MigrationResult(before, head, backup)
