"""A real browser for the web console's tests: Debian's chromium driven by chromium-driver.

Selenium talks WebDriver to the chromedriver that Debian builds with the same chromium
(their versions always match), so nothing is downloaded: Selenium Manager is never asked
because the driver's path is given. Clicks and keys are WebDriver input actions, which
chromium turns into trusted input events, as a person's would be.

``packaging/system-packages.sh test`` installs both; without them the browser tests skip
and say why.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def browser_missing() -> str | None:
    """Why no browser test can run here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if shutil.which(path) is None:
            return f"{path} is not installed (packaging/system-packages.sh test installs it)"
    return None


@contextmanager
def chromium(
    downloads: Path, *, size: tuple[int, int] = (1366, 768), language: str = "es"
) -> Iterator[WebDriver]:
    """A headless chromium whose downloads land in ``downloads``, in ``language``; the
    window's inner size (the page's viewport) is ``size``."""
    why = browser_missing()
    if why is not None:
        pytest.skip(why)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        # Tests run as root in CI's containers, where chromium's sandbox cannot start.
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={size[0]},{size[1]}",
        f"--lang={language}",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "intl.accept_languages": language,
        },
    )
    downloads.mkdir(parents=True, exist_ok=True)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.set_page_load_timeout(30)
        # Headless chromium saves downloads only where it is told to, through DevTools.
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior",
            {"behavior": "allow", "downloadPath": str(downloads)},
        )
        set_viewport(driver, *size)
        yield driver
    finally:
        driver.quit()


def set_viewport(driver: WebDriver, width: int, height: int) -> None:
    """The page's own width and height (the window's outer size includes no chrome in
    headless mode, but be exact: a screenshot is the viewport)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def wait_for_download(downloads: Path, suffix: str, timeout_s: float = 30.0) -> Path:
    """The first finished file ending in ``suffix`` (chromium writes ``.crdownload`` first)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = [p for p in downloads.iterdir() if p.name.endswith(suffix)]
        if done and not any(p.name.endswith(".crdownload") for p in downloads.iterdir()):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} download within {timeout_s} s: {list(downloads.iterdir())}")
