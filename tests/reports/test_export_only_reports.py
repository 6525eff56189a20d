"""An export writes only where an export may go (issue 22, item 5).

The finding: ``export -o`` refused the database, WAL, secrets and backups/, but replaced the
kiosk's own log file, followed a symbolic link under models/ and replaced the weight file it
pointed to, and replaced /etc/passwd as root. Now an export writes a new file or one of its
own earlier reports (recognised by its content: core/reports/marker.py), never through a
symbolic link, and in the data dir only into its exports folder. Each case below goes through
the real command line (a sentence, exit 2, no traceback, the target unchanged) or through
``write_report``, the function the Export page calls.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from core.context import AppContext
from core.errors import UsageError
from core.host.paths import DataPaths
from core.reports import Format, Report, build_report, write_report
from core.reports import files as report_files
from core.reports.csv_format import csv_rows
from core.reports.export_target import export_folder
from core.reports.labels import Language
from core.reports.marker import is_our_report
from core.reports.xlsx_format import write_xlsx
from tests.support.cli import CliResult, run_main

NOW = datetime(2026, 11, 10, tzinfo=UTC)
PERIOD = ("--from", "2026-11-01", "--to", "2026-11-30")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A kiosk's data dir as the command line leaves it: database, log, an employee."""
    folder = tmp_path / "d"
    added = run_main("--data-dir", str(folder), "employees", "add", "--code", "E1", "--name", "Ana")
    assert added.returncode == 0, added.stderr
    return folder


def _export(data: Path, target: Path, *extra: str, language: str = "en") -> CliResult:
    env = {"ASISTENCIA_LANGUAGE": language}
    return run_main("--data-dir", str(data), "export", *PERIOD, *extra, "-o", str(target), env=env)


def _cli_refused(data: Path, target: Path, why: str, *extra: str) -> None:
    """Refused in one sentence, exit 2, no traceback; the caller checks the target."""
    result = _export(data, target, *extra)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"asistencia: cannot write {target}: "), lines[0]
    assert why in lines[0] and "Traceback" not in result.stderr, lines[0]
    assert result.stdout == ""


def test_the_kiosks_log_file_is_refused_and_left_as_it_was(data: Path, tmp_path: Path) -> None:
    log = data / "logs" / "asistencia.log"
    before = _digest(log)
    for fmt in ("csv", "xlsx"):
        _cli_refused(data, log, "the kiosk's data folder", "--format", fmt)
    assert _digest(log) == before
    assert not (data / "logs" / "asistencia-summary.log").exists()
    # A copy of it anywhere else is no report either: recognised by content, not by place.
    copy = tmp_path / "asistencia.log"
    shutil.copyfile(log, copy)
    _cli_refused(data, copy, "not a report Asistencia wrote")
    assert _digest(copy) == before


def test_a_link_under_models_is_refused_and_the_weights_stay_byte_identical(
    data: Path, tmp_path: Path
) -> None:
    weights = tmp_path / "package" / "facenet512_weights.h5"
    weights.parent.mkdir()
    weights.write_bytes(os.urandom(1 << 16))
    before = _digest(weights)
    staged = data / "models" / ".deepface" / "weights" / "facenet512_weights.h5"
    staged.parent.mkdir(parents=True)
    staged.symlink_to(weights)
    for fmt in ("csv", "xlsx"):
        _cli_refused(data, staged, "the kiosk's data folder", "--format", fmt)
    # The same link in a folder the administrator may name: refused as a link.
    elsewhere = tmp_path / "out" / "report.xlsx"
    elsewhere.parent.mkdir()
    elsewhere.symlink_to(weights)
    _cli_refused(data, elsewhere, "symbolic link", "--format", "xlsx")
    assert _digest(weights) == before
    assert staged.is_symlink() and elsewhere.is_symlink()
    assert staged.readlink() == weights


def test_a_stranger_system_file_is_refused_and_unchanged(data: Path, tmp_path: Path) -> None:
    """A stand-in for /etc/passwd: a regular file outside the data dir that is no report."""
    passwd = tmp_path / "etc" / "passwd"
    passwd.parent.mkdir()
    passwd.write_text(PASSWD, encoding="utf-8")
    for fmt in ("csv", "xlsx"):
        _cli_refused(data, passwd, "not a report Asistencia wrote", "--format", fmt)
    assert passwd.read_text(encoding="utf-8") == PASSWD
    assert sorted(p.name for p in passwd.parent.iterdir()) == ["passwd"]


def test_the_real_etc_passwd_is_refused_by_the_check(tmp_path: Path) -> None:
    """The check alone (it writes nothing), so that a broken one cannot harm this machine."""
    passwd = Path("/etc/passwd")
    if not passwd.is_file():
        pytest.skip("no /etc/passwd here")
    before = _digest(passwd)
    with (
        export_folder(passwd, DataPaths(tmp_path / "d")) as folder,
        pytest.raises(UsageError, match="not a report Asistencia wrote"),
    ):
        folder.check(passwd, is_our_report)
    assert _digest(passwd) == before


def test_a_csv_or_workbook_someone_else_wrote_is_refused(data: Path, tmp_path: Path) -> None:
    sales = tmp_path / "ventas.csv"
    sales.write_text("\ufeffFecha;Importe\r\n2026-11-02;12,50\r\n", encoding="utf-8")
    _cli_refused(data, sales, "not a report Asistencia wrote")
    book = tmp_path / "nominas.xlsx"
    workbook = Workbook()
    workbook.active.append(["Código", "Nombre"])  # our words, but not our mark
    workbook.save(book)
    before = _digest(book)
    _cli_refused(data, book, "not a report Asistencia wrote", "--format", "xlsx")
    assert sales.read_text(encoding="utf-8").startswith("\ufeffFecha;Importe")
    assert _digest(book) == before


def test_a_folder_is_refused_with_its_content(data: Path, tmp_path: Path) -> None:
    folder = tmp_path / "informes.xlsx"
    folder.mkdir()
    (folder / "keep.txt").write_text("x", encoding="utf-8")
    _cli_refused(data, folder, "it is a folder", "--format", "xlsx")
    assert folder.is_dir() and [p.name for p in folder.iterdir()] == ["keep.txt"]


def test_the_data_dir_takes_reports_only_in_its_exports_folder(data: Path) -> None:
    for new in (data / "nov.csv", data / "logs" / "nov.csv", data / "models" / "x" / "nov.xlsx"):
        _cli_refused(data, new, "only into its exports folder", "--format", new.suffix[1:])
        assert not new.exists()
    assert not (data / "models" / "x").exists()  # no folder made there either
    nested = data / "exports" / "2026" / "nov.csv"
    for _ in range(2):
        done = _export(data, nested)
        assert done.returncode == 0, done.stderr
    assert csv_rows(nested.read_text(encoding="utf-8"))[0][:2] == ["Record", "Code"]


def test_the_command_line_replaces_its_own_earlier_reports(data: Path, tmp_path: Path) -> None:
    """Each language and CSV form of ours is recognised by the next export, whatever its own."""
    target = tmp_path / "noviembre.csv"
    for language, extra in (("es", ()), ("en", ("--csv-style", "rfc4180")), ("es", ())):
        done = _export(data, target, *extra, language=language)
        assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8").startswith("\ufeffRegistro;Código;")
    assert (tmp_path / "noviembre-totals.csv").is_file()
    book = tmp_path / "noviembre.xlsx"
    for language in ("en", "es"):
        done = _export(data, book, "--format", "xlsx", language=language)
        assert done.returncode == 0, done.stderr
    assert load_workbook(book).sheetnames[0] == "Registros"


def test_a_refusal_is_said_in_the_users_language(data: Path, tmp_path: Path) -> None:
    stranger = tmp_path / "notas.csv"
    stranger.write_text("nada\n", encoding="utf-8")
    result = _export(data, stranger, language="es")
    assert result.returncode == 2
    assert result.stderr == (
        f"asistencia: no se puede escribir {stranger}: ya existe y no es un informe escrito "
        "por Asistencia, y una exportación solo sustituye sus propios informes; elija otro "
        "nombre\n"
    )


# --- through write_report, as the Export page writes ----------------------------------------


def _report(ctx: AppContext) -> Report:
    return build_report(ctx.store, date(2026, 11, 1), date(2026, 11, 30), ctx.settings.zone, NOW)


def test_the_export_pages_function_replaces_earlier_reports(
    ctx: AppContext, tmp_path: Path
) -> None:
    ctx.employees().add("cli:test", "E1", "Ana")
    report = _report(ctx)
    central = Report([], [], [], report.start, report.end, central=True)  # with the Site column
    rounds: list[tuple[Report, Language]] = [(report, "es"), (central, "en"), (report, "en")]
    formats: tuple[Format, ...] = ("csv", "xlsx")
    for fmt in formats:
        for which, language in rounds:
            written = write_report(
                which, tmp_path / f"nov.{fmt}", fmt, store_files=ctx.paths, language=language
            )
            assert all(path.is_file() for path in written)
    assert (tmp_path / "nov.csv").read_text(encoding="utf-8").startswith("\ufeffRecord,Code,")
    assert load_workbook(tmp_path / "nov.xlsx").sheetnames[0] == "Records"


def test_a_link_swapped_in_after_the_check_is_not_written_through(
    ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _report(ctx)
    target = tmp_path / "nov.xlsx"
    write_report(report, target, "xlsx", store_files=ctx.paths)
    victim = tmp_path / "weights.h5"
    victim.write_bytes(b"weights" * 1000)
    before = _digest(victim)
    real = write_xlsx

    def swap_then_build(*args: object) -> None:  # between the check and the write
        target.unlink()
        target.symlink_to(victim)
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(report_files, "write_xlsx", swap_then_build)
    with pytest.raises(UsageError, match="changed while the report was being written"):
        write_report(report, target, "xlsx", store_files=ctx.paths)
    assert _digest(victim) == before and target.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir() if ".part" in p.name) == []


def test_a_link_swapped_in_at_the_rename_is_replaced_never_followed(
    ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last instant: the rename replaces the link itself, not the file it names."""
    report = _report(ctx)
    target = tmp_path / "nov.xlsx"
    victim = tmp_path / "passwd"
    victim.write_text(PASSWD, encoding="utf-8")
    real_rename = os.rename

    def swap_then_rename(source: str, name: str, **fds: int) -> None:
        os.symlink(victim, name, dir_fd=fds["dst_dir_fd"])
        real_rename(source, name, **fds)

    monkeypatch.setattr(os, "rename", swap_then_rename)
    (written,) = write_report(report, target, "xlsx", store_files=ctx.paths)
    monkeypatch.undo()
    assert victim.read_text(encoding="utf-8") == PASSWD
    assert not target.is_symlink() and load_workbook(written).sheetnames[0] == "Registros"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (soffice not on PATH)")
def test_libreoffice_shows_the_marked_report_and_keeps_it_ours(
    ctx: AppContext, tmp_path: Path
) -> None:
    """The mark is not a cell: LibreOffice shows the sheets as before. A report the clerk
    saved again in LibreOffice, XLSX or CSV, is still ours and may be replaced."""
    ctx.employees().add("cli:test", "E1", "Ana García")
    ctx.attendance().record_manual(
        "cli:test", "E1", "olvido", now=datetime(2026, 11, 2, 8, tzinfo=UTC)
    )
    report = _report(ctx)
    (book,) = write_report(report, tmp_path / "nov.xlsx", "xlsx", store_files=ctx.paths)
    records, *_ = write_report(report, tmp_path / "nov.csv", "csv", store_files=ctx.paths)
    shown, saved = tmp_path / "shown", tmp_path / "saved"
    csv_filter = "csv:Text - txt - csv (StarCalc):59,34,76,1"
    _soffice(["--convert-to", csv_filter, "--outdir", str(shown), str(book)], tmp_path)
    _soffice(["--convert-to", "xlsx", "--outdir", str(saved), str(book)], tmp_path)
    _soffice(
        [
            "--infilter=CSV:59,34,76,1",
            "--convert-to",
            csv_filter,
            "--outdir",
            str(saved),
            str(records),
        ],
        tmp_path,
    )
    rows = csv_rows((shown / "nov.csv").read_text(encoding="utf-8"))
    assert rows[0][:4] == ["Registro", "Código", "Nombre", "Tipo"]
    assert rows[1][1:3] == ["E1", "Ana García"] and len(rows) == 2
    for resaved in (saved / "nov.xlsx", saved / "nov.csv"):
        with resaved.open("rb") as handle:
            assert is_our_report(handle), resaved
    write_report(report, saved / "nov.xlsx", "xlsx", store_files=ctx.paths)
    (again, *_) = write_report(report, saved / "nov.csv", "csv", store_files=ctx.paths)
    assert again.read_text(encoding="utf-8").startswith("\ufeffRegistro;")


def _soffice(args: list[str], cwd: Path) -> None:
    profile = (cwd / "lo-profile").as_uri()
    done = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={profile}", "--headless", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
