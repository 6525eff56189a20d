"""What the camera says (core/camera/reasons.py), Spanish and English.

One key per ``CameraReason`` (``camera.<reason>``), the words for a source
(``camera.source.<kind>``) and what the reader adds while it retries. The English is the
sentence the camera code always wrote (logs, ``doctor`` and the headless server's exit
line quote it); the Spanish says a source with its article ("la cámara 0"), so its
sentences are worded around it. The window has its own wording (kiosk/camera_text.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language

_FORMS_EN = (
    "a camera number (0, 1, ...), /dev/videoN, an rtsp:// or http(s):// URL, "
    "an existing video file, or an existing folder of images"
)
_FORMS_ES = (
    "un número de cámara (0, 1, ...), /dev/videoN, una dirección rtsp:// o http(s)://, "
    "un archivo de vídeo que exista o una carpeta de imágenes que exista"
)

CAMERA: dict[str, Mapping[Language, str]] = {
    # a source, as a sentence names it
    "camera.source.device": {"es": "la cámara {name}", "en": "camera {name}"},
    "camera.source.url": {"es": "la emisión {name}", "en": "stream {name}"},
    "camera.source.video_file": {"es": "el archivo de vídeo {name}", "en": "video file {name}"},
    "camera.source.image_folder": {
        "es": "la carpeta de imágenes {name}",
        "en": "image folder {name}",
    },
    # the reader's own life
    "camera.not_started": {"es": "{source}: sin iniciar", "en": "{source} is not started"},
    "camera.no_camera": {"es": "no hay ninguna cámara abierta", "en": "no camera is open"},
    "camera.opening": {"es": "abriendo {source}", "en": "opening {source}"},
    "camera.streaming": {
        "es": "mostrando {source} ({size})",
        "en": "streaming from {source} ({size})",
    },
    "camera.back": {
        "es": "{source} vuelve a funcionar tras {n} intentos fallidos ({size})",
        "en": "{source} is back after {n} failed attempts ({size})",
    },
    "camera.back.one": {
        "es": "{source} vuelve a funcionar tras {n} intento fallido ({size})",
        "en": "{source} is back after {n} failed attempt ({size})",
    },
    "camera.stopped": {"es": "{source} se detuvo", "en": "{source} stopped"},
    "camera.crashed": {
        "es": "{source} falló de forma inesperada: {why}",
        "en": "{source} failed unexpectedly: {why}",
    },
    # a device or a stream that cannot be opened
    "camera.not_connected": {
        "es": "{source} no está conectada ({node} no existe)",
        "en": "{source} is not connected ({node} does not exist)",
    },
    "camera.no_permission": {
        "es": "no hay permiso para usar {source} ({node}); añada este usuario al grupo «video»",
        "en": "no permission to use {source} ({node}); add this user to the 'video' group",
    },
    "camera.busy": {
        "es": "no se pudo abrir {source} (otro programa la está usando, o no es una cámara)",
        "en": "{source} could not be opened (in use by another program, or not a video "
        "capture device)",
    },
    "camera.unreachable": {
        "es": "no se puede conectar con {source} (no responde, la dirección o las "
        "credenciales no son correctas, o no es una emisión de vídeo)",
        "en": "cannot connect to {source} (unreachable, wrong address or credentials, or not "
        "a video stream)",
    },
    "camera.lost": {
        "es": "{source} dejó de enviar imágenes",
        "en": "{source} stopped sending frames",
    },
    "camera.cut_off": {
        "es": "{source} terminó de forma inesperada",
        "en": "{source} ended unexpectedly",
    },
    # a file or a folder
    "camera.empty": {"es": "{source} está vacío", "en": "the {source} is empty"},
    "camera.missing": {"es": "no existe {source}", "en": "the {source} does not exist"},
    "camera.gone": {"es": "ya no existe {source}", "en": "the {source} no longer exists"},
    "camera.unreadable": {
        "es": "no se puede leer {source} ({why})",
        "en": "the {source} cannot be read ({why})",
    },
    "camera.not_a_video": {
        "es": "no se puede abrir {source} como vídeo (está dañado o su formato no se puede leer)",
        "en": "the {source} cannot be opened as a video (corrupt, or a format OpenCV's FFmpeg "
        "does not read)",
    },
    "camera.no_files": {"es": "{source} no tiene archivos", "en": "the {source} has no files"},
    "camera.no_frames": {
        "es": "{source} no dio ninguna imagen legible",
        "en": "no frame could be read from {source}",
    },
    "camera.no_images": {
        "es": "{source} no tiene ninguna imagen legible (el registro indica los archivos omitidos)",
        "en": "no frame could be read from {source} (see the log for skipped files)",
    },
    "camera.end_of_video": {
        "es": "{source} terminó tras {n} fotogramas",
        "en": "end of {source} after {n} frames",
    },
    "camera.end_of_video.one": {
        "es": "{source} terminó tras {n} fotograma",
        "en": "end of {source} after {n} frame",
    },
    "camera.end_of_folder": {"es": "{source} terminó: {images}", "en": "end of {source}: {images}"},
    "camera.end_of_folder.skipped": {
        "es": "{source} terminó: {images}; se omitieron {skipped}",
        "en": "end of {source}: {images}, {skipped} skipped",
    },
    "camera.images": {"es": "{n} imágenes", "en": "{n} images"},
    "camera.images.one": {"es": "{n} imagen", "en": "{n} image"},
    "camera.unreadable_files": {"es": "{n} archivos ilegibles", "en": "{n} unreadable files"},
    "camera.unreadable_files.one": {"es": "{n} archivo ilegible", "en": "{n} unreadable file"},
    # what the reader adds while a live source is retried
    "camera.retrying": {
        "es": "{reason}; nuevo intento en {s:.2g} s (intento {n})",
        "en": "{reason}; retrying in {s:.2g} s (attempt {n})",
    },
    "camera.gave_up": {
        "es": "{reason}; se dejó de intentar tras {n} intentos",
        "en": "{reason}; gave up after {n} attempts",
    },
    "camera.gave_up.one": {
        "es": "{reason}; se dejó de intentar tras {n} intento",
        "en": "{reason}; gave up after {n} attempt",
    },
    # a camera setting that names no usable source (core/camera/source.py)
    "camera.source_empty": {
        "es": f"la fuente de cámara está vacía; use {_FORMS_ES}",
        "en": f"the camera source is empty; use {_FORMS_EN}",
    },
    "camera.source_not_found": {
        "es": f"no se encontró la fuente de cámara {{raw!r}}; use {_FORMS_ES}",
        "en": f"camera source {{raw!r}} was not found; use {_FORMS_EN}",
    },
    "camera.source_not_a_file": {
        "es": "la fuente de cámara {raw!r} no es un archivo normal ni una carpeta",
        "en": "camera source {raw!r} is neither a regular file nor a folder",
    },
    "camera.device_out_of_range": {
        "es": "el número de cámara {index} está fuera del intervalo (0-{top})",
        "en": "camera number {index} is out of range (0-{top})",
    },
    "camera.url_scheme": {
        "es": "la fuente de cámara {raw!r} usa el esquema '{scheme}://', que no se admite; "
        "use uno de estos: {schemes}",
        "en": "unsupported URL scheme '{scheme}://' in camera source {raw!r}; use one of: "
        "{schemes}",
    },
    "camera.url_no_host": {
        "es": "la dirección de cámara {raw!r} no tiene nombre de servidor",
        "en": "the camera URL {raw!r} has no host name",
    },
}
