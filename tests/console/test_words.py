"""Every word the console's templates and modules name is in core's catalogue in both
languages (the catalogue's own test scans core/ and main.py only)."""

from __future__ import annotations

import re

import pytest

from core.i18n.catalogue import CATALOGUE
from tests.support.paths import ROOT

pytestmark = pytest.mark.quick
NAMED = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_]+)["']|["'](console\.[a-z0-9_]+)["']""")


def test_every_key_the_console_names_is_in_the_catalogue() -> None:
    files = [*sorted((ROOT / "console").rglob("*.html")), *sorted((ROOT / "console").rglob("*.py"))]
    used = {
        key
        for path in files
        for match in NAMED.finditer(path.read_text(encoding="utf-8"))
        for key in match.groups()
        if key and not key.endswith("_")
    }
    assert len(used) > 100, "the scan found too few keys"
    assert sorted(key for key in used if key not in CATALOGUE) == []
    for view in ("totals", "days", "records"):  # "console.view_" + view
        assert f"console.view_{view}" in CATALOGUE
