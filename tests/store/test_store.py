"""The local SQLite store: pragmas, migrations with backup, concurrency, crash safety."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from core.store.database import Store
from core.store.migrate import (
    MIGRATIONS_DIR,
    SCHEMA_HEAD,
    alembic_config,
    current_revision,
    head_revision,
    migrate,
    scripts_head,
)
from core.store.models import AttendanceEvent, AuditEntry, Employee
from tests.support.paths import ROOT

TABLES = {
    "roles",
    "users",
    "employees",
    "face_templates",
    "shifts",
    "shift_assignments",
    "attendance_events",
    "attendance_corrections",
    "audit_log",
    "sync_state",
    "tombstones",
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open_sqlite(tmp_path / "store.db")
    migrate(store.engine, tmp_path / "store.db", tmp_path / "backups")
    yield store
    store.dispose()


def test_sqlite_is_tuned_for_durability(store: Store) -> None:
    with store.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert (session.execute(text("PRAGMA busy_timeout")).scalar() or 0) >= 5000


def test_schema_head_constant_matches_the_migration_scripts() -> None:
    # Start-up trusts SCHEMA_HEAD to skip importing Alembic; a new migration must bump it.
    assert scripts_head() == SCHEMA_HEAD


def test_migrations_create_every_table(store: Store) -> None:
    assert set(inspect(store.engine).get_table_names()) >= TABLES
    assert current_revision(store.engine) == head_revision()
    # A second run is a no-op and makes no backup.
    assert not migrate(store.engine).changed


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), store.write() as session:
        session.add(
            AttendanceEvent(
                employee_id=uuid.uuid4(),
                kiosk_id="k",
                kind="in",
                occurred_at=datetime.now(UTC),
                timezone="UTC",
                shift_day=date.today(),
                method="pin",
            )
        )


def test_naive_datetimes_are_refused_and_instants_come_back_aware(store: Store) -> None:
    with store.write() as session:
        employee = Employee(code="E1", name="Ana")
        session.add(employee)
    with store.read() as session:
        created = session.scalar(select(Employee.created_at))
    assert created is not None and created.tzinfo is not None
    with pytest.raises(Exception, match="naive datetime"), store.write() as session:
        session.add(Employee(code="E2", name="Bea", consent_at=datetime(2026, 1, 1)))


def test_database_is_copied_aside_before_a_migration(tmp_path: Path) -> None:
    # A new revision on top of the real ones, as a future release would ship.
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    head = head_revision()
    (scripts / "versions" / "9999_test.py").write_text(
        f'revision = "9999"\ndown_revision = "{head}"\n'
        "import sqlalchemy as sa\nfrom alembic import op\n"
        "def upgrade():\n"
        "    with op.batch_alter_table('employees') as batch:\n"
        "        batch.add_column(sa.Column('nickname', sa.String(40), nullable=True))\n"
        "def downgrade():\n    pass\n",
        encoding="utf-8",
    )
    database = tmp_path / "store.db"
    store = Store.open_sqlite(database)
    migrate(store.engine, database, tmp_path / "backups")
    with store.write() as session:
        session.add(Employee(code="E1", name="Ana"))

    result = migrate(store.engine, database, tmp_path / "backups", alembic_config(scripts))
    store.dispose()

    assert result.changed and result.to_revision == "9999" and result.backup is not None
    backup = sqlite3.connect(result.backup)
    assert backup.execute("SELECT code FROM employees").fetchall() == [("E1",)]
    assert "nickname" not in [row[1] for row in backup.execute("PRAGMA table_info(employees)")]
    backup.close()
    live = sqlite3.connect(database)
    assert "nickname" in [row[1] for row in live.execute("PRAGMA table_info(employees)")]
    live.close()


def test_two_threads_writing_at_once_never_deadlock(store: Store) -> None:
    with store.write() as session:
        employee = Employee(code="E1", name="Ana")
        session.add(employee)
        session.flush()
        employee_id = employee.id
    errors: list[BaseException] = []

    def writer(kiosk: str) -> None:
        try:
            for _ in range(40):
                with store.write() as session:
                    # Read, then write, inside one transaction: the pattern that deadlocks
                    # with deferred transactions.
                    count = session.scalar(select(AttendanceEvent.id).limit(1))
                    del count
                    session.add(
                        AttendanceEvent(
                            employee_id=employee_id,
                            kiosk_id=kiosk,
                            kind="in",
                            occurred_at=datetime.now(UTC),
                            timezone="UTC",
                            shift_day=date.today(),
                            method="pin",
                        )
                    )
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"k{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    with store.read() as session:
        assert len(session.scalars(select(AttendanceEvent.id)).all()) == 120


@pytest.mark.slow
def test_records_survive_sigkill_at_random_moments(tmp_path: Path) -> None:
    database = tmp_path / "crash.db"
    setup = Store.open_sqlite(database)
    migrate(setup.engine)
    setup.dispose()

    reported: set[str] = set()
    rng = random.Random(20261128)
    kills = 25
    for _ in range(kills):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.support.crash_writer", str(database)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.02, 0.4))
        child.send_signal(signal.SIGKILL)
        output, _ = child.communicate(timeout=30)
        for line in output.splitlines():
            if line.startswith("committed "):
                reported.add(line.split()[1])

    assert len(reported) > kills  # the child did get work done between kills
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in connection.execute("SELECT id FROM attendance_events")}
        audited = {row[0] for row in connection.execute("SELECT target_id FROM audit_log")}
    finally:
        connection.close()
    stored_ids = {str(uuid.UUID(value)) for value in stored}
    missing = reported - stored_ids
    assert not missing, f"{len(missing)} committed records lost"
    # Each event and its audit line were one transaction: never one without the other.
    assert stored_ids == audited


def test_audit_lines_survive_with_their_change(store: Store) -> None:
    from core.store import audit

    with pytest.raises(RuntimeError), store.write() as session:
        session.add(Employee(code="E9", name="Rolled Back"))
        audit.record(session, actor="t", action="employee.add", target_id="E9")
        raise RuntimeError("fail before commit")
    with store.read() as session:
        assert session.scalars(select(AuditEntry)).all() == []
        assert session.scalars(select(Employee)).all() == []
