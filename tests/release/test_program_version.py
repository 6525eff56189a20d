"""The version a kiosk reports with its heartbeat is the one the project releases."""

from __future__ import annotations

import tomllib

from core.host.version import PROGRAM_VERSION
from tests.support.paths import ROOT


def test_the_reported_version_is_pyprojects() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["version"] == PROGRAM_VERSION
