"""The command line in the chosen language: what an operator reads after each command, with
ASISTENCIA_LANGUAGE=es and =en (and 'auto' from the locale). Most commands run through
``main.main`` in this process (a real process costs ~1 s each: a minute of ``make test``
for this file alone); 'auto' and the refused secrets file run as real processes."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from core.i18n import current_language
from tests.conftest import CliResult, run_main

# What each language says; the English is what the command line always said.
SAYS = {
    "es": {
        "added": "se ha dado de alta a E1 Ana García",
        "wrong_pin": "asistencia: PIN incorrecto\n",
        "unknown": "asistencia: no hay ningún empleado con el código 'NOPE'\n",
        "bad_at": "asistencia: 'ayer' no es una fecha y hora; use AAAA-MM-DD HH:MM\n",
        "recorded": "Entrada registrada para E1 Ana García el ",
        "recorded_at": " a las ",
        "method": "(PIN, registro ",
        "cooldown": "asistencia: no registrado: Ana García acaba de registrar entrada a las ",
        "voided": "anulado",
        "voided_status": "Anulado",
        "no_records": "no hay registros el 2020-01-02\n",
        "export": "del 2020-01-01 al 2100-01-01: 1 registros, 1 días, totales de 1 empleados -> ",
        "reversed": "asistencia: --to (2026-01-01) es anterior a --from (2026-02-01)\n",
        "cannot_write": ": es la base de datos del quiosco\n",
        "yes": "Sí",
    },
    "en": {
        "added": "added E1 Ana García",
        "wrong_pin": "asistencia: wrong PIN\n",
        "unknown": "asistencia: no employee with code 'NOPE'\n",
        "bad_at": "asistencia: 'ayer' is not a date and time; use YYYY-MM-DD HH:MM\n",
        "recorded": "check-in recorded for E1 Ana García at ",
        "recorded_at": " ",
        "method": "(pin, record ",
        "cooldown": "asistencia: not recorded: Ana García was just recorded; try again in ",
        "voided": "voided",
        "voided_status": "Voided",
        "no_records": "no records on 2020-01-02\n",
        "export": "2020-01-01 to 2100-01-01: 1 records, 1 days, 1 employees' totals -> ",
        "reversed": "asistencia: --to (2026-01-01) is before --from (2026-02-01)\n",
        "cannot_write": ": it is the kiosk's database\n",
        "yes": "Yes",
    },
}


# Table headers and a row's words, as the spreadsheet names them.
TABLES = {
    "es": {
        "list_headers": ["Registro", "Código", "Nombre", "Tipo", "Hora", "Método", "Estado"],
        "list_row": ["E1", "Ana", "García", "Entrada"],
        "employees_headers": ["Código", "Nombre", "Activo", "PIN", "Rostros", "Turnos"],
    },
    "en": {
        "list_headers": ["Record", "Code", "Name", "Type", "Time", "Method", "Status"],
        "list_row": ["E1", "Ana", "García", "In"],
        "employees_headers": ["Code", "Name", "Active", "PIN", "Faces", "Shifts"],
    },
}


@pytest.fixture(params=["es", "en"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


Runner = Callable[..., CliResult]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Runner:
    """``main.main`` with its arguments, the language in the environment and what it printed."""
    import main

    def command(data: Path, language: str, *args: str, stdin: str | None = None) -> CliResult:
        monkeypatch.setenv("ASISTENCIA_LANGUAGE", language)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
        code = main.main(["--data-dir", str(data), *args])
        said = capsys.readouterr()
        return CliResult(code, said.out, said.err)

    return command


def test_punch_and_its_refusals_in_the_chosen_language(
    tmp_path: Path, language: str, run: Runner
) -> None:
    says, data = SAYS[language], tmp_path / "d"
    added = run(data, language, "employees", "add", "--code", "E1", "--name", "Ana García")
    assert added.returncode == 0 and added.stdout == says["added"] + "\n", added.stderr
    pin = run(data, language, "employees", "set-pin", "--code", "E1", "--pin", "4821")
    assert pin.returncode == 0, pin.stderr

    wrong = run(data, language, "punch", "--code", "E1", "--pin", "1111")
    assert (wrong.returncode, wrong.stderr) == (1, says["wrong_pin"])
    unknown = run(data, language, "punch", "--code", "NOPE")
    assert (unknown.returncode, unknown.stderr) == (1, says["unknown"])
    bad_at = run(data, language, "punch", "--code", "E1", "--at", "ayer", "--reason", "x")
    assert (bad_at.returncode, bad_at.stderr) == (2, says["bad_at"])

    done = run(data, language, "punch", "--code", "E1", "--pin", "-", stdin="4821\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(says["recorded"]), done.stdout
    assert says["recorded_at"] in done.stdout and says["method"] in done.stdout
    again = run(data, language, "punch", "--code", "E1")
    assert again.returncode == 1 and again.stderr.startswith(says["cooldown"]), again.stderr


def test_the_attendance_list_void_and_export_in_the_chosen_language(
    tmp_path: Path, language: str, run: Runner
) -> None:
    says, data = SAYS[language], tmp_path / "d"
    added = run(data, language, "employees", "add", "--code", "E1", "--name", "Ana García")
    assert added.returncode == 0, added.stderr
    done = run(data, language, "punch", "--code", "E1", "--reason", "olvidó la tarjeta")
    assert done.returncode == 0, done.stderr
    record = done.stdout.rsplit(" ", 1)[1].rstrip(")\n")

    listing = run(data, language, "attendance", "list")
    header, _rule, row = listing.stdout.splitlines()
    assert all(word in header.split() for word in TABLES[language]["list_headers"]), header
    assert row.split()[1:5] == TABLES[language]["list_row"], row
    assert (
        run(data, language, "attendance", "list", "--day", "2020-01-02").stdout
        == (says["no_records"])
    )

    export = run(
        data, language, "export", "--from", "2020-01-01", "--to", "2100-01-01",
        "-o", str(tmp_path / "r.csv"),
    )  # fmt: skip
    assert export.returncode == 0 and export.stderr.startswith(says["export"]), export.stderr
    reversed_period = run(data, language, "export", "--from", "2026-02-01", "--to", "2026-01-01")
    assert (reversed_period.returncode, reversed_period.stderr) == (2, says["reversed"])
    refused = run(
        data, language, "export", "--from", "2020-01-01", "--to", "2100-01-01",
        "-o", str(data / "asistencia.db"),
    )  # fmt: skip
    assert refused.returncode == 2 and refused.stderr.endswith(says["cannot_write"])

    voided = run(data, language, "attendance", "void", record, "--reason", "error")
    assert voided.returncode == 0 and says["voided"] in voided.stdout, voided.stderr
    assert says["voided_status"] in run(data, language, "attendance", "list").stdout


def test_employee_tables_in_the_chosen_language(tmp_path: Path, language: str, run: Runner) -> None:
    says, data = SAYS[language], tmp_path / "d"
    assert run(data, language, "employees", "add", "--code", "E1", "--name", "Ana").returncode == 0
    listing = run(data, language, "employees", "list")
    header, _rule, row = listing.stdout.splitlines()
    assert header.split() == TABLES[language]["employees_headers"]
    assert row.split()[:3] == ["E1", "Ana", says["yes"]]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("es_ES.UTF-8", "se ha dado de alta a E1 Ana"), ("en_GB.UTF-8", "added E1 Ana")],
)
def test_auto_speaks_the_system_locale(tmp_path: Path, locale: str, expected: str) -> None:
    env = {"ASISTENCIA_LANGUAGE": "auto", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
    added = run_main(
        "--data-dir", str(tmp_path / "d"), "employees", "add", "--code", "E1", "--name", "Ana",
        env={**env, "LANG": locale},
    )  # fmt: skip
    assert added.returncode == 0 and added.stdout == expected + "\n", added.stderr


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "asistencia: la base de datos de este quiosco pertenece a la instalación con "),
        ("en", "asistencia: this kiosk's database belongs to the deployment with data key "),
    ],
)
def test_another_deployments_secrets_file_is_refused_in_the_chosen_language(
    tmp_path: Path, language: str, expected: str, run: Runner
) -> None:
    """The data dir's database was set up with its own keys; the secrets file of another
    installation (copied over by mistake) is refused before anything is written."""
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    for data in (ours, theirs):
        assert run(data, language, "employees", "list").returncode == 0
    env = {"ASISTENCIA_LANGUAGE": language, "ASISTENCIA_SECRETS_FILE": str(theirs / "secrets.toml")}
    refused = run_main("--data-dir", str(ours), "employees", "list", env=env)
    assert refused.returncode == 1 and refused.stderr.startswith(expected), refused.stderr


def test_main_embedded_in_another_program_gives_its_language_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import main

    before = current_language()
    monkeypatch.setenv("ASISTENCIA_LANGUAGE", "es" if before == "en" else "en")
    assert main.main(["--data-dir", str(tmp_path / "d"), "employees", "list"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("todavía no hay empleados" if before == "en" else "no employees yet")
    assert current_language() == before
