"""The errors people meet most on the command line, Spanish and English.

Each English template is, word for word, the sentence its raise site always gave (tests,
logs and kiosk/messages.py match them); the Spanish says the same to the same person.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language

REFUSALS: dict[str, Mapping[Language, str]] = {
    # employees (core/people/employees.py, core/attendance/outcomes.py and service.py)
    "employee.unknown_code": {
        "es": "no hay ningún empleado con el código '{code}'",
        "en": "no employee with code '{code}'",
    },
    "employee.deactivated": {
        "es": "el empleado '{code}' está desactivado",
        "en": "employee '{code}' is deactivated",
    },
    "employee.not_on_shift": {
        "es": "{code} no tiene asignado el turno '{shift}'",
        "en": "{code} is not assigned to shift '{shift}'",
    },
    # PINs (AttendanceService.record_pin)
    "pin.wrong": {"es": "PIN incorrecto", "en": "wrong PIN"},
    "pin.wrong_now_locked": {
        "es": "PIN incorrecto; el PIN de '{code}' queda bloqueado durante {wait}",
        "en": "wrong PIN; '{code}' is locked for {wait}",
    },
    "pin.locked": {
        "es": "demasiados PIN incorrectos para '{code}'; inténtelo de nuevo dentro de {wait}",
        "en": "too many wrong PINs for '{code}'; try again in {wait}",
    },
    # records the rules refuse (AttendanceService._record_in)
    "record.cooldown": {
        "es": "{name} acaba de registrarse; si es un registro nuevo, inténtelo de nuevo "
        "dentro de {wait}",
        "en": "{name} was just recorded; try again in {wait} if this is a new check",
    },
    "record.cooldown_after": {
        "es": "{name} acaba de registrar {kind} a las {time}; si es un registro nuevo, "
        "inténtelo de nuevo dentro de {wait}",
        "en": "{name} was just recorded; try again in {wait} if this is a new check "
        "({kind} at {time})",
    },
    "record.not_possible": {
        "es": "{name}: ese tipo de registro no es posible ahora ({state})",
        "en": "{name}: that kind of record is not possible now ({state})",
    },
    "record.clock_behind": {
        "es": "{name}: el reloj del quiosco marca una hora anterior al último registro; "
        "revise el reloj",
        "en": "{name}: the kiosk clock is earlier than the last record; check the clock",
    },
    "record.not_recorded": {"es": "no registrado: {why}", "en": "not recorded: {why}"},
    # the kiosk's choice of kind and "Not right? Change" (AttendanceService.choose, change_own)
    "record.person_gone": {
        "es": "la persona reconocida ya no está en la base de datos",
        "en": "the recognised person is no longer in the store",
    },
    "record.choice_expired": {
        "es": "esa elección ha caducado; vuelva a empezar",
        "en": "that choice has expired; please start again",
    },
    "record.not_a_choice": {
        "es": "{kind} no era una de las opciones",
        "en": "{kind} was not one of the choices",
    },
    "record.too_late_to_change": {
        "es": "ese registro ya no se puede cambiar aquí; avise a un administrador",
        "en": "that record can no longer be changed here; ask an administrator",
    },
    # where a person stands in their day (rules.DayState), said in "not possible now (...)"
    "day_state.off": {
        "es": "la persona no tiene registrada la entrada",
        "en": "the person is off",
    },
    "day_state.in": {"es": "la persona ya tiene registrada la entrada", "en": "the person is in"},
    "day_state.on_break": {"es": "la persona está en pausa", "en": "the person is on_break"},
    "day_state.unknown": {"es": "estado desconocido", "en": "the person is unknown"},
    # corrections (AttendanceService._check_correction, _next_record_problem, void)
    "correction.no_reason": {
        "es": "una corrección necesita un motivo",
        "en": "a correction needs a reason",
    },
    "correction.in_future": {
        "es": "una corrección no puede estar en el futuro",
        "en": "a correction cannot be in the future",
    },
    "correction.breaks_day": {
        "es": "el registro de {next} del {when} ya no seguiría a un registro de {kind} a las "
        "{at}; cambie ese registro en su lugar",
        "en": "the {next} at {when} would no longer follow a {kind} at {at}; change that "
        "record instead",
    },
    "correction.already_voided": {
        "es": "ese registro ya está anulado",
        "en": "that record is already voided",
    },
    "correction.no_record": {
        "es": "no existe el registro de asistencia {record}",
        "en": "no attendance record {record}",
    },
    "correction.nothing_changes": {
        "es": "diga qué cambia: un tipo, una hora o ambos",
        "en": "say what changes: a kind, a time or both",
    },
    # the command line's own arguments
    "cli.bad_time": {
        "es": "'{text}' no es una fecha y hora; use AAAA-MM-DD HH:MM",
        "en": "'{text}' is not a date and time; use YYYY-MM-DD HH:MM",
    },
    "cli.pin_and_time": {
        "es": "--at y --kind son para registros manuales; quite --pin",
        "en": "--at and --kind are for manual records; leave out --pin",
    },
    "cli.expected_on_stdin": {
        "es": "se esperaba {what} en la entrada estándar",
        "en": "expected the {what} on standard input",
    },
    "cli.interrupted": {"es": "interrumpido", "en": "interrupted"},
    # report periods (core/reports/period.py, core/cli/attendance.py)
    "period.reversed": {
        "es": "--to ({end}) es anterior a --from ({start})",
        "en": "--to ({end}) is before --from ({start})",
    },
    "period.both": {
        "es": "indique --period o --from/--to, no ambos",
        "en": "give either --period or --from/--to, not both",
    },
    "period.missing": {
        "es": "indique qué días: --from AAAA-MM-DD --to AAAA-MM-DD, o --period",
        "en": "say which days: --from YYYY-MM-DD --to YYYY-MM-DD, or --period",
    },
    "export.xlsx_needs_file": {
        "es": "XLSX necesita un archivo: añada -o ARCHIVO.xlsx",
        "en": "XLSX needs a file: add -o FILE.xlsx",
    },
    "export.xlsx_too_long": {
        "es": "la hoja «{sheet}» tendría {rows} filas y una hoja XLSX admite {limit}: exporte "
        "en CSV, o un periodo más corto, o un solo centro (--site)",
        "en": "the sheet '{sheet}' would have {rows} rows and an XLSX sheet holds {limit}: "
        "export CSV, or a shorter period, or one site (--site)",
    },
    # where an export may not be written (core/reports/export_target.py)
    "export.cannot_write": {
        "es": "no se puede escribir {path}: {why}",
        "en": "cannot write {path}: {why}",
    },
    "export.system_file_system": {
        "es": "{mount} es un sistema de archivos del sistema ({fstype}), no un lugar para archivos",
        "en": "{mount} is a system file system ({fstype}), not a place for files",
    },
    "export.is_folder": {"es": "es una carpeta, no un archivo", "en": "it is a folder, not a file"},
    "export.is_character_device": {
        "es": "es un dispositivo de caracteres, no un archivo normal",
        "en": "it is a character device, not a regular file",
    },
    "export.is_block_device": {
        "es": "es un dispositivo de bloques, no un archivo normal",
        "en": "it is a block device, not a regular file",
    },
    "export.is_fifo": {
        "es": "es una tubería con nombre (FIFO), no un archivo normal",
        "en": "it is a named pipe (FIFO), not a regular file",
    },
    "export.is_socket": {
        "es": "es un socket, no un archivo normal",
        "en": "it is a socket, not a regular file",
    },
    "export.not_regular": {"es": "no es un archivo normal", "en": "it is not a regular file"},
    "export.is_database": {
        "es": "es la base de datos del quiosco",
        "en": "it is the kiosk's database",
    },
    "export.is_database_wal": {
        "es": "es el registro de escritura anticipada de la base de datos del quiosco",
        "en": "it is the kiosk's database write-ahead log",
    },
    "export.is_database_shm": {
        "es": "es el archivo de memoria compartida de la base de datos del quiosco",
        "en": "it is the kiosk's database shared-memory file",
    },
    "export.is_database_journal": {
        "es": "es el diario de la base de datos del quiosco",
        "en": "it is the kiosk's database journal",
    },
    "export.is_symlink": {
        "es": "es un enlace simbólico, y una exportación nunca escribe a través de uno; "
        "indique el archivo mismo",
        "en": "it is a symbolic link, and an export never writes through one; name the file itself",
    },
    "export.not_a_report": {
        "es": "ya existe y no es un informe escrito por Asistencia, y una exportación solo "
        "sustituye sus propios informes; elija otro nombre",
        "en": "it exists and is not a report Asistencia wrote, and an export replaces only its "
        "own reports; choose another name",
    },
    "export.in_data_dir": {
        "es": "está en la carpeta de datos del quiosco, donde los informes solo van a su "
        "carpeta de exportaciones {exports}",
        "en": "it is in the kiosk's data folder, where reports go only into its exports "
        "folder {exports}",
    },
    "export.changed": {
        "es": "cambió mientras se escribía el informe; vuelva a exportar",
        "en": "it changed while the report was being written; export again",
    },
    "export.under_another_name": {
        "es": "{why} (con otro nombre)",
        "en": "{why} (under another name)",
    },
    # a database set up with other secrets (core/store/deployment.py)
    "deployment.mismatch": {
        "es": "{where} pertenece a la instalación con la clave de datos {key_id} y el "
        "«pepper» de PIN {pepper_id}, pero el archivo de secretos de esta instalación tiene "
        "{own_key_id} y {own_pepper_id}: copie aquí el archivo de secretos de la instalación "
        "(vea docs/install/configuration.md, 'Secrets')",
        "en": "{where} belongs to the deployment with data key {key_id} and PIN pepper "
        "{pepper_id}, but this installation's secrets file has {own_key_id} and "
        "{own_pepper_id}: copy the deployment's secrets file here "
        "(see docs/install/configuration.md, 'Secrets')",
    },
    # keys of a later epoch than the database's (core/store/deployment.py): a restored copy
    "deployment.epoch_behind": {
        "es": "{where} está en la época de clave {epoch}, pero el archivo de secretos de esta "
        "instalación ya está en la {own_epoch}: la base de datos es una copia anterior a un "
        "borrado de datos biométricos, y sus rostros ya no se pueden abrir (vea "
        "docs/SECURITY.md, 'Erasure')",
        "en": "{where} is at key epoch {epoch}, but this installation's secrets file is already "
        "at {own_epoch}: the database is a copy from before a biometric erasure, and its faces "
        "can no longer be opened (see docs/SECURITY.md, 'Erasure')",
    },
    "deployment.central_database": {
        "es": "la base de datos central",
        "en": "the central database",
    },
    "deployment.kiosk_database": {
        "es": "la base de datos de este quiosco",
        "en": "this kiosk's database",
    },
}
