"""Which language the window speaks, and Qt's translators for it.

Source strings are English (``self.tr`` / ``translate``); Spanish and English come from
``resources/translations/asistencia_<lang>.qm``, compiled from the committed ``.ts`` files
by ``python -m kiosk.i18n_build``. The ``language`` setting "auto" follows the system
locale's preferred languages as Qt reports them and falls back to Spanish, the kiosk's home
language: the rule is core's (``core.i18n.choose_language``), the one the command line and
the reports follow too.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from core.i18n.language import FALLBACK, LANGUAGES, Language, choose_language

log = logging.getLogger(__name__)

SUPPORTED = LANGUAGES
ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS_DIR = ROOT / "resources" / "translations"
CATALOG = "asistencia"
_LOCALES = {"es": "es_ES", "en": "en_GB"}


def resolve_language(setting: str, system: QLocale | None = None) -> str:
    """'es' or 'en' for a setting of 'auto', 'es' or 'en'."""
    if setting in SUPPORTED:
        return setting
    locale = system if system is not None else QLocale.system()
    # uiLanguages() is the user's order of preference, e.g. ["en-GB", "en", "es-ES"].
    return choose_language(setting, [*locale.uiLanguages(), locale.name()])


def catalog_path(language: str, suffix: str = ".qm") -> Path:
    return TRANSLATIONS_DIR / f"{CATALOG}_{language}{suffix}"


class Translators:
    """The installed translators; ``install`` swaps them for another language."""

    def __init__(self) -> None:
        self._installed: list[QTranslator] = []
        self.language = FALLBACK

    def install(self, app: QCoreApplication, language: str) -> str:
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed.clear()
        self.language = language if language in SUPPORTED else FALLBACK
        QLocale.setDefault(QLocale(_LOCALES[self.language]))

        ours = catalog_path(self.language)
        if not ours.is_file():
            _compile_missing(self.language)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for path in (Path(qt_dir) / f"qtbase_{self.language}.qm", ours):
            translator = QTranslator(app)
            if translator.load(str(path)):
                app.installTranslator(translator)
                self._installed.append(translator)
            elif path == ours:
                log.warning(
                    "translations %s are missing; run `python -m kiosk.i18n_build` "
                    "(make run does it). The window shows English text until then.",
                    path,
                )
        return self.language


def _compile_missing(language: str) -> None:
    # Someone ran main.py without `make`: compile the committed .ts so the kiosk still
    # speaks its language. lrelease takes a few tens of milliseconds.
    try:
        from kiosk.i18n_build import release

        release([catalog_path(language, ".ts")])
    except Exception:
        log.warning("could not compile the %s translations", language, exc_info=True)


translators = Translators()


def window_language() -> Language:
    """The language the window speaks now: what core's catalogue (``core.i18n.text_in``)
    is asked for when the window says one of core's sentences."""
    return "en" if translators.language == "en" else "es"
