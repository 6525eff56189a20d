"""Employees' PINs: argon2id over an HMAC of the PIN with the deployment's pepper.

See core/secrets/keys.py for why. Hashes made before the pepper (plain argon2id of the PIN) still
open until the employee next uses the PIN, which re-hashes it with the pepper; the headless
server refuses any new unpeppered hash a kiosk sends, so that fallback cannot be used to
plant a PIN.
"""

from __future__ import annotations

import uuid

from core.secrets.keys import PEPPERED_PREFIX, DeploymentKeys
from core.secrets.passwords import hash_secret, verify_secret


def hash_pin(keys: DeploymentKeys, employee_id: uuid.UUID, pin: str) -> str:
    return PEPPERED_PREFIX + hash_secret(keys.pin_secret(employee_id, pin))


def is_peppered(stored: str | None) -> bool:
    return stored is not None and stored.startswith(PEPPERED_PREFIX)


def verify_pin(keys: DeploymentKeys, employee_id: uuid.UUID, stored: str | None, pin: str) -> bool:
    """True when ``pin`` opens ``stored``; one argon2 verification whatever the case."""
    if stored is not None and not is_peppered(stored):
        return verify_secret(stored, pin)  # made before the pepper
    hashed = None if stored is None else stored.removeprefix(PEPPERED_PREFIX)
    return verify_secret(hashed, keys.pin_secret(employee_id, pin))
