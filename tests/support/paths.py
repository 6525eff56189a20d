"""Where the tests find the repository and their data, wherever a test file sits."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
# real photos of real people (see tests/data/NOTICE.md)
FACES = DATA / "faces"
