"""The console in a real chromium: one browser per test module (starting one takes a second
or two), a fresh central database and console server per test, the browser's cookies and
downloads cleared between tests.

The console's own fixtures (``central``, ``console_server``, ``client``: a real uvicorn on a
free port, a central administrator) are the same as tests/console's."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from console.server import ConsoleServer
from tests.console.conftest import (  # noqa: F401 (fixtures, shared with tests/console)
    ADMIN,
    PASSWORD,
    central,
    client,
    console_server,
    session_clock,
)
from tests.support.browser import chromium, wait_for_download

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement

# Set by every payload the injection tests type: a script that ran would set it.
FLAG = "__pwned"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """One headless chromium for the module, in English unless a test switches."""
    downloads = tmp_path_factory.mktemp("downloads")
    with chromium(downloads, language="en") as driver:
        driver.downloads = downloads  # type: ignore[attr-defined]
        yield driver


class ConsolePage:
    """A person at the console: opens pages, types into fields by their id, clicks."""

    def __init__(self, driver: WebDriver, base: str, downloads: Path) -> None:
        self.driver = driver
        self.base = base
        self.downloads = downloads

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)

    @property
    def path(self) -> str:
        parts = urlsplit(self.driver.current_url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def element(self, element_id: str) -> WebElement:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.ID, element_id)

    def has(self, element_id: str) -> bool:
        from selenium.webdriver.common.by import By

        return bool(self.driver.find_elements(By.ID, element_id))

    def text(self, element_id: str) -> str:
        return self.element(element_id).text

    def value(self, element_id: str) -> str:
        return str(self.element(element_id).get_attribute("value"))

    def type(self, element_id: str, text: str) -> None:
        field = self.element(element_id)
        field.clear()
        field.send_keys(text)

    def click(self, element_id: str) -> None:
        self.click_element(self.element(element_id))

    def click_element(self, element: WebElement, *, navigates: bool = True) -> None:
        """Click; when it sends a form or follows a link, wait for the next page."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.wait import WebDriverWait

        page = self.driver.find_element(By.TAG_NAME, "html")
        element.click()

        def left(_driver: object) -> bool:
            # The old page's root gone. Mid-navigation chromium may answer "node does not
            # belong to the document" instead of a stale element: gone all the same.
            try:
                page.is_enabled()
            except WebDriverException:
                return True
            return False

        if navigates:
            WebDriverWait(self.driver, 20).until(left)
            WebDriverWait(self.driver, 20).until(
                lambda d: d.execute_script("return document.readyState") == "complete"
            )

    def sign_in(self, username: str = ADMIN, password: str = PASSWORD) -> None:
        self.open("/signin")
        self.type("username", username)
        self.type("password", password)
        self.click("signin")

    def sign_out(self) -> None:
        self.click("signout")

    @property
    def language(self) -> str:
        from selenium.webdriver.common.by import By

        return str(self.driver.find_element(By.TAG_NAME, "html").get_attribute("lang"))

    def main_text(self) -> str:
        return self.text("main")

    def script_ran(self) -> object:
        return self.driver.execute_script(f"return window.{FLAG} || null")

    def images(self) -> int:
        """Images on the page: the console has none, so one is markup someone typed."""
        from selenium.webdriver.common.by import By

        return len(self.driver.find_elements(By.TAG_NAME, "img"))

    def download(self, link_id: str, suffix: str) -> Path:
        self.click_element(self.element(link_id), navigates=False)
        return wait_for_download(self.downloads, suffix)

    def session_cookie(self) -> dict[str, object] | None:
        return self.driver.get_cookie("asistencia_session")


@pytest.fixture
def page(browser: WebDriver, console_server: ConsoleServer) -> ConsolePage:  # noqa: F811
    """The module's browser, nobody signed in, on this test's console."""
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    downloads: Path = browser.downloads  # type: ignore[attr-defined]
    shutil.rmtree(downloads, ignore_errors=True)
    downloads.mkdir()
    browser.get("about:blank")
    return ConsolePage(browser, console_server.url, downloads)
