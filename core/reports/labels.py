"""The words of a report in the interface's language (Qt-free, so core can write them).

The window translates with Qt's ``tr``; a report is written by core (the command line and
the central export too), which may not import Qt, so its headers and values come from core's
own catalogue (core/i18n/words.py: the same words the command line's tables use), Spanish
and English, kept complete by tests/reports/test_reports.py and tests/cli/test_catalogue.py.
"""

from __future__ import annotations

from core.i18n.language import FALLBACK, LANGUAGES, Language
from core.i18n.language import resolve_language as report_language
from core.i18n.words import WORDS as _WORDS

__all__ = ["FALLBACK", "LANGUAGES", "WORDS", "Language", "report_language", "value_word", "word"]

# key: (Spanish, English)
WORDS: dict[str, tuple[str, str]] = {key: (t["es"], t["en"]) for key, t in _WORDS.items()}


def word(key: str, language: Language) -> str:
    spanish, english = WORDS[key]
    return spanish if language == "es" else english


def value_word(prefix: str, value: str, language: Language) -> str:
    """A stored value spelled out (``kind.in`` → "Entrada"); an unknown one as stored."""
    key = f"{prefix}.{value}"
    return word(key, language) if key in WORDS else value


def decimal_separator(language: Language) -> str:
    """The decimal separator of the language's spreadsheets (es_ES: ',', en_GB: '.')."""
    return "," if language == "es" else "."
