"""Every input bounded: each command, given a bad input, says one sentence and exits non-zero
(issue 22, item 7).

An adversarial pass found ``secrets import`` hanging forever on a named pipe, growing to
22 GB on ``/dev/zero`` and printing a traceback for a file that was not a secrets file;
``employees erase`` ending in ``EOFError`` without a terminal; the landmark child printing
``BrokenPipeError`` when a bad camera ended the kiosk first; a kiosk id or a name with a
newline or an escape character accepted; and ``sync`` printing a traceback before the
sentence about another deployment's central database. Each case here runs the real command
line (``python main.py``) in its own process, under a time limit and a memory limit, and
checks what a person at the terminal would see: a non-zero exit, one sentence on stderr
(no traceback, no exception class), and nothing changed.
"""

from __future__ import annotations

import io
import logging
import os
import re
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.cli.outcome import failed
from core.context import AppContext
from core.host.bounded_read import SECRETS, FileRefusedError, read_bounded
from core.host.images import ImageError, read_image
from core.host.logs import configure_logging
from core.host.paths import SECRETS_FILE_NAME, DataPaths
from core.secrets.keys import DeploymentKeys
from core.secrets.secrets_file import Secrets, write_secrets
from core.store.models import AuditEntry, Employee
from core.store.tables import EVENTS
from core.sync.central import CentralDatabase
from core.sync.site_admin import list_sites
from tests.support.cli import CliResult
from tests.support.paths import ROOT
from tests.support.sync_support import central_count

MEMORY_LIMIT = 4_000_000_000  # bytes of address space: /dev/zero read whole hits it at once
TIME_LIMIT = 60  # seconds: a command that blocks on a pipe fails here instead of hanging
# An exception's class in what a person reads ("BrokenPipeError", "SecretsError: ...").
CLASS_NAME = re.compile(r"\b[A-Z][A-Za-z]*(?:Error|Exception|Interrupt)\b")


def _limits() -> None:  # in the child, before it runs: its own address space only
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(*args: str, env: dict[str, str] | None = None) -> CliResult:
    """``python main.py ARGS`` as conftest's ``run_main``, with a memory limit, standard
    input a pipe that is already at its end (no terminal), in English."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        check=False,
        capture_output=True,
        text=True,
        input="",
        timeout=TIME_LIMIT,
        cwd=ROOT,
        env={**os.environ, "ASISTENCIA_LANGUAGE": "en", **(env or {})},
        preexec_fn=_limits,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


def one_sentence(result: CliResult, *words: str) -> str:
    """The refusal's one line, after checking there is nothing else on stderr."""
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr, result.stderr
    assert not CLASS_NAME.search(result.stderr), result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("asistencia: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def data_dir(isolated_environment: Path) -> Path:
    return isolated_environment


# --- secrets import -----------------------------------------------------------------------


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "secrets.fifo"
    os.mkfifo(path)
    return path


def _sparse(tmp_path: Path) -> Path:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:
        handle.truncate(2**30)  # 1 GB that takes no disk
    return path


def _text(tmp_path: Path) -> Path:
    path = tmp_path / "notes.toml"
    path.write_text('title = "not a secrets file"\n', encoding="utf-8")
    return path


def _not_toml(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("remember: buy milk\n", encoding="utf-8")
    return path


def _binary(tmp_path: Path) -> Path:
    path = tmp_path / "photo.jpg"
    path.write_bytes(bytes(range(256)) * 8)
    return path


def _folder(tmp_path: Path) -> Path:
    path = tmp_path / "a-folder"
    path.mkdir()
    return path


SECRETS_CASES = {
    "a named pipe": (_fifo, "named pipe (FIFO)"),
    "/dev/zero": (lambda _tmp: Path("/dev/zero"), "character device"),
    "a 1 GB sparse file": (_sparse, "larger than 64 KiB"),
    "a TOML file that is no secrets file": (_text, "not an Asistencia secrets file"),
    "a text file": (_not_toml, "not a valid TOML file"),
    "a binary file": (_binary, "not a text file"),
    "a folder": (_folder, "folder"),
}


@pytest.mark.parametrize("case", SECRETS_CASES)
def test_secrets_import_refuses_a_file_that_is_no_secrets_file(
    case: str, tmp_path: Path, data_dir: Path
) -> None:
    make, words = SECRETS_CASES[case]
    given = make(tmp_path)
    secrets = data_dir / SECRETS_FILE_NAME
    before = secrets.read_bytes()
    said = one_sentence(run_bounded("secrets", "import", str(given)), words)
    assert str(given) in said
    assert secrets.read_bytes() == before  # the deployment's keys are untouched
    assert not DataPaths(data_dir).database.exists()  # refused before the store opened


def test_the_bounded_reader_refuses_without_blocking_or_reading_too_much(tmp_path: Path) -> None:
    """The reader itself, for what the commands above do not reach: a file that grows past
    its limit while it is read (its size said otherwise), and photos."""
    with pytest.raises(FileRefusedError, match="named pipe"):
        read_bounded(_fifo(tmp_path), SECRETS)
    proc = Path("/proc/self/status")  # stat says 0 bytes; it holds more than 64 bytes
    small = type(SECRETS)("read.kind.secrets", 64)
    with pytest.raises(FileRefusedError, match="larger than 64 B"):
        read_bounded(proc, small)
    for bad, words in ((Path("/dev/zero"), "character device"), (_folder(tmp_path), "folder")):
        with pytest.raises(ImageError, match=words):
            read_image(bad)
    pipe = tmp_path / "photo.jpg"
    os.mkfifo(pipe)
    with pytest.raises(ImageError, match="named pipe"):
        read_image(pipe)


def test_a_settings_file_that_is_a_pipe_or_a_device_is_refused(tmp_path: Path) -> None:
    for given, words in ((_fifo(tmp_path), "named pipe"), (Path("/dev/zero"), "device")):
        one_sentence(run_bounded("--config", str(given), "employees", "list"), words)


# --- what every command does with a failure -----------------------------------------------


@pytest.fixture
def logging_back() -> Iterator[None]:
    """Logging as the other tests have it, once the test (and its ``capsys``, set up after
    this and so torn down before) is over: no handler is left on a closed stream."""
    yield
    configure_logging(None, "WARNING")


def test_a_console_closed_under_the_logging_costs_no_logging_error(
    logging_back: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A program embedding ``main.main`` (a test's capture too) may replace stderr and close
    the one logging was configured with: a later line goes to the stderr now in place,
    not into "--- Logging error ---" (the heartbeat's stall warning after a window test)."""
    configured_with = io.StringIO()
    monkeypatch.setattr(sys, "stderr", configured_with)
    configure_logging(None, "WARNING")
    configured_with.close()
    now = io.StringIO()
    monkeypatch.setattr(sys, "stderr", now)
    logging.getLogger("kiosk.heartbeat").warning("the GUI thread stalled for %d ms", 300)
    assert "the GUI thread stalled for 300 ms" in now.getvalue()
    assert "Logging error" not in now.getvalue()


def test_an_unexpected_error_is_one_line_on_the_console_and_a_traceback_in_the_log(
    tmp_path: Path, logging_back: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug is still a bug: its traceback goes to the log file, for a report, and the
    console says where it is; a logged exception elsewhere (a long-running mode's) is its
    line on the console, its traceback in the file."""
    logs = tmp_path / "logs"
    configure_logging(logs, "WARNING")
    try:
        raise ValueError("shift X: grace minutes must not be negative")
    except ValueError as exc:
        code = failed(exc, "punch", logs / "asistencia.log")
    try:
        raise KeyError("camera")
    except KeyError:
        logging.getLogger("core.camera").exception("the camera reader stopped")
    console = capsys.readouterr().err
    assert code == 1 and "Traceback" not in console and not CLASS_NAME.search(console)
    lines = console.splitlines()
    assert lines[0] == (
        f"asistencia: unexpected error in 'punch'; the details are in {logs / 'asistencia.log'} "
        "(send it with a report of the problem)"
    )
    assert lines[1].endswith(f"the camera reader stopped (traceback in {logs / 'asistencia.log'})")
    assert len(lines) == 2, console
    logged = (logs / "asistencia.log").read_text(encoding="utf-8")
    assert "unexpected error in 'punch'" in logged and "ValueError: shift X" in logged
    assert "Traceback" in logged and "KeyError: 'camera'" in logged


def test_an_output_closed_by_its_reader_ends_without_a_traceback(data_dir: Path) -> None:
    """``main.py employees list | head -1``: the reader goes, the command ends quietly."""
    command = [sys.executable, str(ROOT / "main.py"), "employees", "list"]
    env = {**os.environ, "ASISTENCIA_LANGUAGE": "en"}
    listing = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    assert listing.stdout is not None
    listing.stdout.close()  # before it writes a byte
    _, stderr = listing.communicate(timeout=TIME_LIMIT)
    said = stderr.decode()
    assert "Traceback" not in said and not CLASS_NAME.search(said), said
    assert said in ("", "asistencia: the output was closed before the command finished\n")


# --- employees erase without a terminal ---------------------------------------------------


def test_employees_erase_without_a_terminal_asks_for_yes(ctx: AppContext) -> None:
    ctx.employees().add("cli:test", "E1", "Ana")
    with ctx.store.read() as session:
        audited = session.scalar(select(func.count()).select_from(AuditEntry))
    ctx.close()
    result = run_bounded("employees", "erase", "--code", "E1", "--reason", "asked")
    one_sentence(result, "no terminal", "--yes")
    with ctx.store.read() as session:  # nothing erased, nothing audited
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audited
        assert session.scalar(select(Employee.name).where(Employee.code == "E1")) == "Ana"


# --- identifiers: printable characters only -----------------------------------------------

UNPRINTABLE = {"a newline": ("Ana\nLópez", "U+000A"), "an escape": ("Ana\x1b[2JLópez", "U+001B")}


@pytest.mark.parametrize("case", UNPRINTABLE)
def test_a_kiosk_id_with_a_control_character_is_refused(case: str, data_dir: Path) -> None:
    value, char = UNPRINTABLE[case]
    result = run_bounded("employees", "list", env={"ASISTENCIA_KIOSK_ID": value})
    one_sentence(result, "ASISTENCIA_KIOSK_ID", "printable", char)
    assert not DataPaths(data_dir).database.exists()  # nothing was opened with it
    role = run_bounded("central", "create-kiosk-role", "--name", "kiosk_a", "--kiosk-id", value)
    one_sentence(role, "kiosk id")


@pytest.mark.parametrize("case", UNPRINTABLE)
def test_an_employee_name_or_code_with_a_control_character_is_refused(
    case: str, ctx: AppContext
) -> None:
    value, char = UNPRINTABLE[case]
    named = run_bounded("employees", "add", "--code", "E1", "--name", value)
    one_sentence(named, "the employee's name", char)
    coded = run_bounded("employees", "add", "--code", value.replace(" ", ""), "--name", "Ana")
    one_sentence(coded, "the employee's code", char)
    assert ctx.employees().list(include_inactive=True) == []


# --- a bad camera while blink liveness loads its model -----------------------------------


def test_a_bad_camera_with_blink_liveness_ends_with_one_sentence(tmp_path: Path) -> None:
    """The whole kiosk: headless with a camera that never gives a frame stops at once,
    while blink liveness's model may still be loading."""
    env = {"ASISTENCIA_HEALTH_PORT": "0", "ASISTENCIA_LIVENESS": "blink"}
    camera = str(tmp_path / "door.mp4")
    result = run_bounded("headless", "--camera", camera, "--exit-at-end", env=env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and not CLASS_NAME.search(result.stderr)
    said = [line for line in result.stderr.splitlines() if line.startswith("asistencia: ")]
    assert len(said) == 1 and "gave nothing to recognise" in said[0], result.stderr


# --- against a real central database -------------------------------------------------------


@pytest.fixture
def central(central_url: str) -> Iterator[CentralDatabase]:
    database = CentralDatabase(central_url)
    yield database
    database.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("case", UNPRINTABLE)
def test_a_site_name_with_a_control_character_is_refused(
    case: str, central_url: str, central: CentralDatabase
) -> None:
    value, char = UNPRINTABLE[case]
    env = {"CENTRAL_DATABASE_URL": central_url}
    result = run_bounded("central", "site", "create", "--code", "norte", "--name", value, env=env)
    one_sentence(result, "the site's name", char)
    assert list_sites(central)[0] == []


@pytest.mark.postgres
def test_sync_against_another_deployments_central_database_says_so_once(
    central_url: str, central: CentralDatabase, tmp_path: Path
) -> None:
    """A kiosk that kept its own keys (it never imported the deployment's secrets file)
    syncs with the deployment's central database: refused before anything is sent."""
    other = tmp_path / "other-kiosk"
    write_secrets(other / SECRETS_FILE_NAME, Secrets(DeploymentKeys.generate()))
    events = central_count(central, EVENTS)
    env = {"CENTRAL_DATABASE_URL": central_url}
    result = run_bounded("--data-dir", str(other), "sync", "--once", env=env)
    one_sentence(result, "the central database belongs to the deployment with data key")
    assert central_count(central, EVENTS) == events
