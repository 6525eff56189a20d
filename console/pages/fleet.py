"""The fleet page: every registered kiosk, its last heartbeat and what needs a person
(``core.sync.fleet.fleet_status``, the same as ``central fleet``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from console.i18n import say
from console.sessions import Session
from console.web import blocking, console_of, language_of, render, signed_in
from core.i18n import Language, Message
from core.sync.fleet import camera_words, fleet_status, liveness_words, size_words


def _when(value: datetime | None, today: date) -> str:
    """Today's times alone ("11:54"), other days' with their date: the table fits a screen."""
    if value is None:
        return ""
    return f"{value:%H:%M}" if value.date() == today else f"{value:%Y-%m-%d %H:%M}"


def _disk(language: Language, free: int | None, total: int | None) -> str:
    """ "734 MB de 17,2 GB": the sizes as the fleet's own sentences say them, each kept on
    one line (the column may wrap between them: the table fits 1366 px)."""
    if free is None:
        return ""

    def size(count: int) -> str:
        return say(language, size_words(count)).replace(" ", "\u00a0")

    if total is None:
        return size(free)
    return say(language, Message("console.disk_free", free=size(free), total=size(total)))


@signed_in
async def fleet_page(request: Request, session: Session) -> Response:
    console = console_of(request)
    language = language_of(request)
    zone = console.services.zone
    kiosks: list[dict[str, Any]] = []
    now = console.services.clock()
    found = await blocking(fleet_status, console.services.central, now=now)
    today = now.astimezone(zone).date()
    for k in found:
        kiosks.append(
            {
                "kiosk_id": k.kiosk_id,
                "site": k.site or "",
                "joined": k.joined,
                "last_seen": k.last_seen.astimezone(zone) if k.last_seen else None,
                "last_sync_at": k.last_sync_at.astimezone(zone) if k.last_sync_at else None,
                "seen_text": _when(k.last_seen.astimezone(zone) if k.last_seen else None, today),
                "sync_text": _when(
                    k.last_sync_at.astimezone(zone) if k.last_sync_at else None, today
                ),
                "version": k.version,
                "records_waiting": k.records_waiting,
                "camera": say(language, camera_words(k.camera)),
                "model": k.model,
                "liveness": say(language, liveness_words(k.liveness)),
                "disk": _disk(language, k.disk_free_bytes, k.disk_total_bytes),
                "clock_offset_s": k.clock_offset_s,
                "held_records": k.held_records,
                "problems": [say(language, p) for p in k.problems],
            }
        )
    return render(
        request,
        "fleet.html",
        {"kiosks": kiosks},
        session=session,
    )
