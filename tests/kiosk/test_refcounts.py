"""No call the running kiosk repeats may lose references to ``None``, ``True`` or ``False``.

On Python 3.11 these are ordinary objects: a binding that drops one reference per call
makes the interpreter abort once a count reaches zero ("Fatal Python error: none_dealloc"),
which at 30 frames a second is a matter of minutes. PySide6 6.12.0 does this on every
void Qt method and every ``emit`` (it is excluded in pyproject.toml); these tests fail if
a lock bump ever brings such a binding, or a native library with the same defect, back.

Each kind of call is repeated in a child process (tests/support/refcount_probe.py) that pads the
counts so a lossy binding is reported, not fatal; a loss that grows with the calls fails.
A gain is tolerated: it frees nothing early and costs no memory (PySide6 6.11.3 adds six
references to None per ``QPainter(QPixmap)``, which only makes None's count rise).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

LOSS_PER_CALLS = 20


def probe(*args: str) -> tuple[dict[str, dict[str, int]], int]:
    completed = subprocess.run(
        [sys.executable, "-m", "tests.support.refcount_probe", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    assert completed.returncode == 0 and lines, (
        f"the probe failed (exit {completed.returncode}):\n{completed.stderr[-3000:]}"
    )
    answer = json.loads(lines[-1])
    calls: dict[str, dict[str, int]] = answer["calls"]
    assert len(calls) >= 9
    return calls, int(answer["repeat"])


def losses(calls: dict[str, dict[str, int]], repeat: int) -> list[str]:
    """Calls that lose references in proportion to how often they are made.

    The probe reports each call's best round (see refcount_probe.measure). A lossy binding
    loses at least one reference per call (PySide6 6.12.0: one to thirteen), so a loss of
    more than one per LOSS_PER_CALLS calls in every round is a defect; a few references
    that come and go with the interpreter's own caches (seen: up to 5 in 300 frames of the
    whole pipeline, never growing with the calls) are not.
    """
    limit = -(repeat // LOSS_PER_CALLS)
    return [
        f"{name}: {delta:+d} references to {singleton} in {repeat} calls"
        for name, deltas in calls.items()
        for singleton, delta in deltas.items()
        if delta < limit
    ]


def test_window_calls_lose_no_reference_to_none_true_or_false() -> None:
    """Painting a frame, update(), setText, status changes, the result card, the feed's
    polls, the heartbeat, timers, task deliveries and emits, 2,000 times each."""
    calls, repeat = probe("qt")
    lost = losses(calls, repeat)
    import PySide6

    assert not lost, f"PySide6 {PySide6.__version__} loses references:\n" + "\n".join(lost)


@pytest.mark.slow
def test_recognition_calls_lose_no_reference(tmp_path: Path) -> None:
    """OpenCV conversions and resizes, BlazeFace, the face mesh, face chips, onnxruntime's
    embedding, the iris model (blink) and a whole pipeline frame."""
    calls, repeat = probe("native", str(tmp_path / "models"))
    lost = losses(calls, repeat)
    assert not lost, "\n".join(lost)
