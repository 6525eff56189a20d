"""Mounted removable drives (USB sticks, SD cards): where a clerk's report goes.

Read from ``/proc/self/mounts``: a mount whose device is a partition of a disk that the
kernel marks removable (``/sys/block/<disk>/removable``), or that udisks put under
``/media`` or ``/run/media`` (a USB hard disk says "not removable" but is mounted there).
Read-only mounts are left out: nothing can be written there. Qt-free, so the window polls
it every few seconds and a stick plugged in appears within seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MOUNTS = Path("/proc/self/mounts")
SYS_BLOCK = Path("/sys/block")
_AUTOMOUNT_ROOTS = (Path("/media"), Path("/run/media"))
# sdb1 -> sdb, mmcblk0p1 -> mmcblk0, nvme0n1p2 -> nvme0n1
_PARTITION = re.compile(r"^(?P<disk>(?:mmcblk|nvme\d+n|loop)\d+|[a-z]+?)(?:p?\d+)?$")


@dataclass(frozen=True)
class RemovableDrive:
    mount_point: Path
    device: str  # /dev/sdb1

    @property
    def label(self) -> str:
        """What the person calls it: the volume's name, as udisks names the folder."""
        return self.mount_point.name or str(self.mount_point)


def _unescape(field: str) -> str:
    """/proc/self/mounts writes a space in a mount point as ``\\040`` (octal escapes)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), field)


def _disk_of(device: str, sys_block: Path) -> str | None:
    name = Path(device).name
    if (sys_block / name).exists():
        return name
    match = _PARTITION.match(name)
    return match.group("disk") if match else None


def _removable(device: str, sys_block: Path) -> bool:
    disk = _disk_of(device, sys_block)
    if disk is None:
        return False
    try:
        return (sys_block / disk / "removable").read_text(encoding="ascii").strip() == "1"
    except OSError:
        return False


def removable_drives(
    mounts: Path = MOUNTS,
    sys_block: Path = SYS_BLOCK,
    automount_roots: tuple[Path, ...] = _AUTOMOUNT_ROOTS,
) -> list[RemovableDrive]:
    """Writable removable drives mounted now, in mount order; [] where unknown."""
    try:
        text = mounts.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    found: list[RemovableDrive] = []
    seen: set[Path] = set()
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 4 or not fields[0].startswith("/dev/"):
            continue
        device, point, options = fields[0], Path(_unescape(fields[1])), fields[3].split(",")
        if "ro" in options or point in seen:
            continue
        automounted = any(point.is_relative_to(root) and point != root for root in automount_roots)
        if automounted or _removable(device, sys_block):
            seen.add(point)
            found.append(RemovableDrive(point, device))
    return found


def is_on_removable_drive(path: Path, drives: list[RemovableDrive]) -> bool:
    target = path.absolute()
    return any(target.is_relative_to(drive.mount_point) for drive in drives)
