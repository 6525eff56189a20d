"""People: the sites, the employees and where each is enrolled, site membership, and the
erasure of a person's biometrics (``core.sync.site_admin``, ``core.sync.central_people``,
``core.sync.admin.erase_biometrics``: the same as ``central site …`` and
``central erase-biometrics``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from console.i18n import say_error
from console.sessions import Session
from console.web import (
    action,
    blocking,
    console_of,
    field,
    language_of,
    redirect,
    render,
    signed_in,
)
from core.errors import AsistenciaError
from core.i18n import text_in
from core.sync.admin import erase_biometrics
from core.sync.central_people import PAGE_SIZE, central_people, central_person
from core.sync.site_admin import change_members, create_site, list_sites

DONE = {
    "site_created": "console.site_created",
    "joined": "console.person_joined",
    "left": "console.person_left",
    "erased": "console.person_erased",
}


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) < 100_000 else 1


async def _people(
    request: Request,
    session: Session,
    *,
    new_site: dict[str, str] | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    services = console_of(request).services
    query = request.query_params
    search, site = query.get("q", "").strip()[:120], query.get("site", "").strip()[:32]
    page = _page_number(query.get("page"))
    people = await blocking(
        central_people,
        services.central,
        search=search,
        site=site or None,
        offset=(page - 1) * PAGE_SIZE,
    )
    sites, unsited = await blocking(list_sites, services.central)
    pages = max((people.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)

    def link(number: int) -> str:
        return "/people?" + urlencode({"q": search, "site": site, "page": number})

    return render(
        request,
        "people.html",
        {
            "people": people.rows,
            "total": people.total,
            "search": search,
            "site": site,
            "sites": sites,
            "unsited": unsited,
            "page": page,
            "pages": pages,
            "previous": link(page - 1) if page > 1 else "",
            "next_page": link(page + 1) if page < pages else "",
            "new_site": new_site or {"code": "", "name": "", "reason": ""},
            "error": error,
            "done": DONE.get(query.get("done", "")),
        },
        session=session,
        status=status,
    )


@signed_in
async def people_page(request: Request, session: Session) -> Response:
    return await _people(request, session)


@action
async def site_create(request: Request, session: Session, form: FormData) -> Response:
    typed = {name: field(form, name) for name in ("code", "name", "reason")}
    try:
        await blocking(
            create_site,
            console_of(request).services.central,
            typed["code"],
            typed["name"],
            reason=typed["reason"],
            actor=session.actor,
        )
    except AsistenciaError as exc:
        error = say_error(language_of(request), exc)
        return await _people(request, session, new_site=typed, error=error, status=400)
    return redirect("/people?done=site_created")


async def _person(
    request: Request,
    session: Session,
    code: str,
    *,
    typed: dict[str, str] | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    services = console_of(request).services
    person = await blocking(central_person, services.central, code)
    sites, _unsited = await blocking(list_sites, services.central)
    context: dict[str, Any] = {
        "person": person,
        "code": code,
        "sites": sites,
        "typed": typed or {},
        "error": error,
        "done": DONE.get(request.query_params.get("done", "")),
    }
    if person is None:
        status = 404
        context["error"] = error or text_in(
            language_of(request), "central.unknown_employee", code=code
        )
    return render(request, "person.html", context, session=session, status=status)


def _person_url(code: str, done: str) -> str:
    return "/people/person?" + urlencode({"code": code, "done": done})


@signed_in
async def person_page(request: Request, session: Session) -> Response:
    code = request.query_params.get("code", "")[:64]
    if not code.strip():
        return redirect("/people")  # no one asked for: the list to choose from
    return await _person(request, session, code)


@action
async def person_sites(request: Request, session: Session, form: FormData) -> Response:
    code = field(form, "code")
    typed = {name: field(form, name) for name in ("site", "reason")}
    add = field(form, "change") != "remove"
    try:
        changed, _unchanged = await blocking(
            change_members,
            console_of(request).services.central,
            typed["site"],
            [code],
            add=add,
            reason=typed["reason"],
            actor=session.actor,
        )
    except AsistenciaError as exc:
        error = say_error(language_of(request), exc)
        return await _person(request, session, code, typed=typed, error=error, status=400)
    del changed
    return redirect(_person_url(code, "joined" if add else "left"))


@action
async def person_erase(request: Request, session: Session, form: FormData) -> Response:
    code = field(form, "code")
    typed = {"erase_reason": field(form, "reason"), "confirm": field(form, "confirm")}
    language = language_of(request)
    services = console_of(request).services
    if typed["confirm"].strip() != code.strip():
        error = text_in(language, "console.erase_confirm_mismatch", code=code)
        return await _person(request, session, code, typed=typed, error=error, status=400)
    try:
        await blocking(
            erase_biometrics,
            services.central,
            code,
            typed["erase_reason"],
            keys=await blocking(services.keys),
            actor=session.actor,
        )
        # This installation takes the new data key epoch now, as every kiosk will.
        await blocking(services.follow_epoch, services.central)
    except AsistenciaError as exc:
        error = say_error(language, exc)
        return await _person(request, session, code, typed=typed, error=error, status=400)
    return redirect(_person_url(code, "erased"))
