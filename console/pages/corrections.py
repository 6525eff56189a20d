"""Corrections: a shift day's records (``core.attendance.log.list_attendance``, as
``attendance list``), a record the person forgot (a missing check-out) entered through the
kiosk's corrections service (``record_manual`` with the instant it should have had, as
``punch --at``), and a wrong record voided (``void``, as ``attendance void``): written
centrally, audited with the signed-in administrator, derived by the server as any arrival."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from console.i18n import say, say_error
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
from core.attendance.log import count_attendance, list_attendance, local_instant, local_today
from core.attendance.outcomes import NotRecorded, Recorded
from core.attendance.rules import Kind
from core.errors import AsistenciaError
from core.i18n import text_in

KINDS = tuple(kind.value for kind in Kind)
ROWS_PER_PAGE = 100  # a company's day is tens of thousands of records: a page at a time
DONE = {"recorded": "console.correction_recorded", "voided": "console.correction_voided"}


async def _page(
    request: Request,
    session: Session,
    *,
    typed: dict[str, str] | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    services = console_of(request).services
    language = language_of(request)
    query = request.query_params
    zone = services.zone
    code = query.get("code", "").strip()[:64]
    try:
        day = date.fromisoformat(query.get("day", "")) if query.get("day") else None
    except ValueError:
        day, error, status = None, text_in(language, "console.bad_date", text=query["day"]), 400
    day = day or local_today(zone)
    total = await blocking(count_attendance, services.store, day, code or None)
    pages = max((total + ROWS_PER_PAGE - 1) // ROWS_PER_PAGE, 1)
    number = query.get("page", "")
    page = min(max(int(number), 1), pages) if number.isdigit() and len(number) < 7 else 1
    rows = await blocking(
        list_attendance,
        services.store,
        zone,
        day,
        code or None,
        limit=ROWS_PER_PAGE,
        offset=(page - 1) * ROWS_PER_PAGE,
    )

    def link(number: int) -> str:
        return "/corrections?" + urlencode({"day": day.isoformat(), "code": code, "page": number})

    context: dict[str, Any] = {
        "day": day.isoformat(),
        "code": code,
        "rows": rows,
        "page": page,
        "pages": pages,
        "previous": link(page - 1) if page > 1 else "",
        "next_page": link(page + 1) if page < pages else "",
        "kinds": KINDS,
        "typed": typed or {"code": code, "at": "", "kind": "out", "reason": ""},
        "error": error,
        "done": DONE.get(query.get("done", "")),
    }
    return render(request, "corrections.html", context, session=session, status=status)


@signed_in
async def corrections_page(request: Request, session: Session) -> Response:
    return await _page(request, session)


def _back(request: Request, done: str, day: str = "", code: str = "") -> Response:
    del request
    return redirect("/corrections?" + urlencode({"day": day, "code": code, "done": done}))


@action
async def correction_add(request: Request, session: Session, form: FormData) -> Response:
    typed = {name: field(form, name) for name in ("code", "at", "kind", "reason")}
    language = language_of(request)
    services = console_of(request).services
    try:
        at = local_instant(typed["at"].replace("T", " "), services.zone)
    except ValueError:
        error = text_in(language, "cli.bad_time", text=typed["at"])
        return await _page(request, session, typed=typed, error=error, status=400)
    if typed["kind"] not in KINDS:
        error = text_in(language, "console.bad_kind")
        return await _page(request, session, typed=typed, error=error, status=400)
    try:
        outcome = await blocking(
            services.attendance().record_manual,
            session.actor,
            typed["code"].strip(),
            typed["reason"],
            at=at,
            kind=Kind(typed["kind"]),
        )
    except AsistenciaError as exc:
        return await _page(
            request, session, typed=typed, error=say_error(language, exc), status=400
        )
    if isinstance(outcome, NotRecorded):
        why = outcome.wording if outcome.wording is not None else outcome.message
        return await _page(request, session, typed=typed, error=say(language, why), status=400)
    assert isinstance(outcome, Recorded)
    return _back(request, "recorded", f"{outcome.shift_day:%Y-%m-%d}", outcome.employee_code)


@action
async def correction_void(request: Request, session: Session, form: FormData) -> Response:
    language = language_of(request)
    reason = field(form, "reason")
    try:
        event_id = uuid.UUID(field(form, "record"))
    except ValueError:
        return await _page(
            request, session, error=text_in(language, "console.bad_record"), status=400
        )
    try:
        await blocking(
            console_of(request).services.attendance().void, session.actor, event_id, reason
        )
    except AsistenciaError as exc:
        return await _page(request, session, error=say_error(language, exc), status=400)
    return _back(request, "voided", field(form, "day"), field(form, "code_filter"))
