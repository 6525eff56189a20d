"""The web console's words (console/), the central administrator accounts' commands
(``central add-admin``, ``list-admins``, ``remove-admin``) and the console's setting,
Spanish and English."""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language


def _(es: str, en: str) -> Mapping[Language, str]:
    return {"es": es, "en": en}


CONSOLE: dict[str, Mapping[Language, str]] = {
    # the setting and the server (console/server.py)
    "settings.bad_listen": _(
        "debe ser DIRECCIÓN:PUERTO (p. ej. 127.0.0.1:8090), o vacío para no servir la consola",
        "must be HOST:PORT (e.g. 127.0.0.1:8090), or empty for no console",
    ),
    "console.cannot_listen": _(
        "no se puede servir la consola web en {host} puerto {port}: {why}; cambie "
        "console_listen (vacío la desactiva)",
        "cannot serve the web console on {host} port {port}: {why}; change console_listen "
        "(empty turns it off)",
    ),
    # central add-admin, list-admins, remove-admin (core/cli/central_admins.py)
    "console.cli_password_prompt": _("Contraseña nueva: ", "New password: "),
    "console.cli_password_again": _("Repita la contraseña: ", "The password again: "),
    "console.cli_passwords_differ": _(
        "las dos contraseñas no coinciden; no se ha cambiado nada",
        "the two passwords differ; nothing was changed",
    ),
    "console.cli_admin_added": _(
        "administrador central {username} creado: puede entrar en la consola web",
        "central administrator {username} created: they can sign in to the web console",
    ),
    "console.cli_admin_removed": _(
        "administrador central {username} desactivado (se conserva para la auditoría); sus "
        "sesiones abiertas terminan en su próxima petición",
        "central administrator {username} disabled (kept for the audit trail); their open "
        "sessions end at their next request",
    ),
    "console.cli_admin_unlocked": _(
        "administrador central {username} desbloqueado: puede volver a entrar en la consola",
        "central administrator {username} unlocked: they can sign in to the console again",
    ),
    "console.cli_no_admins": _(
        "no hay administradores centrales; cree uno con `central add-admin NOMBRE`",
        "no central administrators; create one with `central add-admin NAME`",
    ),
    "console.cli_col_user": _("Usuario", "User"),
    "console.cli_col_name": _("Nombre", "Name"),
    "console.cli_col_role": _("Rol", "Role"),
    "console.cli_col_state": _("Estado", "State"),
    "console.cli_col_last": _("Último acceso", "Last sign-in"),
    "console.cli_active": _("activo", "active"),
    "console.cli_disabled": _("desactivado", "disabled"),
    # every page (console/templates/base.html)
    "console.title": _("Consola", "Console"),
    "console.skip_to_content": _("Ir al contenido", "Skip to content"),
    "console.nav_label": _("Secciones", "Sections"),
    "console.nav_fleet": _("Quioscos", "Kiosks"),
    "console.nav_people": _("Personas", "People"),
    "console.nav_attendance": _("Asistencia", "Attendance"),
    "console.nav_corrections": _("Correcciones", "Corrections"),
    "console.nav_held": _("Retenidos", "Held records"),
    "console.switch_language": _("English", "Español"),
    "console.sign_out": _("Salir", "Sign out"),
    "console.refused_title": _("No se ha podido", "Not done"),
    "console.go_on": _("Continuar", "Continue"),
    "console.csrf_refused": _(
        "El formulario ha caducado o no viene de esta consola; no se ha cambiado nada. "
        "Vuelva a abrir la página e inténtelo de nuevo.",
        "The form has expired or did not come from this console; nothing was changed. "
        "Open the page again and retry.",
    ),
    "console.form_too_large": _(
        "El formulario es demasiado grande; no se ha cambiado nada.",
        "The form is too large; nothing was changed.",
    ),
    "console.signed_out": _(
        "Su sesión ha terminado; no se ha cambiado nada. Entre de nuevo.",
        "Your session has ended; nothing was changed. Sign in again.",
    ),
    "console.failed": _(
        "Algo ha fallado (¿la base de datos central no responde?); los detalles están en el "
        "registro del servidor.",
        "Something failed (is the central database not answering?); the details are in the "
        "server's log.",
    ),
    "console.previous": _("Anterior", "Previous"),
    "console.next": _("Siguiente", "Next"),
    "console.page_of": _("Página {page} de {pages}", "Page {page} of {pages}"),
    "console.pages_label": _("Páginas", "Pages"),
    "console.show": _("Mostrar", "Show"),
    "console.reason": _("Motivo", "Reason"),
    "console.reason_optional": _("Motivo (opcional)", "Reason (optional)"),
    "console.period_reversed": _(
        "El día «Hasta» ({end}) es anterior al día «Desde» ({start}).",
        "The day in 'To' ({end}) is before the day in 'From' ({start}).",
    ),
    "console.unknown_site": _(
        "No hay ninguna sede '{code}'; las sedes están en la página Personas.",
        "There is no site '{code}'; the sites are on the People page.",
    ),
    "console.fleet_held": _(
        "{count} registros retenidos para revisión (página Retenidos)",
        "{count} records held for review (the Held records page)",
    ),
    "console.fleet_held.one": _(
        "{count} registro retenido para revisión (página Retenidos)",
        "{count} record held for review (the Held records page)",
    ),
    "console.site_needs_name": _("Una sede necesita un nombre.", "A site needs a name."),
    "console.not_found": _(
        "Esta página no existe; elija una de las de arriba.",
        "There is no such page; choose one of those above.",
    ),
    "console.bad_date": _(
        "'{text}' no es una fecha; use AAAA-MM-DD", "'{text}' is not a date; use YYYY-MM-DD"
    ),
    # sign-in
    "console.sign_in_title": _("Entrar en la consola", "Sign in to the console"),
    "console.username": _("Usuario", "User name"),
    "console.password": _("Contraseña", "Password"),
    "console.sign_in": _("Entrar", "Sign in"),
    # The same sentence for an unknown user, a wrong password and a locked account: it never
    # says which, nor how to unlock (docs/administer/console.md does: `central unlock-admin`).
    "console.sign_in_refused": _(
        "Usuario o contraseña incorrectos, o la cuenta está bloqueada por demasiados intentos "
        "fallidos; inténtelo más tarde o pida ayuda a quien administra el servidor.",
        "Wrong user name or password, or the account is locked after too many failed "
        "attempts; try again later or ask whoever runs the server.",
    ),
    "console.sign_in_hint": _(
        "Cuentas de administrador central, creadas con `main.py central add-admin`.",
        "Central administrator accounts, made with `main.py central add-admin`.",
    ),
    # the fleet
    "console.fleet_title": _("Quioscos", "Kiosks"),
    "console.fleet_empty": _("Aún no hay quioscos registrados.", "No kiosk is registered yet."),
    "console.fleet_caption": _("{n} quioscos", "{n} kiosks"),
    "console.fleet_caption.one": _("{n} quiosco", "{n} kiosk"),
    "console.col_kiosk": _("Quiosco", "Kiosk"),
    "console.col_site": _("Sede", "Site"),
    "console.col_last_seen": _("Visto por última vez", "Last seen"),
    "console.col_last_sync": _("Última sincronización", "Last sync"),
    "console.col_version": _("Versión", "Version"),
    "console.col_waiting": _("Registros en espera", "Records waiting"),
    "console.col_camera": _("Cámara", "Camera"),
    "console.col_model": _("Modelo", "Model"),
    "console.col_disk": _("Disco libre", "Disk free"),
    "console.col_clock": _("Reloj", "Clock"),
    "console.col_held": _("Retenidos", "Held"),
    "console.col_attention": _("Necesita atención", "Needs attention"),
    "console.disk_free": _("{free} de {total}", "{free} of {total}"),
    "console.no_site": _("sin sede", "no site"),
    "console.never": _("nunca", "never"),
    "console.all_well": _("todo bien", "all well"),
    # people
    "console.people_title": _("Personas y sedes", "People and sites"),
    "console.sites_title": _("Sedes", "Sites"),
    "console.no_sites": _(
        "No hay sedes: cada quiosco recibe a todos los empleados.",
        "No sites: every kiosk receives every employee.",
    ),
    "console.unsited": _(
        "Quioscos sin sede (reciben a todos): {kiosks}",
        "Kiosks without a site (they receive everyone): {kiosks}",
    ),
    "console.site_new": _("Nueva sede", "New site"),
    "console.site_code": _("Código de sede", "Site code"),
    "console.site_name": _("Nombre", "Name"),
    "console.site_create": _("Crear la sede", "Create the site"),
    "console.site_created": _("Sede creada.", "Site created."),
    "console.col_name": _("Nombre", "Name"),
    "console.col_employees": _("Empleados", "Employees"),
    "console.col_kiosks": _("Quioscos", "Kiosks"),
    "console.employees_title": _("Empleados", "Employees"),
    "console.search": _("Buscar código o nombre", "Find code or name"),
    "console.every_site": _("todas las sedes", "every site"),
    "console.find": _("Buscar", "Find"),
    "console.people_count": _("{n} empleados", "{n} employees"),
    "console.people_count.one": _("{n} empleado", "{n} employee"),
    "console.col_code": _("Código", "Code"),
    "console.col_state": _("Estado", "State"),
    "console.col_faces": _("Caras registradas", "Faces enrolled"),
    "console.col_sites": _("Sedes", "Sites"),
    "console.active": _("activo", "active"),
    "console.inactive": _("inactivo", "inactive"),
    "console.erased_on": _("borradas el {date}", "erased on {date}"),
    "console.every_kiosk": _("todos los quioscos", "every kiosk"),
    "console.membership_title": _("Sedes de esta persona", "This person's sites"),
    "console.join_site": _("Añadir a la sede", "Add to the site"),
    "console.leave_site": _("Quitar de la sede", "Remove from the site"),
    "console.person_joined": _(
        "Añadida a la sede: sus quioscos la recibirán en su próxima sincronización.",
        "Added to the site: its kiosks receive this person at their next sync.",
    ),
    "console.person_left": _(
        "Quitada de la sede: sus quioscos borrarán su cara en su próxima sincronización.",
        "Removed from the site: its kiosks drop this person's face at their next sync.",
    ),
    "console.erase_title": _("Borrar los datos biométricos", "Erase the biometrics"),
    "console.erase_explained": _(
        "Borra las caras, la foto y las claves de esta persona en la base de datos central; "
        "cada quiosco las borra en su próxima sincronización. Sus registros de asistencia "
        "se conservan. No se puede deshacer.",
        "Erases this person's faces, photo and keys in the central database; every kiosk "
        "erases them at its next sync. Their attendance records stay. It cannot be undone.",
    ),
    "console.erase_confirm": _(
        "Escriba el código {code} para confirmar", "Type the code {code} to confirm"
    ),
    "console.erase_confirm_mismatch": _(
        "Para borrar, escriba exactamente el código {code} en la confirmación; no se ha "
        "borrado nada.",
        "To erase, type exactly the code {code} in the confirmation; nothing was erased.",
    ),
    "console.erase_button": _("Borrar para siempre", "Erase for good"),
    "console.person_erased": _(
        "Datos biométricos borrados; los quioscos los borran en su próxima sincronización.",
        "Biometrics erased; the kiosks erase them at their next sync.",
    ),
    # attendance
    "console.attendance_title": _("Asistencia del periodo", "Attendance for a period"),
    "console.from": _("Desde", "From"),
    "console.to": _("Hasta", "To"),
    "console.period_current": _("Periodo de pago actual", "Current pay period"),
    "console.period_previous": _("Periodo de pago anterior", "Previous pay period"),
    "console.report_summary": _(
        "Del {start} al {end}: {records}, {days}, {employees}.",
        "From {start} to {end}: {records}, {days}, {employees}.",
    ),
    "console.n_records": _("{n} registros", "{n} records"),
    "console.n_records.one": _("{n} registro", "{n} record"),
    "console.n_days": _("{n} días", "{n} days"),
    "console.n_days.one": _("{n} día", "{n} day"),
    "console.n_employees": _("{n} empleados", "{n} employees"),
    "console.n_employees.one": _("{n} empleado", "{n} employee"),
    "console.download_csv": _("Descargar esta hoja (CSV)", "Download this sheet (CSV)"),
    "console.download_xlsx": _("Descargar todo (XLSX)", "Download everything (XLSX)"),
    "console.sheets_label": _("Hojas del informe", "Sheets of the report"),
    "console.view_totals": _("Totales", "Totals"),
    "console.view_days": _("Días", "Days"),
    "console.view_records": _("Registros", "Records"),
    "console.bad_download": _(
        "Ese formato u hoja no existe; elija una descarga de esta página.",
        "There is no such format or sheet; choose a download on this page.",
    ),
    "console.report_empty": _("Nada en este periodo.", "Nothing in this period."),
    # corrections
    "console.corrections_title": _("Correcciones", "Corrections"),
    "console.correction_add_title": _("Registrar lo que faltó", "Enter a missing record"),
    "console.correction_explained": _(
        "Por ejemplo, una salida que la persona olvidó marcar, a la hora en que debió "
        "hacerse. Queda como registro manual, con su motivo y su autor.",
        "For example a check-out the person forgot, at the time it should have had. It is "
        "kept as a manual record, with its reason and who entered it.",
    ),
    "console.correction_at": _("Fecha y hora (local)", "Date and time (local)"),
    "console.correction_kind": _("Tipo", "Kind"),
    "console.correction_submit": _("Registrar", "Record"),
    "console.correction_recorded": _("Registro añadido.", "Record added."),
    "console.correction_voided": _("Registro anulado.", "Record voided."),
    "console.bad_kind": _("Elija un tipo de registro.", "Choose a kind of record."),
    "console.bad_record": _("Ese registro no existe.", "That record does not exist."),
    "console.day_records": _("Registros de un día", "A day's records"),
    "console.day": _("Día", "Day"),
    "console.col_time": _("Hora", "Time"),
    "console.col_method": _("Método", "Method"),
    "console.valid": _("válido", "valid"),
    "console.void_title": _("Anular", "Void"),
    "console.void_button": _("Anular", "Void"),
    "console.no_records": _("No hay registros el {day}.", "No records on {day}."),
    # held records
    "console.held_title": _("Registros retenidos para revisión", "Records held for review"),
    "console.held_explained": _(
        "No cuentan en ningún informe hasta que se aceptan. Elija los registros, diga por "
        "qué y acéptelos o recházelos para siempre.",
        "They count in no report until they are released. Choose the records, say why, and "
        "release them or reject them for good.",
    ),
    "console.choose": _("Elegir", "Choose"),
    "console.col_sent_by": _("Enviado por", "Sent by"),
    "console.col_received": _("Recibido", "Received"),
    "console.col_why_held": _("Por qué se retuvo", "Why held"),
    "console.release": _("Aceptar", "Release"),
    "console.reject": _("Rechazar", "Reject"),
    "console.held_choose": _(
        "Elija al menos un registro; no se ha cambiado nada.",
        "Choose at least one record; nothing was changed.",
    ),
    "console.held_released": _("{n} registros aceptados.", "{n} records released."),
    "console.held_released.one": _("{n} registro aceptado.", "{n} record released."),
    "console.held_rejected": _("{n} registros rechazados.", "{n} records rejected."),
    "console.held_rejected.one": _("{n} registro rechazado.", "{n} record rejected."),
    "console.nothing_held": _("No hay nada retenido.", "Nothing is held."),
}
