"""The command line in the chosen language: what an operator reads after each command, with
ASISTENCIA_LANGUAGE=es and =en (and 'auto' from the locale). Most commands run through
``main.main`` in this process (a real process costs ~1 s each: a minute of ``make test``
for this file alone); 'auto' and the refused secrets file run as real processes."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from core.host.paths import SECRETS_FILE_NAME
from core.i18n import current_language
from core.sync.central import CentralDatabase
from tests.support.cli import CliResult, run_main
from tests.support.keys import write_test_secrets
from tests.support.paths import FACES
from tests.support.sync_support import add_employee_centrally

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


# What the operations commands print (enroll, sync, secrets, central, seed, migrate).
OPERATIONS = {
    "es": {
        "notice": "\nPrimer administrador creado: usuario 'admin'; su contraseña de un solo uso "
        "está en {file} (solo la puede leer este usuario del sistema) y debe cambiarse al "
        "iniciar sesión por primera vez. (Defina ASISTENCIA_ADMIN_PASSWORD para elegirla "
        "usted.)\n\n",
        "migrated": "migrada vacía -> ",
        "up_to_date": "ya está en la revisión ",
        "seed_admin": "primer administrador: usuario 'admin', contraseña '",
        "seed_created": "creado: shift Oficina 09:00-18:00",
        "seeded": "nada que hacer: los datos iniciales ya están creados\n",
        "secrets": "archivo de secretos {file}: clave de datos ",
        "imported": "este quiosco usa ahora la clave de datos ",
        "sealed": ": 0 plantilla(s) y 0 foto(s) cifrada(s) de nuevo\n",
        "sync_off": "asistencia: la sincronización está desactivada: defina "
        "CENTRAL_DATABASE_URL con la URL de PostgreSQL central\n",
        "enrolled": "2 foto(s) registrada(s) para E1 Ana (2 plantilla(s) facial(es) en total)\n",
        "refused": "  rechazada img40.jpg: ",
        "central_up_to_date": "la base de datos central ya está en la revisión ",
        "counts": "1 empleados, 1 plantillas faciales, 0 registros de asistencia",
        "inbox": "bandeja de entrada: ",
        "inbox_empty": "bandeja de entrada: vacía",
        "site_created": "sede norte creada; añada empleados con "
        "`central site add-employee --site norte`\n",
        "joined": "E1: alta en la sede norte; sus quioscos los reciben en su próxima "
        "sincronización\n",
        "already_in": "E1: ya en la sede norte, no hay nada que hacer\n",
        "assigned": "quiosco entrada: sede norte, antes sin sede; se aplica en la próxima "
        "sincronización del quiosco\n",
        "unsited": "quioscos sin sede (reciben a todos los empleados): ",
        "role": "rol {name} creado para el quiosco entrada: envía solo a través de "
        "asistencia_push (",
        "no_password": "; todavía no tiene contraseña: póngale una con \\password de psql\n",
        "nothing_held": "no hay nada retenido para revisión\n",
        "nothing_to_apply": "bandeja de entrada: nada que aplicar\n",
        "erased": "borradas 1 plantilla(s) facial(es) y la foto de E1 en la base de datos "
        "central el ",
        "synced": r"enviadas \d+ fila\(s\), recibidos \d+ cambio\(s\); quedan 0 por enviar\n",
    },
    "en": {
        "notice": "\nFirst administrator created: user 'admin'; its one-time password is in "
        "{file} (readable only by this user) and must be changed at first sign-in. (Set "
        "ASISTENCIA_ADMIN_PASSWORD to choose it instead.)\n\n",
        "migrated": "migrated empty -> ",
        "up_to_date": "already at revision ",
        "seed_admin": "first administrator: user 'admin', password '",
        "seed_created": "created shift Oficina 09:00-18:00",
        "seeded": "nothing to do: already seeded\n",
        "secrets": "secrets file {file}: data key ",
        "imported": "this kiosk now uses data key ",
        "sealed": ": 0 template(s) and 0 photo(s) sealed again\n",
        "sync_off": "asistencia: sync is off: set CENTRAL_DATABASE_URL to the central "
        "PostgreSQL URL\n",
        "enrolled": "enrolled 2 photo(s) for E1 Ana (2 face template(s) in all)\n",
        "refused": "  refused img40.jpg: ",
        "central_up_to_date": "central database already at revision ",
        "counts": "1 employees, 1 face templates, 0 attendance records",
        "inbox": "inbox: ",
        "inbox_empty": "inbox: empty",
        "site_created": "site norte created; add employees with "
        "`central site add-employee --site norte`\n",
        "joined": "E1 joined site norte; its kiosks get them at their next sync\n",
        "already_in": "E1: already in site norte, nothing to do\n",
        "assigned": "kiosk entrada: site norte, was no site; it applies at the kiosk's next sync\n",
        "unsited": "kiosks without a site (they receive every employee): ",
        "role": "role {name} created for kiosk entrada: it pushes through asistencia_push only (",
        "no_password": "; it has no password yet: set one with psql's \\password\n",
        "nothing_held": "nothing is held for review\n",
        "nothing_to_apply": "inbox: nothing to apply\n",
        "erased": "erased 1 face template(s) and the photo of E1 centrally at ",
        "synced": r"pushed \d+ row\(s\), pulled \d+ change\(s\); 0 still to push\n",
    },
}


SITE_HEADERS = {
    "es": ["sede", "nombre", "empleados", "quioscos"],
    "en": ["site", "name", "employees", "kiosks"],
}


def test_seed_migrate_and_the_first_administrators_notice_in_the_chosen_language(
    tmp_path: Path, language: str, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    says = OPERATIONS[language]
    monkeypatch.setenv("ASISTENCIA_ADMIN_PASSWORD", "")  # one is made and kept in a file
    first = run(tmp_path / "a", language, "employees", "list")
    kept = tmp_path / "a" / "first-admin-password.txt"
    assert first.returncode == 0 and first.stderr == says["notice"].format(file=kept)
    assert kept.read_text().strip() not in first.stderr  # the password stays in its file

    migrated = run(tmp_path / "b", language, "migrate")
    assert migrated.returncode == 0 and migrated.stdout.startswith(says["migrated"])
    again = run(tmp_path / "b", language, "migrate")
    assert again.returncode == 0 and again.stdout.startswith(says["up_to_date"]), again.stdout

    seeded = run(tmp_path / "c", language, "seed")
    assert seeded.returncode == 0 and seeded.stdout.startswith(says["seed_admin"])
    assert says["seed_created"] in seeded.stdout.splitlines()
    assert run(tmp_path / "c", language, "seed").stdout == says["seeded"]


def test_secrets_and_sync_without_a_central_database_in_the_chosen_language(
    tmp_path: Path, language: str, run: Runner
) -> None:
    says, theirs, ours = OPERATIONS[language], tmp_path / "theirs", tmp_path / "ours"
    shown = run(theirs, language, "secrets", "status")
    secrets = theirs / SECRETS_FILE_NAME
    assert shown.returncode == 0 and shown.stdout.startswith(says["secrets"].format(file=secrets))
    assert run(ours, language, "employees", "list").returncode == 0
    adopted = run(ours, language, "secrets", "import", str(secrets))
    assert adopted.returncode == 0 and adopted.stdout.startswith(says["imported"]), adopted.stderr
    assert adopted.stdout.endswith(says["sealed"])

    off = run(ours, language, "sync", "--once")
    assert (off.returncode, off.stderr) == (2, says["sync_off"])


def test_enroll_in_the_chosen_language(tmp_path: Path, language: str, run: Runner) -> None:
    says, data = OPERATIONS[language], tmp_path / "d"
    photos = [FACES / "img1.jpg", FACES / "img2.jpg", FACES / "img40.jpg"]  # Ana, Ana, another
    enrolled = run(data, language, "enroll", "--code", "E1", "--name", "Ana", *map(str, photos))
    assert enrolled.returncode == 0, enrolled.stderr
    first, refused = enrolled.stdout.splitlines(keepends=True)
    assert first == says["enrolled"]
    assert refused.startswith(says["refused"]), refused


@pytest.mark.postgres
def test_central_commands_and_a_sync_in_the_chosen_language(
    tmp_path: Path,
    language: str,
    run: Runner,
    central_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    says, data = OPERATIONS[language], tmp_path / "d"
    write_test_secrets(data / SECRETS_FILE_NAME)  # the central database's deployment
    monkeypatch.setenv("CENTRAL_DATABASE_URL", central_url)
    owner = CentralDatabase(central_url)
    try:
        add_employee_centrally(owner, "E1", name="Ana", templates=1, seed=5)
    finally:
        owner.dispose()

    def central(*args: str) -> str:
        done = run(data, language, "central", *args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert central("migrate").startswith(says["central_up_to_date"])
    status = central("status").splitlines()
    assert status[1:3] == [says["counts"], says["inbox_empty"]], status
    synced = run(data, language, "sync", "--once")
    assert synced.returncode == 0 and re.fullmatch(says["synced"], synced.stdout), synced.stderr
    assert central("site", "create", "--code", "norte", "--name", "Norte") == says["site_created"]
    assert central("site", "add-employee", "--site", "norte", "--code", "E1") == says["joined"]
    assert central("site", "add-employee", "--site", "norte", "--code", "E1") == says["already_in"]
    role = f"lang_test_{language}"  # roles belong to the whole server: one per language
    created = central("create-kiosk-role", "--name", role, "--kiosk-id", "entrada", "--apply")
    assert created.startswith(says["role"].format(name=role)), created
    assert created.endswith(says["no_password"]), created
    listing = central("site", "list")
    assert listing.splitlines()[0].split() == SITE_HEADERS[language], listing
    assert listing.endswith(says["unsited"] + "entrada\n"), listing
    assert (
        central("site", "assign-kiosk", "--kiosk-id", "entrada", "--site", "norte")
        == says["assigned"]
    )
    assert central("review") == says["nothing_held"]
    assert central("apply-inbox").startswith(says["inbox"])  # what the sync sent
    assert central("apply-inbox") == says["nothing_to_apply"]
    erased = central("erase-biometrics", "--code", "E1", "--reason", "baja")
    assert erased.startswith(says["erased"]), erased
