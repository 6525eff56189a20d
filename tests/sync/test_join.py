"""Joining in one step against a real PostgreSQL and real SQLite kiosks: ``central
add-kiosk`` (the owner's code), ``join_deployment`` on a fresh kiosk, the first sync, and
each refusal changing nothing.

The embedded test server trusts local logins; this module makes the server check the
passwords of its kiosk roles (``kiosk_jointest…``) with SCRAM, as a real server does, so a
used, revoked or expired password is refused for real."""

from __future__ import annotations

import stat
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select, text

from core.config import load_settings
from core.context import AppContext
from core.errors import AsistenciaError
from core.host.paths import DataPaths
from core.i18n import Message
from core.runtime import join as join_module
from core.runtime.join import JoinResult, join_deployment, staging_path
from core.secrets.keys import DeploymentKeys
from core.secrets.secrets_file import Secrets, read_secrets, write_secrets
from core.store.models import Employee
from core.store.tables import AUDIT, EVENTS, KIOSK_HEARTBEATS, KIOSK_ROLES
from core.sync import join_file
from core.sync.central import CentralDatabase
from core.sync.engine import SyncEngine
from core.sync.join_file import kiosk_url, new_passphrase, open_join_file, write_join_file
from core.sync.kiosk_admin import access_from_url, add_kiosk, remove_kiosk, rotate_kiosk
from core.sync.site_admin import create_site
from tests.support.cli import run_main
from tests.support.keys import TEST_KEYS
from tests.support.pg import TestPostgres
from tests.support.sync_support import add_employee_centrally, central_count, record_events
from tests.support.sync_tls import TlsProxy, make_certificates, openssl_available

pytestmark = pytest.mark.postgres
PREFIX = "jointest"


@pytest.fixture(scope="module")
def passwords_checked(postgres_server: TestPostgres) -> Iterator[None]:
    """Kiosk roles of this module log in with SCRAM passwords, checked by the server."""
    if not postgres_server.can_restart:
        pytest.skip("the test server's pg_hba.conf is not this test's to change")
    with psycopg.connect(postgres_server.admin_url, autocommit=True) as connection:
        hba = Path(str(connection.execute("SHOW hba_file").fetchone()[0]))  # type: ignore[index]
        before = hba.read_text()
        lines = (
            f"local all /^kiosk_{PREFIX} scram-sha-256\n"
            f"host all /^kiosk_{PREFIX} 127.0.0.1/32 scram-sha-256\n"
        )
        hba.write_text(lines + before)
        connection.execute("SELECT pg_reload_conf()")
        try:
            yield
        finally:
            hba.write_text(before)
            connection.execute("SELECT pg_reload_conf()")


@pytest.fixture(autouse=True)
def cheap_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(join_file, "MEMORY_KIB", 1024)
    monkeypatch.setattr(join_file, "TIME_COST", 1)


@pytest.fixture
def owner(central_url: str, passwords_checked: None) -> Iterator[CentralDatabase]:
    central = CentralDatabase(central_url)
    yield central
    with central.connect() as connection:
        roles = connection.scalars(
            text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"), {"p": f"kiosk_{PREFIX}%"}
        ).all()
    central.dispose()
    with psycopg.connect(central_url, autocommit=True) as connection:
        for role in roles:
            connection.execute(f'DROP OWNED BY "{role}"'.encode())
            connection.execute(f'DROP ROLE IF EXISTS "{role}"'.encode())


@dataclass
class Issued:
    path: Path
    passphrase: str
    kiosk_id: str


class Owner:
    """The owner's side: what `central add-kiosk` and `rotate-kiosk` do, files in a folder."""

    def __init__(self, central: CentralDatabase, url: str, folder: Path) -> None:
        self.central, self.url, self.folder = central, url, folder
        folder.mkdir(parents=True, exist_ok=True)

    def _write(self, payload: join_file.JoinPayload) -> Issued:
        path = self.folder / f"{payload.kiosk_id}-{uuid.uuid4().hex[:6]}.join"
        phrase = new_passphrase()
        write_join_file(path, payload, phrase)
        return Issued(path, phrase, payload.kiosk_id)

    def add(
        self, name: str, *, hours: float = 72, now: datetime | None = None, site: str | None = None
    ) -> Issued:
        payload = add_kiosk(
            self.central,
            TEST_KEYS,
            f"{PREFIX}-{name}",
            site=site,
            hours=hours,
            access=access_from_url(self.url),
            actor="test",
            now=now or datetime.now(UTC),
        )
        return self._write(payload)

    def rotate(self, kiosk_id: str) -> Issued:
        payload = rotate_kiosk(
            self.central,
            TEST_KEYS,
            kiosk_id,
            hours=72,
            access=access_from_url(self.url),
            actor="test",
            now=datetime.now(UTC),
        )
        return self._write(payload)


@pytest.fixture
def central_owner(owner: CentralDatabase, central_url: str, tmp_path: Path) -> Owner:
    return Owner(owner, central_url, tmp_path / "owner")


@pytest.fixture
def kiosk_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tests' kiosk id comes from the environment, which a join cannot change.
    monkeypatch.delenv("ASISTENCIA_KIOSK_ID", raising=False)


def new_kiosk(folder: Path) -> AppContext:
    paths = DataPaths(folder)
    return AppContext(paths, load_settings(paths.settings_file))


@pytest.fixture
def kiosk(tmp_path: Path, kiosk_env: None) -> Iterator[AppContext]:
    ctx = new_kiosk(tmp_path / "kiosk")
    yield ctx
    ctx.close()


def snapshot(ctx: AppContext) -> dict[str, bytes | None]:
    """The files a refused join must leave as they were."""
    files = [ctx.paths.secrets_file, ctx.paths.settings_file, staging_path(ctx)]
    files.append(ctx.paths.root / join_module.CA_FILE_NAME)
    return {str(p): (p.read_bytes() if p.exists() else None) for p in files}


def refused(ctx: AppContext, issued: Issued, passphrase: str | None = None, **kw: object) -> str:
    before = snapshot(ctx)
    with pytest.raises(AsistenciaError) as caught:
        join_deployment(ctx, issued.path, passphrase or issued.passphrase, **kw)  # type: ignore[arg-type]
    assert snapshot(ctx) == before, "a refused join changed a file"
    sentence = str(caught.value)
    assert "\n" not in sentence and caught.value.key is not None
    return sentence


def opens(url: str, role: str, password: str) -> bool:
    access = access_from_url(url)
    try:
        psycopg.connect(kiosk_url(access, role, None), password=password).close()
    except psycopg.OperationalError:
        return False
    return True


def test_add_kiosk_then_join_syncs_and_the_file_opens_nothing_after(
    central_owner: Owner, kiosk: AppContext, central_url: str
) -> None:
    owner = central_owner.central
    add_employee_centrally(owner, "A1", "Ana", templates=2)
    issued = central_owner.add("entrada")
    payload = open_join_file(issued.path, issued.passphrase)
    assert opens(central_url, payload.role, payload.password)

    result = join_deployment(kiosk, issued.path, issued.passphrase)

    assert result == JoinResult(
        kiosk_id=f"{PREFIX}-entrada",
        site=None,
        central=payload.central.shown,
        synced=result.synced,
    )
    assert result.synced.key == "join.synced", result.synced
    assert int(str(result.synced.params["pulled"])) >= 3  # Ana, her key, her templates
    # A copied file is useless: its password opens nothing any more.
    assert not opens(central_url, payload.role, payload.password)
    # The kiosk keeps its own password in the secrets file, the URL without it in settings.
    kept = read_secrets(kiosk.paths.secrets_file)
    assert kept.keys == TEST_KEYS and kept.central_password not in (None, payload.password)
    assert stat.S_IMODE(kiosk.paths.secrets_file.stat().st_mode) == 0o600
    assert opens(central_url, payload.role, str(kept.central_password))
    settings_text = kiosk.paths.settings_file.read_text()
    assert str(kept.central_password) not in settings_text
    assert f'kiosk_id = "{PREFIX}-entrada"' in settings_text
    assert not staging_path(kiosk).exists()
    with owner.connect() as connection:
        row = connection.execute(
            select(KIOSK_ROLES.c.joined_at, KIOSK_ROLES.c.join_expires_at).where(
                KIOSK_ROLES.c.kiosk_id == f"{PREFIX}-entrada"
            )
        ).one()
        actions = set(connection.scalars(select(AUDIT.c.action)))
    assert row.joined_at is not None and row.join_expires_at is None
    assert "kiosk.add" in actions

    # The kiosk syncs with what it saved: a record goes up, under its own kiosk id.
    fresh = new_kiosk(kiosk.paths.root)
    try:
        with fresh.store.read() as session:
            assert session.scalar(select(Employee.name).where(Employee.code == "A1")) == "Ana"
        employee = add_employee_centrally(owner, "B2", "Berta")
        engine = SyncEngine.from_settings(fresh.store, fresh.settings)
        assert engine is not None
        try:
            assert engine.run_once().ok
            record_events(fresh.store, employee, 2, f"{PREFIX}-entrada")
            cycle = engine.run_once()
        finally:
            engine.close()
        assert cycle.ok and cycle.records_pushed >= 2, cycle
        with owner.connect() as connection:
            here = connection.scalar(
                select(func.count())
                .select_from(EVENTS)
                .where(EVENTS.c.kiosk_id == f"{PREFIX}-entrada", EVENTS.c.review.is_(None))
            )
        assert here == 2
    finally:
        fresh.close()


def test_wrong_passphrase_changes_nothing(central_owner: Owner, kiosk: AppContext) -> None:
    issued = central_owner.add("wrong")
    sentence = refused(kiosk, issued, passphrase=new_passphrase())
    assert "passphrase does not open" in sentence
    assert not kiosk.paths.secrets_file.exists() and not kiosk.paths.database.exists()


def test_an_expired_file_says_until_when(
    central_owner: Owner, kiosk: AppContext, central_url: str
) -> None:
    # Made two hours ago for one hour: the server's VALID UNTIL is past too.
    made = datetime.now(UTC) - timedelta(hours=2)
    issued = central_owner.add("late", hours=1, now=made)
    sentence = refused(kiosk, issued)
    until = (made + timedelta(hours=1)).astimezone(kiosk.settings.zone)
    assert f"was valid until {until:%Y-%m-%d %H:%M}" in sentence
    # With the kiosk's clock behind, the server still refuses the password: VALID UNTIL.
    sentence = refused(kiosk, issued, now=made)
    assert "refuses this join file's password" in sentence
    payload = open_join_file(issued.path, issued.passphrase)
    assert not opens(central_url, payload.role, payload.password)


def test_a_used_file_is_refused_on_another_kiosk(
    central_owner: Owner, kiosk: AppContext, tmp_path: Path
) -> None:
    issued = central_owner.add("used")
    join_deployment(kiosk, issued.path, issued.passphrase)
    other = new_kiosk(tmp_path / "copy")
    try:
        sentence = refused(other, issued)
        assert "already used" in sentence and "rotate-kiosk" in sentence
        assert not other.paths.secrets_file.exists()
    finally:
        other.close()


def test_joining_again_on_the_same_kiosk_is_no_harm(
    central_owner: Owner, kiosk: AppContext
) -> None:
    issued = central_owner.add("again")
    join_deployment(kiosk, issued.path, issued.passphrase)
    password = read_secrets(kiosk.paths.secrets_file).central_password
    again = join_deployment(kiosk, issued.path, issued.passphrase)
    assert again.synced.key == "join.synced"
    assert read_secrets(kiosk.paths.secrets_file).central_password == password


def test_a_removed_kiosk_file_is_refused_and_what_it_sent_stays(
    central_owner: Owner, kiosk: AppContext, tmp_path: Path, central_url: str
) -> None:
    owner = central_owner.central
    employee = add_employee_centrally(owner, "C3", "Carla")
    issued = central_owner.add("gone")
    join_deployment(kiosk, issued.path, issued.passphrase)
    record_events(kiosk.store, employee, 1, issued.kiosk_id)
    engine = SyncEngine.from_settings(kiosk.store, kiosk.settings)
    assert engine is not None
    try:
        assert engine.run_once().ok
        # The join's first sync sent a heartbeat: the fleet has seen this kiosk.
        assert central_count(owner, KIOSK_HEARTBEATS) == 1
        held = kiosk.paths.secrets_file.read_bytes()
        removed = remove_kiosk(
            owner, issued.kiosk_id, reason="stolen", actor="test", now=datetime.now(UTC)
        )
        assert removed.last_seen is not None
        # Its own password opens nothing now, and its sync says so.
        password = str(read_secrets(kiosk.paths.secrets_file).central_password)
        assert not opens(central_url, removed.role, password)
        cycle = engine.run_once()
        assert not cycle.ok
    finally:
        engine.close()
    assert kiosk.paths.secrets_file.read_bytes() == held
    with owner.connect() as connection:
        assert (
            connection.scalar(
                select(func.count()).select_from(EVENTS).where(EVENTS.c.kiosk_id == issued.kiosk_id)
            )
            == 1
        )
        assert (
            connection.scalar(
                select(func.count())
                .select_from(KIOSK_ROLES)
                .where(KIOSK_ROLES.c.kiosk_id == issued.kiosk_id)
            )
            == 0
        )
        assert central_count(owner, KIOSK_HEARTBEATS) == 0
        assert (
            connection.scalar(select(AUDIT.c.reason).where(AUDIT.c.action == "kiosk.remove"))
            == "stolen"
        )
    # A file issued before the removal is refused with the same sentence as a used one.
    other = new_kiosk(tmp_path / "after-removal")
    try:
        assert "refuses this join file's password" in refused(other, issued)
    finally:
        other.close()


def test_rotate_gives_a_working_file_and_the_old_one_fails(
    central_owner: Owner, kiosk: AppContext, tmp_path: Path
) -> None:
    old = central_owner.add("rotated")
    new = central_owner.rotate(old.kiosk_id)
    other = new_kiosk(tmp_path / "old-file")
    try:
        assert "refuses this join file's password" in refused(other, old)
    finally:
        other.close()
    result = join_deployment(kiosk, new.path, new.passphrase)
    assert result.kiosk_id == old.kiosk_id and result.synced.key == "join.synced"


def test_another_deployments_file_on_a_kiosk_with_faces_changes_nothing(
    central_owner: Owner, kiosk: AppContext
) -> None:
    own = DeploymentKeys.generate()
    write_secrets(kiosk.paths.secrets_file, Secrets(own))
    kiosk.employees()  # the store, made with its own keys
    with kiosk.store.write() as session:
        session.add(Employee(code="Z9", name="Zoe"))
    kiosk.close()
    issued = central_owner.add("faces")
    sentence = refused(kiosk, issued)
    assert own.key_id in sentence and TEST_KEYS.key_id in sentence
    assert "secrets import" in sentence


def test_a_kiosk_with_no_data_yet_takes_the_deployments_keys(
    central_owner: Owner, kiosk: AppContext
) -> None:
    own = DeploymentKeys.generate()
    write_secrets(kiosk.paths.secrets_file, Secrets(own))
    kiosk.start_store()  # started once alone: its store recorded its own keys
    issued = central_owner.add("empty")
    result = join_deployment(kiosk, issued.path, issued.passphrase)
    assert result.synced.key == "join.synced", result.synced
    assert read_secrets(kiosk.paths.secrets_file).keys == TEST_KEYS
    assert kiosk.store.keys == TEST_KEYS


def test_an_unreachable_server_is_named(central_owner: Owner, kiosk: AppContext) -> None:
    payload = add_kiosk(
        central_owner.central,
        TEST_KEYS,
        f"{PREFIX}-far",
        site=None,
        hours=1,
        access=access_from_url(central_owner.url, host="127.0.0.1", port=9),
        actor="test",
        now=datetime.now(UTC),
    )
    issued = central_owner._write(payload)
    sentence = refused(kiosk, issued)
    assert "cannot reach the central database at 127.0.0.1" in sentence


def test_a_join_cut_short_after_the_server_took_the_password_is_finished_by_joining_again(
    central_owner: Owner, kiosk: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued = central_owner.add("cut")

    def power_cut(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(join_module, "_save", power_cut)
    with pytest.raises(KeyboardInterrupt):
        join_deployment(kiosk, issued.path, issued.passphrase)
    assert staging_path(kiosk).exists()  # the only copy of the new password
    assert stat.S_IMODE(staging_path(kiosk).stat().st_mode) == 0o600
    monkeypatch.undo()
    result = join_deployment(kiosk, issued.path, issued.passphrase)
    assert result.synced.key == "join.synced", result.synced
    assert not staging_path(kiosk).exists()


def test_a_site_given_at_add_kiosk_is_the_kiosks(central_owner: Owner, kiosk: AppContext) -> None:

    create_site(central_owner.central, "norte", "Norte", actor="test")
    issued = central_owner.add("norte", site="norte")
    result = join_deployment(kiosk, issued.path, issued.passphrase)
    assert result.site == "norte"
    assert isinstance(result.synced, Message)


# --- the commands, as an operator runs them ----------------------------------------------


def test_the_commands_end_to_end_with_one_sentence_per_refusal(
    central_owner: Owner, tmp_path: Path, kiosk_env: None
) -> None:
    owner_env = {"CENTRAL_DATABASE_URL": central_owner.url}
    out = tmp_path / "entrada.join"
    kiosk_id = f"{PREFIX}-cli"
    added = run_main(
        "central", "add-kiosk", "--kiosk-id", kiosk_id, "--out", str(out), env=owner_env
    )
    assert added.returncode == 0, added.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    line = next(x for x in added.stdout.splitlines() if x.startswith("Passphrase"))
    passphrase = line.rsplit(" ", 1)[1]
    assert added.stdout.count(passphrase) == 1
    assert "delete it once used" in added.stdout
    assert open_join_file(out, passphrase).password not in added.stdout + added.stderr
    again = run_main(
        "central", "add-kiosk", "--kiosk-id", kiosk_id, "--out", str(out), env=owner_env
    )
    assert again.returncode == 2 and "already exists" in again.stderr

    data = tmp_path / "cli-kiosk"
    wrong = run_main("--data-dir", str(data), "join", str(out), "--passphrase-stdin", stdin="X\n")
    assert wrong.returncode == 1
    assert wrong.stderr.count("\n") == 1 and "Traceback" not in wrong.stderr
    assert "passphrase does not open" in wrong.stderr
    assert not (data / "secrets.toml").exists()
    spanish = run_main(
        "--data-dir", str(data), "join", str(out), "--passphrase-stdin",
        stdin=passphrase.lower() + "\n", env={"ASISTENCIA_LANGUAGE": "es"},
    )  # fmt: skip
    assert spanish.returncode == 0, spanish.stderr
    assert f"Unido a la implantación: quiosco '{kiosk_id}'" in spanish.stdout
    assert "Primera sincronización hecha" in spanish.stdout
    used = run_main(
        "--data-dir", str(tmp_path / "second"), "join", str(out), "--passphrase-stdin",
        stdin=passphrase + "\n",
    )  # fmt: skip
    assert used.returncode == 1 and "Traceback" not in used.stderr
    assert "already used" in used.stderr and used.stderr.count("\n") == 1

    rotated = run_main(
        "central", "rotate-kiosk", "--kiosk-id", kiosk_id, "--out", str(tmp_path / "r.join"),
        env=owner_env,
    )  # fmt: skip
    assert rotated.returncode == 0 and "Passphrase" in rotated.stdout, rotated.stderr
    removed = run_main(
        "central", "remove-kiosk", "--kiosk-id", kiosk_id, "--reason", "test", env=owner_env
    )
    assert removed.returncode == 0 and "can no longer log in" in removed.stdout, removed.stderr
    unknown = run_main("central", "remove-kiosk", "--kiosk-id", kiosk_id, env=owner_env)
    assert unknown.returncode == 1 and "Traceback" not in unknown.stderr
    assert "is not registered" in unknown.stderr and unknown.stderr.count("\n") == 1
    with central_owner.central.connect() as connection:
        actions = connection.scalars(
            select(AUDIT.c.action).where(AUDIT.c.target_id == kiosk_id).order_by(AUDIT.c.at)
        ).all()
    assert [a for a in actions if a.startswith("kiosk.")] == [
        "kiosk.add",
        "kiosk.rotate",
        "kiosk.remove",
    ]


def test_the_ca_in_the_file_is_enough_for_verify_full(
    central_owner: Owner, kiosk: AppContext, tmp_path: Path, postgres_server: TestPostgres
) -> None:
    if not openssl_available():
        pytest.skip("the openssl command is needed to make test certificates")
    certificates = make_certificates(tmp_path / "tls", name="localhost")
    proxy = TlsProxy(postgres_server.admin_url, certificates).start()
    try:
        access = access_from_url(
            central_owner.url, host="localhost", port=proxy.port, ca_file=certificates.ca
        )
        assert access.sslmode == "verify-full"
        payload = add_kiosk(
            central_owner.central,
            TEST_KEYS,
            f"{PREFIX}-tls",
            site=None,
            hours=1,
            access=access,
            actor="test",
            now=datetime.now(UTC),
        )
        issued = central_owner._write(payload)
        certificates.ca.unlink()  # the kiosk has no other copy of it than the file's
        result = join_deployment(kiosk, issued.path, issued.passphrase)
        assert result.synced.key == "join.synced", result.synced
        url = str(kiosk.settings.central_url())
        assert "sslmode=verify-full" in url
        kept = kiosk.paths.root / join_module.CA_FILE_NAME
        assert f"sslrootcert={kept}" in url
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    finally:
        proxy.stop()


def test_a_central_database_without_the_join_function_is_said_to_be_older(
    central_owner: Owner, kiosk: AppContext
) -> None:
    issued = central_owner.add("old-server")
    with central_owner.central.begin() as connection:
        connection.execute(text("DROP FUNCTION asistencia_join(text)"))
    assert "schema older than this version" in refused(kiosk, issued)
