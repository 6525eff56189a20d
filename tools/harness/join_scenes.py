"""The join panel's scenes for the screenshots (tools/harness/screenshots.py): a USB stick
with a join file listed first, the passphrase typed, and what a join says.

Core's join is not run here (no central database in a screenshot): ``demo_join`` stands in
for it as the window sees it, writing the address to the settings file as a join does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest.mock import patch

from core.config import save_settings
from core.context import AppContext
from core.host.removable_drives import RemovableDrive
from core.i18n import Message
from kiosk.join_panel import JoinPanel

STICK = RemovableDrive(Path("/media/kiosk/KINGSTON"), "/dev/sdb1")
JOIN_FILE = STICK.mount_point / "entrada.join"
PASSPHRASE = "7K2QM-9XD4A-R3TVW-H8NB2"  # noqa: S105 (a picture's, opens nothing)


@dataclass(frozen=True)
class DemoJoinResult:
    kiosk_id: str
    site: str | None
    central: str
    synced: Message


def demo_join(ctx: AppContext, _path: Path, _passphrase: str, _actor: str) -> DemoJoinResult:
    """What core's join_deployment returns, after storing the address (the settings the
    screenshots start from are kept: the file is read back after a join)."""
    settings = ctx.settings
    save_settings(
        ctx.config_path,
        {
            "kiosk_id": settings.kiosk_id,
            "kiosk_name": settings.kiosk_name,
            "timezone": settings.timezone,
            "language": settings.language,
            "sounds": settings.sounds,
            "central_database_url": "postgresql://kiosk_entrada@db.example.com:5432/asistencia",
        },
    )
    return DemoJoinResult(
        "entrada",
        "norte",
        "db.example.com:5432/asistencia",
        Message("join.synced", pushed=0, pulled=148),
    )


@contextmanager
def stick_listed(panel: JoinPanel) -> Iterator[None]:
    """The panel lists the stick's join file; it stops looking for real sticks."""
    panel.drive_timer.stop()
    with (
        patch("kiosk.join_panel.removable_drives", lambda: [STICK]),
        patch("kiosk.join_panel.join_files", lambda _drives: [(STICK, JOIN_FILE)]),
    ):
        panel.refresh_drives()
        yield


def fill(panel: JoinPanel) -> None:
    with stick_listed(panel):
        panel.passphrase.setText(PASSPHRASE)
