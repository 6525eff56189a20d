"""The plumbing every page shares: the language, the signed-in session, CSRF-checked forms,
rendering a template with the page's words, and redirects that stay on this site."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from console.i18n import LANGUAGE_COOKIE, pick_language, translator
from console.security import tokens_match
from console.services import ConsoleServices
from console.sessions import SESSION_COOKIE, Session, Sessions
from core.i18n import Language

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
MAX_FIELDS = 60  # the held records' page posts one field per ticked record
MAX_FIELD_LENGTH = 4000  # a reason is a sentence or two; names are shorter
T = TypeVar("T")

NAV: tuple[tuple[str, str, str], ...] = (
    ("nav-fleet", "/fleet", "console.nav_fleet"),
    ("nav-people", "/people", "console.nav_people"),
    ("nav-attendance", "/attendance", "console.nav_attendance"),
    ("nav-corrections", "/corrections", "console.nav_corrections"),
    ("nav-held", "/held", "console.nav_held"),
)


class Console:
    """What the application holds: the services, the sessions, the templates."""

    def __init__(self, services: ConsoleServices, sessions: Sessions) -> None:
        self.services = services
        self.sessions = sessions
        # Autoescaping on for every template: names and reasons are typed by people.
        env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)
        self.templates = Jinja2Templates(env=env)
        self.templates.env.globals["nav"] = NAV
        self.templates.env.filters["code"] = code_spans


def code_spans(text: object) -> Markup:
    """The catalogue's sentences mark a command as `code`, for the terminal; on a page each
    becomes a <code> element, the rest escaped (names in a sentence are typed by people)."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code span, all of it as text
        return escape(str(text))
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if odd else escape(part)
        for odd, part in ((i % 2 == 1, part) for i, part in enumerate(parts))
    )


def console_of(request: Request) -> Console:
    return request.app.state.console  # type: ignore[no-any-return]


def language_of(request: Request) -> Language:
    return pick_language(
        request.headers.get("accept-language", ""), request.cookies.get(LANGUAGE_COOKIE)
    )


def local_path(target: str | None, fallback: str = "/fleet") -> str:
    """``target`` when it is a path of this site ("/people?q=a"), else ``fallback``: a link
    that sends the visitor elsewhere ("//evil.example", "https://…") is not followed."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    if any(ord(c) < 32 for c in target):
        return fallback
    return target


def sentence(text: str) -> str:
    """Core's refusals are clauses ("wrong user name or password, …") that the command line
    prints after a prefix; on a page each stands alone: a capital and a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    *,
    session: Session | None = None,
    status: int = 200,
) -> HTMLResponse:
    language = language_of(request)
    values: dict[str, Any] = {
        "t": translator(language),
        "lang": language,
        "other_lang": "en" if language == "es" else "es",
        "session": session,
        "csrf": session.csrf if session is not None else "",
        "path": request.url.path,
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    }
    values.update(context or {})
    if isinstance(values.get("error"), str):
        values["error"] = sentence(values["error"])
    return console_of(request).templates.TemplateResponse(request, name, values, status_code=status)


async def blocking(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A core service call (a database round trip, an argon2 hash) off the event loop."""
    return await run_in_threadpool(functools.partial(function, *args, **kwargs))


async def read_form(request: Request) -> FormData | None:
    """The posted form within the limits (no files, a few short fields), else None."""
    try:
        form = await request.form(max_files=0, max_fields=MAX_FIELDS, max_part_size=8192)
    except Exception:  # malformed or over the limits: the same refusal
        return None
    if any(isinstance(v, str) and len(v) > MAX_FIELD_LENGTH for _k, v in form.multi_items()):
        return None
    return form


def field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def current_session(request: Request) -> Session | None:
    console = console_of(request)
    session = console.sessions.get(request.cookies.get(SESSION_COOKIE))
    if session is None:
        return None
    # An account disabled since it signed in (central remove-admin) is signed out now.
    if not await blocking(console.services.accounts.is_active, session.username):
        console.sessions.end_user(session.username)
        return None
    return session


Page = Callable[[Request, Session], Awaitable[Response]]
Action = Callable[[Request, Session, FormData], Awaitable[Response]]


def signed_in(page: Page) -> Callable[[Request], Awaitable[Response]]:
    """A page for signed-in administrators; others go to the sign-in first."""

    @functools.wraps(page)
    async def guarded(request: Request) -> Response:
        session = await current_session(request)
        if session is None:
            return to_sign_in(request)
        return await page(request, session)

    return guarded


def action(handler: Action) -> Callable[[Request], Awaitable[Response]]:
    """A form's POST: a signed-in session and its CSRF token, or nothing changes (403)."""

    @functools.wraps(handler)
    async def guarded(request: Request) -> Response:
        session = await current_session(request)
        if session is None:
            return to_sign_in(request, status=403)
        form = await read_form(request)
        if form is None:
            return refused(request, session, "console.form_too_large", 413)
        if not tokens_match(session.csrf, field(form, "csrf_token")):
            log.warning("console: a form without its session's token was refused")
            return refused(request, session, "console.csrf_refused", 403)
        return await handler(request, session, form)

    return guarded


def to_sign_in(request: Request, status: int = 303) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = "/signin?next=" + quote(local_path(target), safe="")
    if status == 303:
        return redirect(location)
    return render(request, "refused.html", {"why": "console.signed_out"}, status=status)


def refused(request: Request, session: Session | None, key: str, status: int) -> Response:
    return render(request, "refused.html", {"why": key}, session=session, status=status)
