"""A database another process keeps locked is a sentence naming it (issue 11, item 10).

SQLite waits out its busy timeout and then says only "database is locked", which came out
as a traceback. Now the sentence names the process that has the file open.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import core.store.database
from core.context import AppContext
from core.errors import StoreError
from core.store.lock_holders import DatabaseInUseError
from tests.support.cli import run_main

HOLD = (
    "import sqlite3, sys, time\n"
    "connection = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "connection.execute('BEGIN EXCLUSIVE')\n"
    "print('locked', flush=True)\n"
    "time.sleep(float(sys.argv[2]))\n"
)


@contextmanager
def held(database: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process with an exclusive lock on ``database`` for ``seconds``."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(database), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_a_change_waits_its_busy_timeout_then_names_the_holder(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core.store.database, "BUSY_TIMEOUT_MS", 1000)  # not 15 s in a test
    ctx.start_store()
    with held(ctx.paths.database, 60) as holder, pytest.raises(DatabaseInUseError) as caught:
        ctx.employees().add("cli:test", "E1", "Ana")
    message = str(caught.value)
    assert isinstance(caught.value, StoreError) and "\n" not in message
    assert message.startswith(f"the database {ctx.paths.database} is in use by another process")
    assert f"pid {holder.pid}" in message and "more than 1 s" in message
    ctx.employees().add("cli:test", "E1", "Ana")  # free again: the same store works
    assert ctx.employees().get("E1").name == "Ana"


def test_the_cli_says_one_sentence_when_the_lock_outlasts_the_busy_timeout(tmp_path: Path) -> None:
    data = tmp_path / "d"
    assert run_main("--data-dir", str(data), "seed").returncode == 0
    with held(data / "asistencia.db", 30) as holder:  # longer than its 15 s
        result = run_main(
            "--data-dir", str(data), "employees", "add", "--code", "E1", "--name", "Ana"
        )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("asistencia: the database ")
    assert f"is in use by another process (pid {holder.pid}" in lines[0]
    added = run_main("--data-dir", str(data), "employees", "add", "--code", "E1", "--name", "Ana")
    assert added.returncode == 0, added.stderr
