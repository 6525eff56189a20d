"""What the local store and its secrets refuse, Spanish and English: opening, migrating,
writing, a database another process holds, the secrets file (core/context.py,
core/store/, core/secrets/).

Each English template is the sentence its raise site always gave (tests and logs match
them). What a driver or the system said stays as it came, inside the sentence.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n.language import Language

STORE: dict[str, Mapping[Language, str]] = {
    # opening the store (core/context.py)
    "store.needs_migration": {
        "es": "la base de datos {path} necesita una migración del esquema y AUTO_MIGRATE está "
        "desactivado; ejecute `python main.py migrate` o ponga AUTO_MIGRATE=true",
        "en": "the database {path} needs a schema migration and AUTO_MIGRATE is off; run "
        "`python main.py migrate` or set AUTO_MIGRATE=true",
    },
    "store.cannot_open_dir": {
        "es": "no se puede abrir la carpeta de datos {path}: {why}",
        "en": "cannot open the data dir {path}: {why}",
    },
    "store.cannot_open": {
        "es": "no se puede abrir la base de datos {path}: {why}",
        "en": "cannot open the database {path}: {why}",
    },
    "store.secrets_for_sealed": {
        "es": "{problem}; los rostros y PIN de esta base de datos están sellados con la clave "
        "de datos {key_id}: restaure el archivo de secretos de la instalación en {path} (hay "
        "una copia en el servidor central y en sus copias de seguridad)",
        "en": "{problem}; this database's faces and PINs are sealed with data key {key_id}: "
        "restore the deployment's secrets file to {path} (a copy is on the headless server "
        "and in your backups)",
    },
    # a database another process keeps locked (core/store/lock_holders.py)
    "store.in_use": {
        "es": "la base de datos {path} está en uso por {holders}, que la mantuvo bloqueada "
        "más de {seconds:g} s; espere a que termine o deténgalo, y vuelva a intentarlo",
        "en": "the database {path} is in use by {holders}, which kept it locked for more than "
        "{seconds:g} s; wait for it to finish or stop it, then try again",
    },
    "store.holder.unseen": {
        "es": "otra conexión (ningún otro proceso de este usuario la tiene abierta)",
        "en": "another connection (no other process of this user has it open)",
    },
    "store.holder.one": {
        "es": "otro proceso ({listed}{more})",
        "en": "another process ({listed}{more})",
    },
    "store.holder.many": {
        "es": "otros procesos ({listed}{more})",
        "en": "other processes ({listed}{more})",
    },
    "store.holder.more": {"es": " y {n} más", "en": " and {n} more"},
    # a change the disk did not keep (core/store/durability.py); {place} is " (path)" or ""
    "store.disk_full": {
        "es": "no se pudo guardar: el disco está lleno{place}, así que no se guardó nada; "
        "libere espacio o llame a un administrador",
        "en": "could not save: the disk is full{place}, so nothing was saved; free some space "
        "or call an administrator",
    },
    "store.read_only": {
        "es": "no se pudo guardar: no se puede escribir en la base de datos{place} (solo "
        "lectura), así que no se guardó nada; llame a un administrador",
        "en": "could not save: the database cannot be written{place} (read-only), so nothing "
        "was saved; call an administrator",
    },
    "store.io_error": {
        "es": "no se pudo guardar: no se pudo escribir en el disco{place} (un error de "
        "entrada/salida), así que no se guardó nada; llame a un administrador",
        "en": "could not save: the disk could not be written{place} (an input/output error), "
        "so nothing was saved; call an administrator",
    },
    # migrating (core/store/migrate.py)
    "store.no_space_for_backup": {
        "es": "no hay espacio suficiente para copiar la base de datos antes de migrarla: se "
        "necesitan {need:.0f} MB, hay {free:.0f} MB libres en {path}; libere espacio",
        "en": "not enough disk space to back up the database before migrating: need "
        "{need:.0f} MB, {free:.0f} MB free in {path}; free some space",
    },
    # the secrets (core/secrets/)
    "secrets.bad_epoch": {
        "es": "'data_key_epoch' en el archivo de secretos {path} no es un número entero",
        "en": "'data_key_epoch' in the secrets file {path} is not a whole number",
    },
    "secrets.own_pepper_pins": {
        "es": "{count} empleado(s) tienen un PIN hecho con el «pepper» propio de este quiosco "
        "({codes}); no se puede conservar. Vuelva a ejecutarlo con --forget-pins para "
        "borrarlos (y póngalos de nuevo después)",
        "en": "{count} employee(s) have a PIN made with this kiosk's own pepper ({codes}); it "
        "cannot be carried over. Run again with --forget-pins to clear them (set them again "
        "afterwards)",
    },
    # an error without a key of its own (raised outside core: a test, a tool)
    "error.plain": {"es": "{text}", "en": "{text}"},
}
