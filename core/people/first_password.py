"""The one-time file holding the first administrator's generated password (0600), and whose
it is: written when the seed makes the account, deleted at its first password change."""

from __future__ import annotations

import os
from pathlib import Path

from core.host.bounded_read import FIRST_PASSWORD, FileRefusedError, read_bounded_text

USER_LINE = "user: "  # the first line of a one-time password file


def write_first_password(path: Path, username: str, password: str) -> Path:
    """Write the one-time password to a new file only the kiosk's user can read."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an older file keeps its mode through O_TRUNC
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(
            f"{USER_LINE}{username}\npassword: {password}\n"
            "It must be changed at the first sign-in; this file is deleted then.\n"
        )
    return path


def first_password_user(path: Path) -> str | None:
    """The user named in a one-time password file, or None when there is none."""
    try:
        first = read_bounded_text(path, FIRST_PASSWORD).splitlines()[0]
    except (FileRefusedError, IndexError):
        return None
    return first.removeprefix(USER_LINE) if first.startswith(USER_LINE) else None
