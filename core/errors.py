"""Typed errors with messages meant for people; mapped to exit codes in one place (main.py).

Every error core raises for people carries a ``Message`` (``RefusedError(Message(
"pin.wrong"))``): a catalogue ``key`` and its ``params``. The command line says it in the
chosen language (``localized``), the window by its key (kiosk/messages.py), another
sentence can quote it (``said``). Its ``str()`` is the English sentence, for logs and
tests. tests/cli/test_error_keys.py fails on a raise in core/ without a key; a plain string is
still taken (a test's, a tool's) and shown as it is.
"""

from __future__ import annotations

from core.i18n.catalogue import knows, render
from core.i18n.language import current_language
from core.i18n.message import Message


class AsistenciaError(Exception):
    """An expected failure with a message a person can act on."""

    exit_code = 1

    def __init__(self, message: str | Message = "") -> None:
        self.key: str | None = None
        self.params: dict[str, object] = {}
        if isinstance(message, Message):
            self.key, self.params = message.key, dict(message.params)
        super().__init__(str(message))

    def said(self) -> Message:
        """What this error says, to be said again inside another sentence (or by whoever
        knows the language); an error raised without a key says its text as it is."""
        if self.key is not None:
            return Message(self.key, **self.params)
        return Message("error.plain", text=str(self))

    def localized(self) -> str:
        """The sentence in the current language (``core.i18n.set_language``) when the
        catalogue has it, else the English one."""
        if self.key is not None and knows(self.key):
            return render(current_language(), self.key, self.params)
        return str(self)


class StoreError(AsistenciaError):
    """The local store cannot be opened, migrated or written."""


class NotFoundError(AsistenciaError):
    """An employee, user or record that does not exist."""


class RefusedError(AsistenciaError):
    """A request the rules refuse (cooldown, wrong PIN, locked account...)."""


class UsageError(AsistenciaError):
    """A command used wrongly; like a bad setting, exit code 2."""

    exit_code = 2
