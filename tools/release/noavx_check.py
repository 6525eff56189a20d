"""The kiosk on a CPU without AVX (``make noavx-test``), every process of it emulated.

The source install's interpreter runs under QEMU user-mode emulation (Debian's ``qemu-user``)
with a CPU model that lacks AVX (``-cpu Nehalem``; ``qemu-x86_64 -cpu help`` lists them). In
that state it must:

1. show that this QEMU really refuses AVX: a 120-byte program whose first instruction is an
   AVX one dies with "Illegal instruction" under the model, and exits 0 under ``-cpu max``;
   the same program with an SSE instruction instead runs under the model;
2. pass ``doctor --json`` (healthy);
3. ``enroll`` a person from two photos of tests/data/faces;
4. ``headless --camera VIDEO --exit-at-end`` with liveness ``both`` (a blink, then passive
   liveness) on a short video of the same person (an unseen photo of her, camera-like, with
   her eyes closed for two frames) records her, once;
5. start no program outside the emulation. qemu-user does not follow ``exec``: a child the
   kiosk starts (``sys.executable -m ...``, as the blink landmark child once was) would run on
   the real CPU. So ``sys.executable`` is a small script that starts QEMU again (a copy of the
   virtual environment's layout whose ``bin/python`` is that script, its ``lib`` the real
   site-packages), and each step runs under ``strace -f`` (on this machine, outside the
   emulation; it sees every exec of every process, which QEMU's own ``-strace`` loses when
   the guest closes its log file before an exec): every process that executes anything must
   execute that script and then QEMU. The one exception is ``ldd`` (doctor's check of Qt's
   platform plugin) with what it starts: the system's loader listing libraries, which runs
   no code of Asistencia or its wheels.

``/proc/cpuinfo`` is the host's under qemu-user, so doctor's own CPU line describes the host;
the proof is the emulation's, not that line. ``OPENBLAS_CORETYPE`` and the rest of the
caller's environment are not passed on (numpy's OpenBLAS would obey a forced core type and
use AVX kernels): the kiosk gets what systemd gives a service.

Prints one JSON line; exits 1 when any step fails, with the step and the end of its output
(before dlib left the default models, ``enroll`` ended with QEMU's "uncaught target signal 4
(Illegal instruction)", from dlib-bin). The virtual environment it copies is the developers'
(.venv, dev.lock), which still holds the dlib extra: the kiosk must not import it.
``python -m tools.release.noavx_check [--cpu MODEL] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from core.host.images import read_image
from tools.harness.scene import cover, write_video
from tools.models.closed_eyes import close_eyes

ROOT = Path(__file__).resolve().parents[2]
FACES = ROOT / "tests" / "data" / "faces"
QEMU = "qemu-x86_64"
CPU = "Nehalem"  # Intel Core i7 9xx (2008): SSE4.2, no AVX
ENROLL = ("E01", "Persona Uno", ("img1.jpg", "img2.jpg"))
# An unseen photo of the same person, and her eyes in it once cover() has made it a 640×480
# camera frame: (x, y, w, h) of each eye's outline, measured once with the iris model
# (tools.models.closed_eyes.EyeFinder; the video must not need the models under test to be made).
PROBE_PHOTO = "img4.jpg"
PROBE_EYES = ((153, 180, 37, 14), (240, 179, 40, 14))
OPEN_BEFORE, CLOSED, OPEN_AFTER = 6, 2, 8  # frames at 25 fps: a 80 ms blink
# Emulation is ~400 times slower than this CPU on the embedding network: minutes a step.
STEP_TIMEOUT_S = 1800.0
NATIVE_ALLOWED = ("ldd",)  # see the module's docstring, point 5
# strace -ff writes one file per process or thread; in it, a finished call reads
# 'execve("/path", [...], ...) = 0' or 'clone(..., flags=...) = 1234'.
_CALL = re.compile(r"^(?P<call>execve|clone3?|v?fork)\((?P<args>.*)\)\s+=\s+(?P<result>-?\d+)")
_PATH = re.compile(r'^"((?:[^"\\]|\\.)*)"')


class NoAvxTestError(Exception):
    def __init__(self, message: str, done: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.done = done or {}  # what the steps before the failure showed


# --- QEMU and its CPU model ------------------------------------------------------------------


def probe_program(avx: bool) -> bytes:
    """A static x86-64 Linux program: one vector instruction, then exit(0). With ``avx`` the
    instruction is ``vxorps ymm0, ymm0, ymm0`` (VEX-encoded: AVX), else ``xorps xmm0, xmm0``
    (SSE). Written by hand so that no compiler is needed."""
    code = (b"\xc5\xfc\x57\xc0" if avx else b"\x0f\x57\xc0") + (
        b"\xb8\x3c\x00\x00\x00"  # mov eax, 60 (exit)
        b"\x31\xff"  # xor edi, edi
        b"\x0f\x05"  # syscall
    )
    base, header_size = 0x400000, 64 + 56
    size = header_size + len(code)
    elf_header = (
        b"\x7fELF\x02\x01\x01"
        + bytes(9)
        + struct.pack(
            "<HHIQQQIHHHHHH", 2, 0x3E, 1, base + header_size, 64, 0, 0, 64, 56, 1, 0, 0, 0
        )
    )
    program_header = struct.pack("<IIQQQQQQ", 1, 5, 0, base, base, size, size, 0x1000)
    return elf_header + program_header + code


def run_probe(qemu: str, cpu: str, program: Path) -> int:
    return subprocess.run([qemu, "-cpu", cpu, str(program)], capture_output=True, check=False,
                          timeout=60).returncode  # fmt: skip


def check_cpu_model(qemu: str, cpu: str, scratch: Path) -> dict[str, object]:
    """The model must refuse AVX and run SSE; ``-cpu max`` must run the AVX probe (so the
    probe is a valid program and the refusal is the model's). ``--cpu max`` itself is the
    harness's control run: AVX allowed, everything else the same."""
    avx, sse = scratch / "avx-probe", scratch / "sse-probe"
    avx.write_bytes(probe_program(avx=True))
    sse.write_bytes(probe_program(avx=False))
    for path in (avx, sse):
        path.chmod(0o755)
    seen = {
        f"avx on {cpu}": run_probe(qemu, cpu, avx),
        f"sse on {cpu}": run_probe(qemu, cpu, sse),
    }
    seen["avx on max"] = seen[f"avx on {cpu}"] if cpu == "max" else run_probe(qemu, "max", avx)
    refused = -signal.SIGILL if cpu != "max" else 0
    if list(seen.values())[:2] != [refused, 0] or seen["avx on max"] != 0:
        raise NoAvxTestError(f"QEMU's {cpu} model does not refuse AVX as expected: {seen}")
    return {name: "Illegal instruction" if code == -signal.SIGILL else code
            for name, code in seen.items()}  # fmt: skip


# --- the emulated interpreter ----------------------------------------------------------------


def emulated_python(scratch: Path, qemu: str, cpu: str) -> Path:
    """A copy of the virtual environment's layout whose ``bin/python`` starts the real
    interpreter under QEMU, and with ``-0`` tells it that it is this script: its
    ``sys.executable`` (what it starts children with) is then the script, so they are
    emulated too. ``pyvenv.cfg`` and ``lib`` make it the same install (the same
    site-packages)."""
    venv = Path(sys.prefix)
    if venv == Path(sys.base_prefix):
        raise NoAvxTestError("run this from the source install's virtual environment (.venv)")
    interpreter = Path(sys.executable).resolve()
    home = scratch / "python"
    (home / "bin").mkdir(parents=True)
    shutil.copyfile(venv / "pyvenv.cfg", home / "pyvenv.cfg")
    (home / "lib").symlink_to((venv / "lib").resolve())
    wrapper = home / "bin" / "python"
    command = [shutil.which(qemu) or qemu, "-cpu", cpu, "-0", str(wrapper), str(interpreter)]
    wrapper.write_text(
        "#!/bin/sh\n"
        "# Every start of the interpreter goes through QEMU: qemu-user does not follow exec.\n"
        f'exec {shlex.join(command)} "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    return wrapper


def service_env(home: Path) -> dict[str, str]:
    """What systemd gives a service, and no more: nothing of the caller's (OPENBLAS_*,
    PYTHONPATH) reaches the kiosk. Its health port is chosen by the system (tests run
    side by side)."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "ASISTENCIA_LANGUAGE": "en",
        "ASISTENCIA_HEALTH_PORT": "0",
    }


def traced(
    command: list[str], env: Mapping[str, str], trace: Path, cwd: Path
) -> subprocess.CompletedProcess[str]:
    """``command`` with every exec of it and its children logged by strace into
    ``trace.<pid>``."""
    strace = ["strace", "-f", "-ff", "-qq", "-s", "120", "--seccomp-bpf",
              "-e", "trace=execve,clone,clone3,fork,vfork", "-o", str(trace)]  # fmt: skip
    return subprocess.run(
        [*strace, *command],
        capture_output=True,
        text=True,
        env=dict(env),
        cwd=cwd,
        timeout=STEP_TIMEOUT_S,
        check=False,
    )


def run(
    python: Path, data: Path, args: list[str], env: Mapping[str, str], trace: Path
) -> subprocess.CompletedProcess[str]:
    """``main.py`` on the emulated interpreter, traced."""
    command = [str(python), str(ROOT / "main.py"), "--data-dir", str(data), *args]
    return traced(command, env, trace, data.parent)


def expect(done: subprocess.CompletedProcess[str], what: str) -> None:
    if done.returncode == 0:
        return
    died = ""
    if done.returncode in (-signal.SIGILL, 128 + signal.SIGILL):
        died = " (Illegal instruction: an AVX instruction was reached)"
    tail = (done.stdout + done.stderr)[-3000:]
    raise NoAvxTestError(f"{what} exited {done.returncode}{died}:\n{tail}")


# --- the video --------------------------------------------------------------------------------


def closed_eyes(frame: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """The frame with both eyes closed as in a blink (tools.models.closed_eyes draws the lids
    down)."""
    outlines = [
        np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float32)
        for x, y, w, h in PROBE_EYES
    ]
    return close_eyes(frame, outlines)


def blink_video(path: Path) -> Path:
    frame = cover(read_image(FACES / PROBE_PHOTO))
    shut = closed_eyes(frame)
    write_video([frame] * OPEN_BEFORE + [shut] * CLOSED + [frame] * OPEN_AFTER, path)
    return path


def records(data: Path) -> list[tuple[str, str, str, str]]:
    connection = sqlite3.connect(data / "asistencia.db")
    try:
        return connection.execute(
            "SELECT e.code, a.kind, a.method, a.liveness FROM attendance_events a "
            "JOIN employees e ON e.id = a.employee_id ORDER BY a.occurred_at"
        ).fetchall()
    finally:
        connection.close()


# --- every process emulated --------------------------------------------------------------------


def _calls(trace: Path) -> dict[int, list[tuple[str, str, int]]]:
    """{pid or tid: [(call, its arguments, result)]} from strace -ff's files ``trace.*``."""
    calls: dict[int, list[tuple[str, str, int]]] = {}
    for path in trace.parent.glob(trace.name + ".*"):
        tid = int(path.suffix[1:])
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            found = _CALL.match(line)
            if found is not None:
                result = int(found.group("result"))
                calls.setdefault(tid, []).append((found.group("call"), found["args"], result))
    return calls


def processes(trace: Path, wrapper: Path, qemu: str) -> dict[str, object]:
    """Every process of one step, from strace: each one that executed a program must have
    executed the wrapper and then QEMU (emulated), or be an allowed system tool or one of
    its children. Anything else ran on the real CPU."""
    calls = _calls(trace)
    owner: dict[int, int] = {}  # thread -> its process
    parent: dict[int, int] = {}
    for tid, made in sorted(calls.items()):
        for call, args, result in made:
            if call != "execve" and result > 0:
                if "CLONE_THREAD" in args:
                    owner[result] = owner.get(tid, tid)
                else:
                    parent[result] = owner.get(tid, tid)
    programs: dict[int, list[str]] = {}
    for tid, made in calls.items():
        for call, args, result in made:
            path = _PATH.match(args)
            if call == "execve" and result == 0 and path is not None:
                programs.setdefault(owner.get(tid, tid), []).append(path.group(1))
    qemu_path = shutil.which(qemu) or qemu

    def allowed_tool(pid: int | None) -> bool:
        while pid is not None:
            first = programs.get(pid, [""])[0]
            if Path(first).name in NATIVE_ALLOWED:
                return True
            pid = parent.get(pid)
        return False

    emulated = [pid for pid, run in programs.items() if run == [str(wrapper), qemu_path]]
    escaped = {
        pid: run for pid, run in programs.items() if pid not in emulated and not allowed_tool(pid)
    }
    if not emulated:
        raise NoAvxTestError(f"strace saw no emulated process in {trace}.*")
    if escaped:
        raise NoAvxTestError(f"programs run outside the emulation (pid: execs): {escaped}")
    return {
        "emulated": len(emulated),
        "native_tools": sorted({run[0] for pid, run in programs.items() if allowed_tool(pid)}),
    }


# --- the run ------------------------------------------------------------------------------------


class Emulated:
    """The kiosk's steps on the emulated interpreter, each traced, each timed."""

    def __init__(self, scratch: Path, qemu: str, cpu: str) -> None:
        self.qemu = qemu
        self.python = emulated_python(scratch, qemu, cpu)
        self.data, self.traces, home = scratch / "data", scratch / "traces", scratch / "home"
        self.traces.mkdir()
        home.mkdir()
        self.env = service_env(home)
        self.seconds: dict[str, float] = {}
        self.processes: dict[str, object] = {}

    def step(
        self, name: str, args: list[str], env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        trace = self.traces / name
        started = time.perf_counter()
        done = run(self.python, self.data, args, {**self.env, **(env or {})}, trace)
        self.seconds[name] = round(time.perf_counter() - started, 1)
        self.processes[name] = processes(trace, self.python, self.qemu)
        expect(done, f"{name} ({' '.join(args)})")
        return done


def check_doctor(kiosk: Emulated) -> dict[str, str]:
    verdict = json.loads(kiosk.step("doctor", ["doctor", "--json"]).stdout)
    statuses = {c["name"]: c["status"] for c in verdict["checks"]}
    if not verdict["healthy"]:
        raise NoAvxTestError(f"doctor is not healthy: {verdict['checks']}")
    return statuses


def check_recording(kiosk: Emulated, scratch: Path) -> list[tuple[str, str, str, str]]:
    code, name, photos = ENROLL
    kiosk.step("enroll", ["enroll", "--code", code, "--name", name,
                          *(str(FACES / p) for p in photos)])  # fmt: skip
    video = blink_video(scratch / "blink.avi")
    done = kiosk.step(
        "headless",
        ["headless", "--camera", str(video), "--exit-at-end"],
        {"ASISTENCIA_LIVENESS": "both"},
    )
    got = records(kiosk.data)
    if [(c, kind, method) for c, kind, method, _ in got] != [(code, "in", "face")]:
        raise NoAvxTestError(f"headless recorded {got}, not {code} once:\n{done.stderr[-3000:]}")
    if not (got[0][3].startswith("both ") and got[0][3].endswith("blink")):
        raise NoAvxTestError(f"the record's liveness is {got[0][3]!r}, not a blink and a score")
    return got


def check(scratch: Path, qemu: str, cpu: str) -> dict[str, object]:
    for tool, package in ((qemu, "qemu-user"), ("strace", "strace")):
        if shutil.which(tool) is None:
            raise NoAvxTestError(f"{tool} is not installed (Debian: apt-get install {package})")
    report: dict[str, object] = {"cpu": cpu, "qemu": check_cpu_model(qemu, cpu, scratch)}
    kiosk = Emulated(scratch, qemu, cpu)
    try:
        report["doctor"] = check_doctor(kiosk)
        report["recorded"] = check_recording(kiosk, scratch)
    except NoAvxTestError as exc:
        report.update(seconds=kiosk.seconds, processes=kiosk.processes)
        raise NoAvxTestError(str(exc), report) from exc
    report.update(seconds=kiosk.seconds, processes=kiosk.processes)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu", default=CPU, help=f"QEMU's CPU model (default {CPU})")
    parser.add_argument("--qemu", default=QEMU)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    if sysconfig.get_platform() != "linux-x86_64":
        print(json.dumps({"ok": False, "error": "needs x86-64 Linux"}))
        return 1
    with tempfile.TemporaryDirectory(prefix="asistencia-noavx-") as tmp:
        scratch = args.keep or Path(tmp)
        scratch.mkdir(parents=True, exist_ok=True)
        if any(scratch.iterdir()):
            parser.error(f"{scratch} is not empty")
        try:
            report = check(scratch, args.qemu, args.cpu)
        except (NoAvxTestError, subprocess.TimeoutExpired) as exc:
            done = exc.done if isinstance(exc, NoAvxTestError) else {}
            print(json.dumps({"ok": False, "cpu": args.cpu, "error": str(exc), **done}))
            print(f"no-AVX test failed: {exc}", file=sys.stderr)
            return 1
    print(json.dumps({"ok": True, **report}))
    return 0


if __name__ == "__main__":
    os.umask(0o077)
    raise SystemExit(main())
