"""The headless server's link to the central database: connections, set-up and the sync.

``CentralLink`` holds what main.py builds for it in start-up step 4: the connection pool
the sync and the jobs use, a second small one with a short timeout that only answers
``/health``'s "is it reachable?", and the sync engine (which applies the kiosks' inbox).
``prepare`` makes the database ready once: migrated (``AUTO_MIGRATE=true``) or checked,
then seeded; a failure is kept for ``/health`` and the next sync tries again.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import Session

from core.sync.central import CentralDatabase, lock_revisions
from core.sync.engine import SyncEngine
from core.sync.errors import describe_error

log = logging.getLogger(__name__)


class CentralLink:
    def __init__(
        self,
        central: CentralDatabase,
        probe: CentralDatabase,
        engine: SyncEngine,
        *,
        auto_migrate: bool,
    ) -> None:
        self.central = central
        self.probe = probe
        self.engine = engine
        self.auto_migrate = auto_migrate
        self.ready = False
        self.error: str | None = None  # why the last set-up failed, for /health
        self._lock = threading.Lock()  # the sync job and a one-off run may both prepare

    def prepare(self) -> None:
        """Migrate or check the central schema, then seed it; once. Raises on failure."""
        with self._lock:
            if self.ready:
                return
            try:
                keys = self.engine.store.keys
                if self.auto_migrate:
                    self.central.migrate(keys)
                else:
                    self.central.check_schema()
                    self.central.check_deployment(keys)
                self._seed()
            except Exception as exc:
                self.error = describe_error(exc)
                raise
            self.ready, self.error = True, None
            log.info("central database ready (schema %s)", self.central.schema_revision())

    def _seed(self) -> None:
        from seeds.seed_roles import seed_roles
        from seeds.seed_turnos import seed_turnos

        with Session(self.central.engine) as session, session.begin():
            lock_revisions(session.connection())
            created = seed_roles(session) + seed_turnos(session)
        for line in created:
            log.info("seeded centrally: %s", line)

    def ping(self) -> str | None:
        """None when the database answers (on the probe's short timeout), else why not."""
        try:
            self.probe.ping()
        except Exception as exc:
            return describe_error(exc)
        return None

    def close(self) -> None:
        self.engine.close()
        self.probe.dispose()
