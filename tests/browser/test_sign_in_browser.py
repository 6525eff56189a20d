"""Signing in and out of the console in a real chromium, typed and clicked: the lockout's
one sentence, a kiosk's database login refused, the language switch, and the session
cookie replayed after the sign-out."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ConsolePage
from tests.console.conftest import ADMIN, PASSWORD
from tests.support.sync_support import kiosk_role

pytestmark = [pytest.mark.postgres, pytest.mark.browser]
REFUSED = (
    "Wrong user name or password, or the account is locked after too many failed attempts; "
    "try again later or ask whoever runs the server."
)
REFUSED_ES = "Usuario o contraseña incorrectos, o la cuenta está bloqueada por demasiados"


def test_an_administrator_signs_in_and_out(page: ConsolePage) -> None:
    page.open("/held")
    assert page.path.startswith("/signin?next=")  # sent to sign in first
    page.type("username", ADMIN)
    page.type("password", PASSWORD)
    page.click("signin")
    assert page.path == "/held"  # and then where they were going
    assert page.text("nav-held") == "Held records"
    assert "Ana" in page.text("signout-form")
    # The session cookie is out of a script's reach, and kept only for this site.
    cookie = page.session_cookie()
    assert cookie is not None and cookie["httpOnly"] and cookie["secure"]
    assert cookie["sameSite"] == "Strict"
    assert "asistencia_session" not in page.driver.execute_script("return document.cookie")

    page.sign_out()
    assert page.path == "/signin" and page.session_cookie() is None
    page.open("/fleet")
    assert page.path.startswith("/signin")


def test_each_refusal_and_the_lockout_say_the_same_sentence(page: ConsolePage) -> None:
    said = []
    for username, password in [(ADMIN, "not-the-password"), ("nadie", PASSWORD)] + [
        (ADMIN, "guess-guess-guess")
    ] * 4:
        page.sign_in(username, password)
        assert page.path.startswith("/signin")
        said.append(page.text("error"))
        # The name typed stays, the password never does.
        assert page.value("username") == username and page.value("password") == ""
    # Five wrong passwords for ana.admin: now even the right one is refused, alike.
    page.sign_in(ADMIN, PASSWORD)
    said.append(page.text("error"))
    assert said == [REFUSED] * 7
    assert page.session_cookie() is None
    page.open("/fleet")
    assert page.path.startswith("/signin")


def test_a_kiosks_database_login_does_not_open_the_console(
    page: ConsolePage, central_url: str
) -> None:
    password = "Kiosk-Role-Passw0rd"
    with kiosk_role(central_url, password, "entrada") as role:
        page.sign_in(role, password)
        assert page.text("error") == REFUSED
    assert page.session_cookie() is None


def test_the_language_switch_keeps_the_page_and_the_choice(page: ConsolePage) -> None:
    page.open("/signin")
    assert page.language == "en" and page.text("signin") == "Sign in"
    page.click("language-switch")
    assert page.language == "es" and page.text("signin") == "Entrar"
    page.sign_in(ADMIN, "mal")
    assert page.text("error").startswith(REFUSED_ES)  # a refusal in the language chosen
    page.sign_in()
    page.open("/attendance")
    assert page.text("nav-attendance") == "Asistencia"
    page.click("language-switch")
    assert page.path == "/attendance" and page.language == "en"
    assert page.text("nav-attendance") == "Attendance"
    page.open("/people")
    assert page.language == "en"  # the choice holds from page to page


def test_a_session_cookie_replayed_after_sign_out_opens_nothing(page: ConsolePage) -> None:
    page.sign_in()
    stolen = page.session_cookie()
    assert stolen is not None
    page.sign_out()
    page.driver.add_cookie(
        {k: stolen[k] for k in ("name", "value", "path", "secure", "httpOnly", "sameSite")}
    )
    assert page.session_cookie() is not None  # the browser sends the old cookie again
    page.open("/people")
    assert page.path.startswith("/signin?next=")
    assert not page.has("signout")


def test_a_mistyped_address_and_a_reversed_period_are_said_in_the_pages_terms(
    page: ConsolePage,
) -> None:
    page.sign_in()
    page.open("/asistencia")
    assert page.text("refused") == "There is no such page; choose one of those above."
    assert page.has("nav-fleet") and page.has("signout")  # the way on is on the page
    page.click("nav-attendance")
    page.element("from").send_keys("03102026")
    page.element("to").send_keys("03012026")
    page.click("report-show")
    said = page.text("error")
    assert said == "The day in 'To' (2026-03-01) is before the day in 'From' (2026-03-10)."
