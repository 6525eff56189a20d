"""The layout says what lives where (docs/develop/layout.md): small modules, and only what
everything shares at core/'s root. A newcomer reading a module reads one thing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.paths import ROOT

# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


MAX_LINES = 400
# core/'s root: the application context, the settings package, errors and states.
CORE_ROOT = {"__init__.py", "context.py", "errors.py", "states.py"}


def _lines(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle)


def test_no_module_in_core_or_kiosk_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for package in ("core", "kiosk")
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts and (lines := _lines(path)) > MAX_LINES
    }
    assert not long, f"split these by what they hold (at most {MAX_LINES} lines): {long}"


def test_core_root_holds_only_what_everything_shares() -> None:
    loose = {path.name for path in (ROOT / "core").glob("*.py")} - CORE_ROOT
    assert not loose, (
        f"put these in the package of their concern (core/host, core/people…): {loose}"
    )


def test_pytest_collects_nothing_under_tools() -> None:
    """A tool named like a test would run as one under `pytest tools/` (or a bare `pytest`)."""
    named_like_tests = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tools").rglob("*.py")
        if path.name.startswith("test_") or path.stem.endswith("_test")
    ]
    assert not named_like_tests
