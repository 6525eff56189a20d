"""What the console's pages work with: the headless server's central database and the same
core services ``main.py central …`` and the kiosk use, built once per console."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from core.attendance.rules import RulesConfig
from core.attendance.service import AttendanceService
from core.config import Settings
from core.context import AppContext
from core.people.users import AuthService
from core.secrets.keys import DeploymentKeys
from core.secrets.passwords import LockoutPolicy
from core.store.types import utcnow
from core.sync.central import CentralDatabase
from core.sync.central_store import CENTRAL_KIOSK_ID, CentralStore, central_accounts


@dataclass
class ConsoleServices:
    central: CentralDatabase
    settings: Settings
    rules: RulesConfig
    lockout: LockoutPolicy
    keys: Callable[[], DeploymentKeys]
    # After an erasure: this installation takes the central database's new data key epoch,
    # as `central erase-biometrics` makes the command line's installation do.
    follow_epoch: Callable[[CentralDatabase], None]
    clock: Callable[[], datetime] = utcnow

    def __post_init__(self) -> None:
        self.accounts: AuthService = central_accounts(self.central, self.lockout)
        self.store = CentralStore(self.central)

    @classmethod
    def from_context(
        cls, ctx: AppContext, central: CentralDatabase, clock: Callable[[], datetime] = utcnow
    ) -> ConsoleServices:
        return cls(
            central=central,
            settings=ctx.settings,
            rules=ctx.rules,
            lockout=ctx.lockout,
            keys=ctx.deployment_keys,
            follow_epoch=ctx.follow_central_epoch,
            clock=clock,
        )

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone

    def attendance(self) -> AttendanceService:
        """An administrator's records and corrections, written centrally (kiosk id
        ``central``) through the kiosk's corrections service and rules."""
        return AttendanceService(
            self.store,
            kiosk_id=CENTRAL_KIOSK_ID,
            zone=self.zone,
            rules=self.rules,
            lockout=self.lockout,
            clock=self.clock,
        )

    def audit(self, actor: str, action: str, *, target: str = "", reason: str = "") -> None:
        """An audit line for what the console does that no service audits (signing out)."""
        from core.store import audit

        with self.store.write() as session:
            audit.record(
                session,
                actor=actor,
                action=action,
                target_type="user",
                target_id=target,
                reason=reason,
                kiosk_id=CENTRAL_KIOSK_ID,
            )
