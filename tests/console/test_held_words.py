"""A held record says whose it is, what it claims and when, on the console's held records
page and in ``central review``'s listing, in the reader's language: an attendance event
(code, name, kind, the local time it claims), a correction (the record it corrects), an
inbox change (what it would change) and an audit line (its action)."""

from __future__ import annotations

import html
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from core.store.tables import AUDIT, CORRECTIONS, EVENTS
from core.store.tables import SYNC_CHANGES as INBOX
from core.sync.central import CentralDatabase
from tests.console.client import ConsoleClient
from tests.support.cli import run_main
from tests.support.sync_support import add_employee_centrally, event_row

pytestmark = pytest.mark.postgres
HELD = {"sent_by": "kiosk_almacen_x", "review": "dated long ago"}
# 07:58 UTC on a winter day is 08:58 in Madrid: the time the kiosk's record claims.
CLAIMED = datetime(2025, 1, 14, 7, 58, tzinfo=UTC)


def _hold_one_of_each(central: CentralDatabase) -> None:
    ana = add_employee_centrally(central, "E7", "Ana Pérez")
    luis = add_employee_centrally(central, "E8", "Luis Gil")
    now = datetime.now(UTC)
    event = event_row(ana, "almacen-1", CLAIMED) | {"kind": "out", "timezone": "Europe/Madrid"}
    corrected = event_row(luis, "almacen-1", CLAIMED + timedelta(days=1)) | {
        "timezone": "Europe/Madrid"
    }
    newcomer = uuid.uuid4()
    with central.begin() as connection:
        connection.execute(insert(EVENTS).values(**event, received_at=now, **HELD))
        connection.execute(insert(EVENTS).values(**corrected, received_at=now))
        connection.execute(
            insert(CORRECTIONS).values(
                id=uuid.uuid4(),
                event_id=corrected["id"],
                reason="fichó dos veces",
                actor="user:jefe",
                kiosk_id="almacen-1",
                at=now,
                received_at=now + timedelta(seconds=1),
                **HELD,
            )
        )
        connection.execute(
            insert(INBOX).values(
                id=uuid.uuid4(),
                kiosk_id="almacen-1",
                entity="employees",
                entity_id=newcomer,
                operation="upsert",
                payload=json.dumps({"id": str(newcomer), "code": "E9", "name": "Eva Sanz"}),
                created_at=now,
                received_at=now + timedelta(seconds=2),
                **HELD,
            )
        )
        connection.execute(
            insert(AUDIT).values(
                id=uuid.uuid4(),
                at=now,
                actor="user:jefe",
                action="user.unlock",
                kiosk_id="almacen-1",
                received_at=now + timedelta(seconds=3),
                **HELD,
            )
        )


SAYS = {
    "es": [
        "Quién / qué / cuándo",
        "E7 Ana Pérez: salida el 2025-01-14 08:58",
        "corrección del registro de entrada de E8 Luis Gil del 2025-01-15 08:58 "
        "(«fichó dos veces»)",
        "alta del empleado E9 Eva Sanz",
        "línea de auditoría «user.unlock» de user:jefe",
    ],
    "en": [
        "Who / what / when",
        "E7 Ana Pérez: check-out on 2025-01-14 08:58",
        "correction of E8 Luis Gil's check-in on 2025-01-15 08:58 (“fichó dos veces”)",
        "adds employee E9 Eva Sanz",
        "audit line “user.unlock” by user:jefe",
    ],
}


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_held_records_page_says_whose_record_what_and_when(
    admin: ConsoleClient, central: CentralDatabase, language: str
) -> None:
    _hold_one_of_each(central)
    admin.language = language
    page = admin.get("/held")
    assert page.status == 200
    shown = html.unescape(page.text)
    for words in SAYS[language]:
        assert words in shown, words
    assert "attendance_events" not in shown and "sync_inbox" not in shown


def test_central_review_lists_the_same_words(central: CentralDatabase, central_url: str) -> None:
    _hold_one_of_each(central)
    env = {"CENTRAL_DATABASE_URL": central_url, "ASISTENCIA_LANGUAGE": "es"}
    listing = run_main("central", "review", env=env)
    assert listing.returncode == 0, listing.stderr
    for words in SAYS["es"][1:]:
        assert words in listing.stdout, listing.stdout
    as_json = run_main("central", "review", "--json", env=env | {"ASISTENCIA_LANGUAGE": "en"})
    found = {h["what"]: h for h in json.loads(as_json.stdout)}
    assert set(SAYS["en"][1:]) == set(found)
    assert found[SAYS["en"][1]]["at"].startswith("2025-01-14 08:58:00+01:00")
