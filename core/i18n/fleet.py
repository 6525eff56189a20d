"""The fleet of kiosks as the central database sees it (core/sync/fleet.py, ``central
fleet``, the web console): what needs attention and how long ago, Spanish and English."""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language

FLEET: dict[str, Mapping[Language, str]] = {
    # how long: "3 min", "3 min ago"
    "fleet.seconds": {"es": "{n} s", "en": "{n} s"},
    "fleet.minutes": {"es": "{n} min", "en": "{n} min"},
    "fleet.hours": {"es": "{n} h", "en": "{n} h"},
    "fleet.days": {"es": "{n} días", "en": "{n} days"},
    "fleet.ago": {"es": "hace {time}", "en": "{time} ago"},
    "fleet.never": {"es": "nunca", "en": "never"},
    # what needs attention, one sentence each
    "fleet.never_reported": {
        "es": "nunca ha informado: aún no se ha unido o su versión es anterior",
        "en": "never reported: not joined yet, or an older version",
    },
    "fleet.join_expired": {
        "es": "su archivo de unión caducó sin usarse: `python main.py central rotate-kiosk "
        "--kiosk-id {kiosk}`",
        "en": "its join file expired unused: `python main.py central rotate-kiosk "
        "--kiosk-id {kiosk}`",
    },
    "fleet.silent": {
        "es": "sin noticias desde hace {time} (más de {count} intervalos de sincronización): "
        "¿apagado o sin red?",
        "en": "silent for {time} (more than {count} sync intervals): switched off or offline?",
    },
    "fleet.never_synced": {
        "es": "informa, pero aún no ha sincronizado con éxito (vea su registro)",
        "en": "reports, but has not synced successfully yet (see its log)",
    },
    "fleet.sync_failing": {
        "es": "informa, pero su última sincronización correcta fue {time} (vea su registro)",
        "en": "reports, but its last successful sync was {time} (see its log)",
    },
    "fleet.camera_down": {
        "es": "cámara sin imagen ({state}): solo funciona el teclado PIN",
        "en": "camera down ({state}): only the PIN pad works",
    },
    "fleet.model_failed": {
        "es": "el modelo facial no cargó ({model}): solo funciona el teclado PIN",
        "en": "the face model did not load ({model}): only the PIN pad works",
    },
    "fleet.clock_ahead": {
        "es": "su reloj va {seconds} s adelantado respecto al del servidor",
        "en": "its clock is {seconds} s ahead of the server's",
    },
    "fleet.clock_behind": {
        "es": "su reloj va {seconds} s atrasado respecto al del servidor",
        "en": "its clock is {seconds} s behind the server's",
    },
    "fleet.disk_full": {
        "es": "disco casi lleno: {free} libres de {total}",
        "en": "disk nearly full: {free} free of {total}",
    },
    "fleet.held": {
        "es": "{count} registros retenidos para revisión (`python main.py central review`)",
        "en": "{count} records held for review (`python main.py central review`)",
    },
    # `central fleet`
    "fleet.bad_intervals": {
        "es": "--intervals es un número entero de 1 a 1000",
        "en": "--intervals is a whole number from 1 to 1000",
    },
    "fleet.col_site": {"es": "sede", "en": "site"},
    "fleet.col_last_seen": {"es": "última noticia", "en": "last seen"},
    "fleet.col_version": {"es": "versión", "en": "version"},
    "fleet.col_waiting": {"es": "en espera", "en": "waiting"},
    "fleet.col_camera": {"es": "cámara", "en": "camera"},
    "fleet.col_problems": {"es": "qué atender", "en": "needs attention"},
    "fleet.camera_ok": {"es": "bien", "en": "ok"},
    "fleet.camera_unknown": {"es": "—", "en": "—"},
    "fleet.no_kiosks": {
        "es": "no hay quioscos registrados (`python main.py central add-kiosk --kiosk-id ID`)",
        "en": "no kiosk is registered (`python main.py central add-kiosk --kiosk-id ID`)",
    },
    "fleet.all_well": {
        "es": "los {total} quioscos están bien",
        "en": "all {total} kiosks are well",
    },
    "fleet.attention": {
        "es": "{count} de {total} quioscos necesitan atención",
        "en": "{count} of {total} kiosks need attention",
    },
}
