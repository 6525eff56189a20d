"""Joining a central database from the window: the parts the Sync page and the first-run
assistant share, without widgets.

The joining itself is core's (``core.runtime.join.join_deployment``): it opens the sealed
join file with its passphrase, stores the deployment's keys, the central database's
address and the kiosk's password, and runs the first sync; every refusal is an
``AsistenciaError`` carrying one sentence, and a refusal changes nothing; it writes the
administrator who asked for it to the audit log. It blocks (argon2id, the network, a sync),
so here it runs on a worker and its outcome comes back on the GUI thread, where the
settings it wrote are put in force as a save from a settings page would
(``SettingsHub.adopt``).

The function is given to the window (``KioskWindow(join=...)``): core's by default,
imported when first used, so the window starts without it; a test may give a stand-in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import parse_qs, urlsplit

from core.config import Settings, load_settings
from core.context import AppContext
from core.host.removable_drives import RemovableDrive
from core.i18n import Message
from kiosk.workers import TaskRunner

if TYPE_CHECKING:  # the settings pages import this module's JoinFunction
    from kiosk.admin.page import SettingsHub


# What a join file is called on a stick: listed first, ahead of "another file".
JOIN_SUFFIXES = (".join",)
MAX_LISTED = 20  # a stick full of files is not searched whole on the GUI thread


class JoinOutcome(Protocol):
    """What core's ``JoinResult`` says: the window reads only these."""

    @property
    def kiosk_id(self) -> str: ...
    @property
    def site(self) -> str | None: ...
    @property
    def central(self) -> str: ...  # host:port/db, as shown to a person
    @property
    def synced(self) -> Message: ...  # one sentence on what the first sync did


# (context, join file, passphrase, the audit log's actor)
JoinFunction = Callable[[AppContext, Path, str, str], JoinOutcome]


def core_join(ctx: AppContext, path: Path, passphrase: str, actor: str) -> JoinOutcome:
    """Core's join, imported on first use (the window's start does not pay for psycopg)."""
    from core.runtime.join import join_deployment

    return join_deployment(ctx, path, passphrase, actor=actor)


@dataclass(frozen=True)
class Joined:
    outcome: JoinOutcome
    settings: Settings  # as the join left the settings file (and the environment decides)
    before: Settings  # in force before it: what the runtime compares with


@dataclass
class JoinService:
    """What a join panel needs: the context, where the settings are put in force, the
    worker that waits on the network, and the join itself."""

    ctx: AppContext
    hub: SettingsHub
    runner: TaskRunner
    join: JoinFunction = core_join

    def central_in_use(self) -> str | None:
        """The central database this kiosk syncs with now, as a person reads it
        (host:port/db, as a join says it; never the password); None when it works alone."""
        url = self.ctx.settings.central_url()
        return None if not url else shown(url)

    def start(
        self,
        path: Path,
        passphrase: str,
        actor: str,
        on_joined: Callable[[Joined], None],
        on_refused: Callable[[BaseException], None],
    ) -> None:
        """Join on the worker; then put the new settings in force here, and call back.

        The settings are applied whoever is still there to hear it: a screen closed
        meanwhile (signed out when idle) must not leave a joined kiosk syncing with its old
        address until a restart. The callbacks check their own widgets.
        """
        ctx, join, before = self.ctx, self.join, self.ctx.settings

        def work() -> Joined:
            outcome = join(ctx, path, passphrase, actor)
            # As the kiosk would read them at its next start (the environment still wins).
            return Joined(outcome, load_settings(ctx.config_path), before)

        def done(joined: Joined) -> None:
            self.hub.adopt(joined.settings, joined.before)
            on_joined(joined)

        self.runner.submit(work, done, on_refused)


def shown(url: str) -> str:
    """host:port/database of a PostgreSQL URL (a socket folder given as ?host= too)."""
    parts = urlsplit(url)
    query = {key.lower(): values[-1] for key, values in parse_qs(parts.query).items()}
    try:
        port = parts.port or int(query.get("port", "5432"))
    except ValueError:
        port = 5432
    host = parts.hostname or query.get("host") or "localhost"
    return f"{host}:{port}/{parts.path.lstrip('/')}"


def join_files(drives: list[RemovableDrive]) -> list[tuple[RemovableDrive, Path]]:
    """The join files on the sticks plugged in: at the top of each and one folder down."""
    found: list[tuple[RemovableDrive, Path]] = []
    for drive in drives:
        for path in _candidates(drive.mount_point):
            found.append((drive, path))
            if len(found) >= MAX_LISTED:
                return found
    return found


def _candidates(folder: Path, depth: int = 1) -> list[Path]:
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    files = [
        p
        for p in entries
        if not p.name.startswith(".") and p.suffix.lower() in JOIN_SUFFIXES and p.is_file()
    ]
    if depth > 0:
        for sub in entries[:MAX_LISTED]:
            if not sub.name.startswith(".") and sub.is_dir():
                files += _candidates(sub, depth - 1)
    return files[:MAX_LISTED]
