"""A sentence to be said in some language later: a catalogue key and its values.

Core builds one where it knows what happened (``RefusedError(Message("pin.wrong"))``);
whoever shows it knows the language: the command line in the ``language`` setting's, a log
in English. ``str()`` is the English sentence, so a ``Message`` drops into an f-string, a
log line or an exception's text exactly as the English sentence used to.
"""

from __future__ import annotations

from collections.abc import Mapping


class Message:
    """``key`` names a template in ``core.i18n.catalogue``; ``params`` fill its
    ``{placeholders}``. A value that is itself a ``Message`` (a kind of record, a reason) is
    said in the same language as the sentence around it."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params: Mapping[str, object] = params

    def __str__(self) -> str:
        from core.i18n.catalogue import render  # the catalogue imports this module
        from core.i18n.language import SOURCE

        return render(SOURCE, self.key, self.params)

    def __repr__(self) -> str:
        values = "".join(f", {name}={value!r}" for name, value in self.params.items())
        return f"Message({self.key!r}{values})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return (self.key, dict(self.params)) == (other.key, dict(other.params))

    __hash__ = None  # type: ignore[assignment]  # its params may be anything
