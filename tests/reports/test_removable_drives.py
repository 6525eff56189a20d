"""Removable drives for the Export page, read from a fake mounts file and /sys/block."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.host.removable_drives import RemovableDrive, is_on_removable_drive, removable_drives

# fast and self-contained: `make quick` runs it (pyproject's `quick` marker)
pytestmark = pytest.mark.quick


MOUNTS = """\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
/dev/sda2 / ext4 rw,relatime 0 0
/dev/sda1 /boot/efi vfat rw,relatime 0 0
/dev/sdb1 /media/kiosk/KINGSTON vfat rw,nosuid,nodev,relatime,uid=1000 0 0
/dev/mmcblk0p1 /mnt/sd\\040card exfat rw,relatime 0 0
/dev/sdc1 /run/media/admin/Backup\\040Disk ext4 rw,relatime 0 0
/dev/sdd1 /media/kiosk/LOCKED vfat ro,relatime 0 0
tmpfs /media/kiosk/tmp tmpfs rw 0 0
"""


def _sys_block(root: Path, removable: dict[str, str]) -> Path:
    for disk, flag in removable.items():
        (root / disk).mkdir(parents=True)
        (root / disk / "removable").write_text(flag + "\n")
    return root


def test_sticks_cards_and_automounted_disks_are_listed_and_the_rest_not(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(MOUNTS)
    sys_block = _sys_block(
        tmp_path / "block", {"sda": "0", "sdb": "1", "mmcblk0": "1", "sdc": "0", "sdd": "1"}
    )
    drives = removable_drives(mounts, sys_block)
    assert drives == [
        RemovableDrive(Path("/media/kiosk/KINGSTON"), "/dev/sdb1"),
        RemovableDrive(Path("/mnt/sd card"), "/dev/mmcblk0p1"),
        # a USB hard disk says "not removable", but udisks mounted it for the user
        RemovableDrive(Path("/run/media/admin/Backup Disk"), "/dev/sdc1"),
    ]
    assert [d.label for d in drives] == ["KINGSTON", "sd card", "Backup Disk"]
    assert is_on_removable_drive(Path("/media/kiosk/KINGSTON/a.xlsx"), drives)
    assert not is_on_removable_drive(Path("/home/kiosk/a.xlsx"), drives)


def test_a_stick_plugged_in_appears_at_the_next_look(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text("/dev/sda2 / ext4 rw 0 0\n")
    sys_block = _sys_block(tmp_path / "block", {"sda": "0", "sdb": "1"})
    assert removable_drives(mounts, sys_block) == []
    mounts.write_text(mounts.read_text() + "/dev/sdb1 /mnt/usb vfat rw 0 0\n")
    assert [d.mount_point for d in removable_drives(mounts, sys_block)] == [Path("/mnt/usb")]


def test_no_mounts_file_no_drives(tmp_path: Path) -> None:
    assert removable_drives(tmp_path / "absent", tmp_path) == []
