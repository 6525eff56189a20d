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
    # the health endpoint's port (core/server/http_wire.py)
    "health.cannot_serve": {
        "es": "no se puede servir /health en {host} puerto {port}: {why}",
        "en": "cannot serve /health on {host} port {port}: {why}",
    },
    "health.every_interface": {"es": "todas las interfaces", "en": "every interface"},
    "health.not_an_address": {
        "es": "'{host}' no es una dirección de esta máquina, ni un nombre que lleve a una; "
        "ponga en health_host una de sus direcciones (127.0.0.1, o 0.0.0.0 para todas las "
        "interfaces)",
        "en": "'{host}' is not an address of this machine, nor a name that resolves to one; "
        "set health_host to one of its addresses (127.0.0.1, 0.0.0.0 for every interface)",
    },
    "health.port_taken": {
        "es": "otro programa usa ese puerto; deténgalo, o ponga en health_port un puerto "
        "libre (0 elige uno)",
        "en": "another program uses that port; stop it, or set health_port to a free port "
        "(0 picks one)",
    },
    "health.port_not_allowed": {
        "es": "no está permitido (los puertos por debajo de 1024 necesitan privilegios); "
        "ponga en health_port 1024 o más",
        "en": "not allowed (ports below 1024 need privileges); set health_port to 1024 or above",
    },
    # the recognition presets and the central address (core/runtime/setup.py)
    "setup.unknown_preset": {
        "es": "ajuste predefinido desconocido '{name}' (ajustes: {names})",
        "en": "unknown preset '{name}' (presets: {names})",
    },
    "setup.no_host": {
        "es": "escriba el nombre o la dirección IP del servidor",
        "en": "write the server's name or IP address",
    },
    "setup.bad_host": {
        "es": "el servidor es un nombre o una dirección IP, sin espacios, '/', '?', '#' ni '@'",
        "en": "the server is a name or an IP address, without spaces, '/', '?', '#' or '@'",
    },
    "setup.bad_port": {
        "es": "el puerto es un número de 1 a 65535 (normalmente 5432)",
        "en": "the port is a number from 1 to 65535 (usually 5432)",
    },
    "setup.no_database": {
        "es": "escriba el nombre de la base de datos",
        "en": "write the database's name",
    },
    "setup.no_user": {
        "es": "escriba el usuario con el que se conecta el quiosco",
        "en": "write the user name the kiosk connects as",
    },
    # the program's own commands (main.py, core/cli/recognition.py)
    "cli.no_such_file": {"es": "no existe el archivo: {files}", "en": "no such file: {files}"},
    "cli.bench_needs_checkout": {
        "es": "bench se ejecuta desde una copia del código fuente (su carpeta tools/ no está "
        "aquí: {why})",
        "en": "bench runs from a source checkout (its tools/ folder is not here: {why})",
    },
    # the window's platform libraries (core/host/qt_platform.py)
    "window.missing_libraries": {
        "es": "la ventana no puede arrancar: el complemento de plataforma '{platform}' de Qt "
        "necesita {libraries}, que este sistema no tiene{install}{unknown}",
        "en": "the window cannot start: Qt's '{platform}' platform plugin needs {libraries}, "
        "which this system does not have{install}{unknown}",
    },
    "window.install_with": {
        "es": "; instálelas con: sudo apt-get install {packages}",
        "en": "; install them with: sudo apt-get install {packages}",
    },
    "window.and_package_of": {
        "es": " (y el paquete que contiene {libraries})",
        "en": " (and the package holding {libraries})",
    },
}
