"""The application context: paths, settings and the services built on the local store.

``main.py`` builds one per process in the start-up order of docs/develop/architecture.md;
commands and the kiosk window take what they need from it. The store is opened (and
migrated and seeded) on first use, so commands that never touch it never create it.
"""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from core.attendance.desk import PunchDesk
from core.attendance.rules import PunchMode, RulesConfig
from core.attendance.service import AttendanceService
from core.config import Settings, SettingsError, keep_password_apart
from core.errors import StoreError
from core.host.paths import DataPaths
from core.i18n import Message, resolve_language, text_in
from core.people.employees import EmployeeService
from core.people.first_password import write_first_password
from core.people.users import AuthService
from core.secrets.keys import DeploymentKeys
from core.secrets.passwords import LockoutPolicy
from core.secrets.secrets_file import SecretsError, load_or_create
from core.store.database import Store
from core.store.deployment import claim_deployment, recorded_deployment
from core.store.migrate import current_revision, head_revision, migrate

if TYPE_CHECKING:
    from core.recognition.loader import ModelLoader
    from core.sync.central import CentralDatabase

log = logging.getLogger(__name__)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or stand-in stream
        return False


@dataclass
class AppContext:
    paths: DataPaths
    settings: Settings
    notices: TextIO = field(default_factory=lambda: sys.stderr)
    # Whether the first administrator's generated password may be shown on ``notices`` when
    # that is a terminal. The headless server says no: its console is a log (a container's,
    # journald's), kept and shipped, and the password is in a 0600 file in the data dir.
    first_password_on_terminal: bool = True
    # The file settings are read from and saved to (``--config``, else the data dir's).
    settings_file: Path | None = None
    _store: Store | None = None
    _store_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    # The kiosk's memory between a face and the person's answer (choices, changes, wrong
    # PINs for unknown codes): one per process, whichever service object asks.
    punch_desk: PunchDesk = field(default_factory=PunchDesk, repr=False)

    def __post_init__(self) -> None:
        if self.settings_file is None:
            self.settings_file = self.paths.settings_file

    @property
    def config_path(self) -> Path:
        assert self.settings_file is not None
        return self.settings_file

    @property
    def store(self) -> Store:
        # A lock: the first use may come from the GUI and a worker at the same moment.
        with self._store_lock:
            if self._store is None:
                self._store = self.open_store()
            return self._store

    @property
    def store_open(self) -> bool:
        return self._store is not None

    def start_store(self) -> Store:
        """Step 3 of the start-up order, said out loud: open the store now, migrate it and
        run the seeds (``store`` would do it at its first use)."""
        return self.store

    def open_store(self, *, seed: bool = True) -> Store:
        """Open the local store, apply migrations (or refuse), run the seeds."""
        try:
            self.paths.ensure()
            store = self.open_keyed_store()
            if self.settings.auto_migrate:
                result = migrate(
                    store.engine, self.paths.database, self.paths.backups, keys=store.keys
                )
                if result.changed:
                    store.checkpoint()  # e.g. faces sealed by 0003: no plain frame in the WAL
            elif current_revision(store.engine) != head_revision():
                raise StoreError(
                    f"the database {self.paths.database} needs a schema migration and AUTO_MIGRATE "
                    "is off; run `python main.py migrate` or set AUTO_MIGRATE=true"
                )
            claim_deployment(store)
        except OSError as exc:
            raise StoreError(
                f"cannot open the data dir {self.paths.root}: {exc.strerror or exc}"
            ) from exc
        except Exception as exc:
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"cannot open the database {self.paths.database}: {exc}") from exc
        try:
            if keep_password_apart(self.config_path, self.paths.secrets_file):
                log.info("the central database password moved to %s", self.paths.secrets_file)
        except SettingsError as exc:  # never a reason not to start
            log.warning("%s", exc)
        if seed:
            self._seed(store)
        return store

    def deployment_keys(self) -> DeploymentKeys:
        """The keys, for commands that work on the central database only."""
        if self._store is not None:
            return self._store.keys
        self.paths.ensure()
        store = self.open_keyed_store()
        store.dispose()
        return store.keys

    def follow_central_epoch(self, central: CentralDatabase) -> None:
        """After an erasure made from here: this installation's secrets file (and its store's
        person keys) take the central database's new data key epoch, the old key forgotten."""
        from core.sync.ratchet import catch_up, follow_in_file

        store = self._store or self.open_keyed_store()
        try:
            revision = current_revision(store.engine)
            if revision == head_revision():
                catch_up(store, central)
            elif revision is None:  # no local data: only the file
                follow_in_file(self.paths.secrets_file, store.keys, central)
            else:
                log.warning(
                    "this installation's database is at schema %s: run `python main.py "
                    "migrate`; it takes the new data key at its next sync",
                    revision,
                )
        finally:
            if store is not self._store:
                store.dispose()

    def open_keyed_store(self) -> Store:
        """The SQLite file with the deployment keys, not migrated (``migrate`` does that)."""
        store = Store.open_sqlite(self.paths.database)
        store.backups_dir = self.paths.backups
        store.secrets_file = self.paths.secrets_file
        try:
            store.keys = self._deployment_keys(store)
        except BaseException:
            store.dispose()
            raise
        return store

    def _deployment_keys(self, store: Store) -> DeploymentKeys:
        """The secrets file's keys; a new file only for a database that has sealed nothing."""
        recorded = recorded_deployment(store.engine)
        path = self.paths.secrets_file
        try:
            return load_or_create(path, may_create=recorded is None).keys
        except SecretsError as exc:
            if recorded is None:  # said in the command's language, as the file refused it
                said = str(exc) if exc.key is None else Message(exc.key, **exc.params)
                raise StoreError(said) from exc
            raise StoreError(
                f"{exc}; this database's faces and PINs are sealed with data key "
                f"{recorded[0]}: restore the deployment's secrets file to {path} (a copy is "
                "on the headless server and in your backups)"
            ) from exc

    def _seed(self, store: Store) -> None:
        from seeds import run_all

        report = run_all(store, self.settings.kiosk_id)
        for line in report.created:
            log.info("seeded %s", line)
        admin = report.admin
        if admin is not None and (password := admin.generated_password) is not None:
            self._tell_first_password(admin.username, password)

    def _tell_first_password(self, username: str, password: str) -> None:
        """Keep the one-time password in a file only the kiosk's user can read, and say where.

        The password itself is shown only on a terminal someone is looking at: anything else
        behind ``notices`` (a container's log, journald under systemd, a redirect to a file)
        keeps it long after it is spent. It never goes to the logging handlers."""
        file, problem = self.paths.first_password, ""
        try:
            kept: Path | None = write_first_password(file, username, password)
        except OSError as exc:
            kept, problem = None, exc.strerror or str(exc)
        shown = self.first_password_on_terminal and _is_terminal(self.notices)
        # In the language setting's language: a command's (main.py sets it) and the window's.
        language = resolve_language(self.settings.language)
        if shown:
            where = (
                text_in(language, "first_admin.also_in", file=kept)
                if kept is not None
                else text_in(language, "first_admin.not_kept", file=file, problem=problem)
            )
            sentence = text_in(
                language, "first_admin.shown", username=username, password=password, where=where
            )
        elif kept is not None:
            sentence = text_in(language, "first_admin.kept", username=username, file=kept)
        else:
            sentence = text_in(
                language, "first_admin.lost", username=username, file=file, problem=problem
            )
        print(
            f"\n{sentence} {text_in(language, 'first_admin.choose')}\n",
            file=self.notices,
            flush=True,
        )

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()
            self._store = None

    # --- services ---
    def model_loader(self) -> ModelLoader:
        """The process's loader for the configured models (not started: the caller starts
        it first thing, step 2 of the start-up order)."""
        from core.recognition.config import RecognitionConfig
        from core.recognition.loader import shared_loader

        return shared_loader(RecognitionConfig.from_settings(self.settings), self.paths.models)

    @property
    def rules(self) -> RulesConfig:
        s = self.settings
        return RulesConfig(
            cooldown=timedelta(seconds=s.cooldown_seconds),
            early_checkin=timedelta(minutes=s.early_checkin_minutes),
            late_checkout=timedelta(minutes=s.late_checkout_minutes),
            punch_mode=PunchMode(s.punch_mode),
        )

    @property
    def lockout(self) -> LockoutPolicy:
        return LockoutPolicy(
            attempts=self.settings.lockout_attempts,
            base=timedelta(seconds=self.settings.lockout_base_seconds),
        )

    def attendance(self) -> AttendanceService:
        return AttendanceService(
            self.store,
            kiosk_id=self.settings.kiosk_id,
            zone=self.settings.zone,
            rules=self.rules,
            lockout=self.lockout,
            desk=self.punch_desk,
        )

    def employees(self) -> EmployeeService:
        return EmployeeService(self.store, self.settings.kiosk_id)

    def auth(self) -> AuthService:
        return AuthService(
            self.store,
            self.lockout,
            self.settings.kiosk_id,
            first_password=self.paths.first_password,
        )
