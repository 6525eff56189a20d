"""A real browser for the web console's tests: Debian's chromium driven by chromium-driver
(tools/harness/chromium.py), or the test skipped, saying why, where they are not installed.

``packaging/system-packages.sh test`` (which `make test` and `.ci/run` call) installs both.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tools.harness.chromium import browser_missing
from tools.harness.chromium import chromium as _chromium

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver


@contextmanager
def chromium(
    downloads: Path, *, size: tuple[int, int] = (1366, 768), language: str = "es"
) -> Iterator[WebDriver]:
    """A headless chromium whose downloads land in ``downloads``, in ``language``."""
    why = browser_missing()
    if why is not None:
        pytest.skip(why)
    with _chromium(downloads, size=size, language=language) as driver:
        yield driver


def wait_for_download(downloads: Path, suffix: str, timeout_s: float = 30.0) -> Path:
    """The first finished file ending in ``suffix`` (chromium writes ``.crdownload`` first)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = [p for p in downloads.iterdir() if p.name.endswith(suffix)]
        if done and not any(p.name.endswith(".crdownload") for p in downloads.iterdir()):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} download within {timeout_s} s: {list(downloads.iterdir())}")
