"""An export writes a new file or replaces an old report, never anything else (issue 11, 2;
issue 22, 5: tests/reports/test_export_only_reports.py has the cases of that finding).

The rename that makes an export atomic would replace whatever the name points to: the live
database (every unsynced record gone), a backup, a device node, a named pipe.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core.context import AppContext
from core.errors import UsageError
from core.reports import build_report, write_report
from tests.support.cli import run_main

NOW = datetime(2026, 11, 10, tzinfo=UTC)
EXPORT = ("export", "--from", "2026-11-01", "--to", "2026-11-30")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(ctx: AppContext, target: Path) -> list[Path]:
    report = build_report(ctx.store, date(2026, 11, 1), date(2026, 11, 30), ctx.settings.zone, NOW)
    return write_report(report, target, "csv", store_files=ctx.paths)


def _write_xlsx(ctx: AppContext, target: Path) -> list[Path]:
    report = build_report(ctx.store, date(2026, 11, 1), date(2026, 11, 30), ctx.settings.zone, NOW)
    return write_report(report, target, "xlsx", store_files=ctx.paths)


def _refused(ctx: AppContext, target: Path, why: str) -> None:
    with pytest.raises(UsageError, match=why) as caught:
        _write(ctx, target)
    message = str(caught.value)
    assert message.startswith(f"cannot write {target}: ") and "\n" not in message


@pytest.fixture
def stored(ctx: AppContext) -> AppContext:
    ctx.employees().add("cli:test", "E1", "Ana", pin="4821")
    return ctx


def test_the_cli_refuses_the_live_database_and_leaves_it_working(tmp_path: Path) -> None:
    data = tmp_path / "d"
    added = run_main("--data-dir", str(data), "employees", "add", "--code", "E1", "--name", "Ana")
    assert added.returncode == 0, added.stderr
    database = data / "asistencia.db"
    before = _digest(database)
    for target in (database, data / "asistencia.db-wal"):
        result = run_main("--data-dir", str(data), *EXPORT, "-o", str(target))
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"asistencia: cannot write {target}: ")
        assert "database" in lines[0] and "Traceback" not in result.stderr
    assert _digest(database) == before
    listing = run_main("--data-dir", str(data), "employees", "list")
    assert listing.returncode == 0 and "Ana" in listing.stdout, listing.stderr


def test_a_proc_path_is_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    data = tmp_path / "d"
    for target in ("/proc/asistencia.csv", "/proc/self/status", "/sys/kernel/x.csv"):
        result = run_main("--data-dir", str(data), *EXPORT, "-o", target)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"asistencia: cannot write {target}: ")
        assert "system file system" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_links_to_the_database_and_the_data_dirs_own_files_are_refused(
    stored: AppContext, tmp_path: Path
) -> None:
    database = stored.paths.database
    before = _digest(database)
    symlink = tmp_path / "report.csv"
    symlink.symlink_to(database)
    _refused(stored, symlink, "symbolic link")
    hard = tmp_path / "elsewhere" / "report.csv"
    hard.parent.mkdir()
    os.link(database, hard)
    _refused(stored, hard, r"the kiosk's database \(under another name\)")
    # A shm file from a live connection (WAL) and a backup named as core/store names them.
    _refused(stored, database.with_name("asistencia.db-shm"), "shared-memory")
    backup = stored.paths.backups / "asistencia-20261101T000000Z-before-0002.db"
    backup.write_bytes(database.read_bytes())
    backup_before = _digest(backup)
    # The data dir takes reports only in its exports folder, whatever the name.
    for own in (backup, stored.paths.backups / "new.csv", stored.paths.settings_file):
        _refused(stored, own, "the kiosk's data folder")
    secrets = stored.paths.root / "pepper.key"
    secrets.write_text("pepper = 'x'\n", encoding="utf-8")
    _refused(stored, secrets, "the kiosk's data folder")
    assert secrets.read_text(encoding="utf-8") == "pepper = 'x'\n"
    _refused(stored, stored.paths.root / "nov.xlsx", "only into its exports folder")
    assert not (stored.paths.root / "nov.xlsx").exists()
    linked_backup = tmp_path / "old.csv"  # a backup under another name: not a report
    os.link(backup, linked_backup)
    _refused(stored, linked_backup, "not a report")
    for _ in range(2):  # its own folder, and the report in it written again
        (fresh,) = _write_xlsx(stored, stored.paths.exports / "nov.xlsx")
    assert fresh.is_file()
    assert _digest(database) == before and _digest(backup) == backup_before
    assert symlink.is_symlink() and hard.stat().st_nlink == 2
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM employees").fetchone() == (1,)


def test_a_summary_name_that_hits_the_database_refuses_before_writing(
    stored: AppContext, tmp_path: Path
) -> None:
    """CSV writes NAME and NAME-summary.csv: both are checked before either is written."""
    database = stored.paths.database
    before = _digest(database)
    target = tmp_path / "report.db"
    os.link(database, tmp_path / "report-summary.db")
    with pytest.raises(UsageError, match="database"):
        _write(stored, target)
    assert not target.exists() and _digest(database) == before


def test_folders_pipes_and_devices_are_refused_untouched(
    stored: AppContext, tmp_path: Path
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    _refused(stored, folder, "folder")
    assert folder.is_dir()
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    _refused(stored, fifo, "named pipe")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    _refused(stored, Path("/dev/null"), r"character device|system file system")
    assert stat.S_ISCHR(Path("/dev/null").lstat().st_mode)
    if os.geteuid() == 0:  # only root can make (and, before the fix, replace) a device node
        node = tmp_path / "null.csv"
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        _refused(stored, node, "character device")
        assert stat.S_ISCHR(node.lstat().st_mode)


def test_the_secrets_file_is_refused_wherever_it_is_kept(
    stored: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "run-secrets" / "asistencia.toml"
    elsewhere.parent.mkdir()
    elsewhere.write_text("pepper = 'x'\n", encoding="utf-8")
    monkeypatch.setenv("ASISTENCIA_SECRETS_FILE", str(elsewhere))
    _refused(stored, elsewhere, "not a report Asistencia wrote")
    assert elsewhere.read_text(encoding="utf-8") == "pepper = 'x'\n"


def test_new_files_and_old_reports_are_still_written(stored: AppContext, tmp_path: Path) -> None:
    old = tmp_path / "nov.csv"
    _write(stored, old)
    old.chmod(0o640)
    records, summary, _totals = _write(stored, old)
    assert records == old.resolve() and summary.name == "nov-summary.csv"
    assert old.read_text(encoding="utf-8").startswith("\ufeffRegistro;")
    assert stat.S_IMODE(old.stat().st_mode) == 0o640  # an earlier report's mode stays
    assert stat.S_IMODE(summary.stat().st_mode) == 0o600  # people's data: owner only
    # A link to an old report is not followed: the report and the link stay as they were.
    link = tmp_path / "latest.csv"
    link.symlink_to(old)
    before = _digest(old)
    _refused(stored, link, "symbolic link")
    assert link.is_symlink() and _digest(old) == before
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))
