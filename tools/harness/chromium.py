"""Debian's chromium driven by its chromium-driver, headless, for the console's browser tests
(tests/support/browser.py) and its screenshots (tools/harness/console_screenshots.py).

Selenium talks WebDriver to the chromedriver that Debian builds with the same chromium
(their versions always match), so nothing is downloaded: Selenium Manager is never asked
because the driver's path is given. Clicks and keys are WebDriver input actions, which
chromium turns into trusted input events, as a person's would be.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# The locale each of the console's languages is shown in: a Spanish user's date fields read
# dd/mm/aaaa. On Linux chromium takes its own locale (the date fields' order, Intl's default)
# from LANGUAGE, not from --lang, and only one whose .pak Debian's chromium-l10n installs;
# without that package every language falls back to en-US (mm/dd/yyyy).
LOCALES = {"es": "es-ES", "en": "en-US"}
CHROMIUM_LOCALES = "/usr/lib/chromium/locales"


def browser_missing() -> str | None:
    """Why no browser can be driven here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if shutil.which(path) is None:
            return f"{path} is not installed (packaging/system-packages.sh test installs it)"
    return None


def locale_missing(language: str) -> str | None:
    """Why chromium would not show ``language``'s locale here (its dates' order), or None."""
    locale = LOCALES.get(language, language)
    if locale != "en-US" and not any(
        Path(CHROMIUM_LOCALES, f"{name}.pak").exists() for name in (locale, locale[:2])
    ):
        return (
            f"chromium has no {locale} locale: chromium-l10n is not installed "
            "(packaging/system-packages.sh test installs it)"
        )
    return None


@contextmanager
def chromium(
    downloads: Path, *, size: tuple[int, int] = (1366, 768), language: str = "es"
) -> Iterator[WebDriver]:
    """A headless chromium whose downloads land in ``downloads``, in ``language`` (its
    pages' and its own locale, ``LOCALES``), its page (the viewport) ``size`` pixels."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    locale = LOCALES.get(language, language)
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
        f"--lang={locale}",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "intl.accept_languages": f"{locale},{language}",
        },
    )
    downloads.mkdir(parents=True, exist_ok=True)
    # The driver starts chromium with its own environment: the locale goes through it.
    environment = {**os.environ, "LANGUAGE": locale.replace("-", "_")}
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER, env=environment), options=options)
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
