"""What the central database and its commands refuse, Spanish and English: its schema,
sites, kiosk roles, review and erasure (core/sync/, core/cli/central.py).

Each English template is the sentence its raise site always gave (tests and logs match
them); the Spanish says the same to the same person.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language

_MIGRATE_ES = (
    "migre con el servidor central de esta versión (AUTO_MIGRATE=true) o con "
    "`python main.py central migrate`"
)

CENTRAL: dict[str, Mapping[Language, str]] = {
    # a sync cycle that could not reach it (core/sync/status.py): what the window shows
    "sync.unreachable": {
        "es": "no se puede contactar con la base de datos central: {reason}",
        "en": "central database unreachable: {reason}",
    },
    # the schema (core/sync/central.py, core/sync/ratchet.py)
    "central.no_schema_yet": {
        "es": "la base de datos central aún no tiene el esquema de Asistencia; arranque el "
        "servidor central con AUTO_MIGRATE=true o ejecute `python main.py central migrate`",
        "en": "the central database has no Asistencia schema yet; start the headless server "
        "with AUTO_MIGRATE=true or run `python main.py central migrate`",
    },
    "central.schema_older": {
        "es": "el esquema de la base de datos central está en la revisión {found} y este "
        "programa necesita la {expected}; ejecute `python main.py central migrate` (o el "
        "servidor central con AUTO_MIGRATE=true)",
        "en": "the central database schema is at revision {found}, this program needs "
        "{expected}; run `python main.py central migrate` (or the headless server with "
        "AUTO_MIGRATE=true)",
    },
    "central.schema_newer": {
        "es": "el esquema de la base de datos central (revisión {found}) es más nuevo que este "
        "programa ({expected}); actualice esta instalación",
        "en": "the central database schema (revision {found}) is newer than this program "
        "({expected}); update this installation",
    },
    "central.no_deployment_keys": {
        "es": f"la base de datos central aún no tiene registradas las claves de la "
        f"instalación; {_MIGRATE_ES}",
        "en": "the central database has no deployment keys recorded yet; migrate it with this "
        "version's headless server (AUTO_MIGRATE=true) or `python main.py central migrate`",
    },
    "central.owner_login_needed": {
        "es": "la exportación central necesita el usuario propietario (la URL del servidor "
        "central): el usuario de un quiosco no puede leer los registros de asistencia",
        "en": "the central export needs the owner's login (the headless server's URL): a "
        "kiosk's login may not read attendance records",
    },
    # erasing centrally (core/sync/admin.py)
    "central.unknown_employee": {
        "es": "no hay ningún empleado con el código '{code}' en la base de datos central",
        "en": "no employee with code '{code}' in the central database",
    },
    "central.unknown_employees": {
        "es": "no hay ningún empleado con el código {codes} en la base de datos central",
        "en": "no employee with code {codes} in the central database",
    },
    # review (core/sync/review.py)
    "central.not_held": {
        "es": "no hay ningún registro {record} retenido para revisión",
        "en": "no record {record} is held for review",
    },
    "central.not_a_record_id": {
        "es": "'{value}' no es un identificador de registro (vea `central review`)",
        "en": "'{value}' is not a record id (see `central review`)",
    },
    # kiosk roles (core/sync/roles.py)
    "central.bad_role_name": {
        "es": "un nombre de rol tiene de 1 a 63 letras minúsculas, cifras o guiones bajos, "
        "y no empieza por una cifra (p. ej. kiosk_entrada)",
        "en": "a role name is 1-63 lower-case letters, digits or underscores, not starting "
        "with a digit (e.g. kiosk_entrada)",
    },
    "central.bad_kiosk_id": {
        "es": "un identificador de quiosco tiene de 1 a 64 caracteres sin comillas, barras "
        "invertidas ni caracteres de control (el ajuste kiosk_id del quiosco)",
        "en": "a kiosk id is 1-64 characters without quotes, backslashes or control "
        "characters (the kiosk's kiosk_id setting)",
    },
    "central.kiosk_has_role": {
        "es": "el quiosco '{kiosk_id}' ya tiene el rol {role}",
        "en": "kiosk '{kiosk_id}' already has the role {role}",
    },
    # sites (core/sync/site_admin.py)
    "central.bad_site_code": {
        "es": "un código de sede tiene de 1 a 32 letras minúsculas, cifras, '-' o '_', y "
        "empieza por una letra o una cifra (p. ej. norte), no '{code}'",
        "en": "a site code is 1-32 lower-case letters, digits, '-' or '_', starting with a "
        "letter or digit (e.g. norte), not '{code}'",
    },
    "central.unknown_site": {
        "es": "no existe la sede '{code}' en la base de datos central (vea `python main.py "
        "central site list`)",
        "en": "no site '{code}' in the central database (see `python main.py central site list`)",
    },
    "central.site_needs_name": {
        "es": "una sede necesita un nombre (--name)",
        "en": "a site needs a name (--name)",
    },
    "central.site_name_too_long": {
        "es": "el nombre de una sede tiene como mucho {n} caracteres",
        "en": "a site's name is at most {n} characters",
    },
    "central.site_exists": {
        "es": "la sede '{code}' ya existe",
        "en": "site '{code}' already exists",
    },
    "central.unknown_kiosk": {
        "es": "el quiosco '{kiosk_id}' no está registrado en la base de datos central: dele "
        "antes su rol con `python main.py central create-kiosk-role --name NOMBRE --kiosk-id "
        "{kiosk_id} --apply`",
        "en": "no kiosk '{kiosk_id}' is registered centrally: give it its role first with "
        "`python main.py central create-kiosk-role --name NAME --kiosk-id {kiosk_id} --apply`",
    },
    "central.no_codes": {
        "es": "indique al menos un código de empleado (--code)",
        "en": "name at least one employee code (--code)",
    },
    # the central commands' own arguments (core/cli/central.py)
    "central.url_missing": {
        "es": "ponga en CENTRAL_DATABASE_URL la URL de PostgreSQL central (usuario propietario)",
        "en": "set CENTRAL_DATABASE_URL to the central PostgreSQL URL (owner role)",
    },
    "central.bad_offline_days": {
        "es": "--max-offline-days es un número entero de 1 a 3650",
        "en": "--max-offline-days is a whole number from 1 to 3650",
    },
    "central.password_without_apply": {
        "es": "--password solo se usa con --apply (el SQL impreso nunca la contiene)",
        "en": "--password is only used with --apply (printed SQL never holds it)",
    },
    "central.reason_needed": {
        "es": "diga por qué con --reason (queda en el registro de auditoría)",
        "en": "say why with --reason (kept in the audit log)",
    },
}
