"""What the headless server, the health endpoint and the program's own set-up refuse,
Spanish and English (core/server/, core/runtime/setup.py, main.py).

Each English template is the sentence its raise site always gave (tests and logs match
them); the Spanish says the same to the same person.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language

SERVER: dict[str, Mapping[Language, str]] = {
    # --exit-at-end with a source that gave nothing (core/server/headless.py)
    "server.models_failed": {
        "es": "no se pudieron cargar los modelos de caras: {detail}",
        "en": "the face models could not be loaded: {detail}",
    },
    "server.see_the_log": {"es": "vea el registro", "en": "see the log"},
    "server.camera_gave_nothing": {
        "es": "la fuente de cámara no dio nada que reconocer: {status}",
        "en": "the camera source gave nothing to recognise: {status}",
    },
    "server.camera_never_opened": {
        "es": "la fuente de cámara no llegó a abrirse ({attempts} intentos en {seconds:.0f} s): "
        "{status}",
        "en": "the camera source never opened ({attempts} attempts in {seconds:.0f} s): {status}",
    },
}
