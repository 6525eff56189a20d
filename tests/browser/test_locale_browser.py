"""A Spanish browser shows the console's dates day first: chromium started for Spanish runs
in a Spanish locale (its date fields' order and Intl's default come from it), not only with
Spanish pages, so the attendance period's fields read dd/mm/aaaa as a Spanish user's do."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.server import ConsoleServer
from tests.console.conftest import ADMIN, PASSWORD
from tests.support.browser import chromium
from tools.harness.chromium import locale_missing

pytestmark = [pytest.mark.postgres, pytest.mark.browser]


@pytest.mark.parametrize(("language", "day"), [("es", "30/11/2026"), ("en", "11/30/2026")])
def test_the_browser_shows_dates_in_its_languages_order(
    console_server: ConsoleServer, tmp_path: Path, language: str, day: str
) -> None:
    assert locale_missing(language) is None, locale_missing(language)
    with chromium(tmp_path, language=language) as driver:
        driver.get(console_server.url + "/signin?next=/attendance")
        driver.find_element("id", "username").send_keys(ADMIN)
        driver.find_element("id", "password").send_keys(PASSWORD)
        driver.find_element("id", "signin").click()
        assert driver.find_element("id", "from").get_attribute("type") == "date"
        assert driver.find_element("tag name", "html").get_attribute("lang") == language
        shown = driver.execute_script(
            "return [Intl.DateTimeFormat().resolvedOptions().locale,"
            " new Date(2026, 10, 30).toLocaleDateString()]"
        )
    assert shown[0].startswith(language) and shown[1] == day, shown
