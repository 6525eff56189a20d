"""The docs name only what exists: every page a reader gets (README.md, CONTRIBUTING.md and
docs/**/*.md) is read as a reader would follow it. Each link (and #anchor) must resolve, each
`make X` must be a Makefile target, each `python main.py X --option` must be a command and an
option of main.py's own parser, each setting must be a field of Settings, and each path or
module of the repository must be there. A renamed command, setting or file then fails here
instead of leaving a page that sends its reader nowhere."""

from __future__ import annotations

import re
import shlex
from argparse import ArgumentParser, _SubParsersAction
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest

import main
from core.cli import build_parser
from core.config import LEGACY_ENV_NAMES, Settings
from tests.support.paths import ROOT

# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


PAGES = sorted([ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").rglob("*.md")])
README_LIMIT = 12 * 1024

FENCE = re.compile(r"^ {0,3}(```+|~~~+)[^\n]*\n(.*?)^ {0,3}\1[ \t]*$", re.M | re.S)
SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_USE = re.compile(r"\[[^\]]+\]\[([^\]]*)\]")
REFERENCE_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*(\S+)", re.M)
# `make` where a command starts (not `apt-get install make python3.11-venv`)
MAKE = re.compile(r"(?:^|[;&|(]\s*)make((?:\s+[A-Z_][A-Z0-9_]*=\S*)*)\s+([a-z][\w-]*)\b(?!=)", re.M)
PROGRAM = re.compile(
    r"(?:(?<![\w/.-])main\.py|/asistencia/asistencia|asistencia-cli\.exe)(?=[ \t]|$)", re.M
)
SCRIPT = re.compile(r"(?<![\w.-])((?:un)?install\.sh)\b([^\n]*)")
MODULE_RUN = re.compile(r"-m\s+((?:core|kiosk|tools|tests)(?:\.\w+)+)")
ASSIGNMENT = re.compile(r"^\s*([a-z][a-z0-9_]*)\s+=\s+\S", re.M)
ENV_NAME = re.compile(r"\bASISTENCIA_([A-Z0-9_]*[A-Z0-9])\b")
REPO_PATH = re.compile(
    r"(?<![\w/.~$-])((?:core|kiosk|tools|tests|packaging|resources|seeds|requirements|docs|\.ci)"
    r"/[\w./-]*)"
)
FILE_NAME = re.compile(r"^[\w-]+\.(?:py|sh|spec|lock|c)$")
DOTTED = re.compile(r"^(?:core|kiosk|tools)(?:\.\w+)+$")
STOP_TOKENS = {"&&", "||", ";", ">", ">>", "2>&1", "…", "...", "\\"}
# Issue numbers and commit ids belong to the project's history, not to its pages.
HISTORY = re.compile(
    r"\bissues? #?\d+|\(#\d+\)|(?<![\w/.-])(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b"
)


class Page:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = str(path.relative_to(ROOT))
        text = path.read_text(encoding="utf-8")
        self.fenced = [m.group(2) for m in FENCE.finditer(text)]
        self.prose = FENCE.sub("", text)
        spans = [re.sub(r"\s+", " ", m.group(2).strip()) for m in SPAN.finditer(self.prose)]
        self.spans = [span.replace("\\|", "|") for span in spans]
        self.prose_without_code = SPAN.sub("", self.prose)
        self.code = self.spans + self.fenced  # everything a reader would type or look up


@cache
def page(path: Path) -> Page:
    return Page(path)


def pages() -> Iterator[Page]:
    for path in PAGES:
        yield page(path)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


@cache
def anchors(path: Path) -> set[str]:
    seen: Counter[str] = Counter()
    found = set()
    for heading in HEADING.findall(page(path).prose):
        base = slug(heading)
        found.add(base if seen[base] == 0 else f"{base}-{seen[base]}")
        seen[base] += 1
    return found


def link_problems(item: Page) -> Iterator[str]:
    definitions = {m.group(1).lower(): m.group(2) for m in REFERENCE_DEF.finditer(item.prose)}
    for reference in REFERENCE_USE.findall(item.prose_without_code):
        if reference and reference.lower() not in definitions:
            yield f"[{reference}] has no definition"
    targets = LINK.findall(item.prose_without_code) + list(definitions.values())
    for target in targets:
        if re.match(r"^[a-z]+:", target):
            continue  # http(s), mailto: the page's own business
        path_part, _, anchor = target.partition("#")
        resolved = (item.path.parent / path_part).resolve() if path_part else item.path
        if not resolved.exists():
            yield f"{target}: no such file"
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            yield f"{target}: no heading #{anchor} in {resolved.relative_to(ROOT)}"


@cache
def make_targets() -> set[str]:
    targets: set[str] = set()
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        rule = re.match(r"^([A-Za-z0-9_.][A-Za-z0-9_. -]*?)\s*:(?!=)", line)
        if rule:
            targets.update(rule.group(1).split())
        if line.startswith(".PHONY:"):
            targets.update(line.removeprefix(".PHONY:").split())
    return targets


@cache
def parser() -> ArgumentParser:
    return build_parser(extra=[main.register_headless, main.register_bench])


def _subcommands(of: ArgumentParser) -> dict[str, ArgumentParser] | None:
    for action in of._actions:
        if isinstance(action, _SubParsersAction):
            return dict(action.choices)
    return None


def _tokens(line: str) -> list[str]:
    line = line.split(" #", 1)[0]
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    return [w.strip("[]") for w in words if w.strip("[]")]


def _is_value(word: str) -> bool:
    return word == "-" or not (word.startswith("-") or word == "|" or word in STOP_TOKENS)


def command_problems(words: list[str]) -> Iterator[str]:
    """Walk ``words`` through main.py's parser: sub-commands must exist, options must belong
    to the command they follow (or to the program: --data-dir, --config...)."""
    chain = [parser()]
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if word in STOP_TOKENS or word.startswith("#") or word.startswith("$"):
            return
        if word == "|":
            continue
        if word.startswith("-") and word != "-" and not re.match(r"^-\d", word):
            for option in word.split("|"):
                name = option.split("=", 1)[0]
                action = next(
                    (
                        p._option_string_actions[name]
                        for p in reversed(chain)
                        if name in p._option_string_actions
                    ),
                    None,
                )
                if action is None:
                    yield f"{' '.join(words)}: {chain[-1].prog} has no option {name}"
                    return
                if "=" in option or action.nargs == 0:
                    continue
                many = action.nargs in ("+", "*")
                while i < len(words) and _is_value(words[i]):
                    i += 1
                    if not many:
                        break
            continue
        subcommands = _subcommands(chain[-1])
        if subcommands is None:
            continue  # a positional argument
        if word not in subcommands:
            yield f"{' '.join(words)}: {chain[-1].prog} has no command {word!r}"
            return
        chain.append(subcommands[word])


def program_lines(code: str) -> Iterator[list[str]]:
    for line in code.splitlines():
        for match in PROGRAM.finditer(line):
            yield _tokens(line[match.end() :])


@cache
def environment_names() -> set[str]:
    """Every ASISTENCIA_ name the program, its tools and its tests mention."""
    files = [ROOT / "main.py", ROOT / "Makefile", ROOT / "Dockerfile.sync"]
    for folder in ("core", "kiosk", "tools", "tests", "packaging", ".ci"):
        files += [p for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix != ".pyc"]
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
    return set(ENV_NAME.findall(text))


SETTINGS = set(Settings.model_fields)
LEGACY = set(LEGACY_ENV_NAMES.values())


def setting_problems(item: Page) -> Iterator[str]:
    for code in item.code:
        for key in ASSIGNMENT.findall(code):
            if key not in SETTINGS:
                yield f"`{key} = …`: no such setting"
    for name in ENV_NAME.findall(item.prose + "\n".join(item.fenced)):
        if name.lower() not in SETTINGS and name not in environment_names():
            yield f"ASISTENCIA_{name}: neither a setting nor read anywhere"
    for table in re.findall(r"(?:^\|.*\|[ \t]*\n)+", item.prose, re.M):
        rows = table.splitlines()
        header = [cell.strip().lower() for cell in rows[0].strip("|").split("|")]
        if header[0] not in ("key", "setting"):
            continue
        for row in rows[2:]:
            first = re.split(r"(?<!\\)\|", row.strip().strip("|"))[0]
            for key in re.findall(r"`([^`]+)`", first):
                if key not in SETTINGS and key not in LEGACY:
                    yield f"settings table names `{key}`: no such setting"
    for name in re.findall(r"Settings → ([^\n→*,.;:)]+)", item.prose):
        if not any(name.startswith(title) for title in admin_pages()):
            yield f"Settings → {name.strip()}: no such settings page ({sorted(admin_pages())})"


@cache
def admin_pages() -> set[str]:
    titles: set[str] = set()
    for source in (ROOT / "kiosk" / "admin").glob("*.py"):
        text = source.read_text(encoding="utf-8")
        titles.update(
            re.findall(r"def title\(self\) -> str:\s*return self\.tr\(\"([^\"]+)\"\)", text)
        )
    return titles


@cache
def repository_files() -> set[str]:
    names: set[str] = set()
    for folder in ("core", "kiosk", "tools", "tests", "packaging", "seeds", "requirements"):
        names.update(p.name for p in (ROOT / folder).rglob("*") if p.is_file())
    names.update(p.name for p in ROOT.iterdir() if p.is_file())
    return names


def _module_exists(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:cut])
        source = (
            base.with_suffix(".py") if base.with_suffix(".py").is_file() else base / "__init__.py"
        )
        if not source.is_file():
            continue
        rest = parts[cut:]
        if not rest:
            return True
        if len(rest) > 2:
            return False
        return (
            re.search(rf"\b{re.escape(rest[0])}\b", source.read_text(encoding="utf-8")) is not None
        )
    return False


def path_problems(item: Page) -> Iterator[str]:
    for code in item.code:
        for found in REPO_PATH.findall(code):
            path = found.rstrip(".,")
            if re.search(r"(?<=[/_])(?:NAME|FILE|DIR)(?=[./_]|$)", path):
                continue  # a placeholder: tests/test_NAME.py
            if not (ROOT / path).exists():
                yield f"{path}: not in the repository"
        for module in MODULE_RUN.findall(code):
            if not _module_exists(module):
                yield f"python -m {module}: no such module"
    for span in item.spans:
        if FILE_NAME.match(span):
            if span not in repository_files():
                yield f"{span}: no file of that name in the repository"
        elif DOTTED.match(span) and not _module_exists(span):
            yield f"{span}: no such module or name"


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {p}" for name, found in problems.items() for p in found)


def _collect(check: Callable[[Page], Iterator[str]]) -> dict[str, list[str]]:
    found = {item.name: list(check(item)) for item in pages()}
    return {name: problems for name, problems in found.items() if problems}


def test_the_docs_are_found() -> None:
    names = {item.name for item in pages()}
    assert {"README.md", "docs/SECURITY.md", "docs/README.md"} <= names
    assert len(names) > 20


def test_every_link_and_anchor_resolves() -> None:
    problems = _collect(link_problems)
    assert not problems, _report(problems)


def test_every_make_target_named_exists() -> None:
    def check(item: Page) -> Iterator[str]:
        for code in item.code:
            for _, target in MAKE.findall(code):
                if target not in make_targets():
                    yield f"make {target}: no such target in the Makefile"

    problems = _collect(check)
    assert not problems, _report(problems)


def test_every_command_and_option_named_exists() -> None:
    def check(item: Page) -> Iterator[str]:
        for code in item.code:
            for words in program_lines(code):
                yield from command_problems(words)
            for script, rest in SCRIPT.findall(code):
                text = (ROOT / "packaging" / "linux" / script).read_text(encoding="utf-8")
                for option in re.findall(r"(?<![\w-])--[a-z][\w-]*", rest):
                    if f"{option})" not in text and f"{option} " not in text:
                        yield f"{script} {option}: the script has no such option"

    problems = _collect(check)
    assert not problems, _report(problems)


def test_every_setting_named_exists() -> None:
    problems = _collect(setting_problems)
    assert not problems, _report(problems)


def test_every_repository_path_named_exists() -> None:
    problems = _collect(path_problems)
    assert not problems, _report(problems)


def test_the_readme_is_a_front_page() -> None:
    """About two screens, and it still holds the test command CI runs."""
    readme = page(ROOT / "README.md")
    assert len(readme.path.read_bytes()) <= README_LIMIT
    assert any(re.search(r"^make test\b", block, re.M) for block in readme.fenced)
    assert re.search(r"!\[[^\]]*\]\(docs/screenshots/[^)]+\.png\)", readme.prose)


def test_no_issue_numbers_or_commit_ids() -> None:
    def check(item: Page) -> Iterator[str]:
        text = re.sub(r"\]\([^)]*\)|^ {0,3}\[[^\]]+\]:.*$", "", item.prose, flags=re.M)
        for match in HISTORY.finditer(text + "\n".join(item.fenced)):
            yield f"{match.group(0)!r} belongs to the project's history"

    problems = _collect(check)
    assert not problems, _report(problems)
