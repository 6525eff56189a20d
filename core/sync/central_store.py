"""The central database as a ``Store``, for the services written against one.

The administrator accounts (``core.people.users.AuthService``) and an administrator's records
and corrections (``core.attendance.corrections``) work through a ``Store``'s sessions. With
the owner's login they work on the central database as they do on a kiosk's file: the same
models, the same rules, the same audit lines. What a kiosk's push would have set on a row
that arrives centrally is set here as the row is written: it arrived now (``synced_at``,
``received_at``), so the server derives a record's figures as it does every arrival's
(``core.sync.verify``) and the daily close reopens its day.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from core.people.users import AuthService
from core.secrets.keys import DeploymentKeys
from core.secrets.passwords import LockoutPolicy
from core.store.database import Store
from core.store.models import AttendanceCorrection, AttendanceEvent, AuditEntry
from core.store.types import utcnow
from core.sync.central import CentralDatabase

# The kiosk id of what the central database does itself (audit lines, an administrator's
# records made from the console or the command line on the server).
CENTRAL_KIOSK_ID = "central"
_ARRIVING = (AttendanceEvent, AttendanceCorrection, AuditEntry)


class CentralStore(Store):
    """A ``Store`` on the central database's engine whose new records arrive as they are
    written (see the module's docstring)."""

    def __init__(self, central: CentralDatabase, keys: DeploymentKeys | None = None) -> None:
        super().__init__(central.engine, keys)
        for maker in (self._reader, self._writer):
            event.listen(maker, "before_flush", _arrived_now)


def _arrived_now(session: Session, _context: Any, _instances: Any) -> None:
    now = utcnow()
    for row in session.new:
        if isinstance(row, _ARRIVING) and row.synced_at is None:
            row.synced_at = row.received_at = now


def central_accounts(
    central: CentralDatabase, policy: LockoutPolicy, keys: DeploymentKeys | None = None
) -> AuthService:
    """The central administrator accounts: the ``users`` rows of the central database, with
    the kiosk's sign-in, lockout and audit (a kiosk role's login is no such row)."""
    return AuthService(CentralStore(central, keys), policy, CENTRAL_KIOSK_ID)
