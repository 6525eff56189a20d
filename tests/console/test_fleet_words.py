"""The fleet page speaks the page's language all through: a camera's state and the liveness
mode a kiosk reports in words of the catalogue, a disk's sizes in one human format (the
attention sentence's and the column's alike), and counts with their singular."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from core.store.tables import EVENTS, KIOSK_HEARTBEATS
from core.sync.central import CentralDatabase
from tests.console.client import ConsoleClient
from tests.support.sync_support import add_employee_centrally, event_row

pytestmark = pytest.mark.postgres
ROLE = "kiosk_muelle_x"


def _a_kiosk_in_trouble(central: CentralDatabase) -> None:
    from core.sync.roles import apply_role

    apply_role(central, ROLE, None, "muelle")
    now = datetime.now(UTC)
    employee = add_employee_centrally(central, "E1", "Ana Pérez")
    with central.begin() as connection:
        connection.execute(
            insert(KIOSK_HEARTBEATS).values(
                kiosk_id="muelle",
                role_name=ROLE,
                received_at=now - timedelta(seconds=20),
                clock_offset_s=0.2,
                version="2.4.0",
                last_sync_at=now - timedelta(seconds=22),
                records_waiting=0,
                camera="reconnecting",
                model="Dlib",
                liveness="passive",
                disk_free_bytes=734_000_000,
                disk_total_bytes=17_200_000_000,
                sync_interval_s=60,
            )
        )
        held = event_row(employee, "muelle", now - timedelta(days=40))
        connection.execute(
            insert(EVENTS).values(**held, received_at=now, sent_by=ROLE, review="too old")
        )


SAYS: dict[str, dict[str, Any]] = {
    "es": {
        "row": [
            "reconectando",
            "Dlib · pasiva",
            "734 MB de 17,2 GB",
            "cámara sin imagen (reconectando): solo funciona el teclado PIN",
            "disco casi lleno: 734 MB libres de 17,2 GB",
            "1 registro retenido para revisión (página Retenidos)",
        ],
        "caption": "<caption>1 quiosco</caption>",
        "header": "Disco libre<",
        "raw": ["reconnecting", "passive", "streaming", "GiB"],
    },
    "en": {
        "row": [
            "reconnecting",
            "Dlib · passive",
            "734 MB of 17.2 GB",
            "camera down (reconnecting): only the PIN pad works",
            "disk nearly full: 734 MB free of 17.2 GB",
            "1 record held for review (the Held records page)",
        ],
        "caption": "<caption>1 kiosk</caption>",
        "header": "Disk free<",
        "raw": ["GiB", "(s)"],
    },
}


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_fleet_page_says_states_sizes_and_counts_in_the_pages_language(
    admin: ConsoleClient, central: CentralDatabase, language: str
) -> None:
    _a_kiosk_in_trouble(central)
    admin.language = language
    page = html.unescape(admin.get("/fleet").text).replace("\u00a0", " ")
    row = page[page.index('id="kiosk-muelle"') :].split("</tr>", 1)[0]
    for words in SAYS[language]["row"]:
        assert words in row, (words, row)
    assert SAYS[language]["caption"] in page and SAYS[language]["header"] in page
    for raw in SAYS[language]["raw"]:
        assert raw not in page.split("<main", 1)[1], raw
