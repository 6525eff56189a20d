"""Sites against a real PostgreSQL: each kiosk logs in as its own least-privilege role, made
by the product's `create-kiosk-role` code, and syncs through the real engine; sites are
managed with the owner's functions and, once, with `main.py central site …` itself."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select, text

from core.people.employees import EmployeeService
from core.secrets.keys import sealing_key_id
from core.secrets.sealed import open_template
from core.store.models import AuditEntry, Employee, FaceTemplate, ShiftAssignment
from core.store.person_keys import keyring
from core.store.tables import EVENTS
from core.store.types import utcnow
from core.sync.central import CentralDatabase
from core.sync.engine import SyncEngine
from core.sync.inbox import apply_inbox
from core.sync.pull import cursors
from core.sync.site_admin import assign_kiosk, change_members, create_site
from core.sync.sites import local_site
from tests.support.cli import run_main
from tests.support.keys import TEST_KEYS
from tests.support.sync_support import (
    add_employee_centrally,
    kiosk_role,
    kiosk_store,
    record_events,
    unsynced,
)

pytestmark = pytest.mark.postgres
PASSWORD = "site-Passw0rd-1"


def _login(central_url: str, role: str) -> str:
    parts = urlsplit(central_url)
    host = parts.netloc.split("@", 1)[1]
    return parts._replace(netloc=f"{role}:{PASSWORD}@{host}").geturl()


@pytest.fixture
def owner(central_url: str) -> Iterator[CentralDatabase]:
    central = CentralDatabase(central_url)
    yield central
    central.dispose()


class Kiosks:
    """Kiosks by id, each with its role, its own SQLite store and sync engine."""

    def __init__(self, central_url: str, folder: Path, stack: ExitStack) -> None:
        self.central_url, self.folder, self.stack = central_url, folder, stack
        self.engines: dict[str, SyncEngine] = {}

    def add(self, kiosk_id: str) -> SyncEngine:
        role = self.stack.enter_context(kiosk_role(self.central_url, PASSWORD, kiosk_id))
        store = kiosk_store(self.folder / f"{kiosk_id}.db")
        engine = SyncEngine(
            store, CentralDatabase(_login(self.central_url, role)), kiosk_id=kiosk_id
        )
        self.stack.callback(store.dispose)
        self.stack.callback(engine.close)
        self.engines[kiosk_id] = engine
        return engine


@pytest.fixture
def kiosks(central_url: str, tmp_path: Path) -> Iterator[Kiosks]:
    with ExitStack() as stack:
        yield Kiosks(central_url, tmp_path, stack)


def _sync(engine: SyncEngine) -> None:
    result = engine.run_once()
    assert result.ok, result.error


def _codes(engine: SyncEngine) -> set[str]:
    with engine.store.read() as session:
        return set(session.scalars(select(Employee.code)))


def _faces(engine: SyncEngine) -> dict[str, int]:
    """Face templates this kiosk holds and can open (it has the person's key), per code."""
    with engine.store.read() as session:
        rows = session.execute(
            select(
                Employee.code, FaceTemplate.id, FaceTemplate.employee_id, FaceTemplate.vector
            ).join(FaceTemplate, FaceTemplate.employee_id == Employee.id)
        ).all()
        ring = keyring(session, engine.store.keys)
    counts: dict[str, int] = {}
    for code, template_id, employee_id, blob in rows:
        person = ring.get(sealing_key_id(blob))  # type: ignore[arg-type]
        if person is not None and open_template(person, template_id, employee_id, blob):
            counts[code] = counts.get(code, 0) + 1
    return counts


@pytest.fixture
def company(owner: CentralDatabase) -> dict[str, uuid.UUID]:
    """Sites norte and sur; A1 in norte, B1 in sur, AB in both, N in none."""
    people = {
        code: add_employee_centrally(owner, code, templates=2, seed=seed)
        for seed, code in enumerate(("A1", "B1", "AB", "N"), start=1)
    }
    create_site(owner, "norte", "Planta Norte")
    create_site(owner, "sur", "Planta Sur")
    change_members(owner, "norte", ["A1", "AB"], add=True)
    change_members(owner, "sur", ["B1", "AB"], add=True)
    return people


def test_a_kiosk_of_site_a_never_holds_a_template_of_a_site_b_only_employee(
    owner: CentralDatabase, kiosks: Kiosks, company: dict[str, uuid.UUID]
) -> None:
    north, south, everyone = kiosks.add("k-norte"), kiosks.add("k-sur"), kiosks.add("k-all")
    assign_kiosk(owner, "k-norte", "norte")
    assign_kiosk(owner, "k-sur", "sur")
    for engine in (north, south, everyone):
        _sync(engine)
    assert _faces(north) == {"A1": 2, "AB": 2}
    assert _codes(north) == {"A1", "AB"}
    assert _faces(south) == {"B1": 2, "AB": 2}
    # No site: today's behaviour, everyone.
    assert _faces(everyone) == {"A1": 2, "B1": 2, "AB": 2, "N": 2}
    with north.store.read() as session:
        known, site = local_site(session)
    assert known and site is not None and (site.code, site.name) == ("norte", "Planta Norte")
    assert north.status().site is not None and north.status().site.code == "norte"  # type: ignore[union-attr]


def test_moving_an_employee_between_sites_is_reflected_at_the_next_sync(
    owner: CentralDatabase, kiosks: Kiosks, company: dict[str, uuid.UUID]
) -> None:
    north, south = kiosks.add("k-norte"), kiosks.add("k-sur")
    assign_kiosk(owner, "k-norte", "norte")
    assign_kiosk(owner, "k-sur", "sur")
    _sync(north)
    _sync(south)
    # A1 checked in at the north door before moving: that record must stay there.
    [record] = record_events(north.store, company["A1"], 1, "k-norte")
    _sync(north)
    assert unsynced(north.store) == 0

    change_members(owner, "norte", ["A1"], add=False)
    change_members(owner, "sur", ["A1"], add=True)
    moved_out = north.run_once()
    moved_in = south.run_once()
    assert moved_out.ok and moved_in.ok
    assert company["A1"] in moved_out.erased_employees  # the gallery drops them at once
    assert company["A1"] in moved_in.changed_employees
    assert _faces(north) == {"AB": 2}
    assert _faces(south) == {"B1": 2, "AB": 2, "A1": 2}
    with north.store.read() as session:
        kept = session.execute(
            select(Employee.photo_jpeg, Employee.pin_hash).where(Employee.id == company["A1"])
        ).one()
        assert kept == (None, None)  # the row stays for the record, without photo or PIN
        assert session.scalar(select(EVENTS.c.id).where(EVENTS.c.id == record)) == record

    # And back again, with a shift assignment made centrally meanwhile.
    change_members(owner, "sur", ["A1"], add=False)
    change_members(owner, "norte", ["A1"], add=True)
    _sync(north)
    _sync(south)
    assert _faces(north) == {"A1": 2, "AB": 2}
    assert _faces(south) == {"B1": 2, "AB": 2}
    # A1 has no record at the south door: there the row went entirely.
    assert "A1" not in _codes(south)


def test_a_kiosk_moved_to_another_site_drops_the_old_site_and_gets_the_new(
    owner: CentralDatabase, kiosks: Kiosks, company: dict[str, uuid.UUID]
) -> None:
    kiosk = kiosks.add("k1")
    _sync(kiosk)
    assert _faces(kiosk) == {"A1": 2, "B1": 2, "AB": 2, "N": 2}  # no site yet: everyone
    assign_kiosk(owner, "k1", "sur")
    result = kiosk.run_once()
    assert result.ok
    assert _faces(kiosk) == {"B1": 2, "AB": 2}
    assert {company["A1"], company["N"]} <= set(result.erased_employees)
    assign_kiosk(owner, "k1", "norte")
    _sync(kiosk)
    assert _faces(kiosk) == {"A1": 2, "AB": 2}
    assign_kiosk(owner, "k1", None)
    _sync(kiosk)
    assert _faces(kiosk) == {"A1": 2, "B1": 2, "AB": 2, "N": 2}
    assert kiosk.status().site is None and kiosk.status().site_known


def test_someone_enrolled_at_a_door_joins_its_site_and_only_its_site_gets_them(
    owner: CentralDatabase, kiosks: Kiosks, company: dict[str, uuid.UUID]
) -> None:
    door, other_door, south = kiosks.add("k-n1"), kiosks.add("k-n2"), kiosks.add("k-sur")
    assign_kiosk(owner, "k-n1", "norte")
    assign_kiosk(owner, "k-n2", "norte")
    assign_kiosk(owner, "k-sur", "sur")
    EmployeeService(door.store, "k-n1").add("cli:admin", "NEW", "Nueva Persona")
    with door.store.read() as session:
        new_id = session.scalar(select(Employee.id).where(Employee.code == "NEW"))
    assert new_id is not None
    record_events(door.store, new_id, 1, "k-n1")
    _sync(door)
    assert apply_inbox(owner, batch=100, clock=utcnow, keys=TEST_KEYS).outcomes == {"applied": 1}
    _sync(door)
    assert unsynced(door.store) == 0  # accepted, and seen back through the site
    _sync(other_door)
    _sync(south)
    assert "NEW" in _codes(other_door)
    assert "NEW" not in _codes(south)


def test_a_kiosk_change_to_someone_of_another_site_is_refused_by_the_server(
    owner: CentralDatabase, kiosks: Kiosks, company: dict[str, uuid.UUID]
) -> None:
    everyone = kiosks.add("k-all")
    _sync(everyone)  # knows B1 from before it had a site
    assign_kiosk(owner, "k-all", "norte")
    # B1 renamed here just before the kiosk learns that it is in norte now.
    with everyone.store.write() as session:
        b1 = session.get(Employee, company["B1"])
        assert b1 is not None
        b1.name = "Renamed Here"
        b1.sync_pending = True
    _sync(everyone)
    outcome = apply_inbox(owner, batch=100, clock=utcnow, keys=TEST_KEYS).outcomes
    assert outcome == {"rejected": 1}
    with owner.connect() as connection:
        assert connection.scalar(select(Employee.name).where(Employee.id == company["B1"])) == (
            "Employee B1"
        )
        assert connection.scalar(select(func.count()).select_from(ShiftAssignment)) == 0


def test_site_commands_from_the_command_line(
    owner: CentralDatabase, central_url: str, kiosks: Kiosks
) -> None:
    add_employee_centrally(owner, "E1", templates=1, seed=5)
    kiosks.add("entrada")
    env = {"CENTRAL_DATABASE_URL": central_url}
    done = run_main("central", "site", "create", "--code", "norte", "--name", "Norte", env=env)
    assert done.returncode == 0, done.stderr
    again = run_main("central", "site", "create", "--code", "norte", "--name", "X", env=env)
    assert again.returncode == 1 and "site 'norte' already exists" in again.stderr
    bad = run_main("central", "site", "create", "--code", "Norte!", "--name", "X", env=env)
    assert bad.returncode == 2 and "a site code is 1-32 lower-case" in bad.stderr
    joined = run_main("central", "site", "add-employee", "--site", "norte", "--code", "E1", env=env)
    assert joined.returncode == 0 and "E1 joined site norte" in joined.stdout
    unknown = run_main(
        "central", "site", "add-employee", "--site", "norte", "--code", "E1", "ZZ", env=env
    )
    assert unknown.returncode == 1 and "no employee with code 'ZZ'" in unknown.stderr
    nosite = run_main("central", "site", "add-employee", "--site", "sur", "--code", "E1", env=env)
    assert nosite.returncode == 1 and "no site 'sur' in the central database" in nosite.stderr
    assigned = run_main(
        "central", "site", "assign-kiosk", "--kiosk-id", "entrada", "--site", "norte", env=env
    )
    assert assigned.returncode == 0 and "kiosk entrada: site norte" in assigned.stdout
    stranger = run_main(
        "central", "site", "assign-kiosk", "--kiosk-id", "nadie", "--site", "norte", env=env
    )
    assert stranger.returncode == 1 and "no kiosk 'nadie' is registered" in stranger.stderr
    listed = run_main("central", "site", "list", env=env)
    assert listed.returncode == 0
    assert [line.split()[:3] for line in listed.stdout.splitlines() if "norte" in line] == [
        ["norte", "Norte", "1"]
    ]
    assert "entrada" in listed.stdout
    left = run_main(
        "central", "site", "remove-employee", "--site", "norte", "--code", "E1", env=env
    )
    assert left.returncode == 0 and "E1 left site norte" in left.stdout
    with owner.connect() as connection:
        actions = connection.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("site.%"))
        ).all()
    assert sorted(actions) == [
        "site.add_employee",
        "site.assign_kiosk",
        "site.create",
        "site.remove_employee",
    ]


def test_the_site_scoped_pull_reads_by_index(
    owner: CentralDatabase, central_url: str, kiosks: Kiosks, company: dict[str, uuid.UUID]
) -> None:
    """The kiosk's query as its login: revision order by index, members as a hashed set."""
    import psycopg

    kiosks.add("k-norte")
    assign_kiosk(owner, "k-norte", "norte")
    with owner.connect() as connection:
        role = connection.exec_driver_sql(
            "SELECT role_name FROM kiosk_roles WHERE kiosk_id = 'k-norte'"
        ).scalar_one()
    with psycopg.connect(_login(central_url, role)) as connection:
        connection.execute("SET enable_seqscan = off")
        plan = "\n".join(
            str(row[0])
            for row in connection.execute(
                "EXPLAIN SELECT id FROM face_templates WHERE revision > 0 "
                "ORDER BY revision LIMIT 500"
            )
        )
    assert "ix_face_templates_revision" in plan
    assert "hashed SubPlan" in plan or "Hash" in plan


def test_an_idle_kiosk_moves_past_other_sites_changes_and_still_meets_a_newcomer(
    owner: CentralDatabase, kiosks: Kiosks, company: dict[str, uuid.UUID]
) -> None:
    """Its cursors go to each table's horizon (migration 0005), not to the last row it may
    see: otherwise every idle cycle scanned again every newer row of the other sites."""
    north = kiosks.add("k-norte")
    assign_kiosk(owner, "k-norte", "norte")
    _sync(north)
    for seed, code in enumerate(("S1", "S2", "S3"), start=10):
        add_employee_centrally(owner, code, templates=2, seed=seed)
        change_members(owner, "sur", [code], add=True)
    _sync(north)
    with owner.connect() as connection:
        top = {
            name: connection.execute(text(f"SELECT max(revision) FROM {name}")).scalar_one()  # noqa: S608
            for name in ("employees", "face_templates")
        }
    assert {name: cursors(north.store)[name] for name in top} == top
    assert _faces(north) == {"A1": 2, "AB": 2}  # past sur's rows, without them

    change_members(owner, "norte", ["S2"], add=True)  # a newcomer from below the horizon
    _sync(north)
    assert _faces(north) == {"A1": 2, "AB": 2, "S2": 2}
