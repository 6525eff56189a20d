"""Build the translations: ``python -m kiosk.i18n_build`` (``make translations``).

1. ``pyside6-lupdate`` collects every translatable string in ``kiosk/`` into the committed
   ``resources/translations/asistencia_{es,en}.ts``, keeping the translations already there
   (only when a source file is newer than the .ts files, so an unchanged tree costs nothing).
2. ``pyside6-lrelease`` compiles each .ts into the .qm the window loads (git-ignored: built,
   never committed), again only when the .ts is newer.

A missing tool is reported in one sentence and does not fail the build: the window then
shows its English source strings. ``--check`` exits 1 when a string lacks a translation.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = ROOT / "kiosk"
TRANSLATIONS_DIR = ROOT / "resources" / "translations"
LANGUAGES = ("es", "en")
CATALOG = "asistencia"


def ts_files() -> list[Path]:
    return [TRANSLATIONS_DIR / f"{CATALOG}_{lang}.ts" for lang in LANGUAGES]


def source_files() -> list[Path]:
    return sorted(p for p in SOURCES_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def _tool(name: str) -> str | None:
    # The venv's own copy first: `python -m kiosk.i18n_build` may run without an activated venv.
    beside = Path(sys.executable).with_name(name)
    if beside.is_file():
        return str(beside)
    return shutil.which(name)


def _newest(paths: Sequence[Path]) -> float:
    return max((p.stat().st_mtime for p in paths if p.exists()), default=0.0)


def _oldest(paths: Sequence[Path]) -> float:
    return min((p.stat().st_mtime if p.exists() else 0.0) for p in paths)


def update(force: bool = False) -> bool:
    """Refresh the .ts files from the sources; False when lupdate is unavailable."""
    targets = ts_files()
    sources = source_files()
    if not force and _oldest(targets) >= _newest(sources):
        return True
    lupdate = _tool("pyside6-lupdate")
    if lupdate is None:
        print(
            "i18n: pyside6-lupdate not found (it comes with PySide6; run `make venv`); "
            "the .ts files were not refreshed"
        )
        return False
    TRANSLATIONS_DIR.mkdir(parents=True, exist_ok=True)
    # Relative paths and no line numbers: the .ts files change only when strings do.
    subprocess.run(
        [
            lupdate,
            *[str(p.relative_to(ROOT)) for p in sources],
            "-locations",
            "none",
            "-no-obsolete",
            "-silent",
            "-ts",
            *[str(p.relative_to(ROOT)) for p in targets],
        ],
        check=True,
        cwd=ROOT,
    )
    for target in targets:
        target.touch()  # lupdate leaves an unchanged file alone; mark it current anyway
    return True


def release(targets: Sequence[Path] | None = None, force: bool = False) -> bool:
    """Compile .ts into .qm where the .qm is missing or older; False without lrelease."""
    pending = [
        ts
        for ts in (targets if targets is not None else ts_files())
        if ts.is_file() and (force or _oldest([ts.with_suffix(".qm")]) < ts.stat().st_mtime)
    ]
    if not pending:
        return True
    lrelease = _tool("pyside6-lrelease")
    if lrelease is None:
        print("i18n: pyside6-lrelease not found (it comes with PySide6; run `make venv`)")
        return False
    for ts in pending:
        subprocess.run(
            [lrelease, "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))],
            check=True,
            cwd=ROOT,
        )
    return True


_MESSAGE = re.compile(r"<message(?P<attrs>[^>]*)>(?P<body>.*?)</message>", re.S)


def unfinished(ts: Path) -> list[str]:
    """Source strings of ``ts`` that still lack a translation."""
    text = ts.read_text(encoding="utf-8")
    missing = []
    for match in _MESSAGE.finditer(text):
        body = match.group("body")
        if 'type="unfinished"' in body or 'type="vanished"' in body:
            source = re.search(r"<source>(.*?)</source>", body, re.S)
            missing.append(source.group(1) if source else "?")
    return missing


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="run lupdate and lrelease anyway")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a string has no translation"
    )
    args = parser.parse_args(argv)
    update(force=args.force)
    release(force=args.force)
    problems = 0
    for ts in ts_files():
        if ts.is_file() and (missing := unfinished(ts)):
            problems += len(missing)
            print(f"i18n: {ts.name}: {len(missing)} string(s) without a translation")
            for source in missing[:20]:
                print(f"  - {source}")
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
