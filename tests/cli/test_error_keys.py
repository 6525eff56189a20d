"""Every error core raises for people carries a catalogue key: no sentence to parse back.

The window (kiosk/messages.py) and the command line (core/cli/outcome.py) say an
``AsistenciaError`` by its key in their language. An error built from a plain string has
no key: the window could only show it in English. This test walks core/ and main.py and
fails on any such error, on a key the catalogue lacks, and on a message whose values are
not the placeholders of its template.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.camera.reasons import CameraReason
from core.config import SettingsError, load_settings
from core.config.files import PYDANTIC_RULES
from core.errors import AsistenciaError
from core.i18n import text_in
from core.i18n.catalogue import CATALOGUE, placeholders
from core.i18n.language import LANGUAGES
from tests.support.paths import ROOT

SOURCES = [*sorted((ROOT / "core").rglob("*.py")), ROOT / "main.py"]
BASES = {"AsistenciaError", "SettingsError"}  # SettingsError reaches people too


@dataclass(frozen=True)
class Site:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.text}"


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


@functools.cache
def _parsed(path: Path, text: str) -> ast.Module:
    return ast.parse(text)


def _trees(sources: list[Path]) -> dict[Path, ast.Module]:
    return {path: _parsed(path, path.read_text(encoding="utf-8")) for path in sources}


def error_classes(trees: dict[Path, ast.Module]) -> dict[str, ast.ClassDef]:
    """Every class that is, through its bases, an ``AsistenciaError`` or a ``SettingsError``
    (by name: the names are unique in core/)."""
    classes = [
        node for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
    ]
    found: dict[str, ast.ClassDef] = {}
    grew = True
    while grew:
        grew = False
        for node in classes:
            if node.name in found:
                continue
            if node.name in BASES or any(_name(base) in found for base in node.bases):
                found[node.name] = node
                grew = True
    return found


def message_functions(trees: dict[Path, ast.Module]) -> set[str]:
    """The functions (by name) whose return annotation says they give a ``Message``."""
    return {
        node.name
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.returns is not None
        and "Message" in ast.unparse(node.returns)
    }


def message_attributes(trees: dict[Path, ast.Module]) -> set[str]:
    """Attributes that hold a ``Message``: ``self.message = Message(...)`` in a method, or
    ``message: Message`` in a class body (a dataclass field)."""
    names: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                names |= {
                    _name(item.target)
                    for item in node.body
                    if isinstance(item, ast.AnnAssign) and ast.unparse(item.annotation) == "Message"
                }
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                names |= {
                    target.attr
                    for target in node.targets
                    if isinstance(target, ast.Attribute)
                    and _name(target.value) == "self"
                    and _name(node.value.func) == "Message"
                }
    return names


def _assigned(scope: ast.AST, name: str) -> list[ast.expr]:
    """What ``name`` is assigned in ``scope`` (``=``, ``: T =``, ``:=``)."""
    values: list[ast.expr] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign):
            targets: list[ast.expr] = node.targets
        elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and node.value is not None:
            targets = [node.target]
        else:
            continue
        if node.value is not None and any(_name(target) == name for target in targets):
            values.append(node.value)
    return values


@dataclass(frozen=True)
class Makers:
    """What gives a ``Message`` besides ``Message(...)``: functions and attributes."""

    functions: set[str]
    attributes: set[str]


def _is_message(node: ast.expr, scope: ast.AST | None, makers: Makers) -> bool:
    """A ``Message(...)`` call or a call of a function that returns one, either branch of
    a conditional of them, an attribute that holds one, or a name (or ``self.name``) that
    holds one in ``scope`` (assigned from one, or a parameter annotated ``Message``)."""
    if isinstance(node, ast.Call):
        return _name(node.func) == "Message" or _name(node.func) in makers.functions
    if isinstance(node, ast.IfExp):
        return _is_message(node.body, scope, makers) and _is_message(node.orelse, scope, makers)
    if isinstance(node, ast.Attribute) and node.attr in makers.attributes:
        return True
    is_self = isinstance(node, ast.Attribute) and _name(node.value) == "self"
    if (isinstance(node, ast.Name) or is_self) and scope is not None:
        name = _name(node)
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = [*scope.args.posonlyargs, *scope.args.args, *scope.args.kwonlyargs]
            for argument in arguments:
                if argument.arg == name and argument.annotation is not None:
                    return "Message" in ast.unparse(argument.annotation)
        # None is what "no problem" starts as; the raise is behind "is not None".
        values = [
            value
            for value in _assigned(scope, name)
            if not (isinstance(value, ast.Constant) and value.value is None)
        ]
        return bool(values) and all(_is_message(value, None, makers) for value in values)
    return False


def _is_message_list(node: ast.expr, scope: ast.AST, makers: Makers) -> bool:
    """A list of messages: ``[Message(...), ...]``, ``[_explain(e) for e in ...]`` or a
    name assigned one."""
    if isinstance(node, ast.List):
        return bool(node.elts) and all(_is_message(elt, scope, makers) for elt in node.elts)
    if isinstance(node, ast.ListComp):
        return _is_message(node.elt, scope, makers)
    if isinstance(node, ast.Name):
        values = _assigned(scope, node.id)
        return bool(values) and all(_is_message_list(value, scope, makers) for value in values)
    return False


def _scopes(tree: ast.Module) -> Iterator[tuple[ast.Call, ast.AST]]:
    """Every call with the innermost function around it (or the module)."""

    def visit(node: ast.AST, scope: ast.AST) -> Iterator[tuple[ast.Call, ast.AST]]:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else scope
            if isinstance(child, ast.Call):
                yield child, scope
            yield from visit(child, inner)

    yield from visit(tree, tree)


def _builds_its_message(node: ast.ClassDef) -> bool:
    return any(isinstance(item, ast.FunctionDef) and item.name == "__init__" for item in node.body)


def unkeyed(sources: list[Path]) -> list[Site]:
    """The places that make an error for people without a catalogue key."""
    trees = _trees(sources)
    classes = error_classes(trees)
    makers = Makers(message_functions(trees), message_attributes(trees))
    found: list[Site] = []
    for path, tree in trees.items():
        for call, scope in _scopes(tree):
            callee = _name(call.func)
            if (callee in classes and callee not in BASES) or callee == "AsistenciaError":
                if _builds_its_message(classes[callee]):
                    continue  # its __init__ makes the message (checked below)
                first = call.args[0] if call.args else None
                if first is None or not _is_message(first, scope, makers):
                    found.append(Site(path, call.lineno, ast.unparse(call)[:120]))
            elif callee == "SettingsError":
                # One sentence per problem: a list of messages.
                first = call.args[0] if call.args else None
                if first is None or not _is_message_list(first, scope, makers):
                    found.append(Site(path, call.lineno, ast.unparse(call)[:120]))
            elif callee == "__init__" and isinstance(call.func, ast.Attribute):
                # super().__init__(...) in the __init__ of an error class that builds its message
                owner = next(
                    (
                        cls
                        for cls in classes.values()
                        if _builds_its_message(cls) and any(n is call for n in ast.walk(cls))
                    ),
                    None,
                )
                if owner is None or owner.name in BASES:
                    continue
                first = call.args[0] if call.args else None
                if first is None or not _is_message(first, scope, makers):
                    found.append(Site(path, call.lineno, ast.unparse(call)[:120]))
    return found


def keyed_messages(sources: list[Path]) -> Iterator[tuple[Site, str, set[str] | None]]:
    """Every ``Message("literal.key", name=...)``: its key and the names it fills (None
    when it passes ``**values``)."""
    for path, tree in _trees(sources).items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) == "Message" and node.args):
                continue
            key = node.args[0]
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                continue
            names = {keyword.arg for keyword in node.keywords}
            given = None if None in names else {name for name in names if name is not None}
            yield Site(path, node.lineno, ast.unparse(node)[:120]), key.value, given


def test_every_error_core_raises_for_people_has_a_key() -> None:
    missing = unkeyed(SOURCES)
    assert not missing, "errors without a catalogue key:\n" + "\n".join(map(str, missing))


def test_the_scan_knows_the_errors_core_defines() -> None:
    """The names the scan resolves include every subclass Python knows once core's
    error modules are imported: a new error class cannot slip past by its base's name."""
    import core.camera.capture
    import core.host.bounded_read
    import core.host.images
    import core.recognition.errors
    import core.secrets.secrets_file
    import core.server.headless
    import core.store.durability
    import core.store.lock_holders
    import core.sync.errors  # noqa: F401

    def subclasses(cls: type[BaseException]) -> Iterator[type[BaseException]]:
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("core."):
                yield sub
            yield from subclasses(sub)

    known = set(error_classes(_trees(SOURCES)))
    runtime = {cls.__name__ for cls in subclasses(AsistenciaError)} | {SettingsError.__name__}
    assert runtime <= known, runtime - known
    assert {"StoreError", "CentralError", "ImageError", "FileRefusedError"} <= known


def test_every_key_the_errors_name_is_translated_with_its_values() -> None:
    problems: list[str] = []
    for site, key, given in keyed_messages(SOURCES):
        entry = CATALOGUE.get(key)
        if entry is None:
            problems.append(f"{site}: {key} is not in the catalogue")
            continue
        if set(entry) != set(LANGUAGES):
            problems.append(f"{site}: {key} lacks {set(LANGUAGES) - set(entry)}")
        wanted = placeholders(entry["en"])
        if any(placeholders(entry[language]) != wanted for language in entry):
            problems.append(f"{site}: {key}'s languages fill different values")
        if given is not None and given != wanted:
            problems.append(f"{site}: {key} wants {sorted(wanted)}, is given {sorted(given)}")
    assert not problems, "\n".join(problems)


def test_every_camera_reason_is_in_the_catalogue() -> None:
    """A camera status is said by its reason's key (core/camera/reasons.py), made from the
    reason's value: the scan above cannot see those keys."""
    for reason in CameraReason:
        assert f"camera.{reason.value}" in CATALOGUE, reason
    counted = {CameraReason.BACK, CameraReason.END_OF_VIDEO}
    for reason in counted:
        assert f"camera.{reason.value}.one" in CATALOGUE, reason


def test_every_rule_of_pydantics_the_settings_name_is_in_the_catalogue() -> None:
    """A refused setting says pydantic's rule by a key made in core/config/files.py."""
    for key, names in PYDANTIC_RULES.values():
        assert key in CATALOGUE, key
        assert placeholders(CATALOGUE[key]["en"]) == set(names), key
    assert "settings.rule.string_too_short.one" in CATALOGUE


def test_a_refused_setting_is_said_in_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASISTENCIA_COOLDOWN_SECONDS", "-5")
    monkeypatch.setenv("ASISTENCIA_TIMEZONE", "Marte/Base")
    with pytest.raises(SettingsError) as caught:
        load_settings(None)
    english = set(caught.value.lines)
    spanish = {text_in("es", m.key, **m.params) for m in caught.value.messages}
    assert english == {
        "invalid environment variable ASISTENCIA_COOLDOWN_SECONDS = '-5': Input should be "
        "greater than or equal to 0 (allowed: a whole number from 0 to 86400)",
        "invalid environment variable ASISTENCIA_TIMEZONE = 'Marte/Base': must be an IANA "
        "time zone such as Europe/Madrid or UTC",
    }
    assert spanish == {
        "valor no válido en la variable de entorno ASISTENCIA_COOLDOWN_SECONDS = '-5': debe "
        "ser mayor o igual que 0 (se admite: un número entero de 0 a 86400)",
        "valor no válido en la variable de entorno ASISTENCIA_TIMEZONE = 'Marte/Base': debe "
        "ser una zona horaria IANA, como Europe/Madrid o UTC",
    }


@pytest.mark.parametrize(
    "source",
    [
        'from core.errors import StoreError\nraise StoreError("the disk is gone")\n',
        "from core.errors import NotFoundError\ndef f(code):\n"
        "    raise NotFoundError(f'no {code}')\n",
        "from core.errors import RefusedError\nraise RefusedError()\n",
        "from core.errors import RefusedError\nclass Mine(RefusedError):\n    pass\n"
        "def f(why: str):\n    raise Mine(why)\n",
        "from core.errors import UsageError\ndef f():\n    text = 'plain'\n"
        "    raise UsageError(text) from None\n",
        "from core.config import SettingsError\ndef f(key):\n"
        "    raise SettingsError([f'unknown setting {key}'])\n",
    ],
)
def test_the_scan_finds_an_error_without_a_key(source: str, tmp_path: Path) -> None:
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    assert [site for site in unkeyed([*SOURCES, path]) if site.path == path]


@pytest.mark.parametrize(
    "source",
    [
        "from core.errors import StoreError\nfrom core.i18n import Message\n"
        'raise StoreError(Message("store.gone"))\n',
        "from core.errors import UsageError\nfrom core.i18n import Message\n"
        "def f(why: Message):\n    raise UsageError(why)\n",
        "from core.errors import UsageError\nfrom core.i18n import Message\ndef f(e):\n"
        "    message = Message('a.b') if e else Message('a.c')\n"
        "    raise UsageError(message) from e\n",
        "def f():\n    try:\n        pass\n    except Exception:\n        raise\n",
        "from core.config import SettingsError\nfrom core.i18n import Message\ndef f(key):\n"
        "    raise SettingsError([Message('settings.unknown', key=key)])\n",
    ],
)
def test_the_scan_accepts_an_error_with_a_key(source: str, tmp_path: Path) -> None:
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    assert not [site for site in unkeyed([*SOURCES, path]) if site.path == path]
