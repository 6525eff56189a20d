"""The Qt-free catalogue (core/i18n): complete in both languages, every key the code uses
is in it, one rule for the language, and errors said in the chosen language."""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest

from core.attendance.outcomes import KIND_WORDS
from core.attendance.rules import DayState, Kind
from core.attendance.service import METHODS
from core.camera.source import SourceKind
from core.camera.status import CameraState
from core.config import Settings
from core.errors import NotFoundError, RefusedError, UsageError
from core.i18n import Message, resolve_language, say, set_language, text, text_in
from core.i18n.catalogue import CATALOGUE, PARTS, placeholders
from core.i18n.language import LANGUAGES, choose_language, current_language
from tests.support.paths import ROOT

# Where the product names catalogue keys: core (and main.py); the window has Qt's .ts files.
# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


SOURCES = [*sorted((ROOT / "core").rglob("*.py")), ROOT / "main.py"]
# A key is lower-case words and dots: SQLAlchemy's text("SELECT 1") is not one.
KEY = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*")
# The calls that name a key, and which argument: Message("pin.wrong"), text("col.code"),
# text_in(language, "yes"), knows("kind.in"); column_headers("code", ...) names col.code.
KEY_ARGUMENT = {"Message": 0, "text": 0, "knows": 0, "text_in": 1}


@pytest.fixture
def spanish() -> Iterator[None]:
    before = current_language()
    set_language("es")
    yield
    set_language(before)


def _named_keys(node: ast.expr) -> Iterator[tuple[str, bool]]:
    """The keys an argument may be: (key, False) for a literal, either branch of a
    conditional; (family, True) for one made from a value, f"kind_noun.{kind.value}"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value, False
    elif isinstance(node, ast.IfExp):
        yield from _named_keys(node.body)
        yield from _named_keys(node.orelse)
    elif isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and str(first.value).endswith("."):
            yield str(first.value)[:-1], True


def _keys_in_code() -> Iterator[tuple[str, bool, Path]]:
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "column_headers":
                for argument in node.args:
                    for column, _made in _named_keys(argument):
                        yield f"col.{column}", False, path
            elif name in KEY_ARGUMENT and len(node.args) > KEY_ARGUMENT[name]:
                for key, made in _named_keys(node.args[KEY_ARGUMENT[name]]):
                    if KEY.fullmatch(key):
                        yield key, made, path


def test_every_key_has_every_language_with_the_same_placeholders() -> None:
    assert len(CATALOGUE) == sum(len(part) for part in PARTS.values()), "a key in two parts"
    for key, entry in CATALOGUE.items():
        assert set(entry) == set(LANGUAGES), f"{key} lacks {set(LANGUAGES) - set(entry)}"
        assert all(entry[language].strip() for language in LANGUAGES), f"{key} is empty"
        english = placeholders(entry["en"])
        for language in LANGUAGES:
            assert placeholders(entry[language]) == english, f"{key} ({language}) differs"


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    used: dict[str, Path] = {}
    families: dict[str, Path] = {}
    for key, made, path in _keys_in_code():
        (families if made else used)[key] = path
    assert len(used) > 30, "the scan found too few keys: has the way code names them changed?"
    missing = {
        key: str(path.relative_to(ROOT)) for key, path in used.items() if key not in CATALOGUE
    }
    assert not missing, f"keys not in core/i18n: {missing}"
    # Keys made from a value: every value of each family has its entry.
    expected = {
        "kind_noun": {k.value for k in Kind},
        "recorded": {k.value for k in Kind},
        "kind": {k.value for k in Kind},
        "method_noun": set(METHODS),
        "method": set(METHODS),
        "day_state": {s.value for s in DayState} | {"unknown"},
        "col": set(),  # the headers named above
        "status": {"voided"},
        "camera.source": {kind.value for kind in SourceKind},
        "fleet.camera_state": {state.value for state in CameraState},
        "fleet.liveness": set(get_args(Settings.model_fields["liveness"].annotation)),
    }
    assert set(families) <= set(expected), set(families) - set(expected)
    for family, path in families.items():
        for value in expected[family]:
            assert f"{family}.{value}" in CATALOGUE, f"{family}.{value} ({path})"


def test_a_singular_has_its_plural_and_the_same_placeholders() -> None:
    """``KEY.one`` is said when a sentence's count is 1: "1 registro", not "1 registros"."""
    singulars = [key for key in CATALOGUE if key.endswith(".one")]
    assert len(singulars) > 10, singulars
    for key in singulars:
        base = key.removesuffix(".one")
        plural = base if base in CATALOGUE else f"{base}.many"  # store.holder says it so
        assert plural in CATALOGUE, key
        for language in LANGUAGES:
            assert placeholders(CATALOGUE[key][language]) == placeholders(
                CATALOGUE[plural][language]
            ), key
    assert text_in("es", "console.fleet_held", count=1).startswith("1 registro retenido ")
    assert text_in("es", "console.fleet_held", count=2).startswith("2 registros retenidos ")
    assert text_in("en", "console.people_count", n=1) == "1 employee"
    assert text_in("en", "console.people_count", n=0) == "0 employees"


def test_the_catalogue_imports_nothing_but_the_standard_library() -> None:
    """The command line and the headless image load it: no Qt, no database, no models."""
    for path in sorted((ROOT / "core" / "i18n").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                top = name.split(".")[0]
                ok = name.startswith("core.i18n") or top in sys.stdlib_module_names
                assert ok or top == "__future__", f"{path.name} imports {name}"


def test_english_is_the_sentence_the_code_always_said() -> None:
    """str() of a keyed error: logs, tests and the kiosk's message table read it."""
    wait = "5 min"
    assert str(RefusedError(Message("pin.wrong"))) == "wrong PIN"
    assert (
        str(RefusedError(Message("pin.locked", code="E1", wait=wait)))
        == "too many wrong PINs for 'E1'; try again in 5 min"
    )
    assert str(NotFoundError(Message("employee.unknown_code", code="X"))) == (
        "no employee with code 'X'"
    )
    breaks = Message(
        "correction.breaks_day",
        next=Message("kind_noun.out"),
        when="2026-12-04 18:00",
        kind=Message("kind_noun.break_start"),
        at="17:00",
    )
    assert str(breaks) == (
        "the check-out at 2026-12-04 18:00 would no longer follow a break start at 17:00; "
        "change that record instead"
    )
    assert KIND_WORDS[Kind.IN] == "check-in" and KIND_WORDS[Kind.BREAK_END] == "break end"


def test_an_error_is_said_in_the_chosen_language(spanish: None) -> None:
    error = UsageError(Message("period.reversed", end="2026-01-01", start="2026-02-01"))
    assert error.key == "period.reversed" and error.params["end"] == "2026-01-01"
    assert error.localized() == "--to (2026-01-01) es anterior a --from (2026-02-01)"
    assert str(error) == "--to (2026-01-01) is before --from (2026-02-01)"
    # A value that is itself a message is said in the sentence's language.
    cooldown = Message(
        "record.cooldown_after", name="Ana", wait="45 s", kind=Message("kind_noun.in"), time="9:00"
    )
    assert say(cooldown) == (
        "Ana acaba de registrar entrada a las 9:00; si es un registro nuevo, inténtelo de "
        "nuevo dentro de 45 s"
    )
    # Without a key (not in the catalogue yet), the English sentence as it was.
    plain = RefusedError("something the catalogue does not know")
    assert plain.key is None and plain.localized() == "something the catalogue does not know"
    assert text("yes") == "Sí" and text_in("en", "yes") == "Yes"


@pytest.mark.parametrize(
    ("setting", "env", "expected"),
    [
        ("en", {"LANG": "es_ES.UTF-8"}, "en"),
        ("es", {"LANG": "en_GB.UTF-8"}, "es"),
        ("auto", {"LANG": "en_US.UTF-8"}, "en"),
        ("auto", {"LANG": "es_MX.UTF-8"}, "es"),
        ("auto", {"LANGUAGE": "de:en", "LANG": "es_ES.UTF-8"}, "en"),
        ("auto", {"LANGUAGE": "es:en", "LANG": "en_US.UTF-8"}, "es"),
        # LC_ALL rules over LANG, as it does for Qt (the window): French -> the fallback.
        ("auto", {"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "es"),
        ("auto", {"LC_MESSAGES": "en_US.UTF-8", "LANG": "es_ES.UTF-8"}, "en"),
        ("auto", {"LANG": "C.UTF-8"}, "es"),
        ("auto", {"LANG": "en_US@euro"}, "en"),
        ("auto", {}, "es"),
    ],
)
def test_auto_follows_the_system_locale_as_the_window_does(
    setting: str, env: dict[str, str], expected: str
) -> None:
    assert resolve_language(setting, env) == expected


def test_the_window_and_the_command_line_share_one_rule() -> None:
    """Qt's preferred languages (kiosk/i18n.py passes them) go through the same rule."""
    assert choose_language("auto", ["fr-FR", "fr", "en-GB"]) == "en"
    assert choose_language("auto", ["de-DE", "C"]) == "es"
    assert choose_language("en", ["es-ES"]) == "en"
