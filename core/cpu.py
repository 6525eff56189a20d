"""What the CPU must offer: the wheels Asistencia runs are built for x86-64 with AVX.

``dlib-bin`` (the default Dlib detector and the 68-point landmarks) and TensorFlow's wheels
are compiled with AVX: on a CPU without it the process dies at import with "Illegal
instruction", no traceback, no log line. ``doctor`` says so before that happens. Intel CPUs
since Sandy Bridge (2011) and AMD since Bulldozer have AVX; low-end Atom, Celeron and Pentium
parts of some generations, and virtual machines whose CPU model hides it, do not.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path

CPUINFO = Path("/proc/cpuinfo")
NEEDED = ("avx",)
X86 = {"x86_64", "amd64", "i386", "i686"}


@dataclass(frozen=True)
class CpuReport:
    machine: str
    model: str
    missing: tuple[str, ...]  # instruction sets the wheels need and this CPU lacks
    known: bool  # False when the flags could not be read (not Linux, no /proc)


def cpu_report(cpuinfo: str | None = None, machine: str | None = None) -> CpuReport:
    machine = (machine or platform.machine()).lower()
    if machine not in X86:
        return CpuReport(machine, "", (), known=True)
    if cpuinfo is None:
        try:
            cpuinfo = CPUINFO.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return CpuReport(machine, platform.processor(), (), known=False)
    flags: set[str] = set()
    model = ""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "flags" and not flags:
            flags = set(value.split())
        elif key == "model name" and not model:
            model = value.strip()
    if not flags:
        return CpuReport(machine, model, (), known=False)
    return CpuReport(machine, model, tuple(f for f in NEEDED if f not in flags), known=True)
