"""The audit log: who did what, when, to what and why — written in the same transaction."""

from __future__ import annotations

import getpass
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from core.store.models import AuditEntry

# Never let a secret reach the log, even if a caller passes one by mistake.
_SECRET_WORDS = ("password", "pin", "secret", "token", "hash")


def cli_actor() -> str:
    """The operating-system user who runs an administrative command."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry inside some containers
        return "cli:unknown"


def _clean(details: Mapping[str, Any]) -> dict[str, Any]:
    """Mask values under secret-sounding keys; flags such as ``with_pin: true`` stay."""
    return {
        key: (
            "***"
            if any(word in key.lower() for word in _SECRET_WORDS) and not isinstance(value, bool)
            else value
        )
        for key, value in details.items()
    }


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    target_type: str = "",
    target_id: object = "",
    details: Mapping[str, Any] | None = None,
    reason: str = "",
    kiosk_id: str = "",
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        details=json.dumps(_clean(details or {}), default=str, ensure_ascii=False, sort_keys=True),
        reason=reason,
        kiosk_id=kiosk_id,
    )
    session.add(entry)
    return entry
