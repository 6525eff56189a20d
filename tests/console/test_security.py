"""Attacks on the console: forms without their token, a cookie replayed after sign-out,
sessions left idle or open too long, oversized bodies, and the headers every answer has."""

from __future__ import annotations

import pytest

from console.server import ConsoleServer
from core.sync.central import CentralDatabase
from core.sync.site_admin import list_sites
from tests.console.client import ConsoleClient
from tests.console.conftest import ADMIN, FakeClock

pytestmark = pytest.mark.postgres


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    admin: ConsoleClient, central: CentralDatabase
) -> None:
    form = {"code": "norte", "name": "Norte", "reason": ""}
    assert admin.post("/people/sites", form).status == 403
    assert admin.post("/people/sites", {**form, "csrf_token": "x" * 43}).status == 403
    assert list_sites(central) == ([], [])
    done = admin.submit("/people", "/people/sites", form)
    assert done.status == 303
    assert [s.code for s in list_sites(central)[0]] == ["norte"]


def test_a_session_cookie_replayed_after_sign_out_is_refused(
    admin: ConsoleClient, central: CentralDatabase
) -> None:
    stolen = dict(admin.cookies)
    token = admin.get("/people").csrf()
    out = admin.post("/signout", {"csrf_token": token})
    assert out.status == 303 and "asistencia_session" not in admin.cookies
    admin.cookies.update(stolen)
    assert admin.get("/people").location.startswith("/signin")
    replayed = admin.post("/people/sites", {"csrf_token": token, "code": "sur", "name": "Sur"})
    assert replayed.status == 403
    assert list_sites(central) == ([], [])


def test_an_idle_session_ends_and_a_busy_one_ends_at_its_lifetime(
    admin: ConsoleClient, session_clock: FakeClock
) -> None:
    session_clock.advance(14 * 60)
    assert admin.get("/fleet").status == 200  # 14 minutes idle: still signed in
    session_clock.advance(15 * 60 + 1)
    assert admin.get("/fleet").location.startswith("/signin")

    from tests.console.conftest import PASSWORD

    assert admin.sign_in(ADMIN, PASSWORD).status == 303
    for _ in range(12 * 6 + 1):  # a request every 10 minutes for over 12 hours
        session_clock.advance(10 * 60)
        answer = admin.get("/fleet")
    assert answer.location.startswith("/signin")


def test_every_page_forbids_framing_scripts_referrers_and_caching(admin: ConsoleClient) -> None:
    page = admin.get("/people")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-content-type-options"] == "nosniff"
    style = admin.get("/static/console.css")
    assert style.status == 200 and "no-store" not in style.headers.get("cache-control", "")


def test_an_oversized_form_is_refused_before_it_is_read(admin: ConsoleClient) -> None:
    token = admin.get("/people").csrf()
    answer = admin.post("/people/sites", {"csrf_token": token, "name": "x" * 100_000})
    assert answer.status == 413


def test_a_disabled_administrator_is_signed_out_at_the_next_request(
    admin: ConsoleClient, console_server: ConsoleServer
) -> None:
    from console.web import Console

    console: Console = console_server.app.state.console
    accounts = console.services.accounts
    accounts.add_user("cli:test", "otro.admin", "otra-clave-larga", "admin")
    accounts.set_active("cli:test", ADMIN, False)
    assert admin.get("/fleet").location.startswith("/signin")
    assert len(console.sessions) == 0
