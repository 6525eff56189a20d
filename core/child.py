"""How the program starts a helper process of its own.

From a source install a child is ``python -m MODULE``; a PyInstaller bundle has no ``-m`` (its
executable is the program), so there the child is the bundle's executable with
``CHILD_FLAG MODULE`` first, and ``main.py`` runs that module before anything else. Only the
modules named here can be run that way: the flag is not a way to run arbitrary code.
"""

from __future__ import annotations

import runpy
import sys

CHILD_FLAG = "--child-module"
CHILD_MODULES = frozenset({"core.recognition.landmarks_child"})


def frozen() -> bool:
    """Whether this is a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))


def child_command(module: str, *args: str) -> list[str]:
    if module not in CHILD_MODULES:
        raise ValueError(f"{module} is not a child module")
    if frozen():
        return [sys.executable, CHILD_FLAG, module, *args]
    return [sys.executable, "-m", module, *args]


def run_child_if_asked(argv: list[str]) -> bool:
    """Run the child module ``argv`` names (``[program, CHILD_FLAG, module, args...]``) as
    ``__main__``; False when ``argv`` is not a child's. Its ``SystemExit`` ends the process."""
    if len(argv) < 3 or argv[1] != CHILD_FLAG:
        return False
    module = argv[2]
    if module not in CHILD_MODULES:
        raise SystemExit(f"{module} is not a child module")
    sys.argv = [module, *argv[3:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    return True
