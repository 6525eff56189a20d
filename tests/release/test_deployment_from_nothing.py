"""A company's deployment from nothing, as its IT person and HR would make it, every step a
real process: an empty PostgreSQL database; the headless server started on it (it migrates
and seeds it, serves the console); a central administrator for HR; ``central add-kiosk``
twice; two fresh kiosks joined from their files with the passphrase printed once; an
employee added at each door with a PIN and one PIN punch each; and the console, signed in
as HR, showing both people in the period's report and both kiosks, with their last sync, on
the fleet page."""

from __future__ import annotations

import csv
import io
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.console.client import ConsoleClient
from tests.support.cli import CliResult
from tests.support.pg import TestPostgres, database

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
HR, HR_PASSWORD = "rrhh", "una-clave-de-rrhh-larga"
# What the conftest sets for every test and a fresh machine does not have.
TEST_ONLY = ("ASISTENCIA_DATA_DIR", "ASISTENCIA_KIOSK_ID", "ASISTENCIA_ADMIN_PASSWORD")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def empty_database(postgres_server: TestPostgres) -> Iterator[str]:
    with database(postgres_server) as url:
        yield url


def _env(data_dir: Path, **more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    return {**env, "ASISTENCIA_DATA_DIR": str(data_dir), "ASISTENCIA_LANGUAGE": "en", **more}


def _run(*args: str, env: dict[str, str], stdin: str | None = None) -> CliResult:
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        input=stdin,
        env=env,
    )
    result = CliResult(done.returncode, done.stdout, done.stderr)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _wait_for(
    check: object, what: str, timeout_s: float = 90.0, report: list[str] | None = None
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{what} within {timeout_s:.0f} s: {report or ''}")


def test_a_deployment_from_nothing_two_kiosks_joined_punch_and_hr_sees_both(
    empty_database: str, tmp_path: Path
) -> None:
    owner_url = empty_database
    server_dir, files = tmp_path / "server", tmp_path / "usb"
    files.mkdir()
    port = _free_port()
    server_env = _env(
        server_dir,
        CENTRAL_DATABASE_URL=owner_url,
        ASISTENCIA_KIOSK_ID="servidor",
        ASISTENCIA_HEALTH_PORT="0",
        ASISTENCIA_CONSOLE_LISTEN=f"127.0.0.1:{port}",
        ASISTENCIA_SYNC_INTERVAL_SECONDS="5",
    )
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "headless"],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        console = ConsoleClient(f"http://127.0.0.1:{port}")
        _wait_for(lambda: console.get("/signin").status == 200, "the console answers")
        _run("central", "add-admin", HR, "--password-stdin", env=server_env, stdin=HR_PASSWORD)

        kiosks = {"entrada": ("E01", "Ana Pérez", "4821"), "almacen": ("E02", "Bo Li", "7390")}
        for kiosk_id, (code, name, pin) in kiosks.items():
            join_file = files / f"{kiosk_id}.join"
            added = _run(
                "central", "add-kiosk", "--kiosk-id", kiosk_id, "--out", str(join_file),
                env=server_env,
            )  # fmt: skip
            passphrase = re.search(r"shown only this once\): (\S+)", added.stdout)
            assert passphrase is not None, added.stdout
            assert join_file.stat().st_mode & 0o077 == 0
            kiosk_env = _env(tmp_path / kiosk_id)
            joined = _run(
                "join", str(join_file), "--passphrase-stdin",
                env=kiosk_env, stdin=passphrase.group(1) + "\n",
            )  # fmt: skip
            assert kiosk_id in joined.stdout, joined.stdout
            _run("employees", "add", "--code", code, "--name", name, "--pin", pin, env=kiosk_env)
            _run("punch", "--code", code, "--pin", pin, env=kiosk_env)
            synced = _run("sync", "--once", "--json", env=kiosk_env)
            assert '"ok": true' in synced.stdout, synced.stdout

        signed_in = console.sign_in(HR, HR_PASSWORD)
        assert signed_in.status == 303, signed_in.text[:300]
        today = date.today().isoformat()

        last: list[str] = [""]

        def report_has_both() -> bool:
            answer = console.get(
                f"/attendance/download?from={today}&to={today}&format=csv&sheet=records"
            )
            text = last[0] = answer.body.decode("utf-8-sig")
            rows = {(r["Code"], r["Kiosk"], r["Method"]) for r in csv.DictReader(io.StringIO(text))}
            return answer.status == 200 and rows == {
                ("E01", "entrada", "PIN"),
                ("E02", "almacen", "PIN"),
            }

        # The server applies each kiosk's new employee and derives its record on its own
        # schedule (every 5 s here).
        # The server applies each door's new employee on its own schedule (every 5 s here);
        # a kiosk keeps its records until their employee exists centrally and sends them at
        # its next sync, which a kiosk's scheduler runs every minute and this test runs now.
        def synced_and_reported() -> bool:
            for kiosk_id in kiosks:
                _run("sync", "--once", env=_env(tmp_path / kiosk_id))
            return report_has_both()

        _wait_for(synced_and_reported, "the console's report shows both punches", report=last)

        fleet = console.get("/fleet").text
        for kiosk_id in kiosks:
            row = fleet[fleet.index(f'id="kiosk-{kiosk_id}"') :].split("</tr>", 1)[0]
            last_sync = re.search(r'<td class="when last-sync">(.*?)</td>', row, flags=re.S)
            assert last_sync is not None, row
            # Today's syncs show their time alone, older ones their date too.
            assert re.fullmatch(r"(\d{4}-\d\d-\d\d )?\d\d:\d\d", last_sync.group(1).strip()), row
    finally:
        server.terminate()
        try:
            _, errors = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            _, errors = server.communicate()
    assert "Traceback" not in errors, errors[-3000:]
