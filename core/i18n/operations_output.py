"""What the operations commands print, Spanish and English: ``enroll``, ``sync``,
``secrets``, ``central …``, ``seed`` and ``migrate``, and the first administrator's notice
(core/context.py). The common commands are in ``command_output``.

English templates are the sentences these commands always printed (tests and tools read
some of them); a command's syntax (``central site add-employee``, ``--username``) and the
names of things in the database (``asistencia_push``) stay as they are typed.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language

OPERATIONS_OUTPUT: dict[str, Mapping[Language, str]] = {
    # enroll
    "enroll.enrolled": {
        "es": "{saved} foto(s) registrada(s) para {code} {name} ({templates} plantilla(s) "
        "facial(es) en total)",
        "en": "enrolled {saved} photo(s) for {code} {name} ({templates} face template(s) in all)",
    },
    "enroll.refused": {"es": "rechazada {refusal}", "en": "refused {refusal}"},
    # sync
    "sync.off": {
        "es": "la sincronización está desactivada: defina CENTRAL_DATABASE_URL con la URL de "
        "PostgreSQL central",
        "en": "sync is off: set CENTRAL_DATABASE_URL to the central PostgreSQL URL",
    },
    "sync.failed": {
        "es": "la sincronización ha fallado: {error}",
        "en": "sync failed: {error}",
    },
    "sync.done": {
        "es": "enviadas {pushed} fila(s), recibidos {pulled} cambio(s); quedan {pending} por "
        "enviar",
        "en": "pushed {pushed} row(s), pulled {pulled} change(s); {pending} still to push",
    },
    "sync.held_back": {
        "es": "({count} esperan a que el servidor acepte a los empleados nuevos)",
        "en": "({count} wait for the server to accept new employees)",
    },
    "sync.waiting": {"es": "en espera: {reasons}", "en": "waiting: {reasons}"},
    "sync.every": {
        "es": "sincronizando cada {seconds} s con {url}; Ctrl-C para parar",
        "en": "syncing every {seconds} s with {url}; Ctrl-C to stop",
    },
    # secrets
    "secrets.status": {
        "es": "archivo de secretos {file}: clave de datos {key_id}, «pepper» de PIN "
        "{pepper_id} (solo los identificadores; todos los quioscos y el servidor de una misma "
        "instalación muestran los mismos)",
        "en": "secrets file {file}: data key {key_id}, PIN pepper {pepper_id} (ids only; "
        "every kiosk and the server of one deployment show the same)",
    },
    "secrets.imported": {
        "es": "este quiosco usa ahora la clave de datos {key_id} y el «pepper» de PIN "
        "{pepper_id}: {templates} plantilla(s) y {photos} foto(s) cifrada(s) de nuevo",
        "en": "this kiosk now uses data key {key_id} and PIN pepper {pepper_id}: "
        "{templates} template(s) and {photos} photo(s) sealed again",
    },
    "secrets.pins_cleared": {
        "es": "PIN borrados de {codes} (vuelva a establecerlos)",
        "en": "PINs cleared for {codes} (set them again)",
    },
    # central site …
    "central.site_created": {
        "es": "sede {code} creada; añada empleados con `central site add-employee --site {code}`",
        "en": "site {code} created; add employees with `central site add-employee --site {code}`",
    },
    "central.no_sites": {
        "es": "todavía no hay sedes: cada quiosco recibe a todos los empleados",
        "en": "no sites yet: every kiosk receives every employee",
    },
    "central.unsited": {
        "es": "quioscos sin sede (reciben a todos los empleados): {kiosks}",
        "en": "kiosks without a site (they receive every employee): {kiosks}",
    },
    "central.kiosk_site": {
        "es": "quiosco {kiosk}: {now}, antes {before}; se aplica en la próxima sincronización "
        "del quiosco",
        "en": "kiosk {kiosk}: {now}, was {before}; it applies at the kiosk's next sync",
    },
    "central.site": {"es": "sede {site}", "en": "site {site}"},
    "central.no_site": {"es": "sin sede", "en": "no site"},
    "central.no_site_every": {
        "es": "sin sede (todos los empleados)",
        "en": "no site (every employee)",
    },
    "central.joined": {
        "es": "{codes}: alta en la sede {site}; sus quioscos los reciben en su próxima "
        "sincronización",
        "en": "{codes} joined site {site}; its kiosks get them at their next sync",
    },
    "central.left": {
        "es": "{codes}: baja en la sede {site}; sus quioscos borran sus caras y fotos en su "
        "próxima sincronización",
        "en": "{codes} left site {site}; its kiosks drop their faces and photos at their next sync",
    },
    "central.already_in": {
        "es": "{codes}: ya en la sede {site}, no hay nada que hacer",
        "en": "{codes}: already in site {site}, nothing to do",
    },
    "central.not_in": {
        "es": "{codes}: no en la sede {site}, no hay nada que hacer",
        "en": "{codes}: not in site {site}, nothing to do",
    },
    # central migrate, status, apply-inbox
    "central.migrated": {
        "es": "base de datos central migrada {before} -> {after}",
        "en": "central database migrated {before} -> {after}",
    },
    "central.up_to_date": {
        "es": "la base de datos central ya está en la revisión {revision}",
        "en": "central database already at revision {revision}",
    },
    "central.schema": {
        "es": "base de datos central {url}: esquema {revision}",
        "en": "central database {url}: schema {revision}",
    },
    "central.no_schema": {"es": "ninguno", "en": "none"},
    "central.counts": {
        "es": "{employees} empleados, {templates} plantillas faciales, {events} registros de "
        "asistencia",
        "en": "{employees} employees, {templates} face templates, {events} attendance records",
    },
    "central.inbox": {"es": "bandeja de entrada: {items}", "en": "inbox: {items}"},
    "central.inbox_empty": {"es": "vacía", "en": "empty"},
    "central.inbox_nothing": {"es": "nada que aplicar", "en": "nothing to apply"},
    "central.large_objects": {
        "es": "atención: los inicios de sesión de los quioscos aún pueden crear objetos grandes; "
        "como superusuario, ejecute: {statements}",
        "en": "attention: kiosk logins may still create large objects; as a superuser, run: "
        "{statements}",
    },
    "central.held": {
        "es": "retenido para revisión: {items} (vea `python main.py central review`)",
        "en": "held for review: {items} (see `python main.py central review`)",
    },
    # central's tables (site list, status's problems, review): lower-case headers
    "central.col_site": {"es": "sede", "en": "site"},
    "central.col_name": {"es": "nombre", "en": "name"},
    "central.col_employees": {"es": "empleados", "en": "employees"},
    "central.col_kiosks": {"es": "quioscos", "en": "kiosks"},
    "central.col_kiosk": {"es": "quiosco", "en": "kiosk"},
    "central.col_what": {"es": "qué", "en": "what"},
    "central.col_status": {"es": "estado", "en": "status"},
    "central.col_detail": {"es": "detalle", "en": "detail"},
    "central.col_id": {"es": "id", "en": "id"},
    "central.col_sent_by": {"es": "enviado por", "en": "sent by"},
    "central.col_received": {"es": "recibido", "en": "received"},
    "central.col_why_held": {"es": "motivo de la retención", "en": "why held"},
    "central.problems": {
        "es": "cambios de los quioscos que requieren atención:",
        "en": "changes from kiosks that need attention:",
    },
    # central erase-biometrics, create-kiosk-role
    "central.erased": {
        "es": "borradas {count} plantilla(s) facial(es) y la foto de {code} en la base de "
        "datos central el {time} UTC; cada quiosco las borra en su próxima sincronización",
        "en": "erased {count} face template(s) and the photo of {code} centrally at {time} "
        "UTC; every kiosk erases them at its next sync",
    },
    "central.role_password": {"es": "Contraseña de {name}: ", "en": "Password for {name}: "},
    "central.role_created": {"es": "creado", "en": "created"},
    "central.role_updated": {"es": "actualizado", "en": "updated"},
    "central.role": {
        "es": "rol {name} {done} para el quiosco {kiosk}: envía solo a través de "
        "asistencia_push (lo que se atribuya a otro quiosco o a una fecha fuera de {days} días "
        "queda retenido para revisión) y lee empleados, plantillas selladas, turnos, "
        "asignaciones y marcas de borrado",
        "en": "role {name} {done} for kiosk {kiosk}: it pushes through asistencia_push only "
        "(what claims another kiosk or a date outside {days} days is held for review) and "
        "reads employees, sealed templates, shifts, assignments and tombstones",
    },
    "central.role_no_password": {
        "es": "todavía no tiene contraseña: póngale una con \\password de psql",
        "en": "it has no password yet: set one with psql's \\password",
    },
    # central review
    "central.released": {
        "es": "liberado(s) {count} registro(s) retenido(s)",
        "en": "released {count} held record(s)",
    },
    "central.rejected": {
        "es": "rechazado(s) {count} registro(s) retenido(s)",
        "en": "rejected {count} held record(s)",
    },
    "central.nothing_held": {
        "es": "no hay nada retenido para revisión",
        "en": "nothing is held for review",
    },
    # seed, migrate
    "seed.admin": {
        "es": "primer administrador: usuario '{username}', contraseña '{password}' (se muestra "
        "una sola vez; cámbiela al iniciar sesión por primera vez)",
        "en": "first administrator: user '{username}', password '{password}' (shown once; "
        "change it at first sign-in)",
    },
    "seed.created": {"es": "creado: {what}", "en": "created {what}"},
    "seed.nothing": {
        "es": "nada que hacer: los datos iniciales ya están creados",
        "en": "nothing to do: already seeded",
    },
    "migrate.password_moved": {
        "es": "la contraseña de la base de datos central ha pasado de {config} a {secrets}",
        "en": "the central database password moved from {config} to {secrets}",
    },
    "migrate.up_to_date": {
        "es": "ya está en la revisión {revision}",
        "en": "already at revision {revision}",
    },
    "migrate.migrated": {
        "es": "migrada {before} -> {after}",
        "en": "migrated {before} -> {after}",
    },
    "migrate.backup": {"es": "copia de seguridad en {path}", "en": "backup at {path}"},
    "migrate.empty": {"es": "vacía", "en": "empty"},
    # the first administrator's notice (core/context.py; the password only on a terminal)
    "first_admin.shown": {
        "es": "Primer administrador creado: usuario '{username}', contraseña '{password}'. "
        "Debe cambiarse al iniciar sesión por primera vez{where}.",
        "en": "First administrator created: user '{username}', password '{password}'. It "
        "must be changed at first sign-in{where}.",
    },
    "first_admin.also_in": {
        "es": "; hasta entonces también está en {file}",
        "en": "; until then it is also in {file}",
    },
    "first_admin.not_kept": {
        "es": " (no se pudo guardar en {file}: {problem})",
        "en": " (it could not be kept in {file}: {problem})",
    },
    "first_admin.kept": {
        "es": "Primer administrador creado: usuario '{username}'; su contraseña de un solo uso "
        "está en {file} (solo la puede leer este usuario del sistema) y debe cambiarse al "
        "iniciar sesión por primera vez.",
        "en": "First administrator created: user '{username}'; its one-time password is in "
        "{file} (readable only by this user) and must be changed at first sign-in.",
    },
    "first_admin.lost": {
        "es": "Primer administrador creado: usuario '{username}', pero su contraseña de un solo "
        "uso no se pudo guardar en {file} ({problem}); establezca una con `python main.py "
        "users passwd --username {username}`.",
        "en": "First administrator created: user '{username}', but its one-time password "
        "could not be kept in {file} ({problem}); set one with `python main.py users passwd "
        "--username {username}`.",
    },
    "first_admin.choose": {
        "es": "(Defina ASISTENCIA_ADMIN_PASSWORD para elegirla usted.)",
        "en": "(Set ASISTENCIA_ADMIN_PASSWORD to choose it instead.)",
    },
}
