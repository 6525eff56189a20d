"""Least privilege, TLS with sslmode=verify-full, and no password in any message."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from sqlalchemy import select

from core.host.redact import mask_secrets
from core.store.models import FaceTemplate
from core.store.tables import EVENTS
from core.sync.central import CentralDatabase
from core.sync.engine import SyncEngine
from core.sync.errors import describe_error
from core.sync.roles import PUSHED_TABLES, role_sql
from tests.support.pg import TestPostgres
from tests.support.sync_support import (
    add_employee_centrally,
    central_count,
    kiosk_store,
    record_events,
    with_password,
)
from tests.support.sync_support import kiosk_role as make_kiosk_role
from tests.support.sync_tls import SERVER_NAME, TlsProxy, make_certificates, openssl_available

pytestmark = pytest.mark.postgres
SECRET = "s3cret-Pa55"


def _as_user(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.split("@", 1)[1]
    return parts._replace(netloc=f"{user}:{password}@{host}").geturl()


@pytest.fixture
def kiosk_role(central_url: str) -> Iterator[str]:
    with make_kiosk_role(central_url, "kiosk-Passw0rd-1") as role:
        yield role


def test_the_kiosk_role_can_sync_and_nothing_more(
    central_url: str, kiosk_role: str, tmp_path: Path
) -> None:
    owner = CentralDatabase(central_url)
    person = add_employee_centrally(owner, "E1", templates=2, seed=1)
    with psycopg.connect(central_url) as connection:  # a verifier was sent, not the password
        try:
            stored = connection.execute(
                "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (kiosk_role,)
            ).fetchone()
        except psycopg.errors.InsufficientPrivilege:
            stored = ("SCRAM-SHA-256$ (only a superuser can read pg_authid)",)
    assert stored is not None and str(stored[0]).startswith("SCRAM-SHA-256$")

    kiosk_url = _as_user(central_url, kiosk_role, "kiosk-Passw0rd-1")
    store = kiosk_store(tmp_path / "k.db")
    engine = SyncEngine(store, CentralDatabase(kiosk_url), kiosk_id="k1")
    try:
        assert engine.run_once().ok  # pulls employees and templates
        record_events(store, person, 3, "k1")
        from core.people.employees import EmployeeService

        EmployeeService(store, "k1").add("cli:test", "N1", "New Person")  # -> sync_inbox
        result = engine.run_once()
        assert result.ok, result.error
        assert result.pushed["attendance_events"] == 3 and result.pushed["sync_inbox"] >= 1
        with store.read() as session:
            assert len(session.scalars(select(FaceTemplate.id)).all()) == 2
    finally:
        engine.close()
        store.dispose()
    assert central_count(owner, EVENTS) == 3

    forbidden = [
        "SELECT kind FROM attendance_events",
        "SELECT payload FROM sync_inbox",
        "SELECT * FROM users",
        "SELECT * FROM daily_summaries",
        "UPDATE employees SET name = 'x'",
        "DELETE FROM face_templates",
        "INSERT INTO employees (id, code, name) VALUES (gen_random_uuid(), 'X', 'X')",
        "UPDATE attendance_events SET kind = 'out'",
        "DELETE FROM attendance_events",
        "CREATE TABLE kiosk_junk (id int)",
        "SELECT nextval('sync_revision_seq')",
        # Not even ids: the push function inserts ON CONFLICT (id) on the owner's behalf.
        "SELECT count(id) FROM attendance_events",
        "SELECT id FROM sync_inbox",
        "SELECT count(*) FROM audit_log",
        "INSERT INTO attendance_events (id) VALUES (gen_random_uuid())",
        "INSERT INTO sync_inbox (id) VALUES (gen_random_uuid())",
        "SELECT * FROM kiosk_roles",
    ]
    with psycopg.connect(kiosk_url, autocommit=True) as connection:
        for statement in forbidden:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement.encode())
        # Allowed: reading what a kiosk pulls (sealed faces, peppered PIN hashes).
        connection.execute("SELECT code, name, pin_hash FROM employees").fetchall()
    owner.dispose()


def test_the_printed_role_sql_grants_exactly_that_and_holds_no_password() -> None:
    text = role_sql("kiosk_entrada", "asistencia", "entrada-1")
    statements = [line for line in text.splitlines() if not line.startswith("--")]
    assert not any("PASSWORD" in line.upper() for line in statements)
    assert not any(line.startswith("GRANT INSERT") for line in statements)
    assert (
        'GRANT SELECT ON "employees", "face_templates", "person_keys", "shifts", '
        '"shift_assignments", "tombstones", "alembic_version", "deployment", "sites", '
        '"site_employees" TO "kiosk_entrada";' in text
    )
    assert 'GRANT EXECUTE ON FUNCTION asistencia_push(text, jsonb) TO "kiosk_entrada";' in text
    assert (
        'GRANT EXECUTE ON FUNCTION asistencia_known_employees(uuid[]) TO "kiosk_entrada";' in text
    )
    assert "VALUES ('kiosk_entrada', 'entrada-1', 14, now())" in text
    assert not any(
        f'"{table}"' in line
        for line in statements
        for table in PUSHED_TABLES[:1]
        if line.startswith("GRANT")
    )
    assert "sslmode=verify-full" in text


# --- TLS -----------------------------------------------------------------------------------


@pytest.fixture
def tls(tmp_path: Path, postgres_server: TestPostgres) -> Iterator[tuple[TlsProxy, Path]]:
    if not openssl_available():
        pytest.skip("the openssl command is needed to make test certificates")
    certificates = make_certificates(tmp_path / "tls")
    proxy = TlsProxy(postgres_server.admin_url, certificates).start()
    yield proxy, certificates.ca
    proxy.stop()


def _tls_url(database: str, host: str, port: int, ca: Path, **extra: str) -> str:
    query = "&".join(
        f"{key}={value}"
        for key, value in {"sslmode": "verify-full", "sslrootcert": ca, **extra}.items()
    )
    return f"postgresql://postgres:{SECRET}@{host}:{port}/{database}?{query}"


def test_verify_full_works_over_tls_and_refuses_a_wrong_host_name(
    central_url: str, tls: tuple[TlsProxy, Path], tmp_path: Path
) -> None:
    proxy, ca = tls
    database = urlsplit(central_url).path.lstrip("/")
    good = _tls_url(database, SERVER_NAME, proxy.port, ca, hostaddr="127.0.0.1")

    central = CentralDatabase(good)
    connect_args = central.engine.dialect.create_connect_args(central.engine.url)[1]
    assert connect_args["sslmode"] == "verify-full" and connect_args["sslrootcert"] == str(ca)
    with psycopg.connect(good) as raw:
        assert raw.pgconn.ssl_in_use
    store = kiosk_store(tmp_path / "k.db")
    engine = SyncEngine(store, central, kiosk_id="k1")
    try:
        assert engine.run_once().ok  # a whole sync cycle over verified TLS
    finally:
        engine.close()
        store.dispose()

    wrong_host = CentralDatabase(_tls_url(database, "127.0.0.1", proxy.port, ca))
    with pytest.raises(Exception) as caught:
        wrong_host.ping()
    message = describe_error(caught.value)
    assert SERVER_NAME in message and "does not match host name" in message, message
    assert SECRET not in message
    wrong_host.dispose()

    other_ca = make_certificates(tmp_path / "other").ca
    untrusted = CentralDatabase(
        _tls_url(database, SERVER_NAME, proxy.port, other_ca, hostaddr="127.0.0.1")
    )
    with pytest.raises(Exception) as caught:
        untrusted.ping()
    assert "certificate verify failed" in describe_error(caught.value)
    untrusted.dispose()


# --- secrets -------------------------------------------------------------------------------


def test_no_message_or_log_line_shows_the_password(
    tmp_path: Path, central_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bad = f"postgresql://asistencia:{SECRET}@127.0.0.1:1/asistencia?connect_timeout=2"
    store = kiosk_store(tmp_path / "k.db")
    engine = SyncEngine(store, CentralDatabase(bad), kiosk_id="k1")
    result = engine.run_once()
    assert not result.ok and result.unreachable and result.error is not None
    assert result.error.startswith("central database unreachable: ")
    assert SECRET not in result.error and SECRET not in str(engine.status())
    assert SECRET not in caplog.text
    assert SECRET not in CentralDatabase(bad).safe_url and "***" in CentralDatabase(bad).safe_url
    engine.close()
    # A wrong password through a real server's refusal, and a missing database.
    missing = with_password(central_url.replace(urlsplit(central_url).path, "/nope"), SECRET)
    engine = SyncEngine(store, CentralDatabase(missing), kiosk_id="k1")
    result = engine.run_once()
    assert not result.ok and result.error is not None and SECRET not in result.error
    assert '"nope" does not exist' in result.error
    engine.close()
    store.dispose()
    assert SECRET not in mask_secrets(f"password={SECRET} host=x")
