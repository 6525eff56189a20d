"""Schema migrations (Alembic), with the SQLite file copied aside before any change."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from core.errors import StoreError

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
KEEP_BACKUPS = 5


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def alembic_config(script_location: Path = MIGRATIONS_DIR) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def head_revision(config: Config | None = None) -> str:
    head = ScriptDirectory.from_config(config or alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def backup_sqlite(database: Path, backups: Path, label: str) -> Path:
    """Copy a live SQLite database with the online backup API (consistent even in WAL)."""
    backups.mkdir(parents=True, exist_ok=True)
    size = database.stat().st_size
    free = shutil.disk_usage(backups).free
    if free < size * 1.2 + 10 * 2**20:
        raise StoreError(
            f"not enough disk space to back up the database before migrating: need "
            f"{size / 2**20:.0f} MB, {free / 2**20:.0f} MB free in {backups}; free some space"
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backups / f"{database.stem}-{stamp}-{label}.db"
    partial = target.with_suffix(".db.part")
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
) -> MigrationResult:
    """Bring the schema to the newest revision; a SQLite file with data is backed up first."""
    config = config or alembic_config()
    before = current_revision(engine)
    head = head_revision(config)
    if before == head:
        return MigrationResult(before, head, None)
    backup = None
    if database is not None and backups is not None and before is not None and database.exists():
        backup = backup_sqlite(database, backups, f"before-{head}")
        log.info("database backed up to %s before migrating %s -> %s", backup, before, head)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    log.info("database schema at revision %s (was %s)", head, before or "empty")
    return MigrationResult(before, head, backup)
