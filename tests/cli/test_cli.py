"""The admin command line, run as real processes the way an operator would."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

from core.reports.columns import RECORD_COLUMNS, headers
from tests.support.cli import run_main

SEEDED_TABLES = ("roles", "users", "shifts", "audit_log")


def _dump(database: Path) -> dict[str, list[tuple[object, ...]]]:
    connection = sqlite3.connect(database)
    try:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()  # noqa: S608
            for table in SEEDED_TABLES
        }
    finally:
        connection.close()


def test_help_lists_the_commands() -> None:
    result = run_main("--help")
    assert result.returncode == 0
    for command in (
        "employees",
        "punch",
        "export",
        "seed",
        "doctor",
        "enroll",
        "headless",
        "bench",
    ):
        assert command in result.stdout


def test_seed_twice_leaves_the_same_rows(tmp_path: Path) -> None:
    data = tmp_path / "d"
    first = run_main("--data-dir", str(data), "seed", env={"ASISTENCIA_ADMIN_PASSWORD": ""})
    assert first.returncode == 0, first.stderr
    assert "first administrator: user 'admin', password '" in first.stdout
    rows = _dump(data / "asistencia.db")
    assert len(rows["roles"]) == 2 and len(rows["shifts"]) == 4 and len(rows["users"]) == 1
    second = run_main("--data-dir", str(data), "seed", env={"ASISTENCIA_ADMIN_PASSWORD": ""})
    assert second.returncode == 0 and "nothing to do" in second.stdout
    assert "password" not in second.stdout
    assert _dump(data / "asistencia.db") == rows


def test_doctor_json_is_valid_and_healthy(tmp_path: Path) -> None:
    result = run_main(
        "--data-dir",
        str(tmp_path / "d"),
        "doctor",
        "--json",
        env={"CENTRAL_DATABASE_URL": "postgresql://kiosk:hunter2@db.example:5432/asistencia"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["healthy"] is True
    names = {check["name"]: check["status"] for check in report["checks"]}
    assert names["store"] == "ok" and names["data_dir"] == "ok" and names["python"] == "ok"
    assert (
        report["settings"]["central_database_url"]
        == "postgresql://kiosk:***@db.example:5432/asistencia"
    )
    assert "hunter2" not in result.stdout + result.stderr


def test_doctor_reports_an_unwritable_data_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run_main("--data-dir", str(blocker / "d"), "doctor")
    assert result.returncode == 1
    assert "FAIL data_dir" in result.stdout and "fix:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_punch_refusals_are_clear_and_record_nothing(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    assert (
        run_main(
            *data, "employees", "add", "--code", "E1", "--name", "Ana García", "--pin", "4821"
        ).returncode
        == 0
    )

    unknown = run_main(*data, "punch", "--code", "NOPE")
    assert unknown.returncode == 1 and "no employee with code 'NOPE'" in unknown.stderr
    wrong = run_main(*data, "punch", "--code", "E1", "--pin", "1111")
    assert wrong.returncode == 1 and "wrong PIN" in wrong.stderr
    ok = run_main(*data, "punch", "--code", "E1", "--pin", "-", stdin="4821\n")
    assert ok.returncode == 0 and "check-in recorded for E1 Ana García" in ok.stdout
    again = run_main(*data, "punch", "--code", "E1")
    assert again.returncode == 1 and "just recorded; try again in" in again.stderr
    for result in (unknown, wrong, again):
        assert "Traceback" not in result.stderr

    export = run_main(
        *data, "export", "--from", "2000-01-01", "--to", "2100-01-01", env={"LANG": "en_GB.UTF-8"}
    )
    rows = list(csv.DictReader(io.StringIO(export.stdout)))
    assert [(r["Code"], r["Type"], r["Method"]) for r in rows] == [("E1", "In", "PIN")]


def test_export_of_an_empty_range_is_header_only(tmp_path: Path) -> None:
    result = run_main(
        "--data-dir",
        str(tmp_path / "d"),
        "export",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        env={"ASISTENCIA_LANGUAGE": "es"},
    )
    assert result.returncode == 0
    assert result.stdout == ",".join(headers(RECORD_COLUMNS, "es")) + "\n"
    out = tmp_path / "enero.xlsx"
    result = run_main(
        "--data-dir",
        str(tmp_path / "d"),
        "export",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        "--format",
        "xlsx",
        "-o",
        str(out),
    )
    assert result.returncode == 0 and out.stat().st_size > 0
    bad = run_main(
        "--data-dir", str(tmp_path / "d"), "export", "--from", "2026-02-01", "--to", "2026-01-01"
    )
    assert bad.returncode == 2 and "before --from" in bad.stderr


def test_employee_lifecycle_from_the_command_line(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    assert (
        run_main(
            *data, "employees", "add", "--code", "E7", "--name", "Luis", "--shift", "Noche"
        ).returncode
        == 0
    )
    listed = json.loads(run_main(*data, "employees", "list", "--json").stdout)
    assert listed == [
        {
            "code": "E7",
            "name": "Luis",
            "active": True,
            "has_pin": False,
            "face_templates": 0,
            "shifts": ["Noche"],
        }
    ]
    erase = run_main(*data, "employees", "erase", "--code", "E7", "--reason", "request", "--yes")
    assert erase.returncode == 0 and "erased 0 face template(s)" in erase.stdout
    assert (
        run_main(*data, "employees", "deactivate", "--code", "E7", "--reason", "left").returncode
        == 0
    )
    assert json.loads(run_main(*data, "employees", "list", "--json").stdout) == []
    missing = run_main(*data, "employees", "erase", "--code", "E8", "--reason", "x", "--yes")
    assert missing.returncode == 1 and "no employee with code 'E8'" in missing.stderr
