"""The deployment's two secrets: the PIN pepper and the key that seals faces at rest.

Neither is ever stored in a database; both live in the secrets file (core/secrets_file.py),
the same on every kiosk and the headless server of one deployment. What they buy:

- **PIN hashes need the pepper.** A PIN is hashed as argon2id(HMAC-SHA256(pepper, employee
  id ‖ PIN)): a dump of ``employees`` (a kiosk's database login can read it) cannot be
  guessed offline, however short the PIN, and a hash copied from one employee to another
  opens nothing, because the employee's id is inside the HMAC.
- **Templates and photos are sealed** with AES-256-GCM, the table, the row's id and (for a
  template) its employee's id as associated data: the database file, its WAL, its backups
  and the central copy hold only ciphertext, and a sealed blob moved to another row or
  person fails to open — so a kiosk login cannot plant its own face on someone else.

Sealed blobs start with a magic and the key's id, so a blob sealed with another deployment's
key is told apart from a damaged one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
MAGIC = b"AS1"
KEY_ID_BYTES = 4
HEADER_BYTES = len(MAGIC) + KEY_ID_BYTES + NONCE_BYTES
# A peppered PIN hash is this prefix and an argon2id string (String(200) holds both).
PEPPERED_PREFIX = "pep1$"


class SealError(Exception):
    """A sealed blob that does not open: another deployment's key, or damaged."""


def _key_id(key: bytes, label: bytes) -> bytes:
    return hmac.new(key, b"asistencia key id:" + label, hashlib.sha256).digest()[:KEY_ID_BYTES]


def _aad(table: str, row_id: uuid.UUID, owner_id: uuid.UUID | None) -> bytes:
    owner = owner_id.bytes if owner_id is not None else b""
    return b"asistencia/" + table.encode() + b"/" + row_id.bytes + b"/" + owner


@dataclass(frozen=True)
class DeploymentKeys:
    pepper: bytes = field(repr=False)
    data_key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        for name in ("pepper", "data_key"):
            if len(getattr(self, name)) != KEY_BYTES:
                raise ValueError(f"the {name} must be {KEY_BYTES} bytes")

    @classmethod
    def generate(cls) -> DeploymentKeys:
        return cls(os.urandom(KEY_BYTES), os.urandom(KEY_BYTES))

    # --- identities (safe to show and to store: they reveal nothing of the keys) ---
    @property
    def key_id(self) -> str:
        return _key_id(self.data_key, b"data").hex()

    @property
    def pepper_id(self) -> str:
        return _key_id(self.pepper, b"pepper").hex()

    # --- PINs ---
    def pin_secret(self, employee_id: uuid.UUID, pin: str) -> str:
        """What argon2 hashes instead of the PIN itself."""
        digest = hmac.new(self.pepper, employee_id.bytes + pin.encode(), hashlib.sha256)
        return digest.hexdigest()

    # --- sealing ---
    def seal(
        self, plaintext: bytes, *, table: str, row_id: uuid.UUID, owner_id: uuid.UUID | None
    ) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.data_key).encrypt(nonce, plaintext, _aad(table, row_id, owner_id))
        return MAGIC + bytes.fromhex(self.key_id) + nonce + sealed

    def open(
        self, blob: bytes, *, table: str, row_id: uuid.UUID, owner_id: uuid.UUID | None
    ) -> bytes:
        blob = bytes(blob)
        if not is_sealed(blob):
            raise SealError(f"a {table} value is not sealed")
        found = blob[len(MAGIC) : len(MAGIC) + KEY_ID_BYTES].hex()
        if found != self.key_id:
            raise SealError(
                f"a {table} value was sealed with data key {found}, this installation has "
                f"{self.key_id}: its secrets file is not the deployment's"
            )
        nonce = blob[len(MAGIC) + KEY_ID_BYTES : HEADER_BYTES]
        try:
            return AESGCM(self.data_key).decrypt(
                nonce, blob[HEADER_BYTES:], _aad(table, row_id, owner_id)
            )
        except InvalidTag as exc:
            raise SealError(f"a {table} value does not belong to its row or is damaged") from exc


def is_sealed(blob: bytes | None) -> bool:
    return blob is not None and bytes(blob[: len(MAGIC)]) == MAGIC and len(blob) > HEADER_BYTES


# The sealed columns: (table, column) → how to find the row's owner for the associated data.
TEMPLATE_TABLE = "face_templates"
PHOTO_TABLE = "employees"
