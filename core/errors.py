"""Typed errors with messages meant for people; mapped to exit codes in one place (main.py)."""

from __future__ import annotations


class AsistenciaError(Exception):
    """An expected failure with a message a person can act on."""

    exit_code = 1


class StoreError(AsistenciaError):
    """The local store cannot be opened, migrated or written."""


class NotFoundError(AsistenciaError):
    """An employee, user or record that does not exist."""


class RefusedError(AsistenciaError):
    """A request the rules refuse (cooldown, wrong PIN, locked account...)."""


class UsageError(AsistenciaError):
    """A command used wrongly; like a bad setting, exit code 2."""

    exit_code = 2
