"""Debian's chromium driven by its chromium-driver, headless, for the console's browser tests
(tests/support/browser.py) and its screenshots (tools/harness/console_screenshots.py).

Selenium talks WebDriver to the chromedriver that Debian builds with the same chromium
(their versions always match), so nothing is downloaded: Selenium Manager is never asked
because the driver's path is given. Clicks and keys are WebDriver input actions, which
chromium turns into trusted input events, as a person's would be.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def browser_missing() -> str | None:
    """Why no browser can be driven here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if shutil.which(path) is None:
            return f"{path} is not installed (packaging/system-packages.sh test installs it)"
    return None


@contextmanager
def chromium(
    downloads: Path, *, size: tuple[int, int] = (1366, 768), language: str = "es"
) -> Iterator[WebDriver]:
    """A headless chromium whose downloads land in ``downloads``, in ``language``, its
    page (the viewport) ``size`` pixels."""
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
        # Headless chromium saves downloads only where DevTools tells it to.
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
        set_viewport(driver, *size)
        yield driver
    finally:
        driver.quit()


def set_viewport(driver: WebDriver, width: int, height: int) -> None:
    """The page's own width and height, exactly (a phone's narrow one included)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
