"""make arm64-resolve names every pinned package with no wheel for 64-bit ARM Linux.

Run against a local package index (no network): the real pip, the real command line. The
check against PyPI itself is `make arm64-resolve`, run by .ci/run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from tools.release.arm64_resolve import ROOT

PACKAGES = {
    # name: the tags of its only wheel
    "oldglibc": "cp311-cp311-manylinux_2_28_aarch64",  # as onnxruntime's
    "newglibc": "cp310-abi3-manylinux_2_39_aarch64",
    "toonew": "cp311-cp311-manylinux_2_40_aarch64",  # glibc 2.40: not on Debian 13
    "intelonly": "cp311-cp311-manylinux_2_28_x86_64",
    "purepython": "py3-none-any",
}


def wheel(folder: Path, name: str, tags: str) -> Path:
    path = folder / f"{name}-1.0-{tags}.whl"
    info = f"{name}-1.0.dist-info"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
        archive.writestr(
            f"{info}/WHEEL", f"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: {tags}\n"
        )
        archive.writestr(f"{info}/RECORD", "")
    return path


def index(root: Path) -> str:
    """A PEP 503 index in ``root``: one page per package, linking its wheel."""
    for name, tags in PACKAGES.items():
        page = root / name
        page.mkdir(parents=True)
        file = wheel(page, name, tags)
        (page / "index.html").write_text(f'<a href="{file.name}">{file.name}</a>\n')
    return root.as_uri()


def test_every_package_without_an_arm64_wheel_is_named(tmp_path: Path) -> None:
    lock = tmp_path / "kiosk.lock"
    lock.write_text("# a lock\n" + "".join(f"{name}==1.0\n" for name in PACKAGES))
    done = subprocess.run(
        [sys.executable, "-m", "tools.release.arm64_resolve", str(lock),
         "--index-url", index(tmp_path / "simple")],
        capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["platform"] == "manylinux_2_39_aarch64" and not report["ok"]
    (summary,) = report["locks"]
    assert summary["unexplained"] == ["intelonly", "toonew"]
    assert set(summary["wheels"]) == {"oldglibc", "newglibc", "purepython"}
    assert summary["needs_glibc"] == "2.39" and summary["needs_glibc_because"] == ["newglibc"]
    assert "no wheel" in done.stderr and "intelonly" in done.stderr


def test_a_lock_whose_every_package_has_a_wheel_passes(tmp_path: Path) -> None:
    lock = tmp_path / "headless.lock"
    lock.write_text("oldglibc==1.0\npurepython==1.0\n")
    done = subprocess.run(
        [sys.executable, "-m", "tools.release.arm64_resolve", str(lock),
         "--index-url", index(tmp_path / "simple")],
        capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (summary,) = json.loads(done.stdout)["locks"]
    assert summary["needs_glibc"] == "2.28" and summary["no_wheel"] == {}
