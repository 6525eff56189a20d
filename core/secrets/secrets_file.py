"""The secrets file: the deployment keys and the central database's password, 0600.

Kept apart from ``asistencia.toml`` (which an administrator may show, copy or check into a
configuration repository) and from the database (whose dump must be worth little without
it). ``ASISTENCIA_SECRETS_FILE`` points elsewhere, e.g. at a container secret; otherwise it
is ``secrets.toml`` in the data dir. One deployment (its kiosks and its headless server)
shares one pepper and one data key: copy the server's file to each kiosk
(docs/install/configuration.md, "Secrets").
"""

from __future__ import annotations

import base64
import binascii
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import tomli_w

from core.errors import AsistenciaError
from core.host.bounded_read import SECRETS, FileRefusedError, read_bounded
from core.i18n import Message
from core.secrets.keys import KEY_BYTES, DeploymentKeys

HEADER = (
    "# Asistencia deployment secrets: the same file on every kiosk and the headless server.\n"
    "# Only the kiosk's user may read it (0600). Back it up apart from the database: without\n"
    "# it, enrolled faces and PINs cannot be used. Never put it in a settings repository.\n"
)


class SecretsError(AsistenciaError):
    """The secrets file is missing where it must exist, unreadable or malformed: one
    sentence, which every command says as it says any expected failure."""


@dataclass(frozen=True)
class Secrets:
    keys: DeploymentKeys
    central_password: str | None = None


def _key(values: dict[str, Any], name: str, path: Path) -> bytes:
    raw = values.get(name)
    if not isinstance(raw, str):
        raise SecretsError(Message("secrets.no_key", path=path, name=name))
    try:
        key = base64.urlsafe_b64decode(raw.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
        raise SecretsError(Message("secrets.not_base64", path=path, name=name)) from exc
    if len(key) != KEY_BYTES:
        raise SecretsError(Message("secrets.wrong_size", path=path, name=name, size=KEY_BYTES))
    return key


def read_secrets(path: Path) -> Secrets:
    """The file's secrets. It is read with a bound (core/host/bounded_read.py): a pipe, a device
    or a huge file given to ``secrets import`` is refused, not read."""
    try:
        raw = read_bounded(path, SECRETS)
    except FileRefusedError as exc:
        if exc.why == Message("read.missing"):
            raise SecretsError(Message("secrets.missing", path=path)) from None
        raise SecretsError(exc.message) from None
    try:
        values = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        why = Message("read.not_text_at_all", byte=exc.start + 1)
        raise SecretsError(Message("secrets.damaged", path=path, why=why)) from exc
    except tomllib.TOMLDecodeError as exc:
        why = Message("read.not_toml", detail=str(exc))
        raise SecretsError(Message("secrets.damaged", path=path, why=why)) from exc
    password = values.get("central_database_password")
    epoch = values.get(
        "data_key_epoch", 0
    )  # erasures so far (core/secrets/keys.py); none before 0008
    if not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 0:
        raise SecretsError(f"'data_key_epoch' in the secrets file {path} is not a whole number")
    return Secrets(
        DeploymentKeys(_key(values, "pepper", path), _key(values, "data_key", path), epoch),
        password if isinstance(password, str) and password else None,
    )


def write_secrets(path: Path, secrets: Secrets) -> None:
    """Atomically, born 0600 (never readable by others, not even for a moment)."""
    values: dict[str, Any] = {
        "pepper": base64.urlsafe_b64encode(secrets.keys.pepper).decode("ascii"),
        "data_key": base64.urlsafe_b64encode(secrets.keys.data_key).decode("ascii"),
        "data_key_epoch": secrets.keys.epoch,
    }
    if secrets.central_password:
        values["central_database_password"] = secrets.central_password
    body = (HEADER + tomli_w.dumps(values)).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, body)
        os.fsync(fd)
    finally:
        os.close(fd)
    partial.replace(path)


def load_or_create(path: Path, *, may_create: bool) -> Secrets:
    """The file's secrets; a new random file when there is none and ``may_create``."""
    if path.exists() or not may_create:
        return read_secrets(path)
    secrets = Secrets(DeploymentKeys.generate())
    write_secrets(path, secrets)
    return secrets


def save_keys(path: Path, keys: DeploymentKeys) -> None:
    """Replace the keys (after an erasure moved the data key on), keeping the password: the
    file is replaced whole, so the old data key is in no file any more."""
    write_secrets(path, replace(read_secrets(path), keys=keys))


def save_central_password(path: Path, password: str | None) -> None:
    current = read_secrets(path) if path.exists() else Secrets(DeploymentKeys.generate())
    write_secrets(path, replace(current, central_password=password))


# --- the password of a central database URL -------------------------------------------------


def split_password(url: str) -> tuple[str, str | None]:
    """(the URL without its password, the password or None)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url, None
    host = parts.netloc.rpartition("@")[2]
    user = parts.netloc.rpartition("@")[0].partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}")), unquote(parts.password)


def with_password(url: str, password: str | None) -> str:
    """``url`` with ``password`` put in, unless the URL already carries one."""
    parts = urlsplit(url)
    if password is None or parts.password is not None or "@" not in parts.netloc:
        return url
    user, _, host = parts.netloc.rpartition("@")
    netloc = f"{user}:{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))
