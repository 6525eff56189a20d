"""What the CPU must offer: which wheels need AVX, and whether this CPU has it.

Most wheels choose their kernels when they run (numpy, onnxruntime, OpenCV): they work on any
x86-64 CPU. A few are compiled for AVX throughout (``AVX_BUILT``): on a CPU without it the
process that imports them dies with "Illegal instruction", no traceback, no log line.
``doctor`` says so before that happens, for the models that are configured. Intel CPUs since
Sandy Bridge (2011) and AMD since Bulldozer have AVX; low-end Atom, Celeron and Pentium
parts of some generations, and virtual machines whose CPU model hides it, do not.
"""

from __future__ import annotations

import contextlib
import platform
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from core.recognition.config import RecognitionConfig
from core.recognition.weights import configured, find_spec

CPUINFO = Path("/proc/cpuinfo")
NEEDED = ("avx",)
X86 = {"x86_64", "amd64", "i386", "i686"}
# Importable module -> the wheel compiled for AVX throughout (dlib-bin's .so holds ~17,500
# AVX instructions; TensorFlow's wheels are built with AVX since 1.6).
AVX_BUILT = {"dlib": "dlib-bin", "tensorflow": "TensorFlow"}
FIX_HARDWARE = (
    "use a PC whose CPU has AVX (Intel Sandy Bridge, AMD Bulldozer or newer; some Atom, "
    "Celeron and Pentium models lack it), or give the virtual machine the host's CPU model "
    "(e.g. QEMU/KVM -cpu host)"
)


@dataclass(frozen=True)
class CpuReport:
    machine: str
    model: str
    missing: tuple[str, ...]  # instruction sets the wheels need and this CPU lacks
    known: bool  # False when the flags could not be read (not Linux, no /proc)


@dataclass(frozen=True)
class CpuVerdict:
    status: Literal["ok", "warn", "fail"]
    detail: str
    fix: str = ""


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


def avx_modules_used(settings: object | None = None) -> set[str]:
    """The AVX-built modules the configured models import (the default models' without
    settings), from the catalogue's ``packages``. A model name the catalogue does not know
    is the weights check's to report."""
    config = RecognitionConfig.from_settings(settings) if settings else RecognitionConfig()
    used: set[str] = set()
    for name, kind in configured(config.model_name, config.detector, config.needs_blink):
        with contextlib.suppress(ValueError):
            used.update(m for m in find_spec(name, kind).packages if m in AVX_BUILT)
    return used


def verdict(cpu: CpuReport, used: Collection[str], installed: Collection[str] = ()) -> CpuVerdict:
    """What doctor says. ``used``: the AVX-built modules the configured models import;
    ``installed``: those merely present (an optional extra). Only a used one can stop the
    kiosk: without one, a CPU without AVX is fine and doctor says so, with a note for the
    installed ones that would stop it if they were chosen."""
    name = cpu.model or cpu.machine
    needs = ", ".join(sorted((AVX_BUILT[m] for m in used if m in AVX_BUILT), key=str.lower))
    others = [AVX_BUILT[m] for m in installed if m in AVX_BUILT and m not in used]
    present = ", ".join(sorted(others, key=str.lower))
    if cpu.machine not in X86:
        return CpuVerdict("ok", f"{name}: not x86-64, so AVX does not apply")
    if not cpu.known:
        if not needs:
            return CpuVerdict("ok", f"{name}: instruction sets unknown; the models need no AVX")
        return CpuVerdict(
            "warn",
            f"{name}: could not read the CPU's instruction sets",
            f"the configured models' {needs} needs AVX; check the CPU's data sheet (Intel "
            "Sandy Bridge / AMD Bulldozer or newer)",
        )
    if not cpu.missing:
        return CpuVerdict("ok", f"{name}: has AVX" + (f" ({needs} needs it)" if needs else ""))
    lacks = ", ".join(s.upper() for s in cpu.missing)
    if needs:
        return CpuVerdict(
            "fail",
            f"{name} has no {lacks}: the configured models' {needs} would stop the kiosk "
            "with 'Illegal instruction'",
            "choose models that do not need it (`python main.py models`), or " + FIX_HARDWARE,
        )
    detail = f"{name} has no {lacks}: fine, the configured models need none"
    if present:
        detail += f"; {present} (installed) would stop it with 'Illegal instruction' if chosen"
    return CpuVerdict("ok", detail)
