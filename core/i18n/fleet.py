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
    "fleet.silent.one": {
        "es": "sin noticias desde hace {time} (más de {count} intervalo de sincronización): "
        "¿apagado o sin red?",
        "en": "silent for {time} (more than {count} sync interval): switched off or offline?",
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
    "fleet.held.one": {
        "es": "{count} registro retenido para revisión (`python main.py central review`)",
        "en": "{count} record held for review (`python main.py central review`)",
    },
    # a size as people read it (decimal units, as disks are sold): 734 MB, 17,2 GB
    "fleet.size_b": {"es": "{n} B", "en": "{n} B"},
    "fleet.size_kb": {"es": "{n} kB", "en": "{n} kB"},
    "fleet.size_mb": {"es": "{n} MB", "en": "{n} MB"},
    "fleet.size_gb": {"es": "{whole},{tenth} GB", "en": "{whole}.{tenth} GB"},
    "fleet.size_tb": {"es": "{whole},{tenth} TB", "en": "{whole}.{tenth} TB"},
    # a camera's state as a kiosk reports it (core/camera/status.py CameraState)
    "fleet.camera_state.starting": {"es": "arrancando", "en": "starting"},
    "fleet.camera_state.streaming": {"es": "con imagen", "en": "streaming"},
    "fleet.camera_state.reconnecting": {"es": "reconectando", "en": "reconnecting"},
    "fleet.camera_state.ended": {"es": "terminada", "en": "ended"},
    "fleet.camera_state.failed": {"es": "averiada", "en": "failed"},
    "fleet.camera_state.stopped": {"es": "detenida", "en": "stopped"},
    # the liveness setting a kiosk reports (off, blink, passive, both)
    "fleet.liveness.off": {"es": "sin prueba de vida", "en": "no liveness"},
    "fleet.liveness.blink": {"es": "parpadeo", "en": "blink"},
    "fleet.liveness.passive": {"es": "pasiva", "en": "passive"},
    "fleet.liveness.both": {"es": "parpadeo y pasiva", "en": "blink and passive"},
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
    "fleet.attention.one": {
        "es": "{count} de {total} quioscos necesita atención",
        "en": "{count} of {total} kiosks needs attention",
    },
}
