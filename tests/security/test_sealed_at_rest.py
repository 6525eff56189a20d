"""Faces at rest: sealed in the database, gone from it, its WAL and its backups on erasure."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from core.context import AppContext
from core.people.faces import employee_photo, load_gallery
from core.secrets.keys import DeploymentKeys, SealError
from core.secrets.sealed import open_template, seal_template
from core.store.database import Store
from core.store.migrate import alembic_config
from core.store.models import new_id
from tests.support.keys import TEST_KEYS

VECTOR = np.random.default_rng(7).standard_normal(128).astype(np.float32).tobytes()
PHOTO = b"\xff\xd8\xff\xe0" + os.urandom(600) + b"\xff\xd9"


def _files(ctx: AppContext) -> dict[Path, bytes]:
    database = ctx.paths.database
    found = {p: p.read_bytes() for p in (database, Path(f"{database}-wal")) if p.exists()}
    found |= {p: p.read_bytes() for p in ctx.paths.backups.glob("*.db")}
    return found


def _older_kiosk(ctx: AppContext) -> tuple[uuid.UUID, uuid.UUID]:
    """A kiosk database at revision 0002 (before sealing) holding a plain face and photo."""
    from alembic import command

    ctx.paths.ensure()
    store = Store.open_sqlite(ctx.paths.database)
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    person, template = new_id(), new_id()
    with store.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO employees (id, code, name, active, pin_failed_attempts, "
                "pin_lockout_level, photo_jpeg, consent_at, created_at, updated_at, "
                "sync_pending) VALUES (:id, 'E1', 'Ana', 1, 0, 0, :photo, "
                "'2026-11-01 09:00:00', '2026-11-01 09:00:00', '2026-11-01 09:00:00', 1)"
            ),
            {"id": person.hex, "photo": PHOTO},
        )
        connection.execute(
            text(
                "INSERT INTO face_templates (id, employee_id, model_name, vector, dim, quality, "
                "source, created_at, sync_pending) VALUES (:id, :person, 'Dlib', :v, 128, 0.9, "
                "'photo', '2026-11-01 09:00:00', 1)"
            ),
            {"id": template.hex, "person": person.hex, "v": VECTOR},
        )
    store.dispose()
    return person, template


def test_an_upgraded_kiosk_seals_its_faces_and_an_erasure_leaves_no_copy(ctx: AppContext) -> None:
    person, _ = _older_kiosk(ctx)
    store = ctx.store  # migrates 0002 -> 0003: a backup first, then the faces are sealed
    backups = list(ctx.paths.backups.glob("*.db"))
    assert len(backups) == 1 and VECTOR in backups[0].read_bytes()  # the copy from before
    live = {p: b for p, b in _files(ctx).items() if p not in backups}
    assert live and not any(VECTOR in b or PHOTO in b for b in live.values())
    # Still usable: the gallery opens the sealed template, the photo opens for the card.
    gallery, _, _ = load_gallery(store, "Dlib", 128)
    assert gallery.match(np.frombuffer(VECTOR, np.float32)).key == person
    assert employee_photo(store, person) == PHOTO
    with store.engine.connect() as connection:
        sealed = connection.execute(text("SELECT vector FROM face_templates")).scalar_one()

    assert ctx.employees().erase_biometrics("cli:admin", "E1", "asked to be forgotten") == 1
    for path, content in _files(ctx).items():
        for needle in (VECTOR, PHOTO, bytes(sealed)):
            assert needle not in content, f"{path.name} still holds the erased face"


def test_a_sealed_face_opens_only_for_its_row_and_person_with_the_key() -> None:
    template, person = uuid.uuid4(), uuid.uuid4()
    sealed = seal_template(TEST_KEYS, template, person, VECTOR)
    assert open_template(TEST_KEYS, template, person, sealed) == VECTOR
    with pytest.raises(SealError, match="does not belong to its row"):
        open_template(TEST_KEYS, template, uuid.uuid4(), sealed)  # filed under someone else
    with pytest.raises(SealError, match="does not belong to its row"):
        open_template(TEST_KEYS, uuid.uuid4(), person, sealed)
    with pytest.raises(SealError, match="secrets file is not the deployment's"):
        open_template(DeploymentKeys.generate(), template, person, sealed)
    damaged = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(SealError):
        open_template(TEST_KEYS, template, person, damaged)


def test_a_missing_secrets_file_is_a_sentence_not_new_keys(ctx: AppContext) -> None:
    from core.errors import StoreError

    ctx.store  # noqa: B018 (first open: seals with the test keys, records their ids)
    ctx.close()
    ctx.paths.secrets_file.unlink()
    again = AppContext(ctx.paths, ctx.settings)
    with pytest.raises(StoreError, match="restore the deployment's secrets file"):
        again.store  # noqa: B018
    assert not ctx.paths.secrets_file.exists()  # no new keys that would strand the faces
