"""Signing in and out, and the language switch.

The sign-in is the kiosk's (``AuthService.sign_in`` on the central ``users`` rows): argon2id,
the lockout, one sentence for an unknown user, a wrong password and a locked account, and
an audit line either way. Its form has no session yet, so its CSRF token is a double-submit
cookie of its own, valid for ten minutes on /signin only.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import Response

from console.i18n import LANGUAGE_COOKIE
from console.security import tokens_match
from console.sessions import SESSION_COOKIE, Session
from console.web import (
    action,
    blocking,
    console_of,
    current_session,
    field,
    language_of,
    local_path,
    read_form,
    redirect,
    render,
)
from core.errors import RefusedError
from core.i18n import LANGUAGES, text_in

SIGN_IN_COOKIE = "asistencia_signin"
SIGN_IN_TOKEN_S = 600
ADMIN_ROLE = "admin"
# One sentence for every refusal; the kiosk's own names its Settings page's unlock, which
# the console has not (`central unlock-admin` on the server does it).
REFUSED = "console.sign_in_refused"


def _secure_cookie(
    response: Response, name: str, value: str, *, path: str = "/", max_age: int | None = None
) -> None:
    # Secure always: a reverse proxy with TLS serves it to browsers, and browsers keep a
    # Secure cookie on http://localhost and http://127.0.0.1 too (docs/administer/console.md).
    response.set_cookie(
        name, value, path=path, secure=True, httponly=True, samesite="strict", max_age=max_age
    )


def _sign_in_page(
    request: Request, *, username: str = "", error: str = "", status: int = 200
) -> Response:
    token = secrets.token_urlsafe(32)
    page = render(
        request,
        "signin.html",
        {
            "sign_in_token": token,
            "username": username,
            "error": text_in(language_of(request), error) if error else "",
            "next": local_path(request.query_params.get("next")),
        },
        status=status,
    )
    _secure_cookie(page, SIGN_IN_COOKIE, token, path="/signin", max_age=SIGN_IN_TOKEN_S)
    return page


async def sign_in_form(request: Request) -> Response:
    if await current_session(request) is not None:
        return redirect(local_path(request.query_params.get("next")))
    return _sign_in_page(request)


async def sign_in(request: Request) -> Response:
    form = await read_form(request)
    if form is None:
        return _sign_in_page(request, error="console.form_too_large", status=413)
    username = field(form, "username")
    if not tokens_match(request.cookies.get(SIGN_IN_COOKIE, ""), field(form, "csrf_token")):
        return _sign_in_page(request, username=username, error="console.csrf_refused", status=403)
    console = console_of(request)
    try:
        signed = await blocking(
            console.services.accounts.sign_in, username, field(form, "password")
        )
    except RefusedError:
        return _sign_in_page(request, username=username, error=REFUSED, status=401)
    if signed.role != ADMIN_ROLE or signed.must_change_password:
        # Only central administrators, with a password of their own (`central add-admin`).
        return _sign_in_page(request, username=username, error=REFUSED, status=401)
    accounts = await blocking(console.services.accounts.accounts)
    shown = next((a.display_name for a in accounts if a.username == signed.username), "")
    cookie, _session = console.sessions.create(signed.username, shown or signed.username)
    target = local_path(field(form, "next"))
    response = redirect(target)
    _secure_cookie(response, SESSION_COOKIE, cookie)
    response.delete_cookie(SIGN_IN_COOKIE, path="/signin")
    return response


@action
async def sign_out(request: Request, session: Session, _form: object) -> Response:
    console = console_of(request)
    console.sessions.end(request.cookies.get(SESSION_COOKIE))
    await blocking(console.services.audit, session.actor, "auth.sign_out", target=session.username)
    response = redirect("/signin")
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response


async def switch_language(request: Request) -> Response:
    """The language switch: a preference cookie (no personal data), then back where it was."""
    chosen = request.path_params["language"]
    response = redirect(local_path(request.query_params.get("next")))
    if chosen in LANGUAGES:
        _secure_cookie(response, LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600)
    return response
