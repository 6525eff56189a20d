"""What the program says about its inputs, Spanish and English: a file it will not read
(core/host/bounded_read.py), a name with a character that cannot be shown
(core/people/identifiers.py),
and the failures every command ends the same way (core/cli/outcome.py).

Each refusal is one sentence that names the file or the value and why, so a person can fix
it; none names an exception class.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language

INPUTS: dict[str, Mapping[Language, str]] = {
    # a file read with a bound (core/host/bounded_read.py): "cannot read {what} {path}: {why}"
    "read.refused": {
        "es": "no se puede leer {what} {path}: {why}",
        "en": "cannot read {what} {path}: {why}",
    },
    "read.missing": {"es": "no existe", "en": "it does not exist"},
    "read.too_large": {
        "es": "ocupa más de {limit}, más de lo que nunca ocupa un archivo así",
        "en": "it is larger than {limit}, more than such a file ever holds",
    },
    "read.not_text": {
        "es": "no es texto UTF-8 (el byte {byte} no lo es); guárdelo como UTF-8",
        "en": "it is not UTF-8 text (byte {byte} is not); save it as UTF-8",
    },
    "read.not_text_at_all": {
        "es": "no es un archivo de texto (el byte {byte} no es UTF-8)",
        "en": "it is not a text file (byte {byte} is not UTF-8)",
    },
    "read.not_toml": {
        "es": "no es un archivo TOML válido ({detail})",
        "en": "it is not a valid TOML file ({detail})",
    },
    "read.kind.secrets": {"es": "el archivo de secretos", "en": "the secrets file"},
    "read.kind.settings": {"es": "el archivo de configuración", "en": "the settings file"},
    "read.kind.photo": {"es": "la foto", "en": "the photo"},
    "read.kind.dataset_list": {"es": "la lista", "en": "the list"},
    "read.kind.first_password": {
        "es": "el archivo de la primera contraseña",
        "en": "the first password's file",
    },
    # the secrets file's own contents (core/secrets/secrets_file.py)
    "secrets.no_key": {
        "es": "el archivo de secretos {path} no tiene '{name}': no es un archivo de secretos "
        "de Asistencia",
        "en": "the secrets file {path} has no '{name}': it is not an Asistencia secrets file",
    },
    "secrets.not_base64": {
        "es": "'{name}' en el archivo de secretos {path} no está en base64",
        "en": "'{name}' in the secrets file {path} is not base64",
    },
    "secrets.wrong_size": {
        "es": "'{name}' en el archivo de secretos {path} no tiene {size} bytes",
        "en": "'{name}' in the secrets file {path} is not {size} bytes",
    },
    "secrets.damaged": {
        "es": "el archivo de secretos {path} está dañado: {why}",
        "en": "the secrets file {path} is damaged: {why}",
    },
    "secrets.missing": {
        "es": "falta el archivo de secretos {path}",
        "en": "the secrets file {path} is missing",
    },
    # names and identifiers (core/people/identifiers.py)
    "identifier.unprintable": {
        "es": "{what} solo puede tener caracteres visibles; {char} no lo es (quítelo)",
        "en": "{what} may hold only printable characters; {char} is not one (remove it)",
    },
    "identifier.kiosk_id": {"es": "el identificador del quiosco", "en": "the kiosk id"},
    "identifier.kiosk_name": {"es": "el nombre del quiosco", "en": "the kiosk's name"},
    "identifier.employee_code": {"es": "el código del empleado", "en": "the employee's code"},
    "identifier.employee_name": {"es": "el nombre del empleado", "en": "the employee's name"},
    "identifier.shift_name": {"es": "el nombre del turno", "en": "the shift's name"},
    "identifier.site_name": {"es": "el nombre de la sede", "en": "the site's name"},
    "identifier.username": {"es": "el nombre de usuario", "en": "the user name"},
    # how every command ends when it cannot go on (core/cli/outcome.py)
    "cli.no_terminal": {
        "es": "no hay un terminal donde preguntar; para confirmar sin preguntar, añada {flag}",
        "en": "there is no terminal to ask on; to confirm without a question, add {flag}",
    },
    "cli.input_ended": {
        "es": "la entrada estándar terminó antes de la respuesta",
        "en": "standard input ended before the answer",
    },
    "cli.output_closed": {
        "es": "la salida se cerró antes de que terminara la orden",
        "en": "the output was closed before the command finished",
    },
    "cli.not_utf8": {
        "es": "'{text}' no es texto UTF-8; escríbalo de nuevo",
        "en": "'{text}' is not UTF-8 text; type it again",
    },
    "cli.os_error": {"es": "{path}: {why}", "en": "{path}: {why}"},
    "cli.system_error": {"es": "error del sistema: {why}", "en": "system error: {why}"},
    "cli.unexpected": {
        "es": "error inesperado en '{command}'; los detalles están en {log} (envíelo al "
        "informar del fallo)",
        "en": "unexpected error in '{command}'; the details are in {log} (send it with a "
        "report of the problem)",
    },
}
