"""The data dir is the kiosk user's only: folders 0700, files 0600 (issue 11, item 4).

Real runs of ``main.py`` make the files (database, -wal/-shm, backups, logs, exports, the
first administrator's password, the settings); then, as root, ``nobody`` tries to read and
list each of them. Older, looser files are tightened by ``migrate`` and by a normal start.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from core.config import load_settings, save_settings
from core.context import AppContext
from core.doctor.report import check_data_dir_modes
from core.host.logs import configure_logging
from core.host.paths import PRIVATE_UMASK, DataPaths, make_private
from core.store.database import Store
from core.store.migrate import alembic_config, backup_sqlite
from tests.support.cli import run_main
from tests.support.paths import DATA

PHOTO = DATA / "faces" / "img1.jpg"
NOBODY = "nobody"
# Every mode but the window (its own tests need a display) as the test runs them.
HEADLESS_ENV = {"ASISTENCIA_HEALTH_PORT": "0"}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _entries(root: Path) -> list[Path]:
    """The data dir and everything in it, symlinks left out (they are never followed)."""
    found = [root]
    for folder, dirs, files in os.walk(root):
        found += [Path(folder, name) for name in (*dirs, *files)]
    return [path for path in found if not path.is_symlink()]


def _loose(root: Path) -> list[str]:
    """Entries whose mode is not private: folders must be 0700, files 0600 or tighter."""
    wrong = []
    for path in _entries(root):
        mode = _mode(path)
        if (path.is_dir() and mode != 0o700) or (not path.is_dir() and mode & 0o077):
            wrong.append(f"{path.relative_to(root.parent)} {mode:o}")
    return wrong


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The umask most desktops have (0022), so a test shows a mode the code sets itself."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _as_nobody_command() -> list[str]:
    if os.geteuid() != 0:
        pytest.skip("runs commands as 'nobody', which needs root")
    try:
        pwd.getpwnam(NOBODY)
    except KeyError:
        pytest.skip("this machine has no 'nobody' user")
    if runuser := shutil.which("runuser"):
        return [runuser, "-u", NOBODY, "--"]
    pytest.skip("runuser is not installed")


def _nobody_opens(paths: list[Path]) -> list[str]:
    """The paths ``nobody`` can read (files, with cat and cp) or list (folders, with ls)."""
    prefix = _as_nobody_command()
    script = (
        'for p in "$@"; do'
        '  if [ -d "$p" ]; then ls -a "$p" >/dev/null 2>&1 && echo "listed $p";'
        '  else cat "$p" >/dev/null 2>&1 && echo "read $p";'
        '       cp "$p" /dev/null 2>/dev/null && echo "copied $p"; fi;'
        "done; exit 0"
    )
    done = subprocess.run(
        [*prefix, "/bin/sh", "-c", script, "sh", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.fixture
def open_parent() -> Iterator[Path]:
    """A folder ``nobody`` can reach (pytest's own are 0700 and would hide any leak)."""
    parent = Path(tempfile.mkdtemp(prefix="asistencia-modes-"))
    parent.chmod(0o755)
    try:
        yield parent
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def _database_at(database: Path, revision: str) -> None:
    """A database an older version left: at ``revision``, 0644 under the usual umask."""
    from alembic import command

    previous = os.umask(0o022)
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(f"sqlite:///{database}")
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        engine.dispose()
    finally:
        os.umask(previous)


def _ok(*args: str, env: dict[str, str] | None = None, timeout: float = 180) -> str:
    done = run_main(*args, env={**HEADLESS_ENV, **(env or {})}, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_nobody_can_read_or_list_anything_the_kiosk_writes(open_parent: Path) -> None:
    _as_nobody_command()
    data = open_parent / "data"
    paths = DataPaths(data)
    d = ["--data-dir", str(data)]
    _database_at(paths.database, "0001")
    # A migration makes a backup; the first start writes the one-time admin password.
    assert "backup at" in _ok(*d, "migrate")
    _ok(*d, "employees", "add", "--code", "E2", "--name", "Bea Ruiz", "--pin", "4321",
        env={"ASISTENCIA_ADMIN_PASSWORD": ""})  # fmt: skip
    _ok(*d, "enroll", "--code", "E1", "--name", "Ana Gil", str(PHOTO))
    _ok(*d, "punch", "--code", "E2", "--pin", "4321")
    today = date.today().isoformat()
    _ok(*d, "export", "--from", today, "--to", today, "-o", str(paths.exports / "day.csv"))
    _ok(*d, "headless", "--exit-at-end")
    # The settings screen's save (its own process has the umask too; here the usual one).
    previous = os.umask(0o022)
    try:
        save_settings(paths.settings_file, {"cooldown_seconds": 30})
    finally:
        os.umask(previous)
    # While a kiosk runs, the database has its -wal and -shm beside it.
    store = Store.open_sqlite(paths.database)
    try:
        with store.write() as session:
            session.execute(text("UPDATE employees SET name = name"))
        files = {path.name for path in _entries(data)}
        for expected in (
            "asistencia.db",
            "asistencia.db-wal",
            "asistencia.db-shm",
            "asistencia.toml",
            "first-admin-password.txt",
            "asistencia.log",
            "day.csv",
        ):
            assert expected in files, sorted(files)
        assert any(path.suffix == ".db" for path in paths.backups.iterdir())
        # the default models ship with the program: nothing is staged in the data dir
        staged = [p for p in paths.models.rglob("*") if p.is_file()]
        assert not staged, staged
        assert _loose(data) == []
        control = open_parent / "control.txt"
        control.write_text("anyone may read this", encoding="utf-8")
        control.chmod(0o644)
        assert _nobody_opens([control]) != [], "the check itself cannot see a readable file"
        assert _nobody_opens(_entries(data)) == []
    finally:
        store.dispose()


def _loosen(root: Path) -> None:
    """What a version before the private umask left: folders 0755, files 0644."""
    for path in _entries(root):
        path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.mark.parametrize(
    "command", [["migrate"], ["headless", "--exit-at-end"]], ids=["migrate", "normal-start"]
)
def test_older_looser_files_are_tightened(command: list[str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    paths = DataPaths(data)
    d = ["--data-dir", str(data)]
    _ok(*d, "migrate")
    backup = paths.backups / "asistencia-20240101T000000Z-before-0002.db"
    shutil.copyfile(paths.database, backup)
    (paths.logs / "asistencia.log.1").write_text("an older, rotated log\n", encoding="utf-8")
    (paths.exports / "old.csv").write_text("code,name\n", encoding="utf-8")
    paths.settings_file.write_text("cooldown_seconds = 30\n", encoding="utf-8")
    outside = tmp_path / "shared-weights.dat"
    outside.write_bytes(b"weights")
    (paths.models / "link.dat").symlink_to(outside)
    _loosen(data)
    outside.chmod(0o644)
    foreign = None
    if os.geteuid() == 0:
        # Another user's file is reported and left alone, not chmod'ed.
        foreign = paths.exports / "theirs.csv"
        foreign.write_text("theirs\n", encoding="utf-8")
        foreign.chmod(0o644)
        os.chown(foreign, pwd.getpwnam(NOBODY).pw_uid, -1)

    out = _ok(*d, *command)

    loose = _loose(data)
    if foreign is not None:
        assert loose == [f"data/exports/theirs.csv {0o644:o}"]
        assert "belong to another user" in out and "exports/theirs.csv" in out
    else:
        assert loose == []
    assert _mode(data) == 0o700 and _mode(paths.backups) == 0o700
    assert _mode(paths.database) == _mode(backup) == 0o600
    assert _mode(paths.logs / "asistencia.log.1") == _mode(paths.settings_file) == 0o600
    assert _mode(outside) == 0o644, "a symlink was followed"
    if command == ["migrate"]:
        assert "private (folders 0700, files 0600)" in out


def test_what_cannot_be_tightened_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    data = tmp_path / "data"
    d = ["--data-dir", str(data)]
    _ok(*d, "migrate")
    # A socket cannot be opened to be chmod'ed: one sentence, and the rest is still done.
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(data / "leftover.sock"))
        (data / "leftover.sock").chmod(0o777)
        _loosen(data / "logs")
        out = _ok(*d, "migrate")
    assert f"cannot make {data / 'leftover.sock'} private" in out
    assert "Traceback" not in out
    assert _loose(data) == [f"data/leftover.sock {0o777:o}"]


def test_every_mode_runs_with_the_private_umask(monkeypatch: pytest.MonkeyPatch) -> None:
    import main

    seen: list[tuple[str, int]] = []

    def umask_now() -> int:
        current = os.umask(0)
        os.umask(current)
        return current

    def window(_ctx: AppContext, *, fullscreen: bool) -> int:
        seen.append(("window", umask_now()))
        return 0

    def command(_ctx: AppContext, args: object) -> int:
        seen.append((str(getattr(args, "command", "")), umask_now()))
        return 0

    monkeypatch.setattr(main, "run_window", window)
    monkeypatch.setattr(main, "run_command", command)
    previous = os.umask(0o022)
    try:
        for argv in ([], ["headless"], ["migrate"], ["export", "--from", "2024-01-01",
                     "--to", "2024-01-01"]):  # fmt: skip
            assert main.main(argv) == 0
        after = umask_now()
    finally:
        os.umask(previous)
    assert seen == [
        ("window", PRIVATE_UMASK),
        ("headless", PRIVATE_UMASK),
        ("migrate", PRIVATE_UMASK),
        ("export", PRIVATE_UMASK),
    ]
    assert after == 0o022, "main() embedded in another program leaves its umask as it was"


def test_the_settings_file_is_written_0600_atomically(tmp_path: Path, loose_umask: None) -> None:
    settings_file = tmp_path / "asistencia.toml"
    save_settings(settings_file, {"cooldown_seconds": 30})
    assert _mode(settings_file) == 0o600
    # An older file, and a .part a crash left behind, both 0644: the result is still 0600.
    settings_file.chmod(0o644)
    partial = tmp_path / "asistencia.toml.part"
    partial.write_text("half", encoding="utf-8")
    partial.chmod(0o644)
    assert save_settings(settings_file, {"cooldown_seconds": 45}).cooldown_seconds == 45
    assert _mode(settings_file) == 0o600 and not partial.exists()
    assert load_settings(settings_file).cooldown_seconds == 45


def test_log_files_are_0600_new_rotated_and_older(tmp_path: Path, loose_umask: None) -> None:
    import logging
    import logging.handlers

    logs = tmp_path / "logs"
    older = logs / "asistencia.log"
    logs.mkdir()
    older.write_text("from an older version\n", encoding="utf-8")
    older.chmod(0o644)
    configure_logging(logs, "WARNING")
    try:
        logging.getLogger("asistencia.test").warning("a line")
        (handler,) = (
            h
            for h in logging.getLogger().handlers
            if isinstance(h, logging.handlers.RotatingFileHandler)
        )
        handler.doRollover()
        logging.getLogger("asistencia.test").warning("after the rotation")
        assert sorted(p.name for p in logs.iterdir()) == ["asistencia.log", "asistencia.log.1"]
        assert all(_mode(p) == 0o600 for p in logs.iterdir())
        # A new log folder is 0700.
        configure_logging(tmp_path / "new-logs", "WARNING")
        assert _mode(tmp_path / "new-logs") == 0o700
        assert _mode(tmp_path / "new-logs" / "asistencia.log") == 0o600
    finally:
        configure_logging(None, "WARNING")


def test_backups_are_private_whatever_the_umask(tmp_path: Path, loose_umask: None) -> None:
    store = Store.open_sqlite(tmp_path / "asistencia.db")
    try:
        with store.write() as session:
            session.execute(text("CREATE TABLE t (x)"))
    finally:
        store.dispose()
    assert _mode(tmp_path / "asistencia.db") == 0o600
    backup = backup_sqlite(tmp_path / "asistencia.db", tmp_path / "backups", "test")
    assert _mode(backup) == 0o600 and _mode(tmp_path / "backups") == 0o700


def test_the_data_dir_and_its_folders_are_made_0700(tmp_path: Path, loose_umask: None) -> None:
    paths = DataPaths(tmp_path / "new" / "data")
    report = paths.ensure()
    for folder in (paths.root, paths.backups, paths.logs, paths.models, paths.exports):
        assert _mode(folder) == 0o700, folder
    assert report.warnings() == []


def test_doctor_warns_when_the_data_dir_is_open_to_others(tmp_path: Path) -> None:
    # A data dir pointed at a shared folder (sticky and open to all, like /tmp).
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    report = make_private(shared)
    assert _mode(shared) == 0o1777, "a shared folder's modes are left as they are"
    assert "give it a folder of its own" in report.warnings()[0]
    check = check_data_dir_modes(AppContext(DataPaths(shared), load_settings(None)))
    assert check.status == "warn" and "--data-dir" in check.fix

    own = DataPaths(tmp_path / "own")
    own.ensure()
    ok = check_data_dir_modes(AppContext(own, load_settings(None)))
    assert ok.status == "ok", ok
    (own.logs / "asistencia.log").write_text("x", encoding="utf-8")
    (own.logs / "asistencia.log").chmod(0o644)
    loose = check_data_dir_modes(AppContext(own, load_settings(None)))
    assert loose.status == "warn" and "logs/asistencia.log" in loose.detail
    assert "migrate" in loose.fix


def test_doctor_reports_data_dir_modes_after_a_real_run(tmp_path: Path) -> None:
    import json

    data = tmp_path / "data"
    out = run_main("--data-dir", str(data), "doctor", "--json")
    report = json.loads(out.stdout)
    checks = {check["name"]: check for check in report["checks"]}
    assert checks["data_dir_modes"]["status"] == "ok", checks["data_dir_modes"]
