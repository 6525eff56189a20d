"""What is refused about people, Spanish and English: employees, shifts, administrators,
their PINs and passwords, and enrolling faces (core/people/, core/attendance/shifts.py,
core/secrets/passwords.py).

Each English template is, word for word, the sentence its raise site always gave (tests
and logs match them); the Spanish says the same to the same person.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language

PEOPLE: dict[str, Mapping[Language, str]] = {
    # employees (core/people/employees.py)
    "employee.bad_code": {
        "es": "un código de empleado tiene de 1 a {n} caracteres, sin espacios",
        "en": "an employee code is 1 to {n} characters without spaces",
    },
    "employee.no_name": {
        "es": "un empleado necesita un nombre",
        "en": "an employee needs a name",
    },
    "employee.name_too_long": {
        "es": "el nombre de un empleado tiene como mucho {n} caracteres (este tiene {has}); "
        "acórtelo",
        "en": "an employee's name is at most {n} characters (this one has {has}); shorten it",
    },
    "employee.code_taken": {
        "es": "ya existe un empleado con el código '{code}'",
        "en": "an employee with code '{code}' already exists",
    },
    "employee.erase_needs_reason": {
        "es": "borrar datos biométricos necesita un motivo (--reason)",
        "en": "erasing biometric data needs a reason (--reason)",
    },
    "employee.assignment_reversed": {
        "es": "la asignación termina antes de empezar",
        "en": "the assignment ends before it starts",
    },
    # shifts (core/attendance/shifts.py, core/people/employees.py)
    "shift.bad_name": {
        "es": "un turno necesita un nombre de 1 a {n} caracteres",
        "en": "a shift needs a name of 1 to {n} characters",
    },
    "shift.zero_length": {
        "es": "un turno no puede empezar y terminar a la misma hora",
        "en": "a shift cannot start and end at the same time",
    },
    "shift.no_days": {
        "es": "un turno necesita al menos un día",
        "en": "a shift needs at least one day",
    },
    "shift.bad_grace": {
        "es": "los minutos de cortesía van de 0 a 240",
        "en": "grace minutes are 0 to 240",
    },
    "shift.name_taken": {
        "es": "ya existe un turno llamado '{name}'",
        "en": "a shift named '{name}' already exists",
    },
    "shift.unknown": {
        "es": "no hay ningún turno llamado '{name}'",
        "en": "no shift named '{name}'",
    },
    # PINs and passwords (core/secrets/passwords.py)
    "password.too_short": {
        "es": "la contraseña necesita al menos {n} caracteres",
        "en": "the password needs at least {n} characters",
    },
    "password.spaces": {
        "es": "la contraseña no puede empezar ni terminar con espacios",
        "en": "the password cannot start or end with spaces",
    },
    "password.repetitive": {
        "es": "la contraseña es demasiado repetitiva",
        "en": "the password is too repetitive",
    },
    "pin.bad_length": {
        "es": "el PIN debe tener de {low} a {high} cifras",
        "en": "the PIN must be {low} to {high} digits",
    },
    "pin.one_digit": {
        "es": "el PIN no puede ser una misma cifra repetida",
        "en": "the PIN cannot be one digit repeated",
    },
    # administrators (core/people/users.py)
    "user.sign_in_refused": {
        "es": "usuario o contraseña incorrectos, o la cuenta está bloqueada por demasiados "
        "intentos fallidos; inténtelo más tarde o pida a otro administrador que la desbloquee",
        "en": "wrong user name or password, or the account is locked after too many failed "
        "attempts; try again later or ask another administrator to unlock it",
    },
    "user.bad_name": {
        "es": "un nombre de usuario tiene de 1 a 64 caracteres, sin espacios",
        "en": "a user name is 1 to 64 characters without spaces",
    },
    "user.no_admin_role": {
        "es": "la base de datos no tiene el rol de administrador; ejecute `main.py seed`",
        "en": "the database has no administrator role; run `main.py seed`",
    },
    "user.admin_exists": {
        "es": "este quiosco ya tiene un administrador; inicie sesión con esa cuenta",
        "en": "this kiosk already has an administrator; sign in with that account",
    },
    "user.exists": {
        "es": "el usuario '{username}' ya existe",
        "en": "user '{username}' already exists",
    },
    "user.unknown": {"es": "no existe el usuario '{username}'", "en": "no user '{username}'"},
    "user.unknown_role": {
        "es": "rol desconocido '{role}' (roles: {names})",
        "en": "unknown role '{role}' (roles: {names})",
    },
    "user.disable_self": {
        "es": "no puede desactivar su propia cuenta",
        "en": "you cannot disable your own account",
    },
    "user.last_admin": {
        "es": "'{username}' es el último administrador activo; añada o active otro "
        "administrador antes",
        "en": "'{username}' is the last active administrator; add or enable another "
        "administrator first",
    },
    "user.own_password": {
        "es": "cambie su propia contraseña en la página Quiosco",
        "en": "change your own password on the Kiosk page",
    },
    # enrolling faces (core/people/faces.py)
    "enroll.no_photos": {"es": "indique al menos una foto", "en": "give at least one photo"},
    "enroll.unknown_code_cli": {
        "es": "no hay ningún empleado con el código '{code}'; indique --name para crearlo",
        "en": "no employee with code '{code}'; give --name to create one",
    },
    "enroll.unknown_code": {
        "es": "no hay ningún empleado con el código '{code}'; indique un nombre para crearlo",
        "en": "no employee with code '{code}'; give a name to create one",
    },
    "enroll.none_enrolled": {
        "es": "no se pudo registrar ninguna foto:\n  {refusals}",
        "en": "no photo could be enrolled:\n  {refusals}",
    },
    "enroll.no_usable_face": {"es": "ninguna cara utilizable", "en": "no usable face"},
    "enroll.deactivated": {
        "es": "el empleado '{code}' está desactivado; actívelo antes",
        "en": "employee '{code}' is deactivated; activate them first",
    },
}
