"""Sync against a real PostgreSQL server: push, pull, the inbox, erasure, the daily jobs."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import psycopg
import pytest
from sqlalchemy import Engine, func, insert, select, text, update
from sqlalchemy.orm import Session

from core.attendance.rules import RulesConfig
from core.people.employees import EmployeeService
from core.recognition.gallery import Gallery
from core.runtime.worker import GALLERY_CHECK_S, FollowedGallery
from core.secrets.sealed import seal_template
from core.server.daily_jobs import daily_close, purge_biometrics
from core.store.models import (
    AuditEntry,
    DailySummary,
    Employee,
    FaceTemplate,
    Shift,
    ShiftAssignment,
    SyncChange,
)
from core.store.person_keys import key_for_sealing
from core.store.tables import EMPLOYEES, EVENTS, SHIFT_ASSIGNMENTS, SHIFTS, TOMBSTONES
from core.store.tables import FACE_TEMPLATES as TEMPLATES
from core.sync import pull as pull_module
from core.sync.admin import erase_biometrics
from core.sync.central import CentralDatabase, lock_revisions
from core.sync.engine import SyncEngine
from core.sync.pull import cursors, pull_all
from core.sync.push import push_all
from seeds import run_all
from seeds.seed_roles import seed_roles
from seeds.seed_turnos import seed_turnos
from tests.support.keys import TEST_KEYS
from tests.support.pg import TestPostgres
from tests.support.sync_support import (
    add_employee_centrally,
    central_count,
    central_ids,
    event_row,
    kiosk_store,
    local_ids,
    record_events,
    unsynced,
    vector,
)

pytestmark = pytest.mark.postgres

MakeKiosk = Callable[..., SyncEngine]


@pytest.fixture
def central(central_url: str) -> Iterator[CentralDatabase]:
    database = CentralDatabase(central_url)
    yield database
    database.dispose()


@pytest.fixture
def kiosks(tmp_path: Path, central_url: str) -> Iterator[MakeKiosk]:
    made: list[SyncEngine] = []

    def make(name: str = "k1", *, apply_inbox: bool = False, batch: int = 500) -> SyncEngine:
        engine = SyncEngine(
            kiosk_store(tmp_path / f"{name}.db"),
            CentralDatabase(central_url),
            kiosk_id=name,
            batch_size=batch,
            apply_inbox=apply_inbox,
        )
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.close()
        engine.store.dispose()


def ok(engine: SyncEngine) -> None:
    result = engine.run_once()
    assert result.ok, result.error


# --- push ----------------------------------------------------------------------------------


def test_the_same_batch_pushed_twice_leaves_one_row_per_record(
    central: CentralDatabase, kiosks: MakeKiosk
) -> None:
    employee = add_employee_centrally(central, "E1")
    kiosk = kiosks()
    ok(kiosk)  # pulls the employee
    ids = record_events(kiosk.store, employee, 120, "k1")
    ok(kiosk)
    assert central_ids(central, EVENTS) == set(ids)
    # As after a crash between the central commit and the local mark: send it all again.
    with kiosk.store.write() as session:
        session.execute(update(EVENTS).values(synced_at=None))
    report = push_all(kiosk.store, central, 50, lambda: datetime.now(UTC), threading.Event())
    assert report.pushed["attendance_events"] == 120
    assert central_count(central, EVENTS) == 120
    assert central_ids(central, EVENTS) == set(ids) == local_ids(kiosk.store, EVENTS)
    assert unsynced(kiosk.store) == 0


def test_records_of_a_kiosk_made_employee_wait_for_the_server(
    central: CentralDatabase, kiosks: MakeKiosk
) -> None:
    kiosk, server = kiosks("k1"), kiosks("server", apply_inbox=True)
    view = EmployeeService(kiosk.store, "k1").add("cli:test", "N1", "Nueva Persona")
    record_events(kiosk.store, view.id, 5, "k1")

    result = kiosk.run_once()
    assert result.ok and result.held_back == 5 and central_count(central, EVENTS) == 0
    assert kiosk.snapshot().note == "5 records wait for the server to accept new employees"
    assert kiosk.status().pending >= 5

    ok(server)  # applies the inbox: the employee exists centrally now
    assert view.id in central_ids(central, EMPLOYEES)
    result = kiosk.run_once()
    assert result.ok and result.held_back == 0 and result.pushed["attendance_events"] == 5
    assert kiosk.snapshot().note is None and kiosk.status().pending == 0
    with central.connect() as connection:
        statuses = connection.execute(select(SyncChange.status)).scalars().all()
    assert set(statuses) == {"applied"}


# --- pull ----------------------------------------------------------------------------------


def test_a_week_offline_catches_up_in_bounded_batches(
    central: CentralDatabase, kiosks: MakeKiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [add_employee_centrally(central, f"P{i:03}", templates=40, seed=i) for i in range(30)]
    with central.begin() as connection:
        lock_revisions(connection)
        shift = connection.execute(select(SHIFTS.c.id)).scalar()
        if shift is None:
            shift = uuid.uuid4()
            connection.execute(
                insert(SHIFTS).values(
                    id=shift,
                    name="Noche",
                    start_time=datetime(2026, 1, 1, 22).time(),
                    end_time=datetime(2026, 1, 1, 6).time(),
                    weekdays=127,
                    grace_in_minutes=5,
                    grace_out_minutes=0,
                    active=True,
                    created_at=datetime.now(UTC),
                    updated_at=datetime.now(UTC),
                    sync_pending=False,
                )
            )
        connection.execute(
            insert(SHIFT_ASSIGNMENTS),
            [
                {
                    "id": uuid.uuid4(),
                    "employee_id": p,
                    "shift_id": shift,
                    "created_at": datetime.now(UTC),
                    "sync_pending": False,
                }
                for p in people
            ],
        )
    sizes: list[int] = []
    fetch = pull_module._fetch

    def counting_fetch(*args: object, **kwargs: object) -> object:
        rows, horizon = fetch(*args, **kwargs)  # type: ignore[arg-type]
        sizes.append(len(rows))
        return rows, horizon

    monkeypatch.setattr(pull_module, "_fetch", counting_fetch)
    kiosk = kiosks(batch=100)
    result = kiosk.run_once()
    assert result.ok, result.error
    assert result.pulled["face_templates"] == 1200 and result.pulled["employees"] == 30
    assert max(sizes) == 100 and len(sizes) >= 14  # 12 template batches, 1 of employees...
    assert local_ids(kiosk.store, TEMPLATES) == central_ids(central, TEMPLATES)
    assert local_ids(kiosk.store, SHIFT_ASSIGNMENTS) == central_ids(central, SHIFT_ASSIGNMENTS)
    with central.connect() as connection:
        top = connection.scalar(select(func.max(TEMPLATES.c.revision)))
    assert cursors(kiosk.store)["face_templates"] == top
    assert result.changed_employees == frozenset(people)
    again = kiosk.run_once()
    assert again.ok and not again.pulled  # nothing new: nothing re-read


def test_a_pulled_row_never_overwrites_a_pending_local_change(
    central: CentralDatabase, kiosks: MakeKiosk
) -> None:
    employee = add_employee_centrally(central, "E1", "Ana")
    kiosk, server = kiosks("k1"), kiosks("server", apply_inbox=True)
    ok(kiosk)
    # A central change and, later, a local one that is not staged yet.
    with central.begin() as connection:
        lock_revisions(connection)
        connection.execute(
            update(EMPLOYEES)
            .where(EMPLOYEES.c.id == employee)
            .values(name="Ana (central)", updated_at=datetime.now(UTC))
        )
    EmployeeService(kiosk.store, "k1").update("cli:test", "E1", name="Ana (kiosk)")
    report = pull_all(kiosk.store, central, 500, "k1", threading.Event())
    assert report.blocked == {"employees": "an employee changed here is still to push"}
    with kiosk.store.read() as session:
        assert session.scalar(select(Employee.name)) == "Ana (kiosk)"
    # Push first, the server applies it (the kiosk's change is newer), then everyone agrees.
    ok(kiosk)
    ok(server)
    ok(kiosk)
    with central.connect() as connection:
        assert connection.scalar(select(EMPLOYEES.c.name)) == "Ana (kiosk)"
    with kiosk.store.read() as session:
        assert session.scalar(select(Employee.name)) == "Ana (kiosk)"
        assert not session.scalar(select(Employee.sync_pending))


def test_an_older_kiosk_change_loses_to_a_newer_central_one(
    central: CentralDatabase, kiosks: MakeKiosk
) -> None:
    employee = add_employee_centrally(central, "E1", "Ana")
    kiosk, server = kiosks("k1"), kiosks("server", apply_inbox=True)
    ok(kiosk)
    EmployeeService(kiosk.store, "k1").update("cli:test", "E1", name="Ana (old kiosk edit)")
    time.sleep(0.01)
    with central.begin() as connection:
        lock_revisions(connection)
        connection.execute(
            update(EMPLOYEES)
            .where(EMPLOYEES.c.id == employee)
            .values(name="Ana (newer, central)", updated_at=datetime.now(UTC))
        )
    ok(kiosk)
    ok(server)
    ok(kiosk)
    with central.connect() as connection:
        assert connection.scalar(select(EMPLOYEES.c.name)) == "Ana (newer, central)"
        assert (
            connection.scalar(select(SyncChange.status).where(SyncChange.entity == "employees"))
            == "stale"
        )
    with kiosk.store.read() as session:
        assert session.scalar(select(Employee.name)) == "Ana (newer, central)"


# --- erasure -------------------------------------------------------------------------------


def _gallery(kiosk: SyncEngine) -> Gallery[uuid.UUID]:
    """As the recognition worker builds it: sealed templates opened with the kiosk's keys."""
    from core.people.faces import load_gallery

    return load_gallery(kiosk.store, "Dlib", 128)[0]


def test_a_central_erasure_removes_the_person_from_the_kiosk_gallery(
    central: CentralDatabase, kiosks: MakeKiosk
) -> None:
    erased = add_employee_centrally(central, "ERASE", templates=3, seed=1)
    kept = add_employee_centrally(central, "KEEP", templates=3, seed=2)
    kiosk = kiosks()
    ok(kiosk)
    gallery = _gallery(kiosk)
    probe = np.frombuffer(vector(1000), np.float32)
    assert gallery.match(probe).key == erased

    assert (
        erase_biometrics(
            central, "ERASE", "asked to be forgotten", keys=TEST_KEYS, actor="cli:test"
        )
        == 3
    )
    result = kiosk.run_once()
    assert result.ok and result.erased_employees == {erased}
    assert result.changed_employees == frozenset()
    gallery = _gallery(kiosk)  # as the recognition worker's gallery follows the store
    with kiosk.store.read() as session:
        owners = set(session.scalars(select(FaceTemplate.employee_id)))
        person = session.get(Employee, erased)
        assert person is not None and person.photo_jpeg is None and person.consent_at is None
        assert person.biometrics_erased_at is not None
    assert owners == {kept}
    assert gallery.match(probe).key != erased and erased not in set(gallery.keys())
    with central.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(TOMBSTONES)) == 1
        audit = connection.execute(select(AuditEntry.action, AuditEntry.reason)).one()
    assert audit == ("employee.erase_biometrics", "asked to be forgotten")


def test_what_a_pull_changes_reaches_recognition_at_the_next_gallery_check(
    central: CentralDatabase, kiosks: MakeKiosk
) -> None:
    """The recognition worker's gallery follows the kiosk's store after a pull, with no
    word from the sync engine: a newcomer, and a deactivation made centrally before a
    change made here (a pull keeps the central times, older than the local one)."""
    ana = add_employee_centrally(central, "E1", templates=2, seed=1)
    kiosk = kiosks()
    ok(kiosk)
    followed = FollowedGallery(lambda: kiosk.store)
    gallery, _people = followed.load("Dlib", 128, now=0.0)
    ana_face, luis_face = (np.frombuffer(vector(seed), np.float32) for seed in (1000, 2000))
    assert gallery.match(ana_face).key == ana

    luis = add_employee_centrally(central, "E2", templates=2, seed=2)
    ok(kiosk)
    fresh = followed.changed("Dlib", 128, now=GALLERY_CHECK_S)
    assert fresh is not None
    gallery, people = fresh
    assert gallery.match(luis_face).key == luis and people[luis][0] == "E2"

    with central.begin() as connection:
        lock_revisions(connection)
        connection.execute(
            update(EMPLOYEES)
            .where(EMPLOYEES.c.id == ana)
            .values(active=False, updated_at=datetime.now(UTC))
        )
    EmployeeService(kiosk.store, "k1").add("cli:test", "L1", "Hired Here")
    assert followed.changed("Dlib", 128, now=2 * GALLERY_CHECK_S) is not None  # L1 seen
    ok(kiosk)
    with kiosk.store.read() as session:
        person, newest = session.get(Employee, ana), session.scalar(func.max(Employee.updated_at))
        assert person is not None and not person.active and person.updated_at < newest
    fresh = followed.changed("Dlib", 128, now=3 * GALLERY_CHECK_S)
    assert fresh is not None
    gallery, _people = fresh
    assert ana not in set(gallery.keys()) and gallery.match(luis_face).key == luis


def test_a_kiosk_erasure_reaches_the_central_database_and_other_kiosks(
    central: CentralDatabase, kiosks: MakeKiosk
) -> None:
    person = add_employee_centrally(central, "E9", templates=2, seed=9)
    one, two, server = kiosks("k1"), kiosks("k2"), kiosks("server", apply_inbox=True)
    ok(one)
    ok(two)
    EmployeeService(one.store, "k1").erase_biometrics("cli:test", "E9", "consent withdrawn")
    ok(one)
    ok(server)
    assert central_count(central, TEMPLATES) == 0
    result = two.run_once()
    assert result.ok and result.erased_employees == {person}
    assert local_ids(two.store, TEMPLATES) == set()


def test_templates_pushed_late_after_an_erasure_are_refused_and_purged(
    central: CentralDatabase, kiosks: MakeKiosk
) -> None:
    person = add_employee_centrally(central, "E5", templates=1, seed=5)
    offline, server = kiosks("offline"), kiosks("server", apply_inbox=True)
    ok(offline)
    with offline.store.write() as session:  # enrolled while offline, before the erasure
        late_id = uuid.uuid4()
        session.add(
            FaceTemplate(
                id=late_id,
                employee_id=person,
                model_name="Dlib",
                vector=seal_template(
                    key_for_sealing(session, TEST_KEYS, person), late_id, person, vector(55)
                ),
                dim=128,
                created_at=datetime.now(UTC) - timedelta(minutes=5),
            )
        )
    erase_biometrics(central, "E5", "erased centrally", keys=TEST_KEYS, actor="cli:test")
    ok(offline)  # pushes the template, then pulls the erasure
    ok(server)
    assert central_count(central, TEMPLATES) == 0
    with central.connect() as connection:
        status = connection.scalar(
            select(SyncChange.status).where(SyncChange.entity == "face_templates")
        )
        revision_before = connection.scalar(select(func.max(TOMBSTONES.c.revision)))
    assert status == "rejected"
    assert local_ids(offline.store, TEMPLATES) == set()

    # A template that slipped in anyway (an old kiosk version writing directly): purged,
    # and the tombstone is touched so every kiosk applies the erasure again.
    with central.begin() as connection:
        lock_revisions(connection)
        connection.execute(
            insert(TEMPLATES).values(
                id=uuid.uuid4(),
                employee_id=person,
                model_name="Dlib",
                vector=vector(56),
                dim=128,
                quality=0.5,
                source="camera",
                created_at=datetime.now(UTC) - timedelta(minutes=10),
                sync_pending=False,
            )
        )
    report = purge_biometrics(central, keys=TEST_KEYS, now=datetime.now(UTC))
    assert report.templates_deleted == 1 and report.people_purged == 1
    assert central_count(central, TEMPLATES) == 0
    with central.connect() as connection:
        assert connection.scalar(select(func.max(TOMBSTONES.c.revision))) > revision_before


def test_retention_erases_people_deactivated_for_longer_than_the_setting(
    central: CentralDatabase,
) -> None:
    old = add_employee_centrally(central, "OLD", templates=2, seed=3)
    recent = add_employee_centrally(central, "NEW", templates=2, seed=4)
    with central.begin() as connection:
        lock_revisions(connection)
        for person, days in ((old, 40), (recent, 5)):
            connection.execute(
                update(EMPLOYEES)
                .where(EMPLOYEES.c.id == person)
                .values(active=False, updated_at=datetime.now(UTC) - timedelta(days=days))
            )
    report = purge_biometrics(central, keys=TEST_KEYS, now=datetime.now(UTC), retention_days=30)
    assert report.retention_erased == 1
    with central.connect() as connection:
        owners = set(connection.scalars(select(TEMPLATES.c.employee_id)))
        erased = connection.execute(
            select(EMPLOYEES.c.code, EMPLOYEES.c.photo_jpeg).where(
                EMPLOYEES.c.biometrics_erased_at.is_not(None)
            )
        ).all()
        actor = connection.scalar(select(AuditEntry.actor))
    assert owners == {recent} and erased == [("OLD", None)] and actor == "server:retention"
    assert (
        purge_biometrics(
            central, keys=TEST_KEYS, now=datetime.now(UTC), retention_days=30
        ).retention_erased
        == 0
    )


# --- conflicts -----------------------------------------------------------------------------


def test_an_employee_code_taken_centrally_is_a_recorded_conflict_not_a_crash(
    central: CentralDatabase, kiosks: MakeKiosk
) -> None:
    add_employee_centrally(central, "E7", "Central Person")
    kiosk, server = kiosks("k1"), kiosks("server", apply_inbox=True)
    local = EmployeeService(kiosk.store, "k1").add("cli:test", "E7", "Kiosk Person")
    record_events(kiosk.store, local.id, 2, "k1")
    ok(kiosk)  # pushes E7 (conflict later), pulls the central E7: the local one is renamed
    ok(server)
    with central.connect() as connection:
        status, detail = connection.execute(
            select(SyncChange.status, SyncChange.detail).where(SyncChange.entity == "employees")
        ).one()
    assert status == "conflict" and detail is not None
    assert "E7" in detail and "another employee" in detail
    with kiosk.store.read() as session:
        codes = dict(session.execute(select(Employee.id, Employee.code)).all())
        conflict_audit = session.scalar(
            select(AuditEntry.action).where(AuditEntry.action == "employee.code_conflict")
        )
    assert codes[local.id].startswith("E7~") and conflict_audit is not None
    # Under its new code the kiosk's person goes up, and so do their records.
    ok(kiosk)
    ok(server)
    ok(kiosk)
    assert local.id in central_ids(central, EMPLOYEES)
    assert central_count(central, EVENTS) == 2 and unsynced(kiosk.store) == 0


def test_seeded_shifts_of_a_kiosk_merge_into_the_central_ones(
    central: CentralDatabase, kiosks: MakeKiosk
) -> None:
    with Session(central.engine) as session, session.begin():  # as the headless server does
        lock_revisions(session.connection())
        seed_roles(session)
        seed_turnos(session)
    kiosk, server = kiosks("k1"), kiosks("server", apply_inbox=True)
    run_all(kiosk.store, "k1")
    person = add_employee_centrally(central, "E1")
    ok(kiosk)
    EmployeeService(kiosk.store, "k1").assign_shift("cli:test", "E1", "Noche")
    ok(kiosk)
    ok(server)
    ok(kiosk)
    with central.connect() as connection:
        central_shifts = dict(connection.execute(select(SHIFTS.c.name, SHIFTS.c.id)).all())
        assigned = connection.scalar(
            select(SHIFT_ASSIGNMENTS.c.shift_id).where(SHIFT_ASSIGNMENTS.c.employee_id == person)
        )
        superseded = connection.scalar(
            select(func.count()).where(SyncChange.status == "superseded")
        )
    with kiosk.store.read() as session:
        local_shifts = dict(session.execute(select(Shift.name, Shift.id)).all())
        local_assignment = session.scalar(select(ShiftAssignment.shift_id))
    assert local_shifts == central_shifts and len(central_shifts) == 4
    assert assigned == central_shifts["Noche"] == local_assignment
    assert (superseded or 0) >= 4  # the kiosk's own seeded copies


# --- revisions -----------------------------------------------------------------------------


def test_revisions_become_visible_in_the_order_they_were_given(central: CentralDatabase) -> None:
    first = add_employee_centrally(central, "R1")
    second = add_employee_centrally(central, "R2")
    url = central.engine.url.render_as_string(hide_password=False).replace("+psycopg", "")
    holder = psycopg.connect(url)
    holder.execute("UPDATE employees SET name = 'one' WHERE id = %s", (first,))
    one = holder.execute("SELECT revision FROM employees WHERE id = %s", (first,)).fetchone()
    done = threading.Event()
    got: list[int] = []

    def later_writer() -> None:
        with psycopg.connect(url, autocommit=True) as connection:
            row = connection.execute(
                "UPDATE employees SET name = 'two' WHERE id = %s RETURNING revision", (second,)
            ).fetchone()
            assert row is not None
            got.append(int(row[0]))
        done.set()

    thread = threading.Thread(target=later_writer)
    thread.start()
    # The second writer waits for the first transaction: it cannot take a revision that
    # would be visible before the first one's.
    assert not done.wait(0.5)
    holder.commit()
    holder.close()
    thread.join(10)
    assert done.is_set() and one is not None and got[0] > one[0]


def test_sqlite_has_the_revision_column_but_no_trigger(tmp_path: Path) -> None:
    store = kiosk_store(tmp_path / "k.db")
    try:
        with store.write() as session:
            session.add(Employee(code="E1", name="Ana"))
        with store.read() as session:
            assert session.scalar(select(Employee.revision)) is None
            tables = set(
                session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
            )
        assert {"sync_inbox", "daily_summaries"} <= tables
    finally:
        store.dispose()


def test_a_central_schema_of_another_revision_is_a_clear_sentence(
    postgres_server: TestPostgres, tmp_path: Path
) -> None:
    from alembic import command

    from core.store.migrate import alembic_config

    url = postgres_server.create_database()
    central = CentralDatabase(url)
    try:
        config = alembic_config()
        with central.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
        engine = SyncEngine(kiosk_store(tmp_path / "k.db"), central, kiosk_id="k1")
        result = engine.run_once()
        assert not result.ok and not result.unreachable
        assert result.error is not None and "revision 0001" in result.error
        assert "central migrate" in result.error
        assert central.migrate(TEST_KEYS).changed
        assert engine.run_once().ok
        engine.store.dispose()
    finally:
        central.dispose()
        postgres_server.drop_database(url)


# --- daily close ---------------------------------------------------------------------------


def test_the_daily_close_summarises_days_and_flags_missing_checkouts(
    central: CentralDatabase,
) -> None:
    zone = ZoneInfo("Europe/Madrid")
    person = add_employee_centrally(central, "D1")
    day1, day2 = date(2026, 3, 2), date(2026, 3, 3)

    def at(day: date, hour: int) -> datetime:
        return datetime(day.year, day.month, day.day, hour, tzinfo=zone).astimezone(UTC)

    rows = [
        {**event_row(person, "k1", at(day1, 9)), "shift_day": day1, "kind": "in"},
        {**event_row(person, "k1", at(day1, 17)), "shift_day": day1, "kind": "out"},
        {**event_row(person, "k1", at(day2, 9)), "shift_day": day2, "kind": "in"},
    ]
    with central.begin() as connection:
        connection.execute(insert(EVENTS), [{**r, "synced_at": datetime.now(UTC)} for r in rows])
    now = at(date(2026, 3, 10), 12)
    first = daily_close(central, zone=zone, rules=RulesConfig(), now=now)
    second = daily_close(central, zone=zone, rules=RulesConfig(), now=now)
    assert first.summaries == 2 and first.missing_checkouts == 1
    assert second.summaries == 2  # idempotent: the same rows again
    with central.connect() as connection:
        summaries = connection.execute(
            select(
                DailySummary.shift_day, DailySummary.worked_minutes, DailySummary.missing_checkout
            ).order_by(DailySummary.shift_day)
        ).all()
    assert [tuple(s) for s in summaries] == [(day1, 480, False), (day2, 0, True)]


# --- payloads ------------------------------------------------------------------------------


def test_a_bad_inbox_row_is_rejected_and_the_others_still_apply(
    central: CentralDatabase, kiosks: MakeKiosk
) -> None:
    server = kiosks("server", apply_inbox=True)
    now = datetime.now(UTC)
    with central.begin() as connection:
        connection.execute(
            insert(SyncChange),
            [
                {
                    "id": uuid.uuid4(),
                    "kiosk_id": "evil",
                    "entity": "users",
                    "entity_id": uuid.uuid4(),
                    "operation": "upsert",
                    "payload": "{}",
                    "created_at": now,
                },
                {
                    "id": uuid.uuid4(),
                    "kiosk_id": "k1",
                    "entity": "employees",
                    "entity_id": uuid.uuid4(),
                    "operation": "upsert",
                    "payload": json.dumps({"id": "not-a-uuid"}),
                    "created_at": now,
                },
            ],
        )
    result = server.run_once()
    assert result.ok and result.inbox == {"rejected": 2}


def test_the_bench_hooks_run_on_their_own_scratch_databases(
    postgres_server: TestPostgres,
) -> None:
    from tools.bench.sync_bench import bench_pull_templates, bench_push

    assert 0 < bench_push(postgres_server.admin_url, n=300, batch=100) < 60
    assert 0 < bench_pull_templates(postgres_server.admin_url, n=300, batch=100) < 60


# --- the migration -------------------------------------------------------------------------


def _differences(engine: Engine) -> list[object]:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from core.store.models import Base

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_the_models_and_the_migrations_agree_on_both_databases(
    central: CentralDatabase, tmp_path: Path
) -> None:
    store = kiosk_store(tmp_path / "k.db")
    try:
        assert _differences(store.engine) == []
    finally:
        store.dispose()
    assert _differences(central.engine) == []


def test_migration_0002_numbers_existing_rows_and_goes_back_down(
    postgres_server: TestPostgres,
) -> None:
    from alembic import command

    from core.store.migrate import alembic_config

    url = postgres_server.create_database()
    central = CentralDatabase(url)
    config = alembic_config()
    try:
        with central.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
            connection.execute(
                text(
                    "INSERT INTO employees (id, code, name, active, pin_failed_attempts, "
                    "pin_lockout_level, created_at, updated_at, sync_pending) VALUES "
                    "(gen_random_uuid(), 'OLD', 'Old', true, 0, 0, now(), now(), false)"
                )
            )
        central.migrate(TEST_KEYS)
        with central.connect() as connection:
            assert connection.scalar(select(EMPLOYEES.c.revision)) is not None
        with central.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
        assert central.schema_revision() == "0001"
        assert central.migrate(TEST_KEYS).changed
    finally:
        central.dispose()
        postgres_server.drop_database(url)
