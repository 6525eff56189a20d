"""Records held for review: listed, released or rejected with a reason
(``core.sync.review``, the same as ``central review``)."""

from __future__ import annotations

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
from core.errors import AsistenciaError
from core.i18n import text_in
from core.sync.central_store import CENTRAL_KIOSK_ID
from core.sync.review import decide, held_records

DONE = {"released": "console.held_released", "rejected": "console.held_rejected"}


async def _page(
    request: Request,
    session: Session,
    *,
    chosen: frozenset[str] = frozenset(),
    reason: str = "",
    error: str = "",
    status: int = 200,
) -> Response:
    console = console_of(request)
    zone = console.services.zone
    held = await blocking(held_records, console.services.central, zone=zone)
    language = language_of(request)
    rows = [
        {
            "id": str(h.id),
            "what": say(language, h.what),
            "kiosk_id": h.kiosk_id,
            "sent_by": h.sent_by or "",
            "received_at": h.received_at.astimezone(zone),
            "review": h.review,
        }
        for h in held
    ]
    done = DONE.get(request.query_params.get("done", ""))
    count = request.query_params.get("n", "")
    return render(
        request,
        "held.html",
        {
            "rows": rows,
            "chosen": chosen,
            "reason": reason,
            "error": error,
            "done": done,
            "count": int(count) if count.isdigit() else 0,
        },
        session=session,
        status=status,
    )


@signed_in
async def held_page(request: Request, session: Session) -> Response:
    return await _page(request, session)


@action
async def held_decide(request: Request, session: Session, form: FormData) -> Response:
    ids = [value for value in form.getlist("record") if isinstance(value, str)]
    reason = field(form, "reason").strip()
    release = field(form, "decision") == "release"
    chosen = frozenset(ids)
    if not ids:
        error = text_in(language_of(request), "console.held_choose")
    elif not reason:
        error = text_in(language_of(request), "central.reason_needed")
    else:
        try:
            count = await blocking(
                decide,
                console_of(request).services.central,
                ids,
                release=release,
                reason=reason,
                actor=session.actor,
                kiosk_id=CENTRAL_KIOSK_ID,
            )
        except AsistenciaError as exc:
            error = say_error(language_of(request), exc)
        else:
            return redirect(f"/held?done={'released' if release else 'rejected'}&n={count}")
    return await _page(request, session, chosen=chosen, reason=reason, error=error, status=400)
