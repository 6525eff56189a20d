"""Can Qt's platform plugin load here? Which system packages does the window still need?

The PySide6 wheel carries Qt but not the system libraries its X11 (xcb) plugin links to. On
a bare Debian machine ``libxcb-icccm4`` and ``libxcb-keysyms1`` are usually missing, and Qt
then aborts with a message that blames another library. ``ldd`` on the plugin lists what
the dynamic loader cannot find; here each missing file is named with the Debian/Ubuntu
package that holds it. Nothing imports Qt: the plugin is found as a file.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# The file each library is in → its Debian/Ubuntu package (the same names on both).
PACKAGES: dict[str, str] = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libOpenGL.so.0": "libopengl0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.M)
LDD_TIMEOUT_S = 10


@dataclass(frozen=True)
class PlatformCheck:
    platform: str
    plugin: Path | None
    missing: tuple[str, ...] = ()  # library files the loader cannot find
    note: str = ""  # why nothing could be checked, when so

    @property
    def packages(self) -> list[str]:
        names = [PACKAGES.get(lib, "") for lib in self.missing]
        return sorted({name for name in names if name})

    @property
    def unknown(self) -> list[str]:
        return [lib for lib in self.missing if lib not in PACKAGES]

    def problem(self) -> str | None:
        """One paragraph for a person, or None when the plugin can load."""
        if not self.missing:
            return None
        text = (
            f"the window cannot start: Qt's '{self.platform}' platform plugin needs "
            f"{', '.join(self.missing)}, which this system does not have"
        )
        if self.packages:
            text += f"; install them with: sudo apt-get install {' '.join(self.packages)}"
        if self.unknown:
            text += f" (and the package holding {', '.join(self.unknown)})"
        return text


def platform_name(env: Mapping[str, str] = os.environ) -> str:
    """The platform Qt will use: QT_QPA_PLATFORM, else Wayland or X11 like Qt decides."""
    chosen = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen
    if sys.platform != "linux":
        return sys.platform
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    return "xcb"


def plugin_file(platform: str) -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    names = {"wayland": "libqwayland.so"}
    path = Path(spec.origin).parent / "Qt" / "plugins" / "platforms"
    found = path / names.get(platform, f"libq{platform}.so")
    return found if found.is_file() else None


def missing_libraries(ldd_output: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def check_platform(env: Mapping[str, str] = os.environ) -> PlatformCheck:
    platform = platform_name(env)
    if sys.platform != "linux":
        return PlatformCheck(platform, None, note="only checked on Linux")
    plugin = plugin_file(platform)
    if plugin is None:
        return PlatformCheck(platform, None, note=f"no '{platform}' plugin in PySide6")
    ldd = shutil.which("ldd")
    if ldd is None:
        return PlatformCheck(platform, plugin, note="ldd is not installed: not checked")
    try:
        result = subprocess.run(
            [ldd, str(plugin)], capture_output=True, text=True, timeout=LDD_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return PlatformCheck(platform, plugin, note=f"ldd failed: {exc}")
    return PlatformCheck(platform, plugin, missing_libraries(result.stdout + result.stderr))
