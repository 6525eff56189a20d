"""The Qt-free message catalogue: a key, a template per language, said in the current one.

The window speaks through Qt's ``.ts`` files; the command line, the reports and every
sentence core raises cannot import Qt (the headless image has no PySide6, and a command's
start-up time matters), so they have this catalogue. Its parts hold what their names say:
``words`` (records and reports), ``refusals`` (punches, corrections, periods, exports),
``command_output`` (what the common commands print), ``operations_output`` (what enroll,
sync, secrets, central, seed and migrate print, and the first administrator's notice),
``inputs`` (files and names refused, and how every command ends when it cannot go on),
``people`` (employees, shifts, administrators, PINs and passwords, enrolment), ``store``
(the local database and its secrets), ``central`` (the central database and its
commands), ``join`` (a kiosk joining in one step), ``recognition`` (models, weight files,
photos, data sets), ``server`` (the headless server, the health port, the program's
set-up), ``settings`` (a refused setting), ``camera`` (what the camera says, by reason),
``console`` (the web console and its accounts' commands), ``review`` (what a record held
for review is about). A template's ``{placeholders}``
are the same in every language and every key has every language;
tests/cli/test_catalogue.py keeps both true, and tests/cli/test_error_keys.py that every
error core raises has a key here.

English templates are the sentences the code always said: ``str(Message(...))`` and the
logs read the same as before. The window says a key in its own words where it has them
(kiosk/messages.py, kiosk/camera_text.py), else this catalogue's in its language.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from core.i18n.camera import CAMERA
from core.i18n.central import CENTRAL
from core.i18n.command_output import COMMAND_OUTPUT
from core.i18n.console import CONSOLE
from core.i18n.fleet import FLEET
from core.i18n.inputs import INPUTS
from core.i18n.join import JOIN
from core.i18n.language import Language, current_language
from core.i18n.message import Message
from core.i18n.operations_output import OPERATIONS_OUTPUT
from core.i18n.people import PEOPLE
from core.i18n.recognition import RECOGNITION
from core.i18n.refusals import REFUSALS
from core.i18n.review import REVIEW
from core.i18n.server import SERVER
from core.i18n.settings import SETTINGS
from core.i18n.store import STORE
from core.i18n.words import WORDS

Entry = Mapping[Language, str]

PARTS: dict[str, Mapping[str, Entry]] = {
    "words": WORDS,
    "refusals": REFUSALS,
    "command_output": COMMAND_OUTPUT,
    "operations_output": OPERATIONS_OUTPUT,
    "inputs": INPUTS,
    "people": PEOPLE,
    "recognition": RECOGNITION,
    "store": STORE,
    "central": CENTRAL,
    "fleet": FLEET,  # the kiosks' health (core/sync/fleet.py, central fleet)
    "join": JOIN,
    "settings": SETTINGS,
    "camera": CAMERA,
    "server": SERVER,
    "console": CONSOLE,
    "review": REVIEW,  # what a held record is about (core/sync/held_about.py)
}
CATALOGUE: dict[str, Entry] = {key: entry for part in PARTS.values() for key, entry in part.items()}


def knows(key: str) -> bool:
    return key in CATALOGUE


def render(language: Language, key: str, params: Mapping[str, object]) -> str:
    """The template of ``key`` in ``language`` with ``params``; a ``Message`` among them
    in the same language. KeyError for a key or a placeholder that is not there.

    A sentence that counts has its singular as ``KEY.one``, said when its ``count`` (or
    ``n``) is 1: "1 registro retenido", "2 registros retenidos" (Spanish and English both
    use the plural for 0)."""
    counted = params.get("count", params.get("n"))
    if counted == 1 and f"{key}.one" in CATALOGUE:
        key = f"{key}.one"
    values = {
        name: render(language, value.key, value.params) if isinstance(value, Message) else value
        for name, value in params.items()
    }
    return CATALOGUE[key][language].format_map(values)


def text(key: str, /, **params: object) -> str:
    """The message ``key`` in the current language (``core.i18n.set_language``)."""
    return render(current_language(), key, params)


def text_in(language: Language, key: str, /, **params: object) -> str:
    return render(language, key, params)


def say(message: Message | str) -> str:
    """A ``Message`` in the current language; a plain string (not in the catalogue yet)
    as it is."""
    if isinstance(message, Message):
        return render(current_language(), message.key, message.params)
    return message


def placeholders(template: str) -> set[str]:
    """The names a template fills in: ``{code}`` and ``{wait!s:>4}`` → code, wait."""
    return {
        field.split(".")[0].split("[")[0]
        for _literal, field, _spec, _conversion in string.Formatter().parse(template)
        if field is not None
    }
