"""A month's payroll report for 20 employees, opened by a real spreadsheet program.

The scenario goes through a real SQLite store and the real services: shifts, employees,
check-ins, breaks and check-outs recorded as the day goes (the attendance rules decide
shift days, lateness and overtime), and an administrator's correction of a check-out's
time (the original voided, a manual replacement) through ``AttendanceService.amend``.

LibreOffice (``soffice --headless``) then opens both files: the XLSX is converted to CSV
as it shows its cells (durations in decimal hours, dates under their formats), the CSV is
imported as a Spanish user's LibreOffice reads it (';', decimal comma) and saved as XLSX.
The totals it read must equal the ones computed here from the scenario, independently of
the rules and the summary code.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from core.attendance.outcomes import Recorded
from core.attendance.rules import Kind
from core.attendance.service import AttendanceService
from core.attendance.shifts import ShiftInput, save_shift
from core.context import AppContext
from core.reports import build_report, write_report

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (soffice not on PATH): apt-get install "
    "libreoffice-calc-nogui; .ci/run installs it",
)

MADRID = ZoneInfo("Europe/Madrid")
NOVEMBER = [date(2026, 11, day) for day in range(1, 31)]
WORKDAYS = [day for day in NOVEMBER if day.weekday() < 5]  # 21 days
NOW = datetime(2026, 12, 10, 12, tzinfo=UTC)  # every November shift is over
OFFICE = [f"E{i:02d}" for i in range(1, 17)]  # Oficina 09:00-18:00 Mon-Fri, grace 10
NIGHT = [f"E{i:02d}" for i in range(17, 21)]  # Noche L-V 22:00-06:00, grace 5
FORGETS = ("E05", WORKDAYS[6])  # checks in and never out
CORRECTED = ("E07", WORKDAYS[8])  # the check-out is corrected from 18:xx to 19:00
ACTOR = "user:admin"


@dataclass
class Expected:
    days_worked: int = 0
    worked: timedelta = timedelta(0)
    breaks: timedelta = timedelta(0)
    overtime: int = 0
    late: int = 0
    early: int = 0
    absences: int = 0
    missing: int = 0
    corrections: int = 0


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, MADRID)


def _plan(index: int, position: int) -> tuple[int, int, int] | None:
    """(minutes late after the start, minutes after the end it leaves, break minutes), or
    None for a day off sick."""
    if (index * 3 + position) % 13 == 0:
        return None
    arrive = (index * 7 + position * 3) % 20
    leave = (-30, 0, 15, 30)[(index + position) % 4]
    return arrive, leave, 30 + (index % 3) * 15


def _scenario(ctx: AppContext) -> dict[str, Expected]:
    save_shift(
        ctx.store,
        ACTOR,
        "kiosk-test",
        None,
        ShiftInput("Noche L-V", time(22), time(6), frozenset(range(5)), grace_in=5),
    )
    for index, code in enumerate(OFFICE + NIGHT, start=1):
        ctx.employees().add(ACTOR, code, f"Empleado {index} García-Núñez")
        ctx.employees().assign_shift(ACTOR, code, "Oficina" if code in OFFICE else "Noche L-V")
    service = ctx.attendance()
    expected: dict[str, Expected] = {}
    for index, code in enumerate(OFFICE + NIGHT, start=1):
        night = code in NIGHT
        start, grace = (time(22), 5) if night else (time(9), 10)
        mine = expected[code] = Expected()
        for position, day in enumerate(WORKDAYS):
            plan = _plan(index, position)
            if plan is None:
                mine.absences += 1
                continue
            arrive, leave, pause = plan
            begins = _at(day, start)
            ends = _at(day + timedelta(days=1), time(6)) if night else _at(day, time(18))
            check_in = begins + timedelta(minutes=arrive)
            _record(service, code, check_in, Kind.IN)
            mine.days_worked += 1
            mine.late += arrive if arrive > grace else 0
            if (code, day) == FORGETS:
                mine.missing += 1
                continue
            pause_at = _at(day + timedelta(days=1), time(2)) if night else _at(day, time(13))
            _record(service, code, pause_at, Kind.BREAK_START)
            _record(service, code, pause_at + timedelta(minutes=pause), Kind.BREAK_END)
            check_out = ends + timedelta(minutes=leave)
            out = _record(service, code, check_out, Kind.OUT)
            if (code, day) == CORRECTED:
                # The sheet signed at the door says 19:00: void and replace, with a reason.
                fixed = service.amend(
                    ACTOR, out.event_id, "salió a las 19:00 (hoja firmada)", at=_at(day, time(19))
                )
                assert fixed.kind is Kind.OUT and fixed.overtime_minutes == 60, fixed
                check_out, leave = _at(day, time(19)), 60
                mine.corrections += 1
            mine.worked += check_out - check_in - timedelta(minutes=pause)
            mine.breaks += timedelta(minutes=pause)
            mine.overtime += max(leave, 0)
            mine.early += max(-leave, 0)
    return expected


def _record(service: AttendanceService, code: str, at: datetime, kind: Kind) -> Recorded:
    done = service.record_manual(ACTOR, code, "door", now=at.astimezone(UTC), kind=kind)
    assert isinstance(done, Recorded) and done.kind is kind, done
    return done


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


def _hours(shown: str) -> float:
    """LibreOffice shows a duration as decimal hours: 171.25 (171,25 in a Spanish locale)."""
    return float(shown.replace(",", "."))


def test_a_months_report_opened_by_libreoffice_gives_the_rules_totals(
    ctx: AppContext, tmp_path: Path
) -> None:
    expected = _scenario(ctx)
    report = build_report(
        ctx.store, NOVEMBER[0], NOVEMBER[-1], ctx.settings.zone, NOW, rules=ctx.rules
    )
    (xlsx,) = write_report(
        report, tmp_path / "noviembre.xlsx", "xlsx", store_files=ctx.paths, language="es"
    )
    csv_files = write_report(
        report, tmp_path / "noviembre.csv", "csv", store_files=ctx.paths, language="es"
    )

    # The XLSX, as LibreOffice shows it: every sheet to CSV "as shown".
    shown = tmp_path / "shown"
    _soffice(
        [
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,3082,false,true,true,false,false,-1",
            "--outdir",
            str(shown),
            str(xlsx),
        ],
        tmp_path,
    )

    def sheet(name: str) -> list[dict[str, str]]:
        with (shown / f"noviembre-{name}.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    totals = {row["Código"]: row for row in sheet("Totales del periodo")}
    assert set(totals) == set(expected)
    for code, want in expected.items():
        row = totals[code]
        assert abs(_hours(row["Horas trabajadas (h)"]) - want.worked / timedelta(hours=1)) < 0.006
        assert abs(_hours(row["Horas de pausa (h)"]) - want.breaks / timedelta(hours=1)) < 0.006
        assert (
            int(row["Días trabajados"]),
            int(row["Horas extra (min)"]),
            int(row["Retraso (min)"]),
            int(row["Salida anticipada (min)"]),
            int(row["Ausencias"]),
            int(row["Salidas que faltan"]),
            int(row["Correcciones"]),
        ) == (
            want.days_worked,
            want.overtime,
            want.late,
            want.early,
            want.absences,
            want.missing,
            want.corrections,
        ), code
    days = sheet("Resumen diario")
    forgot = next(
        r for r in days if r["Código"] == FORGETS[0] and r["Fecha"] == f"{FORGETS[1]:%d/%m/%Y}"
    )
    assert forgot["Falta la salida"] == "Sí" and _hours(forgot["Trabajado (h)"]) == 0
    corrected = next(
        r for r in days if r["Código"] == CORRECTED[0] and r["Fecha"] == f"{CORRECTED[1]:%d/%m/%Y}"
    )
    assert (corrected["Correcciones"], corrected["Última salida"]) == (
        "1",
        f"{CORRECTED[1]:%d/%m/%Y} 19:00",
    )
    # a night crossing midnight is one day, the day it starts
    night = next(r for r in days if r["Código"] == "E17" and r["Última salida"])
    out_day = datetime.strptime(night["Última salida"], "%d/%m/%Y %H:%M").date()
    assert out_day == datetime.strptime(night["Fecha"], "%d/%m/%Y").date() + timedelta(days=1)
    assert night["Turno"] == "Noche L-V"
    voided = [r for r in sheet("Registros") if r["Estado"] == "Anulado"]
    assert [(r["Código"], r["Tipo"], r["Motivo de anulación"]) for r in voided] == [
        ("E07", "Salida", "salió a las 19:00 (hoja firmada)")
    ]
    assert {r["Tipo"] for r in sheet("Registros")} == {
        "Entrada",
        "Salida",
        "Inicio de pausa",
        "Fin de pausa",
    }

    # The CSV, as a Spanish user's LibreOffice imports it (';', decimal comma, UTF-8), saved
    # as XLSX: numbers must be numbers and dates dates, not text.
    imported = tmp_path / "imported"
    _soffice(
        [
            "--infilter=CSV:59,34,76,1,,3082",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(imported),
            *(str(p) for p in csv_files),
        ],
        tmp_path,
    )
    book = load_workbook(imported / "noviembre-totals.xlsx")
    rows = list(book.active.iter_rows(values_only=True))
    header, body = list(rows[0]), rows[1:]
    parsed: dict[Any, dict[Any, Any]] = {
        row[0]: dict(zip(header, row, strict=True)) for row in body
    }
    for code, want in expected.items():
        got = parsed[code]
        assert got["Nombre"].endswith("García-Núñez")  # the BOM kept the accents
        assert isinstance(got["Horas trabajadas (h)"], float | int)
        assert abs(got["Horas trabajadas (h)"] - want.worked / timedelta(hours=1)) < 0.006, code
        assert abs(got["Horas de pausa (h)"] - want.breaks / timedelta(hours=1)) < 0.006, code
        assert (got["Ausencias"], got["Horas extra (min)"], got["Salidas que faltan"]) == (
            want.absences,
            want.overtime,
            want.missing,
        )
    daily = load_workbook(imported / "noviembre-summary.xlsx").active
    first = [c.value for c in daily[2]]
    assert isinstance(first[2], datetime) and isinstance(first[4], datetime)  # dates, not text
