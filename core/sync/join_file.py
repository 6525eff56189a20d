"""The join file: everything a new kiosk needs to join a deployment, sealed with a passphrase.

``central add-kiosk`` writes it and ``main.py join`` reads it (core/runtime/join.py). It
carries the deployment's keys, so it is as sensitive as a kiosk's disk; the passphrase is
printed once, apart from the file, so a copied file alone opens nothing.

The file is a small JSON envelope: a format name and version, the key derivation's
parameters and salt (argon2id, so a stolen file's passphrase costs ~64 MiB and a few tenths
of a second per guess), a check value of the derived key (a wrong passphrase is told apart
from a damaged file), and the payload sealed with AES-256-GCM, the envelope's header as
associated data (its parameters cannot be changed without the seal failing). The
parameters a file may ask for are bounded: a hostile file cannot make the kiosk spend
gigabytes on the derivation. Nothing here touches a database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlunsplit

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.errors import RefusedError, UsageError
from core.host.bounded_read import FileKind, FileRefusedError, read_bounded
from core.i18n import Message
from core.secrets.keys import KEY_BYTES, DeploymentKeys

FORMAT = "asistencia-join"
VERSION = 1
JOIN_FILE = FileKind("read.kind.join_file", 64 * 2**10)  # a real one is ~1-3 KB
# Crockford's base32: no I, L, O or U, so nothing reads as another character aloud.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP_LENGTH = 4, 5  # 20 characters of 5 bits: 100 bits
PASSPHRASE_BITS = GROUPS * GROUP_LENGTH * 5
# What this version writes, and the most a file may ask for (time, memory, threads).
TIME_COST, MEMORY_KIB, PARALLELISM = 3, 64 * 1024, 4
MAX_TIME_COST, MAX_MEMORY_KIB, MAX_PARALLELISM = 10, 256 * 1024, 8
SALT_BYTES, NONCE_BYTES, CHECK_BYTES = 16, 12, 16
_CHECK_LABEL = b"asistencia join file: passphrase check"


def new_passphrase() -> str:
    """A random passphrase of ``PASSPHRASE_BITS`` bits: four groups of five characters."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(chars[i : i + GROUP_LENGTH] for i in range(0, len(chars), GROUP_LENGTH))


def normalize_passphrase(typed: str) -> str:
    """What was typed or read aloud, as derived: case, spaces and dashes do not count, and
    the letters Crockford's alphabet leaves out read as the digits they look like."""
    table = str.maketrans({"O": "0", "I": "1", "L": "1"})
    return "".join(c for c in typed.upper() if c not in " -\t\r\n").translate(table)


@dataclass(frozen=True)
class CentralAccess:
    """Where the kiosk finds the central database and how it checks it is the right one."""

    host: str
    port: int
    database: str
    sslmode: str | None = None
    ca_pem: str | None = None  # the CA certificate's text (verify-full needs no other file)

    @property
    def shown(self) -> str:
        """host:port/database, as a person reads it."""
        return f"{self.host}:{self.port}/{self.database}"


@dataclass(frozen=True)
class JoinPayload:
    central: CentralAccess
    role: str
    password: str
    kiosk_id: str
    site: str | None
    expires_at: datetime
    keys: DeploymentKeys

    @property
    def key_id(self) -> str:
        return self.keys.key_id

    @property
    def pepper_id(self) -> str:
        return self.keys.pepper_id


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _header_bytes(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _derive(passphrase: str, salt: bytes, time_cost: int, memory_kib: int, threads: int) -> bytes:
    """64 bytes: the AES key and the check value's key."""
    return hash_secret_raw(
        normalize_passphrase(passphrase).encode("ascii", "replace"),
        salt,
        time_cost=time_cost,
        memory_cost=memory_kib,
        parallelism=threads,
        hash_len=2 * KEY_BYTES,
        type=Type.ID,
    )


def _check_value(derived: bytes) -> bytes:
    return hmac.new(derived[KEY_BYTES:], _CHECK_LABEL, hashlib.sha256).digest()[:CHECK_BYTES]


def _payload_dict(payload: JoinPayload) -> dict[str, Any]:
    central = payload.central
    return {
        "central": {
            "host": central.host,
            "port": central.port,
            "database": central.database,
            "sslmode": central.sslmode,
            "ca_pem": central.ca_pem,
        },
        "role": payload.role,
        "password": payload.password,
        "kiosk_id": payload.kiosk_id,
        "site": payload.site,
        "expires_at": payload.expires_at.astimezone(UTC).isoformat(),
        "secrets": {
            "pepper": _b64(payload.keys.pepper),
            "data_key": _b64(payload.keys.data_key),
            "epoch": payload.keys.epoch,
        },
        "key_id": payload.key_id,
        "pepper_id": payload.pepper_id,
    }


def seal(payload: JoinPayload, passphrase: str) -> bytes:
    """The join file's bytes."""
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    kdf = {
        "name": "argon2id",
        "salt": _b64(salt),
        "time_cost": TIME_COST,
        "memory_kib": MEMORY_KIB,
        "parallelism": PARALLELISM,
    }
    header = {"format": FORMAT, "version": VERSION, "kdf": kdf}
    derived = _derive(passphrase, salt, TIME_COST, MEMORY_KIB, PARALLELISM)
    body = json.dumps(_payload_dict(payload), sort_keys=True).encode("utf-8")
    sealed = AESGCM(derived[:KEY_BYTES]).encrypt(nonce, body, _header_bytes(header))
    envelope = {
        **header,
        "check": _b64(_check_value(derived)),
        "nonce": _b64(nonce),
        "payload": _b64(sealed),
    }
    return (json.dumps(envelope, indent=1) + "\n").encode("utf-8")


def write_join_file(path: Path, payload: JoinPayload, passphrase: str) -> None:
    """Born 0600, never over an existing file (a kiosk's old file is not silently lost)."""
    data = seal(payload, passphrase)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


# --- reading ----------------------------------------------------------------------------


def _damaged(path: Path) -> UsageError:
    return UsageError(Message("join.damaged", path=path))


def _unb64(value: Any, path: Path, size: int | None = None) -> bytes:
    if not isinstance(value, str):
        raise _damaged(path)
    try:
        data = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise _damaged(path) from None
    if size is not None and len(data) != size:
        raise _damaged(path)
    return data


def _bounded_int(value: Any, low: int, high: int, path: Path) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _damaged(path)
    if not low <= value <= high:
        raise UsageError(Message("join.too_costly", path=path))
    return value


def _envelope(raw: bytes, path: Path) -> dict[str, Any]:
    stripped = raw.lstrip()
    try:
        envelope = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        if stripped.startswith(b"{") and FORMAT.encode() in stripped[:200]:
            raise _damaged(path) from None  # one of ours, cut short or changed
        raise UsageError(Message("join.not_a_join_file", path=path)) from None
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise UsageError(Message("join.not_a_join_file", path=path))
    version = envelope.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _damaged(path)
    if version != VERSION:
        raise UsageError(Message("join.newer_version", path=path, version=version))
    return envelope


def open_join_file(path: Path, passphrase: str) -> JoinPayload:
    """The file's payload; a ``UsageError`` (not a join file, damaged, too large, of a newer
    version) or a ``RefusedError`` (the wrong passphrase) with one sentence otherwise."""
    try:
        raw = read_bounded(path, JOIN_FILE)
    except FileRefusedError as exc:
        raise UsageError(exc.message) from None
    return open_sealed(raw, passphrase, path)


def open_sealed(raw: bytes, passphrase: str, path: Path) -> JoinPayload:
    envelope = _envelope(raw, path)
    kdf = envelope.get("kdf")
    if not isinstance(kdf, dict) or kdf.get("name") != "argon2id":
        raise _damaged(path)
    salt = _unb64(kdf.get("salt"), path, SALT_BYTES)
    time_cost = _bounded_int(kdf.get("time_cost"), 1, MAX_TIME_COST, path)
    memory_kib = _bounded_int(kdf.get("memory_kib"), 8, MAX_MEMORY_KIB, path)
    threads = _bounded_int(kdf.get("parallelism"), 1, MAX_PARALLELISM, path)
    if memory_kib < 8 * threads:
        raise _damaged(path)
    check = _unb64(envelope.get("check"), path, CHECK_BYTES)
    nonce = _unb64(envelope.get("nonce"), path, NONCE_BYTES)
    sealed = _unb64(envelope.get("payload"), path)
    derived = _derive(passphrase, salt, time_cost, memory_kib, threads)
    if not hmac.compare_digest(check, _check_value(derived)):
        raise RefusedError(Message("join.wrong_passphrase", path=path))
    header = {"format": FORMAT, "version": envelope["version"], "kdf": kdf}
    try:
        body = AESGCM(derived[:KEY_BYTES]).decrypt(nonce, sealed, _header_bytes(header))
    except InvalidTag:
        raise _damaged(path) from None
    try:
        return _payload(json.loads(body.decode("utf-8")), path)
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError):
        raise _damaged(path) from None


def _text(value: Any, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise ValueError("a text is missing")
    return value


def _payload(values: dict[str, Any], path: Path) -> JoinPayload:
    central, held = values["central"], values["secrets"]
    port = central["port"]
    epoch = held["epoch"]
    if not isinstance(port, int) or not 1 <= port <= 65535:
        raise ValueError("bad port")
    if not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 0:
        raise ValueError("bad epoch")
    keys = DeploymentKeys(
        _unb64(held["pepper"], path, KEY_BYTES), _unb64(held["data_key"], path, KEY_BYTES), epoch
    )
    if (keys.key_id, keys.pepper_id) != (values["key_id"], values["pepper_id"]):
        raise ValueError("the keys are not the ones named")
    expires = datetime.fromisoformat(str(_text(values["expires_at"])))
    if expires.tzinfo is None:
        raise ValueError("a time without its zone")
    return JoinPayload(
        central=CentralAccess(
            host=str(_text(central["host"])),
            port=port,
            database=str(_text(central["database"])),
            sslmode=_text(central.get("sslmode"), optional=True),
            ca_pem=_text(central.get("ca_pem"), optional=True),
        ),
        role=str(_text(values["role"])),
        password=str(_text(values["password"])),
        kiosk_id=str(_text(values["kiosk_id"])),
        site=_text(values.get("site"), optional=True),
        expires_at=expires.astimezone(UTC),
        keys=keys,
    )


def kiosk_url(access: CentralAccess, role: str, ca_file: Path | None) -> str:
    """The kiosk's URL for the central database, without a password (the secrets file
    keeps it). A host that is a folder is a Unix socket's, said in the query as libpq
    reads it."""
    query: dict[str, str] = {}
    if access.host.startswith("/"):
        netloc = f"{quote(role, safe='')}@"
        query |= {"host": access.host, "port": str(access.port)}
    else:
        host = f"[{access.host}]" if ":" in access.host else access.host
        netloc = f"{quote(role, safe='')}@{host}:{access.port}"
    if access.sslmode is not None:
        query["sslmode"] = access.sslmode
    if ca_file is not None:
        query["sslrootcert"] = str(ca_file)
    path = "/" + quote(access.database, safe="")
    return urlunsplit(("postgresql", netloc, path, urlencode(query, safe="/"), ""))
