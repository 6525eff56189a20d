"""The console's Starlette application: its routes, its middleware, its error page.

| page | URL |
| --- | --- |
| sign-in, sign-out | ``/signin`` (GET, POST), ``/signout`` (POST) |
| the fleet | ``/fleet`` |
| people: sites, employees, where each is enrolled | ``/people``, ``/people/sites`` (POST) |
| one person: sites, erasure | ``/people/person?code=…``; POST ``/people/person/sites``, |
| | ``/people/person/erase`` |
| attendance for a period | ``/attendance``, ``/attendance/download?format=csv|xlsx`` |
| corrections | ``/corrections``, ``/corrections/add``, ``/corrections/void`` (POST) |
| held records | ``/held``, ``/held/decide`` (POST) |
| the language switch | ``/language/es``, ``/language/en`` |
"""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from console.pages.account import sign_in, sign_in_form, sign_out, switch_language
from console.pages.attendance import attendance_download, attendance_page
from console.pages.corrections import correction_add, correction_void, corrections_page
from console.pages.fleet import fleet_page
from console.pages.held import held_decide, held_page
from console.pages.people import people_page, person_erase, person_page, person_sites, site_create
from console.security import SecurityMiddleware
from console.services import ConsoleServices
from console.sessions import Sessions
from console.web import STATIC, Console, current_session, redirect, render

log = logging.getLogger(__name__)


async def home(request: Request) -> Response:
    return redirect("/fleet" if await current_session(request) is not None else "/signin")


async def failure(request: Request, exc: Exception) -> Response:
    """An unexpected failure (the central database unreachable, a bug): one sentence on the
    page, the details in the log, never a traceback to the browser."""
    log.error("console: %s %s failed", request.method, request.url.path, exc_info=exc)
    return render(request, "refused.html", {"why": "console.failed"}, status=500)


async def no_such_page(request: Request, exc: Exception) -> Response:
    """A mistyped address or a form's address opened as a page: the console's own page,
    with its navigation, instead of a bare "Not Found"."""
    session = await current_session(request)
    status = getattr(exc, "status_code", 404)
    return render(
        request, "refused.html", {"why": "console.not_found"}, session=session, status=status
    )


def build_app(services: ConsoleServices, sessions: Sessions) -> Starlette:
    routes = [
        Route("/", home),
        Route("/signin", sign_in_form, methods=["GET"]),
        Route("/signin", sign_in, methods=["POST"]),
        Route("/signout", sign_out, methods=["POST"]),
        Route("/language/{language}", switch_language),
        Route("/fleet", fleet_page),
        Route("/people", people_page),
        Route("/people/sites", site_create, methods=["POST"]),
        Route("/people/person", person_page),
        Route("/people/person/sites", person_sites, methods=["POST"]),
        Route("/people/person/erase", person_erase, methods=["POST"]),
        Route("/attendance", attendance_page),
        Route("/attendance/download", attendance_download),
        Route("/corrections", corrections_page),
        Route("/corrections/add", correction_add, methods=["POST"]),
        Route("/corrections/void", correction_void, methods=["POST"]),
        Route("/held", held_page),
        Route("/held/decide", held_decide, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityMiddleware)],
        exception_handlers={Exception: failure, 404: no_such_page, 405: no_such_page},
    )
    app.state.console = Console(services, sessions)
    return app
