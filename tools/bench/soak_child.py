"""The kiosk under soak: ``main.py``'s own window, plus a sampler on the GUI thread.

``python -m tools.bench.soak_child SAMPLES CENSUS_AT_S... -- MAIN_ARGS...`` creates the Qt
application, starts a once-a-second timer that appends one JSON line to SAMPLES, then runs
``main.main(MAIN_ARGS)``: the real composition root, unchanged. Each line holds what only
the process itself can read: the reference counts of None/True/False, RSS and its peak,
threads, open files, CPU per thread, frames on screen, the frame in view and the longest
GUI stall since the last sample. At each CENSUS_AT_S (seconds after start) it also counts
the garbage collector's objects and weak references (slow: only a few times a run).
"""

from __future__ import annotations

from core.host.env import prepare_environment

prepare_environment()

import gc  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import weakref  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, TextIO  # noqa: E402

SAMPLE_MS = 1000
STALL_TRACE_MS = 120.0  # a GUI stall longer than this is reported with the code behind it


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Sampler:
    def __init__(self, out: TextIO, census_at: list[float]) -> None:
        import psutil

        self.out = out
        self.process = psutil.Process()
        self.started = time.monotonic()
        self.census_at = sorted(census_at)
        self.tracer = StallTracer()
        self.tracer.start()

    def sample(self) -> None:
        from PySide6.QtWidgets import QApplication

        from kiosk.main_window import KioskWindow

        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow)]
        window = windows[0] if windows else None
        self.tracer.window = window
        names = {t.native_id: t.name for t in threading.enumerate()}
        threads = {}
        for thread in self.process.threads():
            name = names.get(thread.id) or _native_name(thread.id)
            threads[name] = round(thread.user_time + thread.system_time, 3)
        cpu = self.process.cpu_times()
        record: dict[str, Any] = {
            "t": time.time(),
            "age_s": round(time.monotonic() - self.started, 2),
            "rss_mb": round(self.process.memory_info().rss / 2**20, 1),
            "peak_rss_mb": round(_peak_rss_mb(), 1),
            "threads": self.process.num_threads(),
            "python_threads": threading.active_count(),
            "open_files": self.process.num_fds(),
            "refs_none": sys.getrefcount(None),
            "refs_true": sys.getrefcount(True),
            "refs_false": sys.getrefcount(False),
            "cpu_s": round(cpu.user + cpu.system, 3),
            "children_cpu_s": round(
                sum(c.cpu_times().user + c.cpu_times().system for c in self._children()), 3
            ),
            "thread_cpu_s": threads,
        }
        if window is not None:
            camera = window.kiosk.camera
            frame = camera.frame
            screen = window.stack.currentWidget()
            record.update(
                frames_shown=camera.frames_shown,
                position=None if frame is None else frame.position,
                stall_ms=round(window.heartbeat.max_gap_ms, 1),
                screen=screen.objectName() if screen is not None else None,
            )
            window.heartbeat.max_gap_ms = 0.0  # the next sample reports its own second
        if self.census_at and record["age_s"] >= self.census_at[0]:
            self.census_at.pop(0)
            record["census"] = self._census()
            if window is not None:  # the census itself is not a stall of the kiosk
                window.heartbeat.reset()
        self.out.write(json.dumps(record) + "\n")
        self.out.flush()

    def _children(self) -> list[Any]:
        try:
            return list(self.process.children(recursive=True))
        except Exception:
            return []

    @staticmethod
    def _census() -> dict[str, Any]:
        gc.collect()
        objects = gc.get_objects()
        refs = [o for o in objects if isinstance(o, weakref.ReferenceType)]
        targets = Counter(_describe(o()) for o in refs)
        return {
            "gc_objects": len(objects),
            "weakrefs": len(refs),
            "objects_by_type": dict(Counter(type(o).__qualname__ for o in objects)),
            "weakrefs_to": dict(targets),
        }


def _native_name(tid: int) -> str:
    """A thread Python did not start (Qt's, OpenCV's, FFmpeg's): its kernel name and id."""
    try:
        comm = Path(f"/proc/self/task/{tid}/comm").read_text(encoding="utf-8").strip()
    except OSError:
        comm = "?"
    return f"native {comm} {tid}"


def _describe(target: object) -> str:
    """A weak reference's target: classes by name (new classes made at run time are a leak
    that type objects' subclass lists keep), other objects by type."""
    if isinstance(target, type):
        return f"class {target.__module__}.{target.__qualname__}"
    return type(target).__qualname__


class StallTracer(threading.Thread):
    """Prints the GUI thread's stack when its heartbeat has not beaten for STALL_TRACE_MS,
    once per stall: the soak names what froze the window, not only for how long."""

    def __init__(self) -> None:
        super().__init__(name="soak-stall-tracer", daemon=True)
        self.main_ident = threading.main_thread().ident
        self.beats = -1
        self.window: Any = None

    def run(self) -> None:
        import traceback

        last_change = time.monotonic()
        reported = False
        while True:
            time.sleep(0.02)
            window = self.window
            if window is None:
                continue
            beats = window.heartbeat.beats
            now = time.monotonic()
            if beats != self.beats:
                self.beats, last_change, reported = beats, now, False
                continue
            if not reported and (now - last_change) * 1000 > STALL_TRACE_MS:
                reported = True
                frame = sys._current_frames().get(self.main_ident or 0)
                stack = "".join(traceback.format_stack(frame)) if frame else "?"
                print(
                    f"soak: GUI thread busy for {STALL_TRACE_MS:.0f} ms+ in:\n{stack}",
                    file=sys.stderr,
                    flush=True,
                )


def main(argv: list[str]) -> int:
    split = argv.index("--")
    samples, census = Path(argv[0]), [float(a) for a in argv[1:split]]
    kiosk_args = argv[split + 1 :]
    from PySide6.QtCore import QTimer

    from kiosk.app import application

    app = application()  # main.py's window finds it and uses it
    with samples.open("a", encoding="utf-8") as out:
        sampler = Sampler(out, census)
        timer = QTimer()
        timer.setInterval(SAMPLE_MS)
        timer.timeout.connect(sampler.sample)
        timer.start()
        import main as kiosk_main

        code = kiosk_main.main(kiosk_args)
        timer.stop()
    del app
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
