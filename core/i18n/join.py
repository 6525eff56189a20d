"""Joining a deployment in one step, Spanish and English: the join file, ``central
add-kiosk | rotate-kiosk | remove-kiosk`` and ``main.py join`` (core/sync/join_file.py,
core/sync/kiosk_admin.py, core/runtime/join.py, core/cli/central_kiosks.py, core/cli/join.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language

JOIN: dict[str, Mapping[Language, str]] = {
    # the file (core/sync/join_file.py)
    "read.kind.join_file": {"es": "el archivo de unión", "en": "the join file"},
    "read.kind.ca": {"es": "el certificado de la CA", "en": "the CA certificate"},
    "join.not_a_join_file": {
        "es": "{path} no es un archivo de unión (los escribe `python main.py central add-kiosk`)",
        "en": "{path} is not a join file (`python main.py central add-kiosk` writes them)",
    },
    "join.damaged": {
        "es": "el archivo de unión {path} está dañado (cortado o cambiado); pida uno nuevo "
        "con `python main.py central rotate-kiosk`",
        "en": "the join file {path} is damaged (cut short or changed); ask for a new one "
        "(`python main.py central rotate-kiosk`)",
    },
    "join.too_costly": {
        "es": "el archivo de unión {path} pide una derivación de clave mayor de la que este "
        "programa acepta; no es un archivo de Asistencia o está dañado",
        "en": "the join file {path} asks for a larger key derivation than this program "
        "accepts; it is not one of Asistencia's or it is damaged",
    },
    "join.newer_version": {
        "es": "el archivo de unión {path} es de la versión {version} del formato, más nueva "
        "que esta instalación; actualice el programa del quiosco",
        "en": "the join file {path} is of format version {version}, newer than this "
        "installation; update the kiosk's program",
    },
    "join.wrong_passphrase": {
        "es": "la frase de paso no abre el archivo de unión {path}; compruébela con la que "
        "mostró `central add-kiosk` (mayúsculas y guiones no cuentan)",
        "en": "the passphrase does not open the join file {path}; check it against the one "
        "`central add-kiosk` printed (case and dashes do not matter)",
    },
    # the owner's commands (core/sync/kiosk_admin.py, core/cli/central_kiosks.py)
    "join.bad_expiry": {
        "es": "--expires-hours debe ser mayor que 0 y como mucho {most}",
        "en": "--expires-hours must be more than 0 and at most {most}",
    },
    "join.bad_port": {
        "es": "el puerto debe ser un número entre 1 y 65535",
        "en": "the port must be a number from 1 to 65535",
    },
    "join.bad_sslmode": {
        "es": "sslmode '{mode}' no existe; use uno de {modes}",
        "en": "there is no sslmode '{mode}'; use one of {modes}",
    },
    "join.bad_ca": {
        "es": "{path} no es un certificado PEM (-----BEGIN CERTIFICATE-----)",
        "en": "{path} is not a PEM certificate (-----BEGIN CERTIFICATE-----)",
    },
    "join.kiosk_exists": {
        "es": "el quiosco '{kiosk_id}' ya está dado de alta; para un archivo de unión nuevo "
        "use `python main.py central rotate-kiosk --kiosk-id {kiosk_id}`",
        "en": "kiosk '{kiosk_id}' was already added; for a new join file use `python main.py "
        "central rotate-kiosk --kiosk-id {kiosk_id}`",
    },
    "join.unknown_kiosk": {
        "es": "el quiosco '{kiosk_id}' no está registrado en la base de datos central; "
        "dele de alta con `python main.py central add-kiosk --kiosk-id {kiosk_id}`",
        "en": "kiosk '{kiosk_id}' is not registered in the central database; add it with "
        "`python main.py central add-kiosk --kiosk-id {kiosk_id}`",
    },
    "join.out_exists": {
        "es": "{path} ya existe; bórrelo o indique otro con --out",
        "en": "{path} already exists; delete it or name another with --out",
    },
    "join.out_folder_missing": {
        "es": "la carpeta {path} no existe",
        "en": "the folder {path} does not exist",
    },
    "join.site_part": {"es": ", sede {site}", "en": ", site {site}"},
    "join.added": {
        "es": "Quiosco '{kiosk_id}' dado de alta (rol {role}{site}).",
        "en": "Kiosk '{kiosk_id}' added (role {role}{site}).",
    },
    "join.rotated": {
        "es": "Quiosco '{kiosk_id}': contraseña nueva (rol {role}{site}); el archivo de unión "
        "anterior y la contraseña que el quiosco eligió ya no sirven.",
        "en": "Kiosk '{kiosk_id}': new password (role {role}{site}); the previous join file "
        "and the password the kiosk chose no longer work.",
    },
    "join.file_written": {
        "es": "Archivo de unión: {path} (base de datos central {central}), válido hasta "
        "{until} y una sola vez.",
        "en": "Join file: {path} (central database {central}), valid until {until} and once.",
    },
    "join.passphrase": {
        "es": "Frase de paso (se muestra solo esta vez): {passphrase}",
        "en": "Passphrase (shown only this once): {passphrase}",
    },
    "join.what_next": {
        "es": "Lleve {path} al quiosco (p. ej. en una memoria USB) y ejecute allí `python "
        "main.py join {path}`, o use «Unirse a una base de datos central» en su primera "
        "pantalla o en Ajustes → Sincronización, y escriba la frase de paso. Dé la frase por "
        "otro camino que el archivo (en voz alta, no en el mismo correo). El archivo lleva "
        "las claves de la implantación, como el disco de un quiosco: bórrelo después de "
        "usarlo. Caducado o usado ya no abre nada: `python main.py central rotate-kiosk "
        "--kiosk-id {kiosk_id}` da otro.",
        "en": "Take {path} to the kiosk (a USB stick, say) and run `python main.py join "
        "{path}` there, or use “Join a central database” on its first screen or in Settings → "
        "Sync, and type the passphrase. Pass the passphrase on apart from the file (aloud, not "
        "in the same email). The file carries the deployment's keys, like a kiosk's disk: "
        "delete it once used. Expired or used it opens nothing: `python main.py central "
        "rotate-kiosk --kiosk-id {kiosk_id}` issues another.",
    },
    "join.removed": {
        "es": "Quiosco '{kiosk_id}' dado de baja: el rol {role} ya no puede entrar ni tiene "
        "permisos ({ended} conexión(es) cerradas); lo que ya envió se conserva.",
        "en": "Kiosk '{kiosk_id}' removed: the role {role} can no longer log in and has no "
        "grants ({ended} connection(s) ended); what it already sent stays.",
    },
    # the kiosk (core/runtime/join.py, core/cli/join.py)
    "join.ask_passphrase": {"es": "Frase de paso: ", "en": "Passphrase: "},
    "join.no_passphrase": {
        "es": "no se escribió ninguna frase de paso",
        "en": "no passphrase was given",
    },
    "join.no_terminal": {
        "es": "no hay un terminal donde pedir la frase de paso; désela por la entrada "
        "estándar con --passphrase-stdin",
        "en": "there is no terminal to ask for the passphrase on; give it on standard input "
        "with --passphrase-stdin",
    },
    "join.expired": {
        "es": "este archivo de unión valía hasta {until}; pida otro con `python main.py "
        "central rotate-kiosk --kiosk-id {kiosk_id}`",
        "en": "this join file was valid until {until}; ask for a new one (`python main.py "
        "central rotate-kiosk --kiosk-id {kiosk_id}`)",
    },
    "join.environment_pins": {
        "es": "la variable de entorno {variable} fija un ajuste que la unión cambiaría; "
        "quítela antes de unirse",
        "en": "the environment variable {variable} pins a setting the join would change; "
        "remove it before joining",
    },
    "join.other_deployment": {
        "es": "este quiosco ya tiene caras o registros sellados con sus propias claves (clave "
        "de datos {own_key_id}) y el archivo de unión es de la implantación con la clave "
        "{key_id}; no se ha cambiado nada (para llevar sus datos a esa implantación use "
        "`python main.py secrets import`)",
        "en": "this kiosk already has faces or records sealed with its own keys (data key "
        "{own_key_id}) and the join file is for the deployment with data key {key_id}; "
        "nothing was changed (to take its data to that deployment, use `python main.py "
        "secrets import`)",
    },
    "join.unreachable": {
        "es": "no se puede contactar con la base de datos central en {host}: {reason}; no se "
        "ha cambiado nada",
        "en": "cannot reach the central database at {host}: {reason}; nothing was changed",
    },
    "join.refused": {
        "es": "la base de datos central {central} rechaza la contraseña de este archivo de "
        "unión: ya se usó, caducó, o el quiosco se dio de baja o recibió otro archivo; pida "
        "uno nuevo con `python main.py central rotate-kiosk --kiosk-id {kiosk_id}`",
        "en": "the central database {central} refuses this join file's password: it was "
        "already used or expired, or the kiosk was removed or given another file; ask for a "
        "new one (`python main.py central rotate-kiosk --kiosk-id {kiosk_id}`)",
    },
    "join.keys_not_central": {
        "es": "la base de datos central {central} no es de la implantación cuyas claves lleva "
        "el archivo de unión; no se ha cambiado nada",
        "en": "the central database {central} is not the deployment whose keys the join file "
        "carries; nothing was changed",
    },
    "join.central_too_old": {
        "es": "la base de datos central {central} tiene un esquema anterior a esta versión; "
        "actualice antes el servidor central (`python main.py central migrate`); no se ha "
        "cambiado nada",
        "en": "the central database {central} has a schema older than this version; upgrade "
        "the central server first (`python main.py central migrate`); nothing was changed",
    },
    "join.interrupted": {
        "es": "se perdió la respuesta de la base de datos central al cambiar la contraseña "
        "({reason}); la contraseña nueva está guardada en {staged}: vuelva a ejecutar la "
        "unión con el mismo archivo y la misma frase para terminarla",
        "en": "the central database's answer was lost while the password changed ({reason}); "
        "the new password is kept in {staged}: run the join again with the same file and "
        "passphrase to finish it",
    },
    "join.synced": {
        "es": "Primera sincronización hecha: enviadas {pushed} fila(s), recibidos {pulled} "
        "cambio(s).",
        "en": "First sync done: pushed {pushed} row(s), pulled {pulled} change(s).",
    },
    "join.sync_failed": {
        "es": "La primera sincronización no se pudo hacer ({reason}); la unión está hecha y "
        "el quiosco lo reintentará solo.",
        "en": "The first sync could not be done ({reason}); the join is done and the kiosk "
        "will try again by itself.",
    },
    "join.joined": {
        "es": "Unido a la implantación: quiosco '{kiosk_id}'{site}, base de datos central "
        "{central}.",
        "en": "Joined the deployment: kiosk '{kiosk_id}'{site}, central database {central}.",
    },
    "join.delete_file": {
        "es": "Borre ahora el archivo de unión ({path}): ya no abre la base de datos, pero "
        "lleva las claves de la implantación.",
        "en": "Delete the join file now ({path}): it no longer opens the database, but it "
        "carries the deployment's keys.",
    },
}
