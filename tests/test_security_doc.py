"""docs/SECURITY.md names the test behind each claim: every test it names must exist, so a
renamed or deleted test cannot leave a claim without its proof."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "SECURITY.md"
# `test_file.py::test_name`, or `::test_name` after a named file on the same claim.
REFERENCE = re.compile(r"(?:(test_\w+)\.py)?::(test_\w+)|\b(test_\w+)\.py\b")


def _tests_in(module: str) -> set[str]:
    tree = ast.parse((ROOT / "tests" / f"{module}.py").read_text(encoding="utf-8"))
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
        if not (ROOT / "tests" / f"{m}.py").exists() or (t and t not in _tests_in(m))
    ]
    assert missing == []
