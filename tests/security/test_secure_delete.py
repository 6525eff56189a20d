"""Erased biometric bytes leave the database file and its WAL (issue 11, item 4).

The store sets ``PRAGMA secure_delete = ON`` on every connection itself: this machine's SQLite
happens to be built with it on by default, other builds (python.org's, many wheels) are not,
so each test also runs on a connection that starts with it off, as on such a build. The
bytes here are raw, written with SQL: the test is about deletion, not about encryption.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text

from core.store.database import Store
from core.store.migrate import migrate
from core.store.models import Employee, FaceTemplate

BUILDS = ["this-build", "build-default-off"]


def _as_built(store: Store, build: str) -> None:
    """On a SQLite built with secure_delete off, each new connection starts with it off."""
    if build == "build-default-off":

        def off(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA secure_delete = OFF")

        event.listen(store.engine, "connect", off, insert=True)  # before the store's own


@pytest.fixture(params=BUILDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    store = Store.open_sqlite(tmp_path / "asistencia.db")
    _as_built(store, request.param)
    migrate(store.engine, tmp_path / "asistencia.db", tmp_path / "backups")
    yield store
    store.dispose()


def _secure_delete(store: Store) -> int:
    with store.read() as session:
        return int(session.execute(text("PRAGMA secure_delete")).scalar_one())


def test_every_connection_turns_secure_delete_on(store: Store) -> None:
    values = [_secure_delete(store)]
    # Connections opened at the same moment from other threads are new ones from the pool.
    barrier = threading.Barrier(3)

    def hold_one() -> None:
        with store.read() as session:
            barrier.wait(timeout=10)
            values.append(int(session.execute(text("PRAGMA secure_delete")).scalar_one()))
            barrier.wait(timeout=10)

    threads = [threading.Thread(target=hold_one) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    store.engine.dispose()  # and after the pool starts over
    values.append(_secure_delete(store))
    assert values == [1] * 5


def _checkpoint(store: Store) -> None:
    raw = store.engine.raw_connection()
    try:
        busy, _log, _done = raw.driver_connection.execute(  # type: ignore[union-attr]
            "PRAGMA wal_checkpoint(TRUNCATE)"
        ).fetchone()
        assert busy == 0
    finally:
        raw.close()


def _files(database: Path) -> dict[str, bytes]:
    found = {}
    for suffix in ("", "-wal"):
        path = Path(f"{database}{suffix}")
        if path.exists():
            found[path.name] = path.read_bytes()
    return found


def test_an_erased_template_and_photo_leave_no_bytes_in_the_database_or_its_wal(
    store: Store, tmp_path: Path
) -> None:
    database = tmp_path / "asistencia.db"
    template = os.urandom(512)  # a face template's float32 vector
    photo = os.urandom(6000)  # an enrollment photo: larger than a page (overflow pages)
    with store.write() as session:
        employee = Employee(code="E1", name="Ana Gil")
        session.add(employee)
        session.flush()
        session.add(FaceTemplate(employee_id=employee.id, model_name="Dlib", vector=b"", dim=128))
    with store.write() as session:
        session.execute(text("UPDATE face_templates SET vector = :v"), {"v": template})
        session.execute(text("UPDATE employees SET photo_jpeg = :p"), {"p": photo})
    _checkpoint(store)
    stored = _files(database)["asistencia.db"]
    assert template in stored and photo[:512] in stored, "the bytes never reached the file"

    with store.write() as session:  # the erasure: the template row goes, the photo is cleared
        session.execute(text("DELETE FROM face_templates"))
        session.execute(text("UPDATE employees SET photo_jpeg = NULL"))
    wal = _files(database).get("asistencia.db-wal", b"")
    assert wal, "the erasure is in the WAL before the checkpoint"
    assert template not in wal and photo[:512] not in wal and photo[-512:] not in wal
    _checkpoint(store)

    for name, content in _files(database).items():
        for piece in (template, photo[:512], photo[2000:2512], photo[-512:]):
            assert piece not in content, f"erased bytes are still in {name}"
    with store.read() as session:
        assert session.scalars(select(FaceTemplate)).all() == []
