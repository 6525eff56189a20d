"""The deployment's two secrets: the PIN pepper and the key that seals faces at rest.

Neither is ever stored in a database; both live in the secrets file (core/secrets/secrets_file.py),
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

**Erasure shreds keys** (schema 0008). Each person's templates and photo are sealed with a
random key of their own (:class:`PersonKey`, magic ``AS2`` and the key's id), stored only
*wrapped* by the data key of the deployment's current **epoch**. Erasing someone deletes
their key and moves the deployment one epoch on: ``data_key(n+1) = HKDF-SHA256(data_key(n))``,
a one-way step every party takes by itself (and forgets the old key), and every other
person's key is wrapped again under the new one. A copy of the old rows (WAL, a dump, a
backup, a replica) then holds the erased person's key wrapped under a key nobody has any
more: with the current secrets nothing of it opens. Blobs sealed directly with the data key
(``AS1``) exist only between migrations 0003 and 0008.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
MAGIC = b"AS1"
KEY_ID_BYTES = 4
HEADER_BYTES = len(MAGIC) + KEY_ID_BYTES + NONCE_BYTES
# Sealed with a person's key: the magic and the key's id (a UUID, the person_keys row).
PERSON_MAGIC = b"AS2"
PERSON_HEADER_BYTES = len(PERSON_MAGIC) + 16 + NONCE_BYTES
RATCHET_INFO = b"asistencia erasure ratchet"
# A person key wrapped by an epoch's data key: nonce, 32 bytes of key, GCM tag.
WRAPPED_BYTES = NONCE_BYTES + KEY_BYTES + 16
# A peppered PIN hash is this prefix and an argon2id string (String(200) holds both).
PEPPERED_PREFIX = "pep1$"


class SealError(Exception):
    """A sealed blob that does not open: another deployment's key, or damaged."""


class PersonKeyMissingError(SealError):
    """A blob sealed with a person key this database does not hold (erased, or not yet
    arrived)."""


def ratchet_step(data_key: bytes) -> bytes:
    """The next epoch's data key: one way, so the new key never yields the old one."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=RATCHET_INFO).derive(
        data_key
    )


def _key_id(key: bytes, label: bytes) -> bytes:
    return hmac.new(key, b"asistencia key id:" + label, hashlib.sha256).digest()[:KEY_ID_BYTES]


def _aad(table: str, row_id: uuid.UUID, owner_id: uuid.UUID | None) -> bytes:
    owner = owner_id.bytes if owner_id is not None else b""
    return b"asistencia/" + table.encode() + b"/" + row_id.bytes + b"/" + owner


def _wrap_aad(key_id: uuid.UUID, employee_id: uuid.UUID, epoch: int) -> bytes:
    return b"asistencia/person_keys/" + key_id.bytes + employee_id.bytes + epoch.to_bytes(8, "big")


@dataclass(frozen=True)
class DeploymentKeys:
    pepper: bytes = field(repr=False)
    data_key: bytes = field(repr=False)
    # Erasures so far (core/secrets/keys.py docstring): data_key is the key of this epoch.
    epoch: int = 0

    def __post_init__(self) -> None:
        for name in ("pepper", "data_key"):
            if len(getattr(self, name)) != KEY_BYTES:
                raise ValueError(f"the {name} must be {KEY_BYTES} bytes")
        if self.epoch < 0:
            raise ValueError("the key epoch must not be negative")

    def at_epoch(self, epoch: int) -> DeploymentKeys:
        """These keys moved forward to ``epoch``; an earlier epoch cannot be reached."""
        if epoch < self.epoch:
            raise SealError(
                f"data key epoch {epoch} is before this installation's ({self.epoch}): its key "
                "was forgotten at an erasure"
            )
        key = self.data_key
        for _ in range(epoch - self.epoch):
            key = ratchet_step(key)
        return DeploymentKeys(self.pepper, key, epoch)

    # --- person keys, wrapped by this epoch's data key ---
    def wrap(self, person: PersonKey, employee_id: uuid.UUID) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        aad = _wrap_aad(person.id, employee_id, self.epoch)
        return nonce + AESGCM(self.data_key).encrypt(nonce, person.key, aad)

    def unwrap(
        self, wrapped: bytes, *, key_id: uuid.UUID, employee_id: uuid.UUID, epoch: int
    ) -> PersonKey:
        """The person key wrapped at ``epoch`` (these keys or a later epoch's only)."""
        keys = self.at_epoch(epoch)
        wrapped = bytes(wrapped)
        aad = _wrap_aad(key_id, employee_id, epoch)
        try:
            key = AESGCM(keys.data_key).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], aad)
        except (InvalidTag, ValueError) as exc:
            raise SealError(
                "a person key does not open with the deployment's data key for its person and "
                "epoch: another deployment's, or damaged"
            ) from exc
        return PersonKey(key_id, key)

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


@dataclass(frozen=True)
class PersonKey:
    """One person's key: it seals their templates and photo, and is stored only wrapped."""

    id: uuid.UUID
    key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.key) != KEY_BYTES:
            raise ValueError(f"a person key must be {KEY_BYTES} bytes")

    @classmethod
    def generate(cls) -> PersonKey:
        return cls(uuid.uuid4(), os.urandom(KEY_BYTES))

    def seal(
        self, plaintext: bytes, *, table: str, row_id: uuid.UUID, owner_id: uuid.UUID | None
    ) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.key).encrypt(nonce, plaintext, _aad(table, row_id, owner_id))
        return PERSON_MAGIC + self.id.bytes + nonce + sealed

    def open(
        self, blob: bytes, *, table: str, row_id: uuid.UUID, owner_id: uuid.UUID | None
    ) -> bytes:
        blob = bytes(blob)
        if sealing_key_id(blob) != self.id:
            raise SealError(f"a {table} value was sealed with another person key")
        nonce = blob[len(PERSON_MAGIC) + 16 : PERSON_HEADER_BYTES]
        try:
            return AESGCM(self.key).decrypt(
                nonce, blob[PERSON_HEADER_BYTES:], _aad(table, row_id, owner_id)
            )
        except InvalidTag as exc:
            raise SealError(f"a {table} value does not belong to its row or is damaged") from exc


def sealing_key_id(blob: bytes | None) -> uuid.UUID | None:
    """The id of the person key a blob is sealed with (None: not sealed with one)."""
    if blob is None or len(blob) <= PERSON_HEADER_BYTES:
        return None
    blob = bytes(blob[:PERSON_HEADER_BYTES])
    if blob[: len(PERSON_MAGIC)] != PERSON_MAGIC:
        return None
    return uuid.UUID(bytes=blob[len(PERSON_MAGIC) : len(PERSON_MAGIC) + 16])


def is_sealed(blob: bytes | None) -> bool:
    """Sealed at all: with the data key (before schema 0008) or a person key."""
    if blob is None:
        return False
    head = bytes(blob[: len(MAGIC)])
    return (head == MAGIC and len(blob) > HEADER_BYTES) or sealing_key_id(blob) is not None


# The sealed columns: (table, column) → how to find the row's owner for the associated data.
TEMPLATE_TABLE = "face_templates"
PHOTO_TABLE = "employees"
