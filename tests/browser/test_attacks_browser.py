"""Attacks on the console through a real chromium: a form sent without its CSRF token, and
SQL and HTML typed into every field of every form, shown as typed, stored literally, and no
script run.

The console's Content-Security-Policy forbids inline scripts, which would hide an escaping
mistake from a test that only watches for a script: these tests tell chromium to bypass
the policy (DevTools' ``Page.setBypassCSP``), so markup that reached the page unescaped would
run, and check first that it would. The policy itself is checked in tests/console."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from sqlalchemy import func, insert, select

from core.store.models import AuditEntry
from core.store.tables import CORRECTIONS, EMPLOYEES, EVENTS
from core.sync.central import CentralDatabase
from core.sync.site_admin import create_site, list_sites
from tests.browser.conftest import FLAG, ConsolePage
from tests.support.sync_support import add_employee_centrally, event_row

pytestmark = [pytest.mark.postgres, pytest.mark.browser]

# Markup that sets the flag if a browser ever parses it, inside SQL that would end the
# statement and drop a table if it were ever pasted into one.
PAYLOAD = f"x'\"><img src=x onerror=\"window.{FLAG}=1\">' OR '1'='1'; DROP TABLE sites; --"
SHORT = f"<img src=x onerror=window.{FLAG}=3>"  # a role name's length (63)
NAME = f"Ana <script>window.{FLAG}=2</script><b>Pérez</b>"


@pytest.fixture
def unsafe_page(page: ConsolePage, browser: WebDriver) -> Iterator[ConsolePage]:
    browser.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})
    yield page
    browser.execute_cdp_cmd("Page.setBypassCSP", {"enabled": False})


def loosen(page: ConsolePage, element_id: str) -> None:
    """Lift what the browser checks before sending (an attacker's browser checks nothing):
    required, pattern, length, and the date pickers' own format."""
    page.driver.execute_script(
        """const e = document.getElementById(arguments[0]);
        for (const a of ["required", "pattern", "maxlength", "min", "max"]) e.removeAttribute(a);
        if (e.tagName === "INPUT") e.type = "text";
        if (e.closest("form")) e.closest("form").noValidate = true;""",
        element_id,
    )


def choose(page: ConsolePage, element_id: str, value: str) -> None:
    """Pick ``value`` in a list that does not offer it (an option added, then chosen)."""
    page.driver.execute_script(
        "const o = document.createElement('option'); o.value = o.text = arguments[1];"
        "document.getElementById(arguments[0]).append(o);",
        element_id,
        value,
    )
    listed = Select(page.element(element_id))
    listed.select_by_index(len(listed.options) - 1)
    assert listed.first_selected_option.get_attribute("value") == value


def fill(page: ConsolePage, values: dict[str, str]) -> None:
    for element_id, value in values.items():
        loosen(page, element_id)
        page.type(element_id, value)


def harmless(page: ConsolePage) -> str:
    """The page's text, after checking that nothing typed became markup or ran."""
    assert page.script_ran() is None, page.path
    assert page.images() == 0, page.path
    assert not page.driver.find_elements(By.CSS_SELECTOR, "main script, main b")
    return page.main_text()


def test_markup_that_reaches_a_page_unescaped_would_be_caught(unsafe_page: ConsolePage) -> None:
    unsafe_page.open("/signin")
    unsafe_page.driver.execute_script(
        "document.body.insertAdjacentHTML('beforeend', arguments[0])", PAYLOAD
    )
    unsafe_page.driver.implicitly_wait(0)
    for _ in range(50):
        if unsafe_page.script_ran():
            break
        unsafe_page.driver.execute_script("return 1")
    assert unsafe_page.script_ran() == 1
    assert unsafe_page.images() == 1


def test_a_form_sent_without_its_token_is_refused_and_changes_nothing(
    page: ConsolePage, central: CentralDatabase
) -> None:
    page.sign_in()
    page.open("/people")
    page.driver.execute_script(
        "document.querySelector('#site-form input[name=csrf_token]').remove();"
        "document.querySelector('#site-form').closest('details').open = true;"
    )
    page.type("site-code", "sur")
    page.type("site-name", "Planta Sur")
    page.click("site-create")
    assert "did not come from this console; nothing was changed" in page.text("refused")
    assert list_sites(central) == ([], [])

    # A form another site would make: the right fields, posted here, without a token.
    page.open("/held")
    page.driver.execute_script(
        """document.body.insertAdjacentHTML("beforeend",
          '<form id="forged" method="post" action="/people/sites">' +
          '<input name="code" value="oeste"><input name="name" value="Oeste">' +
          '<button id="forged-send">send</button></form>');"""
    )
    page.click("forged-send")
    assert page.has("refused") and list_sites(central) == ([], [])
    # The sign-out form without its token does not sign out either.
    page.open("/fleet")
    page.driver.execute_script(
        "document.querySelector('#signout-form input[name=csrf_token]').remove()"
    )
    page.click("signout")
    assert page.has("refused")
    page.open("/fleet")
    assert page.path == "/fleet" and page.has("signout")
    # With the page's own token the same form works.
    page.open("/people")
    page.driver.execute_script("document.querySelector('#site-form').closest('details').open = 1")
    page.type("site-code", "sur")
    page.type("site-name", "Planta Sur")
    page.click("site-create")
    assert [s.code for s in list_sites(central)[0]] == ["sur"]


def test_sign_in_fields_take_markup_and_sql_as_text(unsafe_page: ConsolePage) -> None:
    unsafe_page.open("/signin")
    fill(unsafe_page, {"username": PAYLOAD, "password": PAYLOAD})
    unsafe_page.click("signin")
    text = harmless(unsafe_page)
    assert "Wrong user name or password" in text
    assert unsafe_page.value("username") == PAYLOAD
    assert unsafe_page.session_cookie() is None


def test_people_sites_and_a_person_take_markup_and_sql_as_text(
    unsafe_page: ConsolePage, central: CentralDatabase
) -> None:
    page = unsafe_page
    add_employee_centrally(central, "E1", NAME)
    add_employee_centrally(central, "E2", "John Smith")
    page.sign_in()

    # The search: found literally (only the one whose name holds it), shown as typed.
    page.open("/people")
    assert NAME in harmless(page)
    fill(page, {"q": "<script>"})
    page.click("people-find")
    assert page.value("q") == "<script>" and "1 employee" in harmless(page)
    fill(page, {"q": PAYLOAD})
    page.click("people-find")
    assert page.value("q") == PAYLOAD and "0 employee" in harmless(page)
    choose(page, "filter-site", PAYLOAD)
    page.click("people-find")
    harmless(page)

    # A new site: refused with what was typed kept, then made with a name stored as typed.
    page.open("/people")
    page.driver.execute_script("document.querySelector('#site-form').closest('details').open = 1")
    fill(page, {"site-code": PAYLOAD, "site-name": PAYLOAD, "site-reason": PAYLOAD})
    page.click("site-create")
    assert page.has("error")
    harmless(page)
    assert [page.value(f) for f in ("site-code", "site-name", "site-reason")] == [PAYLOAD] * 3
    fill(page, {"site-code": "norte"})
    page.click("site-create")
    assert PAYLOAD in harmless(page)
    (site,) = list_sites(central)[0]
    assert (site.code, site.name) == ("norte", PAYLOAD)

    # One person: the title, the membership form and the erasure form.
    page.open("/people/person?code=E1")
    assert NAME in page.text("person-title")
    harmless(page)
    choose(page, "member-site", PAYLOAD)
    fill(page, {"member-reason": PAYLOAD})
    page.click("member-add")
    assert page.has("error") and page.value("member-reason") == PAYLOAD
    harmless(page)
    Select(page.element("member-site")).select_by_value("norte")
    fill(page, {"member-reason": PAYLOAD})
    page.click("member-add")
    assert page.has("notice") and page.text("person-sites") == "norte"
    harmless(page)
    fill(page, {"erase-reason": PAYLOAD, "erase-confirm": PAYLOAD})
    page.click("erase")
    assert "type exactly the code E1" in page.text("error")
    assert page.value("erase-confirm") == PAYLOAD
    harmless(page)
    page.driver.get(page.base + "/people/person?code=" + PAYLOAD.replace("#", "%23"))
    assert PAYLOAD[:20] in harmless(page)

    with central.connect() as connection:
        reasons = connection.scalars(
            select(AuditEntry.reason).where(AuditEntry.action.like("site.%"))
        ).all()
        assert connection.scalar(select(func.count()).select_from(EMPLOYEES)) == 2
    assert reasons and set(reasons) == {PAYLOAD}


def test_attendance_corrections_and_held_records_take_markup_and_sql_as_text(
    unsafe_page: ConsolePage, central: CentralDatabase
) -> None:
    page = unsafe_page
    employee = add_employee_centrally(central, "E1", NAME)
    held = event_row(employee, "entrada", datetime.now(UTC) - timedelta(days=40))
    held.update(review=PAYLOAD, received_at=datetime.now(UTC), sent_by=SHORT)
    with central.begin() as connection:
        connection.execute(insert(EVENTS).values(**held))
    create_site(central, "norte", "Norte")
    page.sign_in()

    # The period's report: dates and a site that are not.
    page.open("/attendance")
    fill(page, {"from": PAYLOAD, "to": PAYLOAD, "report-site": PAYLOAD})
    page.click("report-show")
    assert page.has("error")
    harmless(page)
    assert page.value("report-site") == PAYLOAD[:32]  # a site code is at most 32

    # A correction: each field wrong in turn, then one recorded with the reason as typed.
    day = (datetime.now(UTC) - timedelta(days=2)).date()
    page.open("/corrections")
    fill(page, {"correction-code": PAYLOAD, "correction-at": PAYLOAD})
    choose(page, "correction-kind", PAYLOAD)
    fill(page, {"correction-reason": PAYLOAD})
    page.click("correction-submit")
    assert page.has("error") and page.value("correction-reason") == PAYLOAD
    harmless(page)
    fill(page, {"correction-at": f"{day}T09:00"})
    page.click("correction-submit")  # the kind still the one added
    assert page.has("error")
    harmless(page)
    Select(page.element("correction-kind")).select_by_value("in")
    page.click("correction-submit")  # the code still the payload
    assert page.has("error") and page.value("correction-code") == PAYLOAD
    harmless(page)
    fill(page, {"correction-code": "E1", "correction-reason": PAYLOAD})
    page.click("correction-submit")
    assert page.has("notice") and NAME in page.text("records-table")
    harmless(page)

    # The day's records: the filter, then the record voided with a reason as typed.
    fill(page, {"day": PAYLOAD, "day-code": PAYLOAD})
    page.click("day-show")
    assert page.has("error")
    harmless(page)
    page.open(f"/corrections?day={day}&code=E1")
    (void_reason,) = page.driver.find_elements(By.CSS_SELECTOR, "#records-table input[name=reason]")
    void_reason.send_keys(PAYLOAD)
    page.click_element(
        page.driver.find_element(By.CSS_SELECTOR, "#records-table form button"), navigates=True
    )
    assert PAYLOAD in page.text("records-table")
    harmless(page)

    # The attendance report lists the name as stored.
    page.open(f"/attendance?from={day}&to={day}&view=records")
    assert NAME in page.text("report-table")
    harmless(page)

    # Held records: the kiosk's words as sent, and a reason as typed.
    page.open("/held")
    assert PAYLOAD in page.text("held-table") and SHORT in page.text("held-table")
    harmless(page)
    page.click_element(page.element(f"choose-{held['id']}"), navigates=False)
    fill(page, {"held-reason": PAYLOAD})
    page.click("held-release")
    assert page.has("notice")
    harmless(page)

    with central.connect() as connection:
        release = connection.scalar(
            select(AuditEntry.reason).where(AuditEntry.action == "central.release")
        )
        void = connection.scalar(select(CORRECTIONS.c.reason))
        manual = connection.scalar(
            select(AuditEntry.reason).where(AuditEntry.action == "attendance.manual")
        )
    assert release == void == manual == PAYLOAD
