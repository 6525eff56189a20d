"""The console's accounts from the command line (``central add-admin`` …), and the console
started and stopped by the headless server on its own thread."""

from __future__ import annotations

from pathlib import Path

import pytest

import main
from core.config import load_settings
from core.context import AppContext
from core.host.paths import DataPaths
from core.server.headless import HeadlessServer, ServerOptions
from core.sync.central import CentralDatabase
from tests.console.client import ConsoleClient
from tests.support.cli import run_main

pytestmark = pytest.mark.postgres


def test_add_list_and_remove_a_central_administrator(
    central: CentralDatabase, central_url: str, tmp_path: Path
) -> None:
    env = {"CENTRAL_DATABASE_URL": central_url}
    short = run_main("central", "add-admin", "rrhh", "--password-stdin", env=env, stdin="corta\n")
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    assert "Traceback" not in short.stderr
    bad_name = run_main("central", "add-admin", "r h", "--password-stdin", env=env, stdin="x\n")
    assert bad_name.returncode == 2
    added = run_main(
        "central", "add-admin", "rrhh", "--display-name", "Recursos Humanos",
        "--password-stdin", env=env, stdin="una-clave-de-rrhh\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "central administrator rrhh created" in added.stdout
    assert "una-clave-de-rrhh" not in added.stdout + added.stderr
    again = run_main(
        "central", "add-admin", "rrhh", "--password-stdin", env=env, stdin="otra-clave-larga\n"
    )
    assert again.returncode != 0 and "Traceback" not in again.stderr
    listing = run_main("central", "list-admins", env=env)
    assert listing.returncode == 0 and "rrhh" in listing.stdout and "active" in listing.stdout

    from core.secrets.passwords import LockoutPolicy
    from core.sync.central_store import central_accounts

    accounts = central_accounts(central, LockoutPolicy())
    assert accounts.sign_in("rrhh", "una-clave-de-rrhh").role == "admin"
    accounts.add_user("cli:test", "otra", "otra-clave-larga", "admin")  # not the last one
    removed = run_main("central", "remove-admin", "rrhh", env=env)
    assert removed.returncode == 0, removed.stderr
    assert not accounts.is_active("rrhh")
    assert "disabled" in run_main("central", "list-admins", env=env).stdout


def test_the_headless_server_serves_the_console_and_stops_it(
    central: CentralDatabase,
    central_url: str,
    isolated_environment: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CENTRAL_DATABASE_URL", central_url)
    monkeypatch.setenv("ASISTENCIA_HEALTH_PORT", "0")
    monkeypatch.setenv("ASISTENCIA_CONSOLE_LISTEN", "127.0.0.1:0")
    paths = DataPaths(isolated_environment)
    ctx = AppContext(paths, load_settings(paths.settings_file))
    server = HeadlessServer(ctx, None, ServerOptions(sync_interval_s=30, health_port=0))
    try:
        main.start_headless(server)
        console = server.console
        assert console is not None
        url = console.url  # type: ignore[attr-defined]
        page = ConsoleClient(url).get("/signin")
        assert page.status == 200 and 'id="signin-form"' in page.text
    finally:
        server.request_stop()
        server.stop()
        ctx.close()
    with pytest.raises(OSError):
        ConsoleClient(url).get("/signin")


def test_an_empty_console_listen_serves_no_console(
    central_url: str, isolated_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CENTRAL_DATABASE_URL", central_url)
    monkeypatch.setenv("ASISTENCIA_CONSOLE_LISTEN", "")
    paths = DataPaths(isolated_environment)
    ctx = AppContext(paths, load_settings(paths.settings_file))
    server = HeadlessServer(ctx, None, ServerOptions(sync_interval_s=30, health_port=0))
    try:
        main.start_headless(server)
        assert server.console is None
    finally:
        server.request_stop()
        server.stop()
        ctx.close()


@pytest.mark.parametrize("value", ["8090", "127.0.0.1:port", "127.0.0.1:70000", "999.1.1.1:80"])
def test_a_wrong_console_listen_is_refused_with_the_setting_named(
    value: str, monkeypatch: pytest.MonkeyPatch, isolated_environment: Path
) -> None:
    from core.config import SettingsError

    monkeypatch.setenv("ASISTENCIA_CONSOLE_LISTEN", value)
    with pytest.raises(SettingsError, match="ASISTENCIA_CONSOLE_LISTEN"):
        load_settings(DataPaths(isolated_environment).settings_file)
