"""Erasure that leaves nothing usable: per-person keys and the erasure ratchet (issue 22, item 4).

After ``central erase-biometrics``, VACUUM and CHECKPOINT the person's old ciphertext may
still lie in PostgreSQL's table files, its WAL and any backup taken before: these tests look
for it there and in a copy of the rows taken before the erasure (a backup), and try to open
every copy with the secrets every party holds afterwards. Nothing opens: the person's key was
wrapped only under data keys of epochs that everyone has moved past. The other people's faces
still open everywhere, on a kiosk that was offline during the erasure and on a new one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import psycopg
import pytest
from sqlalchemy import select, text

from core.context import AppContext
from core.errors import StoreError
from core.people.employees import EmployeeService
from core.people.faces import FaceEnrollment, employee_photo, load_gallery
from core.recognition.config import RecognitionConfig
from core.secrets.keys import DeploymentKeys, PersonKey, SealError
from core.secrets.sealed import open_photo, open_template
from core.secrets.secrets_file import Secrets, read_secrets, write_secrets
from core.store.database import Store
from core.store.deployment import claim_deployment, move_to_epoch, recorded_deployment
from core.store.migrate import migrate
from core.store.models import SyncChange
from core.store.person_keys import keyring
from core.store.tables import EMPLOYEES, FACE_TEMPLATES, PERSON_KEYS
from core.sync.admin import erase_biometrics
from core.sync.central import CentralDatabase
from core.sync.engine import SyncEngine
from tests.support.keys import TEST_KEYS
from tests.support.pg import TestPostgres
from tests.support.sync_support import kiosk_store

DIM = 128
MakeKiosk = Callable[..., SyncEngine]


def face(seed: int) -> np.ndarray[Any, np.dtype[np.float32]]:
    vector = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return cast("np.ndarray[Any, np.dtype[np.float32]]", vector / np.linalg.norm(vector))


def photo(seed: int) -> bytes:
    # Distinctive and incompressible, under PostgreSQL's TOAST threshold: stored as is.
    return b"\xff\xd8\xff\xe0" + np.random.default_rng(seed).bytes(1200) + b"\xff\xd9"


def enrol(store: Store, kiosk_id: str, code: str, seed: int) -> uuid.UUID:
    """The kiosk's own enrollment path (``FaceEnrollment.save``) for one known face."""
    EmployeeService(store, kiosk_id).add("cli:admin", code, f"Person {code}")
    models = cast("Any", SimpleNamespace(model_name="Dlib"))
    samples = [
        SimpleNamespace(
            vector=vector,
            model_name="Dlib",
            quality=SimpleNamespace(score=0.9),
            source="photo",
            vector_bytes=vector.astype("<f4").tobytes,
        )
        for vector in (face(seed), face(seed + 1))
    ]
    enrollment = FaceEnrollment(store, models, RecognitionConfig(), kiosk_id)
    enrollment.save("cli:admin", code, None, cast("Any", samples), photo_jpeg=photo(seed))
    with store.read() as session:
        found = session.scalar(select(EMPLOYEES.c.id).where(EMPLOYEES.c.code == code))
    assert found is not None
    return cast("uuid.UUID", found)


def recognised(store: Store, seed: int) -> uuid.UUID | None:
    gallery, _, _ = load_gallery(store, "Dlib", DIM)
    match = gallery.match(face(seed))  # the very face enrolled: a distance of about 0
    return match.key if match.distance < 1e-3 else None


def ok(engine: SyncEngine) -> None:
    result = engine.run_once()
    assert result.ok, result.error


@pytest.fixture
def central(central_url: str) -> Iterator[CentralDatabase]:
    database = CentralDatabase(central_url)
    yield database
    database.dispose()


@pytest.fixture
def kiosks(tmp_path: Path, central_url: str) -> Iterator[MakeKiosk]:
    made: list[SyncEngine] = []

    def make(
        name: str, *, apply_inbox: bool = False, keys: DeploymentKeys | None = None
    ) -> SyncEngine:
        path = tmp_path / f"{name}.db"
        if keys is None:
            store = kiosk_store(path)
        else:  # a new kiosk, set up with the secrets file as it is now
            store = Store.open_sqlite(path, keys)
            migrate(store.engine, keys=keys)
            claim_deployment(store)
        secrets = tmp_path / f"{name}-secrets.toml"
        write_secrets(secrets, Secrets(store.keys))
        store.secrets_file = secrets
        engine = SyncEngine(
            store, CentralDatabase(central_url), kiosk_id=name, apply_inbox=apply_inbox
        )
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.close()
        engine.store.dispose()


# --- what a copy of the central database holds --------------------------------------------


def backup(central: CentralDatabase) -> dict[str, list[Any]]:
    """The biometric rows as a dump taken now would hold them."""
    with central.connect() as connection:
        return {
            "keys": list(connection.execute(select(PERSON_KEYS)).all()),
            "templates": list(
                connection.execute(
                    select(
                        FACE_TEMPLATES.c.id, FACE_TEMPLATES.c.employee_id, FACE_TEMPLATES.c.vector
                    )
                ).all()
            ),
            "photos": list(
                connection.execute(
                    select(EMPLOYEES.c.id, EMPLOYEES.c.photo_jpeg).where(
                        EMPLOYEES.c.photo_jpeg.is_not(None)
                    )
                ).all()
            ),
        }


def opened(copy: dict[str, list[Any]], keys: DeploymentKeys, known: dict[uuid.UUID, PersonKey]):  # type: ignore[no-untyped-def]
    """Every key, template and photo of ``copy`` that ``keys`` (and the person keys they
    open in the live database, ``known``) can open: {employee id: what opened}."""
    ring = dict(known)
    result: dict[uuid.UUID, set[str]] = {}
    for row in copy["keys"]:
        for epoch in {row.epoch, keys.epoch}:  # as recorded, and as if it were current
            try:
                ring[row.id] = keys.unwrap(
                    row.wrapped, key_id=row.id, employee_id=row.employee_id, epoch=epoch
                )
                result.setdefault(row.employee_id, set()).add("key")
            except SealError:
                pass
    for template_id, employee_id, blob in copy["templates"]:
        for person in ring.values():
            try:
                open_template(person, template_id, employee_id, bytes(blob))
                result.setdefault(employee_id, set()).add("template")
            except SealError:
                pass
    for employee_id, blob in copy["photos"]:
        for person in ring.values():
            try:
                open_photo(person, employee_id, bytes(blob))
                result.setdefault(employee_id, set()).add("photo")
            except SealError:
                pass
    return result


def live_keys(central: CentralDatabase, keys: DeploymentKeys) -> dict[uuid.UUID, PersonKey]:
    with central.connect() as connection:
        return keyring(connection, keys)


def database_files(postgres_server: TestPostgres, central_url: str) -> list[Path]:
    """The test database's table files and the server's WAL."""
    with psycopg.connect(central_url, autocommit=True) as connection:
        connection.execute("VACUUM")
        connection.execute("CHECKPOINT")
        folder = Path(str(connection.execute("SHOW data_directory").fetchone()[0]))  # type: ignore[index]
        oid = connection.execute(
            "SELECT oid FROM pg_database WHERE datname = current_database()"
        ).fetchone()[0]  # type: ignore[index]
    if not os.access(folder, os.R_OK | os.X_OK):
        pytest.skip("the test server's data directory cannot be read from here")
    files = [p for p in (folder / "base" / str(oid)).rglob("*") if p.is_file()]
    files += [p for p in (folder / "pg_wal").glob("*") if p.is_file()]
    assert files
    return files


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.postgres
def test_an_erased_persons_face_opens_nowhere_with_the_secrets_everyone_holds_after(
    central: CentralDatabase, central_url: str, kiosks: MakeKiosk, postgres_server: TestPostgres
) -> None:
    server = kiosks("server", apply_inbox=True)
    door, offline = kiosks("door"), kiosks("offline")
    erased = enrol(door.store, "door", "GONE", seed=100)
    kept = enrol(door.store, "door", "KEPT", seed=200)
    for engine in (door, server, door, offline):
        ok(engine)
    assert recognised(offline.store, 100) == erased and recognised(offline.store, 200) == kept
    before = backup(central)  # a dump, a replica or a base backup taken before the erasure
    assert {row.employee_id for row in before["keys"]} == {erased, kept}
    # What that copy yields with the secrets of the day: everything (the test can open).
    assert opened(before, TEST_KEYS, {}) == {
        erased: {"key", "template", "photo"},
        kept: {"key", "template", "photo"},
    }

    assert erase_biometrics(central, "GONE", "asked to be forgotten", keys=TEST_KEYS) == 2
    with central.connect() as connection:
        assert connection.execute(text("SELECT epoch FROM deployment")).scalar_one() == 1
        assert not connection.execute(
            select(PERSON_KEYS.c.id).where(PERSON_KEYS.c.employee_id == erased)
        ).all()
    ok(server)
    ok(door)
    after = TEST_KEYS.at_epoch(1)
    for engine in (server, door):
        assert engine.store.keys == after  # each party moved on by itself
        assert engine.store.secrets_file is not None
        on_disk = read_secrets(engine.store.secrets_file).keys
        assert on_disk == after and on_disk.data_key != TEST_KEYS.data_key  # the old one gone

    # (a) The table files and the WAL: whatever of the person is still there opens for no one.
    needles = {bytes(row.wrapped) for row in before["keys"] if row.employee_id == erased}
    needles |= {bytes(v) for _, owner, v in before["templates"] if owner == erased}
    needles |= {bytes(p) for owner, p in before["photos"] if owner == erased}
    lying_around = {
        needle
        for path in database_files(postgres_server, central_url)
        for needle in needles
        if needle in path.read_bytes()
    }
    found = {
        "keys": [r for r in before["keys"] if bytes(r.wrapped) in lying_around],
        "templates": [t for t in before["templates"] if bytes(t.vector) in lying_around],
        "photos": [p for p in before["photos"] if bytes(p.photo_jpeg) in lying_around],
    }
    current = live_keys(central, after)
    assert set(current) == {r.id for r in before["keys"] if r.employee_id == kept}
    assert erased not in opened(found, after, current)

    # (b) The backup: the erased person's key, templates and photo open for no one; the
    # others' still do with their live key (the attempt is real), their old wrapped copy not.
    assert opened(before, after, current) == {kept: {"template", "photo"}}
    assert opened(before, after, {}) == {}

    # A kiosk offline during the erasure catches up at its next sync: it takes the steps it
    # missed, forgets the old key, drops the erased person and still knows everyone else.
    ok(offline)
    assert offline.store.keys == after
    assert offline.store.secrets_file is not None
    assert read_secrets(offline.store.secrets_file).keys == after
    assert recognised(offline.store, 100) is None and recognised(offline.store, 200) == kept
    assert employee_photo(offline.store, kept) == photo(200)
    with offline.store.read() as session:
        assert not session.execute(
            select(PERSON_KEYS.c.id).where(PERSON_KEYS.c.employee_id == erased)
        ).all()
    assert recognised(door.store, 200) == kept and recognised(server.store, 200) == kept

    # A new kiosk set up with the secrets file as it is now works from its first sync.
    new = kiosks("new", keys=after)
    ok(new)
    assert recognised(new.store, 200) == kept and recognised(new.store, 100) is None
    assert employee_photo(new.store, kept) == photo(200)


@pytest.mark.postgres
def test_an_erasure_made_at_a_kiosk_moves_the_key_on_and_the_kiosk_keeps_no_copy(
    central: CentralDatabase, kiosks: MakeKiosk, tmp_path: Path
) -> None:
    server, door = kiosks("server", apply_inbox=True), kiosks("door")
    erased = enrol(door.store, "door", "GONE", seed=300)
    kept = enrol(door.store, "door", "KEPT", seed=400)
    for engine in (door, server, door):
        ok(engine)
    with door.store.read() as session:
        wrapped = {
            bytes(w)
            for w in session.scalars(
                select(PERSON_KEYS.c.wrapped).where(PERSON_KEYS.c.employee_id == erased)
            )
        }
    assert wrapped

    EmployeeService(door.store, "door").erase_biometrics("cli:admin", "GONE", "withdrawn")
    # Nothing of the person's key stays in the kiosk's database or its outbox, as bytes or
    # as the base64 of a payload (the kiosk's erasure: secure delete, checkpoint).
    with door.store.read() as session:
        copies = session.scalars(
            select(SyncChange.entity).where(
                SyncChange.entity.in_(["person_keys", "face_templates"]),
                SyncChange.payload.like(f"%{erased}%"),
            )
        ).all()
    assert copies == []
    files = b"".join(p.read_bytes() for p in tmp_path.glob("door.db*"))
    assert files and not any(needle in files for needle in wrapped)
    ok(door)  # the tombstone goes up
    ok(server)  # the server erases centrally and moves the data key on
    with central.connect() as connection:
        assert connection.execute(text("SELECT epoch FROM deployment")).scalar_one() == 1
    ok(door)
    assert door.store.keys == TEST_KEYS.at_epoch(1)
    assert recognised(door.store, 400) == kept and recognised(door.store, 300) is None
    recorded = recorded_deployment(door.store.engine)
    assert recorded is not None and recorded[2] == 1 and recorded[0] == door.store.keys.key_id


@pytest.mark.postgres
def test_a_key_made_before_an_erasure_elsewhere_still_reaches_the_server(
    central: CentralDatabase, kiosks: MakeKiosk
) -> None:
    """A kiosk enrols someone while an erasure happens elsewhere: it wraps the new key under
    the epoch it knew; before sending it, it catches up and sends it under the new one."""
    server, door, other = kiosks("server", apply_inbox=True), kiosks("door"), kiosks("other")
    enrol(other.store, "other", "GONE", seed=500)
    for engine in (other, server, door):
        ok(engine)
    new = enrol(door.store, "door", "NEW", seed=600)  # wrapped at epoch 0, not sent yet
    erase_biometrics(central, "GONE", "asked to be forgotten", keys=TEST_KEYS)
    ok(door)
    ok(server)
    with central.connect() as connection:
        statuses = set(
            connection.scalars(
                select(SyncChange.status).where(
                    SyncChange.entity.in_(["person_keys", "face_templates"])
                )
            )
        )
    assert statuses == {"applied"}
    server_keys = live_keys(central, TEST_KEYS.at_epoch(1))
    with central.connect() as connection:
        rows = connection.execute(
            select(FACE_TEMPLATES.c.id, FACE_TEMPLATES.c.vector).where(
                FACE_TEMPLATES.c.employee_id == new
            )
        ).all()
    assert rows
    for template_id, blob in rows:
        person = next(k for k in server_keys.values() if k.id == uuid.UUID(bytes=bytes(blob)[3:19]))
        assert open_template(person, template_id, new, bytes(blob))
    ok(other)
    assert recognised(other.store, 600) == new


def test_a_kiosk_stopped_between_its_store_and_its_secrets_file_catches_up_at_start(
    ctx: AppContext,
) -> None:
    """The store moves first, then the file: a stop in between leaves the file behind, and
    the next start moves it on (the other way round would strand the store's keys)."""
    store = ctx.store
    person = enrol(store, "kiosk-test", "E1", seed=7)
    store.secrets_file = None  # as if stopped before the file was written
    assert move_to_epoch(store, 2)
    ctx.close()
    assert read_secrets(ctx.paths.secrets_file).keys == TEST_KEYS
    again = AppContext(ctx.paths, ctx.settings)
    try:
        assert again.store.keys == TEST_KEYS.at_epoch(2)
        assert read_secrets(ctx.paths.secrets_file).keys == TEST_KEYS.at_epoch(2)
        assert recognised(again.store, 7) == person
        assert employee_photo(again.store, person) == photo(7)
    finally:
        again.close()
    # A secrets file ahead of its database (a copy restored from before an erasure) is a
    # sentence, never keys made up over faces nobody could open any more.
    write_secrets(ctx.paths.secrets_file, Secrets(TEST_KEYS.at_epoch(3)))
    later = AppContext(ctx.paths, ctx.settings)
    with pytest.raises(StoreError, match="key epoch 2"):
        later.store  # noqa: B018
    later.close()


def test_the_ratchet_goes_one_way_and_binds_each_key_to_its_person_and_epoch() -> None:
    person, employee = PersonKey.generate(), uuid.uuid4()
    wrapped = TEST_KEYS.wrap(person, employee)
    assert TEST_KEYS.unwrap(wrapped, key_id=person.id, employee_id=employee, epoch=0) == person
    later = TEST_KEYS.at_epoch(1)
    assert later.data_key != TEST_KEYS.data_key and later.key_id != TEST_KEYS.key_id
    assert TEST_KEYS.at_epoch(3) == later.at_epoch(3)  # the same steps, whoever takes them
    with pytest.raises(SealError, match="forgotten at an erasure"):
        later.at_epoch(0)
    for keys, epoch, owner in ((later, 1, employee), (TEST_KEYS, 0, uuid.uuid4())):
        with pytest.raises(SealError):
            keys.unwrap(wrapped, key_id=person.id, employee_id=owner, epoch=epoch)
