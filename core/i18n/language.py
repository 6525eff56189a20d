"""Which language Asistencia speaks: the one rule for the ``language`` setting.

The setting is ``auto``, ``es`` or ``en``. ``auto`` follows the system's preferred
languages, the first Spanish or English one, and falls back to Spanish, the kiosk's home
language. The window reads those preferences from Qt (``kiosk/i18n.py``: on every
platform), the command line and the reports from the environment as Qt does on Linux:
``LANGUAGE``'s list when it is set, else the locale of ``LC_ALL``, ``LC_MESSAGES`` or
``LANG``, the first of them that is set. Both end in ``choose_language``.

The current language is what ``core.i18n.text`` speaks: English (the source language of
every sentence in the code) until a program sets it, as main.py does for a command.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Literal

Language = Literal["es", "en"]
LANGUAGES: tuple[Language, ...] = ("es", "en")
FALLBACK: Language = "es"  # the kiosk's home language
SOURCE: Language = "en"  # the language the code's own sentences are written in

_current: Language = SOURCE
_KNOWN: dict[str, Language] = {language: language for language in LANGUAGES}


def choose_language(setting: str, system_tags: Iterable[str]) -> Language:
    """'es' or 'en' for the setting ('auto', 'es', 'en'); 'auto' takes the first
    Spanish or English tag of ``system_tags`` ('en-GB', 'es_MX.UTF-8', 'fr:en', ...) in
    their order of preference, else Spanish."""
    if (chosen := _KNOWN.get(setting)) is not None:
        return chosen
    for tag in system_tags:
        for part in tag.split(":"):
            language = re.split(r"[-_.@]", part.strip(), maxsplit=1)[0].lower()
            if (chosen := _KNOWN.get(language)) is not None:
                return chosen
    return FALLBACK


def system_tags(environ: Mapping[str, str] | None = None) -> list[str]:
    """The system's preferred languages from the environment, in Qt's order on Linux."""
    env = os.environ if environ is None else environ
    if preferred := env.get("LANGUAGE", "").strip():
        return preferred.split(":")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if locale := env.get(name, "").strip():
            return [locale]
    return []


def resolve_language(setting: str, environ: Mapping[str, str] | None = None) -> Language:
    """The language for the ``language`` setting, 'auto' read from the environment."""
    return choose_language(setting, system_tags(environ))


def set_language(language: Language) -> None:
    """What ``core.i18n.text`` speaks from now on (once, where a program starts)."""
    global _current  # noqa: PLW0603  (one setting for the whole process, as Qt's translators)
    if language not in _KNOWN:
        raise ValueError(f"unknown language {language!r}")
    _current = language


def current_language() -> Language:
    return _current
