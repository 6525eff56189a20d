"""The developer tools find the repository's own data wherever they were moved to."""

from __future__ import annotations

import pytest

from tests.support.paths import ROOT
from tools.bench import recognition_bench, soak

# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


def test_the_tools_fall_back_to_the_photos_in_the_repository() -> None:
    # Without the shared data set the bench and the soak use tests/data/faces: a wrong root made
    # `make bench` fail on a fresh machine with "No such file or directory".
    for fallback in (recognition_bench.FALLBACK_DATASET, soak.TEST_FACES):
        assert fallback == ROOT / "tests" / "data" / "faces"
        assert fallback.is_dir()
    for shared in (recognition_bench.DEFAULT_DATASET, soak.SHARED_FACES):
        assert shared == ROOT.parent / "shared" / "data" / "faces"
