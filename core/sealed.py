"""Sealing the two kinds of biometric data a row holds: a template's vector, a photo.

One place says what each blob is bound to (its table, its row and, for a template, its
employee), so the code that writes a face and the code that reads it cannot disagree.
"""

from __future__ import annotations

import uuid

from core.keys import PHOTO_TABLE, TEMPLATE_TABLE, DeploymentKeys


def seal_template(
    keys: DeploymentKeys, template_id: uuid.UUID, employee_id: uuid.UUID, vector: bytes
) -> bytes:
    return keys.seal(vector, table=TEMPLATE_TABLE, row_id=template_id, owner_id=employee_id)


def open_template(
    keys: DeploymentKeys, template_id: uuid.UUID, employee_id: uuid.UUID, blob: bytes
) -> bytes:
    return keys.open(blob, table=TEMPLATE_TABLE, row_id=template_id, owner_id=employee_id)


def seal_photo(keys: DeploymentKeys, employee_id: uuid.UUID, jpeg: bytes) -> bytes:
    return keys.seal(jpeg, table=PHOTO_TABLE, row_id=employee_id, owner_id=None)


def open_photo(keys: DeploymentKeys, employee_id: uuid.UUID, blob: bytes) -> bytes:
    return keys.open(blob, table=PHOTO_TABLE, row_id=employee_id, owner_id=None)
