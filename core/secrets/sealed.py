"""Sealing the two kinds of biometric data a row holds: a template's vector, a photo.

One place says what each blob is bound to (its table, its row and, for a template, its
employee), so the code that writes a face and the code that reads it cannot disagree. The
key is the person's own (``core.secrets.keys.PersonKey``, found with
``core.store.person_keys``); the
deployment's data key seals directly only in migration 0003, before person keys existed.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from core.secrets.keys import PHOTO_TABLE, TEMPLATE_TABLE


class Sealer(Protocol):
    def seal(
        self, plaintext: bytes, *, table: str, row_id: uuid.UUID, owner_id: uuid.UUID | None
    ) -> bytes: ...

    def open(
        self, blob: bytes, *, table: str, row_id: uuid.UUID, owner_id: uuid.UUID | None
    ) -> bytes: ...


def seal_template(
    keys: Sealer, template_id: uuid.UUID, employee_id: uuid.UUID, vector: bytes
) -> bytes:
    return keys.seal(vector, table=TEMPLATE_TABLE, row_id=template_id, owner_id=employee_id)


def open_template(
    keys: Sealer, template_id: uuid.UUID, employee_id: uuid.UUID, blob: bytes
) -> bytes:
    return keys.open(blob, table=TEMPLATE_TABLE, row_id=template_id, owner_id=employee_id)


def seal_photo(keys: Sealer, employee_id: uuid.UUID, jpeg: bytes) -> bytes:
    return keys.seal(jpeg, table=PHOTO_TABLE, row_id=employee_id, owner_id=None)


def open_photo(keys: Sealer, employee_id: uuid.UUID, blob: bytes) -> bytes:
    return keys.open(blob, table=PHOTO_TABLE, row_id=employee_id, owner_id=None)
