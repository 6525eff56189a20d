"""Signing in to the console: the kiosk's sign-in on the central users rows, its lockout and
its one sentence, the session cookie's attributes, and who may not sign in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.store.models import AuditEntry
from core.sync.central import CentralDatabase
from tests.console.client import ConsoleClient
from tests.console.conftest import ADMIN, PASSWORD
from tests.support.cli import run_main
from tests.support.sync_support import kiosk_role

pytestmark = pytest.mark.postgres
REFUSED = "Wrong user name or password, or the account is locked"


def test_an_administrator_signs_in_with_a_secure_session_cookie(
    client: ConsoleClient, central: CentralDatabase
) -> None:
    assert client.get("/fleet").location.startswith("/signin?next=")
    answer = client.sign_in(ADMIN, PASSWORD)
    assert answer.status == 303 and answer.location == "/fleet"
    (session_cookie,) = [c for c in answer.set_cookies() if c.startswith("asistencia_session=")]
    attributes = {part.strip().lower() for part in session_cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite=strict", "path=/"} <= attributes
    page = client.get("/fleet")
    assert page.status == 200 and "Ana" in page.text and 'id="signout"' in page.text
    with central.connect() as connection:
        actions = connection.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.kiosk_id)
        ).all()
    assert (f"user:{ADMIN}", "auth.sign_in", "central") in actions


def test_a_wrong_password_and_an_unknown_user_get_the_same_sentence_and_keep_the_name(
    client: ConsoleClient,
) -> None:
    wrong = client.sign_in(ADMIN, "not-the-password")
    unknown = client.sign_in("nadie", PASSWORD)
    for answer, typed in ((wrong, ADMIN), (unknown, "nadie")):
        assert answer.status == 401
        assert REFUSED in answer.text
        assert f'value="{typed}"' in answer.text  # the user name typed is kept
        assert PASSWORD not in answer.text and "not-the-password" not in answer.text
    assert "asistencia_session" not in client.cookies


def test_the_lockout_refuses_even_the_right_password_in_the_same_words(
    client: ConsoleClient,
) -> None:
    for _ in range(5):  # the lockout_attempts setting's default
        assert client.sign_in(ADMIN, "guess-guess-guess").status == 401
    locked = client.sign_in(ADMIN, PASSWORD)
    assert locked.status == 401 and REFUSED in locked.text
    assert "locked for" not in locked.text  # a guesser learns nothing about the account


def test_a_kiosk_roles_database_credentials_do_not_open_the_console(
    client: ConsoleClient, central_url: str
) -> None:
    password = "Kiosk-Role-Passw0rd"
    with kiosk_role(central_url, password, "entrada") as role:
        answer = client.sign_in(role, password)
    assert answer.status == 401 and REFUSED in answer.text
    assert client.get("/fleet").status == 303


def test_the_sign_in_form_without_its_own_token_changes_nothing(client: ConsoleClient) -> None:
    client.get("/signin")
    forged = client.post(
        "/signin", {"csrf_token": "forged", "username": ADMIN, "password": PASSWORD}
    )
    assert forged.status == 403
    assert "asistencia_session" not in client.cookies


def test_after_sign_in_the_visitor_goes_where_they_were_going_but_never_off_site(
    client: ConsoleClient,
) -> None:
    for target, expected in (("/held", "/held"), ("//evil.example/x", "/fleet")):
        page = client.get(f"/signin?next={target}")
        answer = client.post(
            "/signin",
            {"csrf_token": page.csrf(), "username": ADMIN, "password": PASSWORD, "next": target},
        )
        assert answer.location == expected
        client.cookies.clear()


def _refusal(answer_text: str) -> str:
    return answer_text.split('id="error"', 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_refusal_is_one_sentence_that_names_no_unlock_the_console_lacks(
    client: ConsoleClient, language: str
) -> None:
    client.language = language
    unknown = _refusal(client.sign_in("nadie", PASSWORD).text)
    wrong = _refusal(client.sign_in(ADMIN, "not-the-password").text)
    for _ in range(5):
        client.sign_in(ADMIN, "guess-guess-guess")
    locked = _refusal(client.sign_in(ADMIN, PASSWORD).text)
    assert unknown == wrong == locked
    # The console has no unlock: it does not send HR to "another administrator" for one.
    assert "administrador" not in locked and "administrator" not in locked
    assert "unlock" not in locked and "desbloque" not in locked


def test_central_unlock_admin_lifts_the_lockout_and_is_audited(
    client: ConsoleClient, central: CentralDatabase, central_url: str
) -> None:
    for _ in range(5):
        client.sign_in(ADMIN, "guess-guess-guess")
    assert client.sign_in(ADMIN, PASSWORD).status == 401
    unknown = run_main(
        "central", "unlock-admin", "nadie", env={"CENTRAL_DATABASE_URL": central_url}
    )
    assert unknown.returncode != 0 and "Traceback" not in unknown.stderr
    unlocked = run_main("central", "unlock-admin", ADMIN, env={"CENTRAL_DATABASE_URL": central_url})
    assert unlocked.returncode == 0, unlocked.stderr
    assert f"central administrator {ADMIN} unlocked" in unlocked.stdout
    assert client.sign_in(ADMIN, PASSWORD).status == 303
    with central.connect() as connection:
        audited = connection.execute(
            select(AuditEntry.action, AuditEntry.target_id, AuditEntry.kiosk_id).where(
                AuditEntry.action == "user.unlock"
            )
        ).all()
    assert audited == [("user.unlock", ADMIN, "central")]
