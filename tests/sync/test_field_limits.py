"""One limit per field, the central one, wherever a value enters (issue 11, item 8).

SQLite does not enforce ``String(n)``; PostgreSQL does. A name longer than the central
column was stored on a kiosk, refused by the server, and the person's records waited
forever ("1 wait for the server to accept new employees"). Now every entry point refuses
such a value with a sentence per field, and the server marks an oversized inbox row
rejected with a sentence (for kiosks that stored one before) instead of failing on it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import String, insert, select, update

from core.attendance.shifts import MAX_SHIFT_NAME_LENGTH, ShiftInput, save_shift
from core.config import Settings
from core.errors import UsageError
from core.people.employees import MAX_CODE_LENGTH, MAX_NAME_LENGTH, EmployeeService
from core.store.limits import max_length, too_long
from core.store.models import AttendanceEvent, Employee, Shift, SyncChange
from core.store.tables import EMPLOYEES, SHIFTS
from core.store.tables import EVENTS as EVENTS_TABLE
from core.sync.central import CentralDatabase
from core.sync.codec import MUTABLE_TABLES, SYNCED_COLUMNS
from core.sync.engine import SyncEngine
from tests.support.cli import run_main
from tests.support.sync_support import central_count, central_ids, kiosk_store, record_events

MakeKiosk = Callable[..., SyncEngine]
LONG_NAME = "María " + "de la Santísima Trinidad " * 5 + "López"  # 136 characters


@pytest.fixture
def central(central_url: str) -> Iterator[CentralDatabase]:
    database = CentralDatabase(central_url)
    yield database
    database.dispose()


@pytest.fixture
def kiosks(tmp_path: Path, central_url: str) -> Iterator[MakeKiosk]:
    made: list[SyncEngine] = []

    def make(name: str = "k1", *, apply_inbox: bool = False) -> SyncEngine:
        engine = SyncEngine(
            kiosk_store(tmp_path / f"{name}.db"),
            CentralDatabase(central_url),
            kiosk_id=name,
            batch_size=500,
            apply_inbox=apply_inbox,
        )
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.close()
        engine.store.dispose()


# --- the limits are the schema's ----------------------------------------------------------


def test_the_limits_are_the_central_columns() -> None:
    assert len(LONG_NAME) > MAX_NAME_LENGTH == max_length(Employee.name) == 120
    assert MAX_CODE_LENGTH == max_length(Employee.code) == 32
    assert MAX_SHIFT_NAME_LENGTH == max_length(Shift.name) == 64
    # The kiosk id a kiosk stamps on what it sends: the setting's limit is the columns'.
    limits = {max_length(AttendanceEvent.kiosk_id), max_length(SyncChange.kiosk_id)}
    setting = [
        m.max_length for m in Settings.model_fields["kiosk_id"].metadata if hasattr(m, "max_length")
    ]
    assert setting == list(limits) == [64]
    # Every text column that travels has a length a check can use (or is Text).
    for table in MUTABLE_TABLES:
        for name in SYNCED_COLUMNS[table.name]:
            kind = table.c[name].type
            if isinstance(kind, String) and type(kind).__name__ == "String":
                assert kind.length, f"{table.name}.{name} has no length"


# --- where values enter --------------------------------------------------------------------


def test_a_name_too_long_is_refused_with_a_sentence_wherever_it_enters(tmp_path: Path) -> None:
    store = kiosk_store(tmp_path / "k.db")
    service = EmployeeService(store, "k1")
    with pytest.raises(UsageError) as refused:
        service.add("cli:test", "E1", LONG_NAME)
    assert str(refused.value) == (
        f"an employee's name is at most {MAX_NAME_LENGTH} characters (this one has "
        f"{len(LONG_NAME)}); shorten it"
    )
    service.add("cli:test", "E1", "Ana")
    with pytest.raises(UsageError, match="at most 120 characters"):
        service.update("cli:test", "E1", name=LONG_NAME)
    with pytest.raises(UsageError, match="1 to 32 characters"):
        service.add("cli:test", "E" * 33, "Otra")
    with pytest.raises(UsageError, match="1 to 32 characters"):
        service.update("cli:test", "E1", new_code="C" * 33)
    nine, five = datetime(2025, 1, 1, 9).time(), datetime(2025, 1, 1, 17).time()
    with pytest.raises(UsageError, match="1 to 64 characters"):
        long_shift = ShiftInput("Turno " * 12, nine, five, frozenset({0}))
        save_shift(store, "cli:test", "k1", None, long_shift)
    with store.read() as session:
        names = session.scalars(select(Employee.name)).all()
    assert names == ["Ana"]
    store.dispose()


def test_the_command_line_refuses_a_long_name_and_keeps_nothing() -> None:
    done = run_main("employees", "add", "--code", "E9", "--name", LONG_NAME)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"asistencia: an employee's name is at most {MAX_NAME_LENGTH} characters" in (
        done.stderr
    )
    listed = run_main("employees", "list")
    assert "E9" not in listed.stdout


def test_too_long_names_the_first_field_over_its_limit() -> None:
    values = {"code": "E1", "name": LONG_NAME}
    assert too_long(EMPLOYEES, values) == (
        f"the employee's name is {len(LONG_NAME)} characters; the central database allows "
        f"at most {MAX_NAME_LENGTH}"
    )
    assert too_long(EMPLOYEES, {"code": "E1", "name": "Ana"}) is None
    assert too_long(SHIFTS, {"name": "x" * 65}) == (
        "the shift's name is 65 characters; the central database allows at most 64"
    )


# --- the server ------------------------------------------------------------------------------


@pytest.mark.postgres
def test_an_oversized_inbox_row_is_rejected_with_a_sentence_and_the_others_apply(
    central: CentralDatabase, kiosks: MakeKiosk
) -> None:
    """A kiosk of an earlier version stored a name the central column cannot hold: the
    server rejects that change with a sentence (shown by ``central status``) instead of
    failing on it, and once the name is shortened on the kiosk the person and their
    records go through."""
    kiosk, server = kiosks("k1"), kiosks("server", apply_inbox=True)
    service = EmployeeService(kiosk.store, "k1")
    person = service.add("cli:test", "L1", "Nombre Corto")
    other = service.add("cli:test", "L2", "Otra Persona")
    # What an earlier kiosk could store (SQLite keeps any length), pending like any change.
    with kiosk.store.write() as session:
        session.execute(
            update(Employee)
            .where(Employee.id == person.id)
            .values(name=LONG_NAME, sync_pending=True)
        )
    record_events(kiosk.store, person.id, 2, "k1")

    assert kiosk.run_once().ok
    result = server.run_once()
    assert result.ok, result.error
    with central.connect() as connection:
        rows = connection.execute(
            select(SyncChange.entity_id, SyncChange.status, SyncChange.detail).where(
                SyncChange.entity == "employees"
            )
        ).all()
    outcome = {entity_id: (status, detail) for entity_id, status, detail in rows}
    assert outcome[other.id][0] == "applied"
    status, detail = outcome[person.id]
    assert status == "rejected", detail
    assert detail == (
        f"the employee's name is {len(LONG_NAME)} characters; the central database allows "
        f"at most {MAX_NAME_LENGTH}; shorten it on the kiosk that made the change"
    )
    assert person.id not in central_ids(central, EMPLOYEES)

    # Fixed where it was made: the shorter name travels, and the records follow.
    service.update("cli:test", "L1", name="María López")
    for engine in (kiosk, server, kiosk):
        assert engine.run_once().ok
    assert person.id in central_ids(central, EMPLOYEES)
    assert central_count(central, EVENTS_TABLE) == 2


@pytest.mark.postgres
def test_a_hand_made_inbox_row_over_any_limit_is_rejected_not_retried(
    central: CentralDatabase, kiosks: MakeKiosk
) -> None:
    server = kiosks("server", apply_inbox=True)
    now = datetime.now(UTC)
    shift_id = uuid.uuid4()
    payload = {
        "id": str(shift_id),
        "name": "Turno de " + "noche " * 20,
        "start_time": "22:00:00",
        "end_time": "06:00:00",
        "weekdays": 31,
        "grace_in_minutes": 5,
        "grace_out_minutes": 0,
        "active": True,
        "seed_key": None,
        "created_at": now.isoformat(),
        "updated_at": now.isoformat(),
    }
    with central.begin() as connection:
        connection.execute(
            insert(SyncChange).values(
                id=uuid.uuid4(),
                kiosk_id="k1",
                entity="shifts",
                entity_id=shift_id,
                operation="upsert",
                payload=json.dumps(payload),
                created_at=now,
            )
        )
    assert server.run_once().ok
    with central.connect() as connection:
        status, detail, applied_at = connection.execute(
            select(SyncChange.status, SyncChange.detail, SyncChange.applied_at)
        ).one()
    assert status == "rejected" and applied_at is not None and detail is not None
    assert detail.startswith("the shift's name is 129 characters; the central database allows")
    with central.connect() as connection:
        assert connection.scalar(select(SHIFTS.c.id).where(SHIFTS.c.id == shift_id)) is None
