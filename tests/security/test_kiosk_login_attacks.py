"""A stolen kiosk database login, used as an attacker would, against a real PostgreSQL.

Each test is one attack from issue 11: the attacker holds the role `central create-kiosk-role`
made for kiosk ``k1`` (its password, straight psql) but not the deployment's secrets file.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import numpy as np
import psycopg
import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select, text

from core.attendance.rules import RulesConfig
from core.people.employees import EmployeeService
from core.secrets.keys import PEPPERED_PREFIX, is_sealed
from core.secrets.passwords import verify_secret
from core.secrets.sealed import open_template, seal_template
from core.server.daily_jobs import daily_close
from core.store import tables
from core.store.models import AttendanceEvent, AuditEntry, DailySummary, Employee, SyncChange
from core.store.person_keys import key_for_blob
from core.store.types import utcnow
from core.sync import codec
from core.sync.admin import central_status
from core.sync.central import CentralDatabase
from core.sync.engine import SyncEngine
from core.sync.inbox import apply_inbox
from core.sync.review import decide, held_records
from core.sync.roles import apply_role
from tests.support.cli import run_main
from tests.support.keys import TEST_KEYS
from tests.support.pg import TestPostgres
from tests.support.sync_support import add_employee_centrally, kiosk_role, kiosk_store, vector

pytestmark = pytest.mark.postgres
PASSWORD = "kiosk-Passw0rd-1"
PIN = "4821"


@pytest.fixture
def role(central_url: str) -> Iterator[str]:
    with kiosk_role(central_url, PASSWORD) as name:
        yield name


@pytest.fixture
def owner(central_url: str) -> Iterator[CentralDatabase]:
    central = CentralDatabase(central_url)
    yield central
    central.dispose()


def _login(central_url: str, role: str) -> str:
    parts = urlsplit(central_url)
    host = parts.netloc.split("@", 1)[1]
    return parts._replace(netloc=f"{role}:{PASSWORD}@{host}").geturl()


@pytest.fixture
def kiosk(central_url: str, role: str, tmp_path: Path) -> Iterator[SyncEngine]:
    """The honest kiosk k1, syncing as its role."""
    store = kiosk_store(tmp_path / "k1.db")
    engine = SyncEngine(store, CentralDatabase(_login(central_url, role)), kiosk_id="k1")
    yield engine
    engine.close()
    store.dispose()


def _server_applies(owner: CentralDatabase) -> dict[str, int]:
    return apply_inbox(owner, batch=100, clock=utcnow, keys=TEST_KEYS).outcomes


def _push(url: str, kind: str, rows: list[dict[str, Any]]) -> int:
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT asistencia_push(%s, %s::jsonb)", (kind, json.dumps(rows, default=str))
        ).fetchone()
    assert row is not None
    return int(row[0])


def _employee_change(
    owner: CentralDatabase, employee_id: uuid.UUID, **changes: Any
) -> dict[str, Any]:
    """An inbox row changing a central employee, as the kiosk's outbox would send it."""
    with owner.connect() as connection:
        current = (
            connection.execute(select(tables.EMPLOYEES).where(tables.EMPLOYEES.c.id == employee_id))
            .mappings()
            .one()
        )
    payload = codec.encode(tables.EMPLOYEES, {**current, **changes})
    return {
        "id": str(uuid.uuid4()),
        "kiosk_id": "k1",
        "entity": "employees",
        "entity_id": str(employee_id),
        "operation": "upsert",
        "payload": json.dumps(payload),
        "created_at": utcnow().isoformat(),
    }


def _central_employee(owner: CentralDatabase, employee_id: uuid.UUID) -> Any:
    with owner.connect() as connection:
        return (
            connection.execute(select(tables.EMPLOYEES).where(tables.EMPLOYEES.c.id == employee_id))
            .mappings()
            .one()
        )


def _event(employee_id: uuid.UUID, kiosk_id: str, at: datetime) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "employee_id": str(employee_id),
        "kiosk_id": kiosk_id,
        "kind": "in",
        "occurred_at": at.isoformat(),
        "timezone": "UTC",
        "shift_day": at.date().isoformat(),
        "late_minutes": 0,
        "early_leave_minutes": 0,
        "overtime_minutes": 0,
        "method": "pin",
        "created_at": at.isoformat(),
    }


# --- reading ---------------------------------------------------------------------------------


def test_what_the_login_reads_of_people_is_worthless_without_the_secrets(
    owner: CentralDatabase, kiosk: SyncEngine, central_url: str, role: str
) -> None:
    # A PIN set at the kiosk and a face enrolled centrally, both synced as usual.
    person = add_employee_centrally(owner, "E1", templates=1, seed=3)
    assert kiosk.run_once().ok
    EmployeeService(kiosk.store, "k1").set_pin("cli:admin", "E1", PIN)
    assert kiosk.run_once().ok
    assert _server_applies(owner) == {"applied": 1}
    with psycopg.connect(_login(central_url, role)) as connection:
        pin_hash, photo = connection.execute(
            "SELECT pin_hash, photo_jpeg FROM employees WHERE id = %s", (person,)
        ).fetchone()  # type: ignore[misc]
        (template,) = connection.execute(
            "SELECT vector FROM face_templates WHERE employee_id = %s", (person,)
        ).fetchone()  # type: ignore[misc]
    # The offline guess that took 43 tries before: the right PIN does not open the hash.
    assert pin_hash.startswith(PEPPERED_PREFIX)
    argon2_part = pin_hash.removeprefix(PEPPERED_PREFIX)
    assert not verify_secret(argon2_part, PIN)
    assert not any(verify_secret(argon2_part, guess) for guess in ("0000", "1234", PIN + "0"))
    # ...while the kiosk, with the pepper, still checks it.
    assert verify_secret(argon2_part, TEST_KEYS.pin_secret(person, PIN))
    assert PasswordHasher().check_needs_rehash(argon2_part) is False
    # Photo and template: ciphertext, no JPEG marker, not the float32 vector.
    assert is_sealed(photo) and b"\xff\xd8" not in bytes(photo)[:8]
    assert is_sealed(template)
    assert vector(3000) not in bytes(template)
    np_vector = np.frombuffer(vector(3000), np.float32)
    assert np_vector.tobytes()[:16] not in bytes(template)


def test_the_login_cannot_count_or_list_attendance(
    owner: CentralDatabase, kiosk: SyncEngine, central_url: str, role: str
) -> None:
    person = add_employee_centrally(owner, "E1")
    assert kiosk.run_once().ok
    with psycopg.connect(_login(central_url, role), autocommit=True) as connection:
        for statement in (
            "SELECT count(*) FROM attendance_events",
            "SELECT id FROM attendance_events",
            "SELECT count(id) FROM attendance_corrections",
            "SELECT id FROM audit_log",
            "SELECT count(*) FROM sync_inbox",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement.encode())
    # The one way in: the push function, which tells nothing back but how many went in.
    pushed = _push(_login(central_url, role), "attendance_events", [_event(person, "k1", utcnow())])
    assert pushed == 1


# --- sites -----------------------------------------------------------------------------------


def test_a_login_of_site_a_cannot_read_site_b_or_change_its_own_site(
    owner: CentralDatabase, kiosk: SyncEngine, central_url: str, role: str
) -> None:
    from core.sync.site_admin import assign_kiosk, change_members, create_site

    north = add_employee_centrally(owner, "N1", templates=2, seed=1)
    south = add_employee_centrally(owner, "S1", templates=2, seed=2)
    site_a = create_site(owner, "norte", "Norte")
    site_b = create_site(owner, "sur", "Sur")
    change_members(owner, "norte", ["N1"], add=True)
    change_members(owner, "sur", ["S1"], add=True)
    assign_kiosk(owner, "k1", "norte")
    login = _login(central_url, role)
    with psycopg.connect(login, autocommit=True) as connection:

        def ids(query: str, *params: object) -> set[str]:
            return {str(row[0]) for row in connection.execute(query.encode(), params)}

        # Asked for by id, by join, or all at once: site B's people are not there.
        assert ids("SELECT DISTINCT employee_id FROM face_templates") == {str(north)}
        assert ids("SELECT id FROM face_templates WHERE employee_id = %s", south) == set()
        assert ids("SELECT DISTINCT employee_id FROM person_keys") == {str(north)}
        assert ids("SELECT id FROM employees") == {str(north)}
        assert ids("SELECT employee_id FROM site_employees") == {str(north)}
        assert ids("SELECT code FROM sites") == {"norte"}
        assert ids("SELECT * FROM asistencia_known_employees(%s)", [south]) == {str(south)}
        # Turning row security off is refused, not obeyed.
        connection.execute(b"SET row_security = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(b"SELECT id FROM face_templates")
        connection.execute(b"RESET row_security")
        # And it cannot widen its site: no write on the registry, the sites or memberships.
        for statement, params in (
            ("UPDATE kiosk_roles SET site_id = %s", (site_b,)),
            ("UPDATE kiosk_roles SET site_id = NULL", ()),
            ("SELECT site_id FROM kiosk_roles", ()),
            (
                "INSERT INTO site_employees (id, site_id, employee_id, created_at) "
                "VALUES (%s, %s, %s, now())",
                (uuid.uuid4(), site_a, south),
            ),
            ("UPDATE site_employees SET site_id = %s", (site_b,)),
            ("UPDATE sites SET id = %s", (site_b,)),
            ("DELETE FROM sites", ()),
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement.encode(), params)
    # Nor through the inbox: a face for site B's person sent by site A's login is refused.
    template_id = uuid.uuid4()
    forged = {
        "id": str(uuid.uuid4()),
        "kiosk_id": "k1",
        "entity": "face_templates",
        "entity_id": str(template_id),
        "operation": "upsert",
        "payload": json.dumps(
            codec.encode(
                tables.FACE_TEMPLATES,
                {
                    "id": template_id,
                    "employee_id": south,
                    "model_name": "Dlib",
                    "vector": seal_template(TEST_KEYS, template_id, south, vector(77)),
                    "dim": 128,
                    "quality": 0.9,
                    "source": "camera",
                    "created_at": utcnow(),
                },
            )
        ),
        "created_at": utcnow().isoformat(),
    }
    assert _push(login, "sync_inbox", [forged]) == 1
    assert _server_applies(owner) == {"rejected": 1}
    with owner.connect() as central:
        detail = central.scalar(select(SyncChange.detail).where(SyncChange.id == forged["id"]))
        assert (
            central.scalar(
                select(func.count())
                .select_from(tables.FACE_TEMPLATES)
                .where(tables.FACE_TEMPLATES.c.employee_id == south)
            )
            == 2
        )
    assert "not in site 'norte'" in (detail or "")
    # The honest kiosk's own pull agrees.
    assert kiosk.run_once().ok
    with kiosk.store.read() as session:
        assert set(session.scalars(select(Employee.code))) == {"N1"}


# --- writing as another kiosk ----------------------------------------------------------------


def test_attendance_for_another_kiosk_or_a_far_date_is_held_not_counted(
    owner: CentralDatabase, kiosk: SyncEngine, central_url: str, role: str
) -> None:
    person = add_employee_centrally(owner, "E1")
    assert kiosk.run_once().ok
    now = utcnow()
    url = _login(central_url, role)
    forged = [
        _event(person, "k2", now),  # another kiosk
        _event(person, "k1", now - timedelta(days=400)),  # backdated
        _event(person, "k1", now + timedelta(days=2)),  # in the future
    ]
    honest = _event(person, "k1", now - timedelta(minutes=1))
    assert _push(url, "attendance_events", [*forged, honest]) == 4
    with owner.connect() as connection:
        rows = {
            str(r.id): r
            for r in connection.execute(
                select(AttendanceEvent.id, AttendanceEvent.review, AttendanceEvent.sent_by)
            )
        }
    assert rows[honest["id"]].review is None and rows[honest["id"]].sent_by == role
    reasons = [rows[event["id"]].review for event in forged]
    assert "claims kiosk k2" in reasons[0]
    assert "more than 14 days before it arrived" in reasons[1]
    assert "in the future of the server clock" in reasons[2]
    # central status says so; the daily close counts only the honest record.
    status = central_status(owner)
    assert status.held["attendance_events"] == 3
    daily_close(owner, zone=ZoneInfo("UTC"), rules=RulesConfig(), now=now)
    with owner.connect() as connection:
        records = connection.scalar(select(func.sum(DailySummary.records)))
    assert records == 1
    # An administrator looks and decides; both are audited.
    held = held_records(owner)
    assert {h.id for h in held} == {uuid.UUID(e["id"]) for e in forged}
    decide(
        owner,
        [forged[1]["id"]],
        release=True,
        reason="kiosk was in storage",
        actor="cli:hr",
        kiosk_id="central",
    )
    assert central_status(owner).held["attendance_events"] == 2


def test_inbox_changes_claiming_another_kiosk_are_never_applied(
    owner: CentralDatabase, kiosk: SyncEngine, central_url: str, role: str
) -> None:
    person = add_employee_centrally(owner, "E1", name="Ana Real")
    assert kiosk.run_once().ok
    change = _employee_change(owner, person, name="Taken Over")
    change["kiosk_id"] = "k2"
    assert _push(_login(central_url, role), "sync_inbox", [change]) == 1
    assert _server_applies(owner) == {}
    assert _central_employee(owner, person)["name"] == "Ana Real"
    with owner.connect() as connection:
        held = connection.execute(
            select(SyncChange.review, SyncChange.sent_by, SyncChange.applied_at)
        ).one()
    assert "claims kiosk k2" in held.review and held.sent_by == role and held.applied_at is None


def test_a_planted_pin_or_a_borrowed_face_is_refused(
    owner: CentralDatabase, kiosk: SyncEngine, central_url: str, role: str
) -> None:
    victim = add_employee_centrally(owner, "VICTIM", templates=1, seed=1)
    attacker = add_employee_centrally(owner, "ME", templates=1, seed=2)
    assert kiosk.run_once().ok
    url = _login(central_url, role)
    # 1. A PIN the attacker knows, hashed the old way (no pepper): refused.
    plain = _employee_change(owner, victim, pin_hash=PasswordHasher().hash("1111"))
    # 2. The attacker's own peppered hash copied onto the victim: accepted as a row (it is
    #    peppered) but opens nothing, because the victim's id is inside the HMAC.
    copied_hash = PEPPERED_PREFIX + PasswordHasher().hash(TEST_KEYS.pin_secret(attacker, "2222"))
    copied = _employee_change(owner, victim, pin_hash=copied_hash)
    # 3. The attacker's own sealed template, re-filed under the victim: refused.
    with owner.connect() as connection:
        mine = (
            connection.execute(
                select(tables.FACE_TEMPLATES).where(tables.FACE_TEMPLATES.c.employee_id == attacker)
            )
            .mappings()
            .one()
        )
    borrowed = codec.encode(
        tables.FACE_TEMPLATES, {**mine, "id": uuid.uuid4(), "employee_id": victim}
    )
    face = {
        "id": str(uuid.uuid4()),
        "kiosk_id": "k1",
        "entity": "face_templates",
        "entity_id": borrowed["id"],
        "operation": "upsert",
        "payload": json.dumps(borrowed),
        "created_at": utcnow().isoformat(),
    }
    assert _push(url, "sync_inbox", [plain]) == 1
    outcomes = _server_applies(owner)
    assert outcomes == {"rejected": 1}
    assert _push(url, "sync_inbox", [face]) == 1
    assert _server_applies(owner) == {"rejected": 1}
    assert _push(url, "sync_inbox", [copied]) == 1
    _server_applies(owner)
    stored = _central_employee(owner, victim)["pin_hash"]
    argon2_part = stored.removeprefix(PEPPERED_PREFIX)
    assert not verify_secret(argon2_part, TEST_KEYS.pin_secret(victim, "2222"))
    with owner.connect() as connection:
        details = connection.scalars(
            select(SyncChange.detail).where(SyncChange.status == "rejected")
        ).all()
    assert any("pepper" in (d or "") for d in details)
    assert any("template is not this person's" in (d or "") for d in details)
    with owner.connect() as connection:
        owners = connection.scalars(
            select(tables.FACE_TEMPLATES.c.employee_id).where(
                tables.FACE_TEMPLATES.c.employee_id == victim
            )
        ).all()
    assert len(owners) == 1  # only the victim's own face


def test_a_future_updated_at_does_not_win_later_conflicts(
    owner: CentralDatabase, kiosk: SyncEngine, central_url: str, role: str, tmp_path: Path
) -> None:
    person = add_employee_centrally(owner, "E1", name="Ana Real")
    assert kiosk.run_once().ok
    forged = _employee_change(
        owner, person, name="Forged", updated_at=utcnow() + timedelta(days=365)
    )
    assert _push(_login(central_url, role), "sync_inbox", [forged]) == 1
    assert _server_applies(owner) == {"applied": 1}
    assert _central_employee(owner, person)["updated_at"] <= utcnow()
    # The administrator's fix, made later at the kiosk, is applied, not "stale".
    EmployeeService(kiosk.store, "k1").update("cli:admin", "E1", name="Ana Fixed")
    assert kiosk.run_once().ok
    assert _server_applies(owner) == {"applied": 1}
    assert _central_employee(owner, person)["name"] == "Ana Fixed"


def test_an_unregistered_role_gets_everything_held(
    owner: CentralDatabase, central_url: str
) -> None:
    person = add_employee_centrally(owner, "E1")
    name = f"kiosk_{uuid.uuid4().hex[:8]}"
    apply_role(owner, name, PASSWORD, "k9")
    with psycopg.connect(central_url, autocommit=True) as connection:
        connection.execute("DELETE FROM kiosk_roles WHERE role_name = %s", (name,))
    try:
        _push(_login(central_url, name), "attendance_events", [_event(person, "k9", utcnow())])
        with owner.connect() as connection:
            review = connection.scalar(select(AttendanceEvent.review))
        assert review is not None and "registered for no kiosk" in review
    finally:
        with psycopg.connect(central_url, autocommit=True) as connection:
            connection.execute(f'DROP OWNED BY "{name}"')
            connection.execute(f'DROP ROLE IF EXISTS "{name}"')


def test_a_kiosk_with_another_deployments_secrets_is_stopped_before_it_sends_anything(
    owner: CentralDatabase, central_url: str, role: str, tmp_path: Path
) -> None:
    from core.secrets.keys import DeploymentKeys
    from core.store.database import Store
    from core.store.migrate import migrate

    store = Store.open_sqlite(tmp_path / "other.db", DeploymentKeys.generate())
    migrate(store.engine, keys=store.keys)
    engine = SyncEngine(store, CentralDatabase(_login(central_url, role)), kiosk_id="k1")
    try:
        result = engine.run_once()
    finally:
        engine.close()
        store.dispose()
    assert not result.ok
    assert result.error is not None and "secrets file" in result.error
    with owner.connect() as connection:
        assert connection.scalar(select(Employee.id)) is None


def test_an_administrator_reviews_held_records_from_the_command_line(
    owner: CentralDatabase, kiosk: SyncEngine, central_url: str, role: str
) -> None:
    person = add_employee_centrally(owner, "E1")
    assert kiosk.run_once().ok
    forged = _event(person, "k2", utcnow())
    _push(_login(central_url, role), "attendance_events", [forged])
    env = {"CENTRAL_DATABASE_URL": central_url}
    listed = run_main("central", "review", env=env)
    assert listed.returncode == 0, listed.stderr
    assert forged["id"] in listed.stdout and "claims kiosk k2" in listed.stdout
    status = run_main("central", "status", env=env)
    assert "held for review: 1 attendance events" in status.stdout
    no_reason = run_main("central", "review", "--reject", forged["id"], env=env)
    assert no_reason.returncode != 0 and "--reason" in no_reason.stderr
    done = run_main(
        "central", "review", "--reject", forged["id"], "--reason", "not our kiosk", env=env
    )
    assert done.returncode == 0 and "rejected 1 held record(s)" in done.stdout
    assert "nothing is held" in run_main("central", "review", env=env).stdout
    with owner.connect() as connection:
        actions = connection.scalars(select(AuditEntry.action)).all()
    assert "central.reject" in actions


def test_an_older_central_database_and_its_kiosk_roles_are_brought_under_the_function(
    postgres_server: TestPostgres,
) -> None:
    """Schema 0002 with a kiosk role made by the old create-kiosk-role (INSERT grants) and a
    plain face: after the migration the face is sealed, the old grants are gone, and what the
    role sends is held until it is registered."""
    from alembic import command

    from core.store.migrate import alembic_config

    url = postgres_server.create_database()
    central = CentralDatabase(url)
    config = alembic_config()
    name = f"kiosk_{uuid.uuid4().hex[:8]}"
    person, template = uuid.uuid4(), uuid.uuid4()
    try:
        with central.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0002")
            connection.execute(
                text(
                    "INSERT INTO employees (id, code, name, active, pin_failed_attempts, "
                    "pin_lockout_level, photo_jpeg, created_at, updated_at, sync_pending) "
                    "VALUES (:id, 'OLD', 'Old', true, 0, 0, :photo, now(), now(), false)"
                ),
                {"id": person, "photo": b"\xff\xd8old-photo"},
            )
            connection.execute(
                text(
                    "INSERT INTO face_templates (id, employee_id, model_name, vector, dim, "
                    "quality, source, created_at, sync_pending) VALUES (:id, :person, 'Dlib', "
                    ":v, 128, 0.9, 'photo', now(), false)"
                ),
                {"id": template, "person": person, "v": vector(9)},
            )
            connection.execute(text(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{PASSWORD}'"))
            for statement in (  # what create-kiosk-role granted before 0003
                f'GRANT USAGE ON SCHEMA public TO "{name}"',
                "GRANT INSERT, SELECT (id) ON attendance_events, attendance_corrections, "
                f'audit_log, sync_inbox TO "{name}"',
                f'GRANT SELECT ON employees, face_templates, alembic_version TO "{name}"',
            ):
                connection.execute(text(statement))
        central.migrate(TEST_KEYS)
        with central.connect() as connection:
            blob, photo = connection.execute(
                text(
                    "SELECT t.vector, e.photo_jpeg FROM face_templates t "
                    "JOIN employees e ON e.id = t.employee_id"
                )
            ).one()
            own_key = key_for_blob(connection, TEST_KEYS, person, blob)
        assert is_sealed(blob) and vector(9) not in bytes(blob)
        assert open_template(own_key, template, person, blob) == vector(9)
        assert is_sealed(photo)
        login = _login(url, name)
        with psycopg.connect(login, autocommit=True) as connection:
            for statement in (
                "SELECT count(id) FROM attendance_events",
                "SELECT id FROM sync_inbox",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(statement.encode())
        _push(login, "attendance_events", [_event(person, "k1", utcnow())])
        with central.connect() as connection:
            assert "registered for no kiosk" in (
                connection.scalar(select(AttendanceEvent.review)) or ""
            )
        apply_role(central, name, None, "k1")  # registering it: what it sends now counts
        _push(login, "attendance_events", [_event(person, "k1", utcnow())])
        with central.connect() as connection:
            reviews = connection.scalars(select(AttendanceEvent.review)).all()
        assert sorted(r is None for r in reviews) == [False, True]
    finally:
        central.dispose()
        postgres_server.drop_database(url)
        with psycopg.connect(postgres_server.admin_url, autocommit=True) as connection:
            connection.execute(f'DROP ROLE IF EXISTS "{name}"'.encode())
