"""make noavx-test's own checks: QEMU's model refuses AVX, and a program started outside the
emulation is caught. The kiosk's run itself (minutes under emulation) is `make noavx-test`,
run by .ci/run.

Needs qemu-user and strace (.ci/run installs them); skipped without them.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tools.release.noavx_check import (
    NoAvxTestError,
    check_cpu_model,
    emulated_python,
    processes,
    service_env,
    traced,
)

pytestmark = pytest.mark.skipif(
    shutil.which("qemu-x86_64") is None or shutil.which("strace") is None,
    reason="needs qemu-user and strace (.ci/run installs them)",
)
QEMU, CPU = "qemu-x86_64", "Nehalem"


def test_the_cpu_model_refuses_avx_and_runs_sse(tmp_path: Path) -> None:
    seen = check_cpu_model(QEMU, CPU, tmp_path)
    assert seen == {"avx on Nehalem": "Illegal instruction", "sse on Nehalem": 0, "avx on max": 0}
    with pytest.raises(NoAvxTestError, match="does not refuse AVX"):
        check_cpu_model(QEMU, "SandyBridge", tmp_path)  # it has AVX


def run_emulated(tmp_path: Path, code: str) -> dict[str, object]:
    python = emulated_python(tmp_path, QEMU, CPU)
    trace = tmp_path / "trace"
    done = traced([str(python), "-c", code], service_env(tmp_path), trace, tmp_path)
    assert done.returncode == 0, done.stderr
    return processes(trace, python, QEMU)


def test_a_child_started_with_sys_executable_is_emulated_too(tmp_path: Path) -> None:
    code = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'pass'], check=True)"
    found = run_emulated(tmp_path, code)
    assert found == {"emulated": 2, "native_tools": []}


def test_a_program_started_outside_the_emulation_is_named(tmp_path: Path) -> None:
    code = f"import subprocess; subprocess.run([{sys.executable!r}, '-c', 'pass'], check=True)"
    with pytest.raises(NoAvxTestError, match="outside the emulation") as caught:
        run_emulated(tmp_path, code)
    assert sys.executable in str(caught.value)
