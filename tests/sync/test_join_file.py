"""The join file on its own: its passphrase, and every way a file that is not a good one
is refused with one sentence (no database here)."""

from __future__ import annotations

import base64
import json
import math
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.errors import AsistenciaError, RefusedError, UsageError
from core.sync import join_file
from core.sync.join_file import (
    ALPHABET,
    PASSPHRASE_BITS,
    CentralAccess,
    JoinPayload,
    kiosk_url,
    new_passphrase,
    normalize_passphrase,
    open_join_file,
    write_join_file,
)
from tests.support.keys import TEST_KEYS

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@pytest.fixture(autouse=True)
def cheap_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real parameters cost ~0.3 s a derivation; the format is the same with less."""
    monkeypatch.setattr(join_file, "MEMORY_KIB", 1024)
    monkeypatch.setattr(join_file, "TIME_COST", 1)


def payload(**changes: object) -> JoinPayload:
    values: dict[str, object] = {
        "central": CentralAccess("db.example.com", 5432, "asistencia", "verify-full", "PEM"),
        "role": "kiosk_entrada_abc123",
        "password": "s3cret-password",
        "kiosk_id": "entrada",
        "site": "norte",
        "expires_at": datetime(2030, 1, 2, 3, 4, tzinfo=UTC),
        "keys": TEST_KEYS,
    }
    values.update(changes)
    return JoinPayload(**values)  # type: ignore[arg-type]


@pytest.fixture
def sealed(tmp_path: Path) -> tuple[Path, str]:
    path, phrase = tmp_path / "entrada.join", new_passphrase()
    write_join_file(path, payload(), phrase)
    return path, phrase


def test_the_passphrase_has_at_least_80_bits_by_construction() -> None:
    assert set(ALPHABET) == set(CROCKFORD) and len(ALPHABET) == 32
    phrases = {new_passphrase() for _ in range(200)}
    assert len(phrases) == 200
    for phrase in phrases:
        groups = phrase.split("-")
        assert [len(g) for g in groups] == [5, 5, 5, 5]
        assert set("".join(groups)) <= set(CROCKFORD)
    bits = len(normalize_passphrase(next(iter(phrases)))) * math.log2(len(ALPHABET))
    assert bits == PASSPHRASE_BITS >= 80
    # Every character of the alphabet turns up: the choice is not from a smaller set.
    assert set("".join(p.replace("-", "") for p in phrases)) == set(CROCKFORD)


def test_a_file_opens_with_its_passphrase_however_it_is_typed(sealed: tuple[Path, str]) -> None:
    path, phrase = sealed
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    typed = phrase.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    opened = open_join_file(path, typed)
    assert opened == payload()
    raw = path.read_text()
    assert "s3cret-password" not in raw and "norte" not in raw  # sealed, not just encoded


def test_a_file_is_never_written_over(sealed: tuple[Path, str]) -> None:
    path, _phrase = sealed
    with pytest.raises(FileExistsError):
        write_join_file(path, payload(), new_passphrase())


def test_wrong_passphrase_is_one_sentence(sealed: tuple[Path, str]) -> None:
    path, _phrase = sealed
    with pytest.raises(RefusedError) as caught:
        open_join_file(path, new_passphrase())
    assert caught.value.key == "join.wrong_passphrase"
    assert "passphrase does not open" in str(caught.value)


def _refused(path: Path, phrase: str) -> AsistenciaError:
    with pytest.raises(UsageError) as caught:
        open_join_file(path, phrase)
    assert "\n" not in str(caught.value)
    return caught.value


def test_a_truncated_file_is_damaged(sealed: tuple[Path, str]) -> None:
    path, phrase = sealed
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    assert _refused(path, phrase).key == "join.damaged"


def test_a_changed_payload_is_damaged_not_a_wrong_passphrase(sealed: tuple[Path, str]) -> None:
    path, phrase = sealed
    envelope = json.loads(path.read_text())
    sealed_bytes = bytearray(base64.b64decode(envelope["payload"]))
    sealed_bytes[5] ^= 1
    envelope["payload"] = base64.b64encode(bytes(sealed_bytes)).decode()
    path.write_text(json.dumps(envelope))
    assert _refused(path, phrase).key == "join.damaged"


def test_changed_parameters_do_not_open(sealed: tuple[Path, str]) -> None:
    path, phrase = sealed
    envelope = json.loads(path.read_text())
    envelope["kdf"]["memory_kib"] = 10**9
    path.write_text(json.dumps(envelope))
    assert _refused(path, phrase).key == "join.too_costly"
    envelope["kdf"]["memory_kib"] = 2048  # within bounds, but not what it was sealed with
    path.write_text(json.dumps(envelope))
    with pytest.raises(RefusedError):  # another key: the check value does not match
        open_join_file(path, phrase)


def test_other_files_are_not_join_files(tmp_path: Path) -> None:
    for name, content in {
        "secrets.toml": b"pepper = 'x'\n",
        "photo.jpg": b"\xff\xd8\xff\xe0" + os.urandom(64),
        "other.json": b'{"format": "something-else", "version": 1}',
        "empty": b"",
    }.items():
        path = tmp_path / name
        path.write_bytes(content)
        assert _refused(path, "x").key == "join.not_a_join_file", name


def test_a_newer_format_says_so(sealed: tuple[Path, str]) -> None:
    path, phrase = sealed
    envelope = json.loads(path.read_text())
    envelope["version"] = 9
    path.write_text(json.dumps(envelope))
    assert _refused(path, phrase).key == "join.newer_version"


def test_a_huge_file_or_a_folder_is_not_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.join"
    huge.write_bytes(b"{" + b" " * (join_file.JOIN_FILE.limit + 10) + b"}")
    assert "larger than" in str(_refused(huge, "x"))
    assert _refused(tmp_path, "x").key == "read.refused"
    assert _refused(tmp_path / "missing.join", "x").key == "read.refused"


def test_the_kiosk_url_names_no_password() -> None:
    access = CentralAccess("db.example.com", 6432, "asis tencia", "verify-full", "PEM")
    url = kiosk_url(access, "kiosk_x", Path("/data/central-ca.pem"))
    assert url == (
        "postgresql://kiosk_x@db.example.com:6432/asis%20tencia"
        "?sslmode=verify-full&sslrootcert=/data/central-ca.pem"
    )
    socket = kiosk_url(CentralAccess("/run/pg", 5432, "db"), "kiosk_x", None)
    assert socket == "postgresql://kiosk_x@/db?host=/run/pg&port=5432"
