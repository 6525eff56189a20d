"""What a refused setting says, Spanish and English (core/config/, core/reports/pay_period.py,
core/host/redact.py): which key, where it came from, why and what is allowed.

The English is the sentence the settings always gave, pydantic's own words included
(``settings.rule.*``: tests and operators' notes quote them); a rule of pydantic's that has
no key here comes through in its English.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language

_PERCENT_ES = (
    "codifíquelo en la URL: '@' como %40, ':' como %3A, '/' como %2F, '?' como %3F, '#' como "
    "%23 (p. ej. postgresql://usuario:cl%40ve@servidor:5432/bd)"
)
_PERCENT_EN = (
    "percent-encode it in the URL: '@' as %40, ':' as %3A, '/' as %2F, '?' as %3F, '#' as %23 "
    "(e.g. postgresql://user:p%40ss@host:5432/db)"
)

SETTINGS: dict[str, Mapping[Language, str]] = {
    # the sentence of a refused value (core/config/files.py)
    "settings.invalid": {
        "es": "valor no válido en {origin} = {shown}: {why}{allowed}",
        "en": "invalid {origin} = {shown}: {why}{allowed}",
    },
    "settings.origin.env": {
        "es": "la variable de entorno {name}",
        "en": "environment variable {name}",
    },
    "settings.origin.file": {"es": "'{field}' en {path}", "en": "'{field}' in {path}"},
    "settings.origin.setting": {"es": "el ajuste '{field}'", "en": "setting '{field}'"},
    "settings.allowed": {"es": " (se admite: {what})", "en": " (allowed: {what})"},
    "settings.range": {"es": "{kind} de {low} a {high}", "en": "{kind} from {low} to {high}"},
    "settings.kind.int": {"es": "un número entero", "en": "a whole number"},
    "settings.kind.float": {"es": "un número", "en": "a number"},
    "settings.kind.bool": {"es": "true o false", "en": "true or false"},
    "settings.unknown_in": {
        "es": "ajuste desconocido '{key}' en {where}; ajustes conocidos: {known}",
        "en": "unknown setting '{key}' in {where}; known settings: {known}",
    },
    "settings.the_settings": {"es": "los ajustes", "en": "settings"},
    "settings.unknown": {"es": "ajuste desconocido '{key}'", "en": "unknown setting '{key}'"},
    "settings.cannot_read": {
        "es": "no se puede leer el archivo de configuración {path}: {why}",
        "en": "cannot read settings file {path}: {why}",
    },
    "settings.cannot_keep_password": {
        "es": "no se puede guardar la contraseña en {path}: {why}",
        "en": "cannot keep the password in {path}: {why}",
    },
    "settings.file_missing": {
        "es": "no existe el archivo de configuración {path}",
        "en": "settings file {path} does not exist",
    },
    # the settings' own rules (core/config/model.py)
    "settings.not_true_or_false": {
        "es": "debe ser un número, no true ni false",
        "en": "must be a number, not true or false",
    },
    "settings.kiosk_id_quotes": {
        "es": "un identificador de quiosco no lleva comillas ni barras invertidas",
        "en": "a kiosk id has no quotes or backslashes",
    },
    "settings.bad_host": {
        "es": "debe ser una dirección IP de esta máquina (127.0.0.1, 0.0.0.0 para todas las "
        "interfaces, ::1) o un nombre de servidor",
        "en": "must be an IP address of this machine (127.0.0.1, 0.0.0.0 for every interface, "
        "::1) or a host name",
    },
    "settings.bad_zone": {
        "es": "debe ser una zona horaria IANA, como Europe/Madrid o UTC",
        "en": "must be an IANA time zone such as Europe/Madrid or UTC",
    },
    "settings.not_postgres_url": {
        "es": "debe ser una URL de PostgreSQL: postgresql://usuario:contraseña@servidor:5432/bd",
        "en": "must be a PostgreSQL URL: postgresql://user:password@host:5432/db",
    },
    "settings.url_two_ats": {
        "es": f"el usuario o la contraseña llevan una '@'; {_PERCENT_ES}",
        "en": f"the user name or password holds an '@'; {_PERCENT_EN}",
    },
    "settings.url_port": {
        "es": "lo que sigue al servidor no es un número de puerto, como cuando la contraseña "
        f"lleva '/', '?', '#' o '@'; {_PERCENT_ES}",
        "en": "the port after the host is not a number, as when the password holds a '/', "
        f"'?', '#' or '@'; {_PERCENT_EN}",
    },
    "settings.weekly_start_day": {
        "es": "en un periodo de pago semanal es el día en que empieza la semana, de 1 (lunes) "
        "a 7 (domingo)",
        "en": "for a weekly pay period it is the weekday the week starts on, 1 (Monday) to 7 "
        "(Sunday)",
    },
    "settings.monthly_start_day": {
        "es": "en un periodo de pago mensual o quincenal es un día del mes de 1 a 28",
        "en": "for a monthly or semimonthly pay period it is a day of the month from 1 to 28",
    },
    # pydantic's rules, in its words (core/config/files.py picks them by error type)
    "settings.rule.greater_than_equal": {
        "es": "debe ser mayor o igual que {ge}",
        "en": "Input should be greater than or equal to {ge}",
    },
    "settings.rule.less_than_equal": {
        "es": "debe ser menor o igual que {le}",
        "en": "Input should be less than or equal to {le}",
    },
    "settings.rule.int_parsing": {
        "es": "debe ser un número entero",
        "en": "Input should be a valid integer, unable to parse string as an integer",
    },
    "settings.rule.float_parsing": {
        "es": "debe ser un número",
        "en": "Input should be a valid number, unable to parse string as a number",
    },
    "settings.rule.bool_parsing": {
        "es": "debe ser true o false",
        "en": "Input should be a valid boolean, unable to interpret input",
    },
    "settings.rule.literal_error": {
        "es": "debe ser {expected}",
        "en": "Input should be {expected}",
    },
    "settings.rule.string_too_long": {
        "es": "debe tener como mucho {max_length} caracteres",
        "en": "String should have at most {max_length} characters",
    },
    "settings.rule.string_too_short": {
        "es": "debe tener al menos {min_length} caracteres",
        "en": "String should have at least {min_length} characters",
    },
    "settings.rule.string_too_short.one": {
        "es": "debe tener al menos {min_length} carácter",
        "en": "String should have at least {min_length} character",
    },
}
