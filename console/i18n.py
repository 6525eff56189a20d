"""The console's language: the visitor's choice (a cookie set by the switch), else the first
Spanish or English language their browser prefers, else Spanish. Texts are core's catalogue's
(``core/i18n/console.py`` and the rest), said per request: the process-wide language of
``core.i18n.text`` belongs to the command line and is never changed here."""

from __future__ import annotations

from collections.abc import Callable

from core.errors import AsistenciaError
from core.i18n import LANGUAGES, Language, Message, choose_language, knows, text_in
from core.i18n.catalogue import render

LANGUAGE_COOKIE = "asistencia_lang"


def pick_language(accept_language: str, chosen: str | None) -> Language:
    """``chosen`` (the cookie) when it is a language we speak, else the browser's first
    Spanish or English preference by quality, else Spanish."""
    if chosen in LANGUAGES:
        return chosen
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, index, tag))
    return choose_language("auto", [tag for _q, _i, tag in sorted(ranked)])


def say(language: Language, message: Message | str) -> str:
    if isinstance(message, Message):
        return render(language, ON_A_PAGE.get(message.key, message.key), message.params)
    return message


# Core's refusals that name the command line's flags or commands, said in the page's terms.
ON_A_PAGE = {
    "period.reversed": "console.period_reversed",
    "central.unknown_site": "console.unknown_site",
    "central.site_needs_name": "console.site_needs_name",
    "central.not_a_record_id": "console.bad_record",
    "fleet.held": "console.fleet_held",
}


def say_error(language: Language, exc: AsistenciaError) -> str:
    """An expected refusal from core, in the page's language."""
    if exc.key is not None and knows(exc.key):
        return render(language, ON_A_PAGE.get(exc.key, exc.key), exc.params)
    return str(exc)


def translator(language: Language) -> Callable[..., str]:
    """``t("console.nav_people")`` for the templates."""

    def t(key: str, /, **params: object) -> str:
        return text_in(language, key, **params)

    return t
