"""What the common commands print, Spanish and English (``main.py punch``, ``attendance``,
``employees``, ``shifts``, ``users``, ``export``'s summary, ``doctor``'s headline).

Where a template is English only in the sense of a command's syntax (``--code``,
``main.py employees add``), both languages keep the syntax: it is what one types.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language

COMMAND_OUTPUT: dict[str, Mapping[Language, str]] = {
    # punch, attendance change: "{recorded} for ..." (Spanish nouns have a gender)
    "recorded.in": {"es": "Entrada registrada", "en": "check-in recorded"},
    "recorded.out": {"es": "Salida registrada", "en": "check-out recorded"},
    "recorded.break_start": {"es": "Inicio de pausa registrado", "en": "break start recorded"},
    "recorded.break_end": {"es": "Fin de pausa registrado", "en": "break end recorded"},
    "punch.recorded": {
        "es": "{recorded} para {code} {name} el {date} a las {time} ({method}, registro {record})",
        "en": "{recorded} for {code} {name} at {date} {time} ({method}, record {record})",
    },
    "punch.recorded_late": {
        "es": "{recorded} para {code} {name} el {date} a las {time}, {late} min de retraso "
        "({method}, registro {record})",
        "en": "{recorded} for {code} {name} at {date} {time}, {late} min late ({method}, "
        "record {record})",
    },
    # attendance list / void / change
    "attendance.none": {"es": "no hay registros el {day}", "en": "no records on {day}"},
    "attendance.voided": {"es": "registro {record} anulado", "en": "record {record} voided"},
    "attendance.replaced": {
        "es": "registro {record} anulado y sustituido:",
        "en": "record {record} voided and replaced:",
    },
    # export
    "export.written": {
        "es": "del {start} al {end}: {records} registros, {days} días, totales de {employees} "
        "empleados -> {files}",
        "en": "{start} to {end}: {records} records, {days} days, {employees} employees' "
        "totals -> {files}",
    },
    # employees
    "employees.added": {"es": "se ha dado de alta a {code} {name}", "en": "added {code} {name}"},
    "employees.added_with_shifts": {
        "es": "se ha dado de alta a {code} {name} (turnos: {shifts})",
        "en": "added {code} {name} (shifts: {shifts})",
    },
    "employees.none": {
        "es": "todavía no hay empleados: añada uno con `main.py employees add --code C --name N`",
        "en": "no employees yet: add one with `main.py employees add --code C --name N`",
    },
    "employees.deactivated": {
        "es": "se ha desactivado a {code} {name}; sus registros se conservan",
        "en": "{code} {name} is deactivated; their records are kept",
    },
    "employees.activated": {
        "es": "se ha activado a {code} {name}",
        "en": "{code} {name} is active",
    },
    "employees.erase_question": {
        "es": "¿Borrar todos los datos faciales de {code} {name}? No se puede deshacer.\n"
        "Escriba el código del empleado para confirmar: ",
        "en": "Erase all face data of {code} {name}? This cannot be undone.\n"
        "Type the employee code to confirm: ",
    },
    "employees.nothing_erased": {"es": "no se ha borrado nada", "en": "nothing erased"},
    "employees.erased": {
        "es": "borradas {count} plantilla(s) facial(es) y la foto de {code} {name}; los demás "
        "quioscos las borran en su próxima sincronización",
        "en": "erased {count} face template(s) and the photo of {code} {name}; other kiosks "
        "erase them at their next sync",
    },
    "employees.pin_set": {"es": "PIN establecido para {code}", "en": "PIN set for {code}"},
    "employees.pin_removed": {"es": "PIN eliminado para {code}", "en": "PIN removed for {code}"},
    "employees.on_shift": {
        "es": "{code} trabaja en el turno '{shift}'",
        "en": "{code} works shift '{shift}'",
    },
    "employees.off_shift": {
        "es": "{code} ya no trabaja en el turno '{shift}'",
        "en": "{code} no longer works shift '{shift}'",
    },
    # shifts
    "shifts.created": {
        "es": "turno '{name}' {start}-{end} creado",
        "en": "shift '{name}' {start}-{end} created",
    },
    # users
    "users.created": {
        "es": "usuario '{user}' creado con el rol {role}",
        "en": "user '{user}' created with role {role}",
    },
    "users.password_changed": {
        "es": "contraseña cambiada para '{user}'",
        "en": "password changed for '{user}'",
    },
    "users.unlocked": {
        "es": "'{user}' puede volver a iniciar sesión",
        "en": "'{user}' can sign in again",
    },
    # what a hidden prompt asks for
    "prompt.pin": {"es": "PIN: ", "en": "PIN: "},
    "prompt.new_pin": {"es": "PIN nuevo: ", "en": "New PIN: "},
    "prompt.password": {"es": "Contraseña: ", "en": "Password: "},
    "prompt.new_password": {"es": "Contraseña nueva: ", "en": "New password: "},
    # doctor
    "doctor.fix": {"es": "-> solución: {fix}", "en": "-> fix: {fix}"},
    "doctor.settings": {
        "es": "configuración en vigor (entorno > archivo de configuración > valores por defecto):",
        "en": "effective settings (environment > settings file > defaults):",
    },
    "doctor.healthy": {"es": "todo en orden", "en": "healthy"},
    "doctor.problems": {
        "es": "{count} problema(s) encontrado(s)",
        "en": "{count} problem(s) found",
    },
}
