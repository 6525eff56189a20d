"""Engines and sessions for the local SQLite store (and, with the same models, PostgreSQL).

SQLite is tuned for an attendance record that may be the only copy for days:
WAL (readers never block the writer), ``synchronous=FULL`` (a committed record survives a
power cut), foreign keys on and a busy timeout. Writes start with ``BEGIN IMMEDIATE``: a
deferred transaction that reads first and writes later can deadlock against another one
doing the same (each holds SHARED and waits for the other); taking the write lock up front
means a second writer simply waits its turn.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from core.store.durability import StoreWriteError, WriteProblem, run_after_commit, write_problem
from core.store.lock_holders import explain_locks

if TYPE_CHECKING:
    from core.secrets.keys import DeploymentKeys

BUSY_TIMEOUT_MS = 15_000
_BEGIN_OPTION = "asistencia_begin"


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN, so we choose its mode.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Deleted rows (an erased face template, photo or PIN hash) are overwritten with
        # zeros, not left in free pages: set here, since SQLite builds differ in the default.
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    explain_locks(engine, BUSY_TIMEOUT_MS / 1000)  # who holds it, not a traceback

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def create_store_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for a SQLite path URL or a PostgreSQL URL."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            **kwargs,
        )
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    elif url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    return create_engine(url, pool_pre_ping=True, **kwargs)


class Store:
    """Short transactions: ``read()`` for queries, ``write()`` for changes (BEGIN IMMEDIATE).

    Sessions are thread-confined; each call opens its own, so the GUI and the recognition
    worker can use one Store from different threads.
    """

    # The last change the disk could not keep, until one is committed (core/store/durability.py).
    write_problem: WriteProblem | None = None

    def __init__(self, engine: Engine, keys: DeploymentKeys | None = None) -> None:
        self.engine = engine
        self._keys = keys
        # Where copies of this database are kept (an erasure scrubs them too), if anywhere.
        self.backups_dir: Path | None = None
        # The secrets file its keys came from: rewritten when an erasure moves the data key on.
        self.secrets_file: Path | None = None
        writer = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(writer, expire_on_commit=False)

    @classmethod
    def open_sqlite(cls, path: Path, keys: DeploymentKeys | None = None) -> Store:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Created 0600 before SQLite opens it: SQLite gives the -wal and -shm files the
        # database's mode, so all three are the user's only, whatever the umask.
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        return cls(create_store_engine(sqlite_url(path)), keys)

    @property
    def keys(self) -> DeploymentKeys:
        """The deployment keys that seal this store's faces and pepper its PINs."""
        if self._keys is None:
            raise RuntimeError("this store was opened without the deployment keys")
        return self._keys

    @keys.setter
    def keys(self, keys: DeploymentKeys) -> None:
        self._keys = keys

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One atomic change: committed when the block ends, rolled back on any error.

        Only once the commit succeeded do the block's ``after_commit`` callbacks run (its
        acknowledgements). A change the disk could not keep (full, failing, read-only)
        raises StoreWriteError, a sentence, and stays the store's ``write_problem`` until a
        later change is committed.
        """
        try:
            with self._writer() as session, session.begin():
                yield session
        except Exception as exc:
            problem = write_problem(exc, self.engine.url.database)
            if problem is None:
                raise
            self.write_problem = problem
            raise StoreWriteError(problem) from exc
        self.write_problem = None
        run_after_commit(session)

    def checkpoint(self) -> None:
        """Copy the WAL into the database file and empty it (SQLite only): after an erasure
        or a re-sealing, no frame of the old bytes stays in the -wal file."""
        if self.engine.dialect.name != "sqlite":
            return
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def dispose(self) -> None:
        self.engine.dispose()
