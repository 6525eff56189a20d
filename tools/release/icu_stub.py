"""Build ``packaging/icu/libicudata.so.73``: an empty ICU data library for the bundle.

A developer's tool (the built file is committed, so ``make package`` needs no compiler):
``python -m tools.release.icu_stub`` compiles ``packaging/icu/icudata_stub.c`` with the system's C
compiler into a shared library whose SONAME and one exported symbol (``icudt73_dat``) are
those of the ICU data library PySide6's Qt links. Why it is safe: the C file's comment and
``tests/release/test_icu_stub.py``. When PySide6 moves to another ICU version, the spec stops with
a message and this tool builds the stub for it (``--version N``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "packaging" / "icu" / "icudata_stub.c"


def build(version: int, out_dir: Path) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise SystemExit("a C compiler is needed (apt-get install gcc)")
    name = f"libicudata.so.{version}"
    text = SOURCE.read_text(encoding="utf-8").replace("icudt73_dat", f"icudt{version}_dat")
    text = text.replace("{73, 0, 0, 0}", f"{{{version}, 0, 0, 0}}")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "stub.c"
        source.write_text(text, encoding="utf-8")
        out = out_dir / name
        subprocess.run(
            [compiler, "-shared", "-fPIC", "-O2", "-s", f"-Wl,-soname,{name}",
             "-Wl,--build-id=none", "-o", str(out), str(source)],
            check=True,
        )  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", type=int, default=73)
    args = parser.parse_args(argv)
    print(build(args.version, SOURCE.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
