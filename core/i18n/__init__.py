"""Asistencia's own Qt-free translations: the command line, reports and core's sentences.

``text(key, **params)`` says a catalogue message in the current language, which main.py
sets from the ``language`` setting (``set_language(resolve_language(setting))``); a
``Message`` carries a key and its values to whoever says it. The window has Qt's ``.ts``
files (kiosk/i18n.py) and the same rule for the language (``choose_language``).
"""

from __future__ import annotations

from core.i18n.catalogue import knows, say, text, text_in
from core.i18n.language import (
    FALLBACK,
    LANGUAGES,
    SOURCE,
    Language,
    choose_language,
    current_language,
    resolve_language,
    set_language,
)
from core.i18n.message import Message

__all__ = [
    "FALLBACK",
    "LANGUAGES",
    "SOURCE",
    "Language",
    "Message",
    "choose_language",
    "current_language",
    "knows",
    "resolve_language",
    "say",
    "set_language",
    "text",
    "text_in",
]
