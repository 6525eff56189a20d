"""The connection to the central PostgreSQL database.

The URL goes to psycopg untouched (``?sslmode=verify-full&sslrootcert=/path/ca.pem`` and every
other libpq parameter work as documented by PostgreSQL); only ``connect_timeout`` and
``application_name`` are added when the URL does not set them, so an unreachable server
fails in seconds instead of hanging a sync cycle.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import Connection, Engine, text

from core.errors import StoreError
from core.host.redact import mask_secrets
from core.i18n import Message
from core.secrets.keys import DeploymentKeys
from core.store.database import create_store_engine
from core.store.deployment import claim_on, mismatch, read_ids
from core.store.migrate import MigrationResult, alembic_config, current_revision, head_revision
from core.sync.errors import CentralSchemaError

log = logging.getLogger(__name__)

# Keep in step with migration 0002: the trigger takes this lock before numbering a row.
REVISION_LOCK_KEY = 4_170_519_201
REVISION_SEQUENCE = "sync_revision_seq"
# Two headless servers starting at once must not both run the migrations.
MIGRATION_LOCK_KEY = 4_170_519_202
DEFAULT_CONNECT_TIMEOUT_S = 5


def masked_url(url: str) -> str:
    return mask_secrets(url)


def _query_keys(url: str) -> set[str]:
    return {key.lower() for key in parse_qs(urlsplit(url).query)}


class CentralDatabase:
    """An engine on the central database with a small pool (one sync, one health probe)."""

    def __init__(
        self,
        url: str,
        *,
        application_name: str = "asistencia",
        connect_timeout_s: int = DEFAULT_CONNECT_TIMEOUT_S,
    ) -> None:
        self.url = url
        keys = _query_keys(url)
        connect_args: dict[str, Any] = {}
        if "connect_timeout" not in keys:
            connect_args["connect_timeout"] = connect_timeout_s
        if "application_name" not in keys:
            connect_args["application_name"] = application_name[:63]
        self.engine: Engine = create_store_engine(
            url, pool_size=2, max_overflow=3, pool_recycle=1800, connect_args=connect_args
        )
        # Batches go up as multi-row INSERT … VALUES (…), (…) statements rather than one
        # statement per row (psycopg2's dialect does this by default; psycopg 3's sends rows
        # one by one in a pipeline): the 10,000-record push bench went from ~2.7 s to ~1.9 s.
        self.engine.dialect.use_insertmanyvalues_wo_returning = True

    @property
    def safe_url(self) -> str:
        return masked_url(self.url)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed at the end of the block, rolled back on an error."""
        with self.engine.begin() as connection:
            yield connection

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def schema_revision(self) -> str | None:
        return current_revision(self.engine)

    def check_schema(self) -> str:
        """The central schema revision; CentralSchemaError unless it is this program's."""
        found = self.schema_revision()
        expected = head_revision()
        if found == expected:
            return found
        if found is None:
            raise CentralSchemaError(
                "the central database has no Asistencia schema yet; start the headless server "
                "with AUTO_MIGRATE=true or run `python main.py central migrate`"
            )
        if _is_older(found, expected):
            raise CentralSchemaError(
                f"the central database schema is at revision {found}, this program needs "
                f"{expected}; run `python main.py central migrate` (or the headless server "
                "with AUTO_MIGRATE=true)"
            )
        raise CentralSchemaError(
            f"the central database schema (revision {found}) is newer than this program "
            f"({expected}); update this installation"
        )

    def check_deployment(self, keys: DeploymentKeys) -> None:
        """CentralSchemaError unless the central database belongs to ``keys``' deployment."""
        with self.engine.connect() as connection:
            found = read_ids(connection)
        if found is None:
            raise CentralSchemaError(
                "the central database has no deployment keys recorded yet; migrate it with "
                "this version's headless server (AUTO_MIGRATE=true) or `python main.py central "
                "migrate`"
            )
        problem = mismatch(found, keys, Message("deployment.central_database"))
        if problem is not None:
            raise CentralSchemaError(problem)

    def migrate(self, keys: DeploymentKeys | None = None) -> MigrationResult:
        """Bring the central schema to this program's revision, one server at a time.

        ``keys`` seal faces stored before revision 0003 and are recorded as the deployment's
        when none are; a database already set up with other keys is refused."""
        config = alembic_config()
        head = head_revision(config)
        with self.engine.begin() as connection:
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
            before = _revision_on(connection)
            if before != head:
                config.attributes["connection"] = connection
                config.attributes["keys"] = keys
                from alembic import command  # only when migrating: slow to import

                command.upgrade(config, "head")
            if keys is not None:
                try:
                    claim_on(connection, keys, Message("deployment.central_database"))
                except StoreError as exc:
                    raise CentralSchemaError(str(exc)) from None
        if before != head:
            log.info("central database schema at revision %s (was %s)", head, before or "empty")
        return MigrationResult(before, head, None)

    def release(self) -> None:
        """Close the connections idle in the pool; the next use opens a new one.

        A kiosk syncs for well under a second a minute. Kept open in between, its pooled
        connection made the central server hold one backend per kiosk, busy or not: the load
        test's 200 kiosks held 203 connections, twice PostgreSQL's default max_connections.
        Released after each cycle, the server holds only the cycles in flight. A connection
        checked out on another thread (a probe) is left to finish and closes when returned.
        """
        self.engine.dispose(close=True)

    def dispose(self) -> None:
        self.engine.dispose()


def _revision_on(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _is_older(found: str, expected: str) -> bool:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    try:
        return any(rev.revision == found for rev in script.iterate_revisions(expected, "base"))
    except Exception:  # an unknown revision: a newer program migrated it
        return False


def lock_revisions(connection: Connection) -> None:
    """Take the revision lock up front.

    The trigger takes it anyway on the first write to a pulled table; taking it first means
    a writer never holds a row lock while it waits for the advisory lock, so two server-side
    writers cannot deadlock on each other.
    """
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": REVISION_LOCK_KEY})
