"""Joining a central database from the window: the parts the Sync page and the first-run
assistant share, without widgets.

The joining itself is core's (``core.runtime.join.join_deployment``): it opens the sealed
join file with its passphrase, stores the deployment's keys, the central database's
address and the kiosk's password, and runs the first sync; every refusal is an
``AsistenciaError`` carrying one sentence, and a refusal changes nothing. It blocks
(argon2id, the network, a sync), so here it runs on a worker and its outcome comes back on
the GUI thread, where the settings it wrote are put in force as a save from a settings page
would (``SettingsHub.adopt``) and the administrator who did it is written to the audit log.

The function is given to the window (``KioskWindow(join=...)``): the real one by default,
imported when first used, so the window starts without it; a test gives a stand-in.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from core.config import Settings, load_settings
from core.context import AppContext
from core.errors import AsistenciaError
from core.host.removable_drives import RemovableDrive
from core.i18n import Message
from core.runtime.setup import parse_url, record_central_join
from kiosk.workers import TaskRunner

if TYPE_CHECKING:  # the settings pages import this module's JoinFunction
    from kiosk.admin.page import SettingsHub

log = logging.getLogger(__name__)

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


JoinFunction = Callable[[AppContext, Path, str], JoinOutcome]


def core_join(ctx: AppContext, path: Path, passphrase: str) -> JoinOutcome:
    """Core's join, imported on first use (the window's start does not pay for it)."""
    module: Any = importlib.import_module("core.runtime.join")
    outcome: JoinOutcome = module.join_deployment(ctx, path, passphrase)
    return outcome


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
        (host:port/db, never the password); None when it works alone."""
        url = self.ctx.settings.central_url()
        if not url:
            return None
        plain = parse_url(url)
        if plain is None:
            return url.split("@")[-1].split("?")[0]  # the raw URL's host and database only
        return f"{plain.host}:{plain.port}/{plain.database}"

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
            outcome = join(ctx, path, passphrase)
            settings = load_settings(ctx.config_path)
            try:
                record_central_join(
                    ctx.store,
                    actor,
                    outcome.kiosk_id,
                    {"central": outcome.central, "site": outcome.site, "file": path.name},
                )
            except AsistenciaError:  # joined all the same: saying otherwise would mislead
                log.warning("the join could not be written to the audit log", exc_info=True)
            return Joined(outcome, settings, before)

        def done(joined: Joined) -> None:
            self.hub.adopt(joined.settings, joined.before)
            on_joined(joined)

        self.runner.submit(work, done, on_refused)


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
