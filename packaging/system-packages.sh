#!/usr/bin/env bash
# The system packages Asistencia needs, by purpose, checked before anything else is set up.
# `make run` and `make test` call it first (the Makefile's "system packages" block), .ci/run
# with `ci`. On Debian or Ubuntu it asks dpkg what is missing; as root with apt-get it
# installs that (apt-get update only when the lists are empty or stale), otherwise it stops
# with one line naming the exact `sudo apt-get install ...` to run.
#
#   packaging/system-packages.sh PURPOSE        check (and as root, install)
#   packaging/system-packages.sh --list PURPOSE print the Debian packages, one line
#
# PURPOSE, each including the one before:
#   python  Python 3.11 with its venv module (ensurepip: Debian's python3.11-venv) and pip
#   run     the window: the libraries Qt's X11 (xcb) platform plugin links to
#   test    the suite: an X server, input and a window manager for the real-window tests,
#           the shell scripts' linter, LibreOffice (opens the payroll reports as a clerk would)
#   ci      .ci/run's extras: an emulated CPU without AVX (qemu-user, strace), containers
#           (podman, runc, debootstrap)
#
# Environment: PYTHON (the interpreter the venv is made from; default python3.11, else
# python3), ASISTENCIA_SKIP_SYSTEM_CHECK=1 (skip this check: another distribution, or
# packages installed some other way).
set -euo pipefail

# What Qt's xcb plugin (PySide6/Qt/plugins/platforms/libqxcb.so) links to, by package: the
# names core/host/qt_platform.py maps its libraries to (tests/release/test_system_packages.py checks
# the plugin's real `ldd` against this list, so the two cannot drift apart). `main.py
# doctor` checks the same on a running machine.
RUN_PACKAGES="libegl1 libgl1 libglx0 libglvnd0 libfontconfig1 libfreetype6 libglib2.0-0
  libdbus-1-3 libx11-6 libx11-xcb1 libxau6 libxdmcp6 libxkbcommon0 libxkbcommon-x11-0
  libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
  libxcb-xfixes0 libxcb-xkb1"
# Xvfb, xdotool and openbox: the real window under a private X server, tapped like a finger
# (tests/kiosk/test_live_window.py); shellcheck: the install scripts and this one; LibreOffice:
# the payroll reports opened as a clerk would (tests/reports/test_payroll_spreadsheet.py). Without
# them those tests skip and say why.
# The console's browser tests drive Debian's chromium through its matching driver; its
# locales (chromium-l10n) let a Spanish page's date fields read dd/mm/aaaa.
TEST_PACKAGES="xvfb xdotool openbox shellcheck libreoffice-calc-nogui chromium chromium-driver chromium-l10n"
# make noavx-test: the source install on QEMU's CPU without AVX, every process traced;
# make image-test and .ci/fresh-machine: podman (run by runc here) and debootstrap, which
# ../shared/tools/container-base.sh makes the pinned base's stand-in with.
CI_PACKAGES="qemu-user strace podman runc debootstrap"

say() { printf 'asistencia: %s\n' "$*" >&2; }

# What each purpose is for, in the one line a person reads.
what_for() {
  case "$1" in
    python) echo "the venv" ;;
    run) echo "the window (make run)" ;;
    test) echo "the tests (make test)" ;;
    ci) echo "CI (.ci/run)" ;;
  esac
}

# The purpose's packages on one line (echo unquoted: the lists' line breaks become spaces).
# shellcheck disable=SC2086
packages_for() {
  case "$1" in
    python) echo "" ;;
    run) echo $RUN_PACKAGES ;;
    test) echo $RUN_PACKAGES $TEST_PACKAGES ;;
    ci) echo $RUN_PACKAGES $TEST_PACKAGES $CI_PACKAGES ;;
    *) say "unknown purpose '$1' (python, run, test or ci)"; exit 2 ;;
  esac
}

list=no
if [ "${1:-}" = "--list" ]; then list=yes; shift; fi
purpose=${1:-run}
wanted=$(packages_for "$purpose")
if [ "$list" = yes ]; then echo "$wanted"; exit 0; fi
if [ "${ASISTENCIA_SKIP_SYSTEM_CHECK:-}" = 1 ]; then exit 0; fi

skip_hint="(ASISTENCIA_SKIP_SYSTEM_CHECK=1 skips this check)"
# apt's package lists (another folder only in tests/release/test_system_packages.py).
apt_lists=${ASISTENCIA_APT_LISTS:-/var/lib/apt/lists}
missing=()

# Python: asked of the interpreter itself, wherever it comes from (Debian's, pyenv's, one in
# /usr/local): is it 3.11, and can it make a venv with pip in it (venv + ensurepip)?
python=${PYTHON:-}
if [ -z "$python" ]; then python=$(command -v python3.11 || command -v python3 || true); fi
python_state=missing
if [ -n "$python" ] && command -v "$python" >/dev/null; then
  # Found, not imported: importing venv and ensurepip compiles them when their bytecode
  # cannot be written (a user's make on /usr/local's Python), most of a second.
  python_state=$("$python" -c 'import sys
from importlib.util import find_spec
if sys.version_info[:2] != (3, 11): print("version " + sys.version.split()[0])
elif find_spec("venv") and find_spec("ensurepip"): print("ok")
else: print("no-venv " + sys.prefix)  # Debian: ensurepip is in python3.11-venv' \
    2>/dev/null || echo missing)
fi
case "$python_state" in
  ok) ;;
  missing | version\ *)
    found=""
    if [ "$python_state" != missing ]; then found=" ($python is ${python_state#version })"; fi
    if ! command -v dpkg-query >/dev/null; then
      say "Python 3.11 is needed$found: install it and run again, or set PYTHON=/path/to/python3.11"
      exit 1
    fi
    # Debian's own python3.11 (bookworm); elsewhere apt has none and PYTHON must name one.
    if [ "$python_state" != missing ] && [ -x /usr/bin/python3.11 ]; then
      say "Python 3.11 is needed$found: run again with PYTHON=/usr/bin/python3.11"
      exit 1
    fi
    # Debian 12 (bookworm) has python3.11; a later release's apt has none, and says so.
    if compgen -G "$apt_lists/*_Packages*" >/dev/null \
      && ! apt-cache show python3.11 >/dev/null 2>&1; then
      say "Python 3.11 is needed$found and this system's apt has none: install one (pyenv, or uv python install 3.11), then run again with PYTHON=/path/to/python3.11"
      exit 1
    fi
    missing+=(python3.11 python3.11-venv)
    ;;
  no-venv\ *)
    if [ "${python_state#no-venv }" != /usr ] || ! command -v dpkg-query >/dev/null; then
      say "$python has no venv/ensurepip module: install its venv support, or set PYTHON=/path/to/python3.11"
      exit 1
    fi
    missing+=(python3.11-venv)
    ;;
esac

if ! command -v dpkg-query >/dev/null; then
  if [ -n "$wanted" ]; then
    say "not a Debian or Ubuntu system, so the packages are not checked: $purpose needs the equivalents of $wanted; install them, then run with ASISTENCIA_SKIP_SYSTEM_CHECK=1"
    exit 1
  fi
  exit 0
fi

# One dpkg-query for all (fast: the whole check stays well under a second). A package dpkg
# has never heard of is simply absent from its answer.
if [ -n "$wanted" ]; then
  # shellcheck disable=SC2086
  installed=$(dpkg-query -W -f='${Package} ${Status}\n' $wanted 2>/dev/null | awk '$NF == "installed" { print $1 }' || true)
  for package in $wanted; do
    grep -qxF "$package" <<<"$installed" || missing+=("$package")
  done
fi
[ ${#missing[@]} -eq 0 ] && exit 0

command_line="sudo apt-get install --no-install-recommends ${missing[*]}"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  say "missing system packages for $(what_for "$purpose"); run: $command_line $skip_hint"
  exit 1
fi

say "installing the system packages $(what_for "$purpose") needs: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_install() {
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}
# apt-get update only when needed: no package lists at all (a fresh container), or lists too
# old to find a package or its current version (the first install fails).
if ! compgen -G "$apt_lists/*_Packages*" >/dev/null; then apt-get update -q >/dev/null; fi
if ! apt_install 2>/dev/null; then
  if ! { apt-get update -q >/dev/null && apt_install; }; then
    say "apt-get could not install ${missing[*]}; try: ${command_line#sudo }"
    exit 1
  fi
fi
