"""packaging/linux/install.sh and uninstall.sh, run for real against a staging root.

`--root DIR` prefixes every path and runs no useradd, chown, systemctl or runuser; what it
would run is recorded in DIR/STAGED-ACTIONS. The bundle is a small fake: an executable
`asistencia` that answers `doctor --json` like the real one and says which version it is.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.support.paths import ROOT

LINUX = ROOT / "packaging" / "linux"
INSTALL = LINUX / "install.sh"
UNINSTALL = LINUX / "uninstall.sh"
UNIT = ROOT / "packaging" / "systemd" / "asistencia-kiosk.service"
DATA = "var/lib/asistencia"


def make_bundle(where: Path, version: str = "1", healthy: bool = True) -> Path:
    """A bundle folder whose `asistencia` prints a doctor report and notes where it ran."""
    bundle = where / f"bundle-{version}"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / "library.txt").write_text(f"library of version {version}\n")
    report = {
        "healthy": healthy,
        "checks": [
            {"name": "cpu", "status": "ok", "detail": "has AVX", "fix": ""},
            {
                "name": "camera",
                "status": "warn",
                "detail": 'camera "0" cannot be opened',
                "fix": "plug in the USB camera",
            },
        ]
        + (
            []
            if healthy
            else [{"name": "cpu", "status": "fail", "detail": "no AVX", "fix": "another PC"}]
        ),
        "settings": {"name": "not a check", "kiosk_name": "Entrada"},
    }
    program = bundle / "asistencia"
    program.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = --version ]; then echo {version}; exit 0; fi\n'
        'echo "$*" > "$ASISTENCIA_DATA_DIR/doctor-ran"\n'
        f"cat <<'EOF'\n{json.dumps(report, indent=2)}\nEOF\n"
        f"exit {0 if healthy else 1}\n"
    )
    program.chmod(0o755)
    return bundle


def run(script: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(script), *args],
        capture_output=True,
        text=True,
        input=stdin if stdin is not None else "",
        timeout=60,
        check=False,
    )


def install(root: Path, bundle: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = run(INSTALL, "--root", str(root), "--bundle", str(bundle), *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def actions(root: Path) -> list[str]:
    record = root / "STAGED-ACTIONS"
    return record.read_text().splitlines() if record.exists() else []


def version_at(root: Path) -> str:
    program = root / "opt/asistencia/asistencia"
    return subprocess.run(
        [str(program), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


def bundle_dirs(root: Path) -> list[str]:
    bundles = root / "opt/asistencia-bundles"
    folders = (p for p in bundles.iterdir() if p.is_dir() and not p.is_symlink())
    return sorted(p.name for p in folders if p.name != "installer")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    staged = tmp_path / "root"
    cage = staged / "usr/bin/cage"
    cage.parent.mkdir(parents=True)
    cage.write_text("#!/bin/sh\n")
    cage.chmod(0o755)
    return staged


def verify_unit(root: Path, unit: Path) -> None:
    """`systemd-analyze verify --root` as tests/kiosk/test_watchdog.py does: no error, no
    warning."""
    analyze = shutil.which("systemd-analyze")
    system_units = Path("/usr/lib/systemd/system")
    if analyze is None or not system_units.is_dir():
        pytest.skip("needs systemd-analyze and systemd's own units (apt-get install systemd)")
    shutil.copytree(system_units, root / "usr/lib/systemd/system", symlinks=True)
    done = subprocess.run(
        [analyze, "verify", f"--root={root}", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_a_kiosk_install_puts_the_bundle_user_data_dir_and_unit_in_place(
    root: Path, tmp_path: Path
) -> None:
    done = install(root, make_bundle(tmp_path))

    program = root / "opt/asistencia/asistencia"
    assert program.is_file() and os.access(program, os.X_OK)
    assert (root / "opt/asistencia/_internal/library.txt").is_file()
    # The bundle is read-only to everyone but root: the kiosk's user cannot change its code.
    for path in (program, program.parent, program.parent / "_internal/library.txt"):
        assert not path.stat().st_mode & (stat.S_IWGRP | stat.S_IWOTH), path
    data = root / DATA
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert (data / "doctor-ran").read_text().strip() == "doctor --json"

    unit = root / "etc/systemd/system/asistencia-kiosk.service"
    assert unit.read_text() == UNIT.read_text()
    assert stat.S_IMODE(unit.stat().st_mode) == 0o644
    verify_unit(root, unit)

    recorded = actions(root)
    useradd = next(line for line in recorded if line.startswith("useradd "))
    for flag in ("--system", "--shell /usr/sbin/nologin", "--home-dir /var/lib/asistencia",
                 "--no-create-home", " asistencia"):  # fmt: skip
        assert flag in useradd
    assert "usermod -a -G video asistencia" in recorded
    assert "chown -R asistencia:asistencia /var/lib/asistencia" in recorded
    assert any(line.startswith("chown -R root:root /opt/asistencia-bundles/") for line in recorded)
    assert "systemctl enable asistencia-kiosk.service" in recorded
    assert not any(line.startswith(("runuser", "userdel")) for line in recorded)

    # doctor's verdict, with the warning and its fix; the settings are not checks.
    assert 'warn camera: camera "0" cannot be opened -> fix: plug in the USB camera' in done.stdout
    assert "doctor: healthy" in done.stdout
    assert "not a check" not in done.stdout
    assert "cage" not in done.stderr


def test_without_cage_it_says_how_to_get_it_and_still_installs(root: Path, tmp_path: Path) -> None:
    (root / "usr/bin/cage").unlink()
    done = install(root, make_bundle(tmp_path), "--no-enable")
    assert "apt-get install cage" in done.stderr
    assert (root / "opt/asistencia/asistencia").is_file()
    assert (root / "etc/systemd/system/asistencia-kiosk.service").is_file()
    assert not any("enable" in line for line in actions(root))
    assert "--no-enable" in done.stdout


def test_an_unhealthy_doctor_is_said_plainly(root: Path, tmp_path: Path) -> None:
    done = install(root, make_bundle(tmp_path, healthy=False))
    assert "fail cpu: no AVX -> fix: another PC" in done.stdout
    assert "doctor: NOT healthy" in done.stderr


def test_an_upgrade_keeps_the_data_and_the_previous_bundle_for_a_rollback(
    root: Path, tmp_path: Path
) -> None:
    install(root, make_bundle(tmp_path, "1"))
    database = root / DATA / "asistencia.db"
    database.write_text("records and faces")
    database.chmod(0o600)

    install(root, make_bundle(tmp_path, "2"))
    assert version_at(root) == "2"
    assert database.read_text() == "records and faces"
    assert stat.S_IMODE((root / DATA).stat().st_mode) == 0o700
    assert len(bundle_dirs(root)) == 2
    assert (root / "opt/asistencia/_internal/library.txt").read_text() == "library of version 2\n"

    # A third install keeps only itself and the one before.
    install(root, make_bundle(tmp_path, "3"))
    assert version_at(root) == "3" and len(bundle_dirs(root)) == 2

    # The copy of the script the install keeps rolls back without the checkout.
    kept = root / "opt/asistencia-bundles/installer/linux/install.sh"
    done = run(kept, "--root", str(root), "--rollback")
    assert done.returncode == 0, done.stderr
    assert version_at(root) == "2"
    done = run(kept, "--root", str(root), "--rollback")
    assert version_at(root) == "3"
    assert database.read_text() == "records and faces"


def test_a_rollback_with_nothing_before_is_refused(root: Path, tmp_path: Path) -> None:
    install(root, make_bundle(tmp_path))
    done = run(INSTALL, "--root", str(root), "--rollback")
    assert done.returncode == 1 and "no previous bundle" in done.stderr
    assert version_at(root) == "1"


def test_a_missing_bundle_is_a_clear_refusal(root: Path, tmp_path: Path) -> None:
    done = run(INSTALL, "--root", str(root), "--bundle", str(tmp_path / "dist/asistencia"))
    assert done.returncode == 1
    assert "no bundle at" in done.stderr and "make package" in done.stderr
    assert not (root / "opt").exists() and not (root / "var").exists()


def test_a_bundle_without_the_executable_is_refused_before_anything_is_replaced(
    root: Path, tmp_path: Path
) -> None:
    install(root, make_bundle(tmp_path, "1"))
    before = bundle_dirs(root)
    broken = make_bundle(tmp_path, "2")
    (broken / "asistencia").chmod(0o644)
    done = run(INSTALL, "--root", str(root), "--bundle", str(broken))
    assert done.returncode == 1 and "no executable 'asistencia'" in done.stderr
    (broken / "asistencia").unlink()
    done = run(INSTALL, "--root", str(root), "--bundle", str(broken))
    assert done.returncode == 1 and "nothing was changed" in done.stderr
    assert version_at(root) == "1" and bundle_dirs(root) == before
    left = [p.name for p in (root / "opt/asistencia-bundles").iterdir()]
    assert not [name for name in left if name.startswith(".incoming")], left


def desktop_root(root: Path) -> Path:
    (root / "etc").mkdir(parents=True, exist_ok=True)
    (root / "etc/passwd").write_text("front:x:1000:1000:Front desk:/home/front:/bin/bash\n")
    return root / "home/front"


def test_the_desktop_variant_installs_an_autostart_entry_and_uses_the_users_data_dir(
    root: Path, tmp_path: Path
) -> None:
    home = desktop_root(root)
    done = install(root, make_bundle(tmp_path), "--desktop", "--user", "front")

    entry = home / ".config/autostart/asistencia-kiosk.desktop"
    assert entry.read_text() == (LINUX / "asistencia-kiosk.desktop").read_text()
    assert "Exec=/opt/asistencia/asistencia --fullscreen" in entry.read_text().splitlines()
    validate = shutil.which("desktop-file-validate")
    if validate is not None:
        checked = subprocess.run(
            [validate, str(entry)], capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout
    data = home / ".local/share/asistencia"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert (data / "doctor-ran").is_file()
    assert not (root / "etc/systemd/system/asistencia-kiosk.service").exists()
    assert not (root / DATA).exists()

    recorded = actions(root)
    assert "chown -R front:front /home/front/.local/share/asistencia" in recorded
    assert "usermod -a -G video front" in recorded
    assert not any(line.startswith(("useradd", "systemctl")) for line in recorded)
    assert "cage" not in done.stderr

    done = run(UNINSTALL, "--root", str(root))
    assert done.returncode == 0, done.stderr
    assert not entry.exists() and not (root / "opt/asistencia").exists()
    assert (data / "doctor-ran").is_file()
    assert "/home/front/.local/share/asistencia" in done.stdout


def test_desktop_needs_a_user_that_exists(root: Path, tmp_path: Path) -> None:
    done = run(INSTALL, "--root", str(root), "--bundle", str(make_bundle(tmp_path)), "--desktop")
    assert done.returncode == 2 and "--user NAME" in done.stderr
    desktop_root(root)
    done = run(
        INSTALL, "--root", str(root), "--bundle", str(tmp_path / "bundle-1"), "--desktop",
        "--user", "nobody-here",
    )  # fmt: skip
    assert done.returncode == 1 and "no user 'nobody-here'" in done.stderr
    assert not (root / "opt").exists()


def test_uninstall_keeps_the_data_by_default_and_says_where(root: Path, tmp_path: Path) -> None:
    install(root, make_bundle(tmp_path))
    (root / DATA / "asistencia.db").write_text("records")
    # The copy the install keeps, as an administrator without the checkout would run it.
    kept = root / "opt/asistencia-bundles/installer/linux/uninstall.sh"
    done = run(kept, "--root", str(root))
    assert done.returncode == 0, done.stderr

    assert not (root / "opt/asistencia").exists() and not (root / "opt/asistencia-bundles").exists()
    assert not (root / "etc/systemd/system/asistencia-kiosk.service").exists()
    assert (root / DATA / "asistencia.db").read_text() == "records"
    assert "Kept the data dir /var/lib/asistencia" in done.stdout
    recorded = actions(root)
    assert "systemctl disable --now asistencia-kiosk.service" in recorded
    assert not any(line.startswith("userdel") for line in recorded)

    # Installing again finds the data where it was.
    install(root, make_bundle(tmp_path, "2"))
    assert (root / DATA / "asistencia.db").read_text() == "records"


def test_uninstall_remove_data_asks_first_and_then_erases_it_and_the_user(
    root: Path, tmp_path: Path
) -> None:
    install(root, make_bundle(tmp_path))
    (root / DATA / "asistencia.db").write_text("faces")

    # Without a terminal to ask on and without --yes: refused, nothing removed.
    done = run(UNINSTALL, "--root", str(root), "--remove-data", stdin="erase\n")
    assert done.returncode == 1 and "biometric" in done.stderr and "--yes" in done.stderr
    assert (root / DATA / "asistencia.db").is_file() and (root / "opt/asistencia").exists()

    done = run(UNINSTALL, "--root", str(root), "--remove-data", "--yes")
    assert done.returncode == 0, done.stderr
    assert not (root / DATA).exists() and not (root / "opt/asistencia-bundles").exists()
    assert "userdel asistencia" in actions(root)


def answer_on_a_terminal(args: list[str], answer: str) -> tuple[int, str]:
    """Runs uninstall.sh on a pseudo-terminal, as an administrator would, and types `answer`."""
    import pty
    import select

    terminal, script_side = pty.openpty()
    script = subprocess.Popen(
        ["bash", str(UNINSTALL), *args],
        stdin=script_side,
        stdout=script_side,
        stderr=script_side,
        start_new_session=True,
    )
    os.close(script_side)
    output = b""
    answered = False
    try:
        while True:
            ready, _, _ = select.select([terminal], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # the script ended: its side of the terminal is closed
                break
            if not chunk:
                break
            output += chunk
            if not answered and b"to erase it: " in output:
                os.write(terminal, answer.encode() + b"\n")
                answered = True
        code = script.wait(timeout=30)
    finally:
        if script.poll() is None:
            script.kill()
        os.close(terminal)
    return code, output.decode()


def test_remove_data_on_a_terminal_erases_only_after_the_word_erase(
    root: Path, tmp_path: Path
) -> None:
    install(root, make_bundle(tmp_path))
    (root / DATA / "asistencia.db").write_text("faces")

    code, said = answer_on_a_terminal(["--root", str(root), "--remove-data"], "yes")
    assert code == 1 and "biometric data" in said and "nothing was removed" in said
    assert (root / DATA / "asistencia.db").is_file() and (root / "opt/asistencia").exists()

    code, said = answer_on_a_terminal(["--root", str(root), "--remove-data"], "erase")
    assert code == 0, said
    assert not (root / DATA).exists() and not (root / "opt/asistencia").exists()


@pytest.mark.parametrize("script", [INSTALL, UNINSTALL], ids=lambda p: p.name)
def test_the_scripts_pass_shellcheck(script: Path) -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("needs shellcheck (apt-get install shellcheck)")
    done = subprocess.run([shellcheck, str(script)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout
