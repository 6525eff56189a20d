"""The secrets file: keys and the central password kept out of asistencia.toml, 0600."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import select

from core.config import SettingsError, load_settings, save_settings
from core.secrets.secrets_file import (
    SecretsError,
    load_or_create,
    read_secrets,
    split_password,
    with_password,
)
from core.store.models import Employee
from tests.support.cli import run_main

URL = "postgresql://kiosk_entrada:Sup3r%40S3cret@db.example:5432/asistencia?sslmode=require"
PLAIN = "Sup3r@S3cret"


def test_the_settings_page_keeps_the_password_in_the_secrets_file(
    isolated_environment: Path,
) -> None:
    settings_file = isolated_environment / "asistencia.toml"
    secrets = isolated_environment / "secrets.toml"
    saved = save_settings(settings_file, {"central_database_url": URL})
    assert saved.central_url() == URL  # the program still uses the whole URL
    written = settings_file.read_text()
    assert "S3cret" not in written and "Sup3r" not in written
    assert tomllib.loads(written)["central_database_url"] == (
        "postgresql://kiosk_entrada@db.example:5432/asistencia?sslmode=require"
    )
    assert read_secrets(secrets).central_password == PLAIN
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert load_settings(settings_file).central_url() == URL
    # Removing the central database removes its password too.
    save_settings(settings_file, {"central_database_url": None})
    assert read_secrets(secrets).central_password is None
    assert "S3cret" not in secrets.read_text()


def test_migrate_moves_a_password_an_older_version_left_in_the_settings_file(
    isolated_environment: Path,
) -> None:
    settings_file = isolated_environment / "asistencia.toml"
    settings_file.write_text(f'central_database_url = "{URL}"\n')
    done = run_main("migrate")
    assert done.returncode == 0, done.stderr
    assert "password moved" in done.stdout and PLAIN not in done.stdout + done.stderr
    assert "S3cret" not in settings_file.read_text()
    assert load_settings(settings_file).central_url() == URL


def test_passwords_with_reserved_characters_survive_the_split() -> None:
    bare, password = split_password(URL)
    assert password == PLAIN and "S3cret" not in bare
    assert with_password(bare, password) == URL
    assert split_password("postgresql://k@h/db") == ("postgresql://k@h/db", None)
    assert with_password("postgresql://k:own@h/db", "other") == "postgresql://k:own@h/db"


def test_a_damaged_secrets_file_is_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "secrets.toml"
    path.write_bytes(b"pepper = \xff\xfe")
    with pytest.raises(SecretsError, match="is damaged"):
        read_secrets(path)
    path.write_text('pepper = "short"\ndata_key = "short"\n')
    with pytest.raises(SecretsError, match=r"is not base64|is not 32 bytes"):
        read_secrets(path)
    with pytest.raises(SecretsError, match="is missing"):
        load_or_create(tmp_path / "none.toml", may_create=False)
    settings_file = tmp_path / "asistencia.toml"
    settings_file.write_text('central_database_url = "postgresql://k@h/db"\n')
    with pytest.raises(SettingsError, match=r"damaged|base64|32 bytes"):
        load_settings(settings_file)


def test_new_secrets_are_random_and_born_private(tmp_path: Path) -> None:
    one = load_or_create(tmp_path / "a" / "secrets.toml", may_create=True)
    two = load_or_create(tmp_path / "b" / "secrets.toml", may_create=True)
    assert one.keys.key_id != two.keys.key_id and one.keys.pepper != two.keys.pepper
    for folder in ("a", "b"):
        path = tmp_path / folder / "secrets.toml"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert read_secrets(path).keys == load_or_create(path, may_create=True).keys


def test_a_kiosk_used_alone_first_joins_the_deployment(
    isolated_environment: Path, tmp_path: Path
) -> None:
    import numpy as np

    from core.context import AppContext
    from core.host.paths import DataPaths
    from core.people.employees import EmployeeService
    from core.people.faces import load_gallery
    from core.secrets.sealed import seal_template
    from core.store.models import FaceTemplate, new_id
    from tests.support.keys import TEST_KEYS, write_test_secrets

    (isolated_environment / "secrets.toml").unlink()  # a kiosk that made its own keys
    paths = DataPaths(isolated_environment)
    ctx = AppContext(paths, load_settings(paths.settings_file))
    own = ctx.store.keys
    assert own != TEST_KEYS
    EmployeeService(ctx.store, "k1").add("cli:admin", "E1", "Ana", pin="4821")
    vector = np.random.default_rng(1).standard_normal(128).astype(np.float32)
    with ctx.store.write() as session:
        person = session.scalar(select(Employee.id))
        assert person is not None
        template_id = new_id()
        session.add(
            FaceTemplate(
                id=template_id,
                employee_id=person,
                model_name="Dlib",
                vector=seal_template(own, template_id, person, vector.tobytes()),
                dim=128,
            )
        )
    ctx.close()
    deployment = write_test_secrets(tmp_path / "deployment-secrets.toml")

    refused = run_main("secrets", "import", str(deployment))
    assert refused.returncode != 0 and "--forget-pins" in refused.stderr
    done = run_main("secrets", "import", str(deployment), "--forget-pins")
    assert done.returncode == 0, done.stderr
    assert "1 template(s)" in done.stdout and "PINs cleared for E1" in done.stdout
    assert read_secrets(paths.secrets_file).keys == TEST_KEYS
    again = AppContext(paths, load_settings(paths.settings_file))
    try:
        gallery, _, _ = load_gallery(again.store, "Dlib", 128)
        assert gallery.match(vector).key == person
        assert again.employees().get("E1").has_pin is False
    finally:
        again.close()
    status = run_main("secrets", "status")
    assert TEST_KEYS.key_id in status.stdout and "data_key" not in status.stdout
