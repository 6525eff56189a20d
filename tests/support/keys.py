"""The deployment keys every test kiosk and test central database share, and the seeded
administrator's password.

Fixed (not random) so a child process, a template database and a fresh data dir all agree;
tests that are about the keys themselves make their own.
"""

from __future__ import annotations

from pathlib import Path

from core.secrets.keys import DeploymentKeys
from core.secrets.secrets_file import Secrets, write_secrets

TEST_KEYS = DeploymentKeys(bytes(range(32)), bytes(range(100, 132)))
# every test kiosk's first administrator ("admin"), through ASISTENCIA_ADMIN_PASSWORD
ADMIN_PASSWORD = "correct-horse-battery"


def write_test_secrets(path: Path) -> Path:
    write_secrets(path, Secrets(TEST_KEYS))
    return path
