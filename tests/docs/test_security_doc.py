"""docs/SECURITY.md names the test behind each claim: every test it names must exist, so a
renamed or deleted test cannot leave a claim without its proof."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.support.paths import ROOT

# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


DOC = ROOT / "docs" / "SECURITY.md"
# `test_file.py::test_name`, or `::test_name` after a named file on the same claim.
REFERENCE = re.compile(r"(?:(test_\w+)\.py)?::(test_\w+)|\b(test_\w+)\.py\b")


def _file(module: str) -> Path | None:
    """The test file of that name in whichever folder of tests/ holds it."""
    found = sorted((ROOT / "tests").rglob(f"{module}.py"))
    assert len(found) <= 1, f"two test files named {module}.py: {found}"
    return found[0] if found else None


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_test_the_security_page_names_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    module = None
    named: list[tuple[str, str | None]] = []
    for match in REFERENCE.finditer(text):
        file_part, test, bare_file = match.groups()
        module = file_part or bare_file or module
        assert module is not None, f"::{test} is named before any test file"
        named.append((module, test))
    assert len(named) > 30  # the page really names its proofs
    missing = [
        f"{m}.py" + (f"::{t}" if t else "")
        for m, t in named
        if (path := _file(m)) is None or (t and t not in _tests_in(path))
    ]
    assert missing == []
