"""``python main.py`` as a real process, as an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

from tests.support.paths import ROOT


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_main(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 120
) -> CliResult:
    """Run ``python main.py`` as a real process, as an operator would. It speaks English
    (the source language; under LANG=C.UTF-8 'auto' would be Spanish) unless ``env`` sets
    ASISTENCIA_LANGUAGE."""
    completed = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        input=stdin,
        env={**os.environ, "ASISTENCIA_LANGUAGE": "en", **(env or {})},
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr)
