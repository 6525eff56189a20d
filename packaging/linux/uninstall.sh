#!/usr/bin/env bash
# Removes what install.sh installed: stops and disables the kiosk's unit (or removes the
# desktop session's autostart entry), removes the bundles and the unit. The data dir (faces,
# attendance records, the deployment's secrets) is kept unless --remove-data is given.
# Run as root. install.sh keeps a copy of this script in /opt/asistencia-bundles/installer/linux/.
set -euo pipefail

UNIT_NAME=asistencia-kiosk.service
DESKTOP_NAME=asistencia-kiosk.desktop
KIOSK_USER=asistencia

root=""
remove_data=no
yes=no
desktop_user=""

usage() {
  cat <<'EOF'
usage: uninstall.sh [--keep-data | --remove-data [--yes]] [--user NAME] [--root DIR]

  --keep-data    (the default) keep the data dir and the system user that owns it
  --remove-data  erase the data dir: face templates and photos (biometric data), attendance
                 records not yet synced, the deployment's secrets; and remove the system
                 user asistencia. Asks for confirmation unless --yes
  --yes          do not ask (for --remove-data)
  --user NAME    the desktop session user of an install made with --desktop (found from
                 the installation's record when the bundle is still there)
  --root DIR     a staging root, as for install.sh: every path prefixed, nothing run
EOF
}

die() {
  echo "uninstall.sh: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --keep-data) remove_data=no; shift ;;
    --remove-data) remove_data=yes; shift ;;
    --yes | -y) yes=yes; shift ;;
    --user) [ $# -ge 2 ] || { usage >&2; exit 2; }; desktop_user=$2; shift 2 ;;
    --user=*) desktop_user=${1#--user=}; shift ;;
    --root) [ $# -ge 2 ] || { usage >&2; exit 2; }; root=$2; shift 2 ;;
    --root=*) root=${1#--root=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "uninstall.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [ -n "$root" ]; then
  [ -d "$root" ] || die "the staging root $root does not exist"
  root=$(cd "$root" && pwd)
  staging=yes
else
  staging=no
  [ "$(id -u)" = 0 ] || die "run it as root (sudo $0 ...)"
fi

act() {
  if [ "$staging" = yes ]; then
    # Quoted as a shell would need it, so the record reads as the exact command.
    line=$(printf '%q ' "$@")
    echo "  (staging) would run: ${line% }"
    echo "${line% }" >>"$root/STAGED-ACTIONS"
  else
    "$@"
  fi
}

current="$root/opt/asistencia"
bundles="$root/opt/asistencia-bundles"
unit="$root/etc/systemd/system/$UNIT_NAME"

# What install.sh recorded; read as data, never sourced.
recorded() {
  [ -f "$bundles/INSTALLED" ] && sed -n "s/^$1=//p" "$bundles/INSTALLED" | head -n 1
}
mode=$(recorded mode || true)
if [ -z "$desktop_user" ] && [ "$mode" = desktop ]; then desktop_user=$(recorded user || true); fi

if [ -n "$desktop_user" ]; then
  if [ "$staging" = yes ]; then
    entry=$(grep "^$desktop_user:" "$root/etc/passwd" 2>/dev/null || true)
  else
    entry=$(getent passwd "$desktop_user" || true)
  fi
  [ -n "$entry" ] || die "there is no user '$desktop_user'"
  home=$(echo "$entry" | cut -d: -f6)
  data_dir="$home/.local/share/asistencia"
else
  data_dir=/var/lib/asistencia
fi

# Asked before anything is removed, so a "no" leaves the installation as it was.
if [ "$remove_data" = yes ] && [ "$yes" = no ]; then
  if [ ! -t 0 ]; then
    die "--remove-data erases biometric data; run it on a terminal to confirm, or add --yes"
  fi
  cat <<EOF
--remove-data erases $data_dir:
  - every employee's face templates and photos: biometric data, erased for good;
  - attendance records this kiosk has not synced to the central database yet;
  - secrets.toml (the deployment's data key and PIN pepper) if it is kept there: where it
    is the deployment's only copy, the faces and PINs kept centrally can no longer be opened.
EOF
  printf 'Type "erase" to erase it: '
  read -r answer || answer=""
  [ "$answer" = erase ] || die "nothing was removed (the answer was not \"erase\")"
fi

# --- The kiosk's unit ------------------------------------------------------------------
if [ -f "$unit" ]; then
  act systemctl disable --now "$UNIT_NAME"
  # A unit that ended in a crash loop stays listed as failed until this (an error when it
  # never failed is no reason to stop here).
  act systemctl reset-failed "$UNIT_NAME" 2>/dev/null || true
  rm -f "$unit"
  act systemctl daemon-reload
  echo "Stopped, disabled and removed /etc/systemd/system/$UNIT_NAME."
fi

# --- The desktop session's autostart entry ---------------------------------------------
if [ -n "$desktop_user" ] && [ -f "$root$home/.config/autostart/$DESKTOP_NAME" ]; then
  rm -f "$root$home/.config/autostart/$DESKTOP_NAME"
  echo "Removed $home/.config/autostart/$DESKTOP_NAME ($desktop_user's session no longer starts the kiosk;"
  echo "  a kiosk running in it now ends at the next logout)."
fi

# --- The bundles ------------------------------------------------------------------------
if [ -L "$current" ] || [ -e "$current" ]; then
  rm -rf "$current"
fi
# This script may be the copy inside it: bash has read it, removing the file is safe.
rm -rf "$bundles"
echo "Removed /opt/asistencia and /opt/asistencia-bundles."

# --- The data ---------------------------------------------------------------------------
if [ "$remove_data" = yes ]; then
  rm -rf "$root$data_dir"
  echo "Erased $data_dir."
  if [ -z "$desktop_user" ]; then
    if [ "$staging" = yes ] || getent passwd "$KIOSK_USER" >/dev/null; then
      if act userdel "$KIOSK_USER"; then
        echo "Removed the system user $KIOSK_USER."
      else
        echo "warning: could not remove the user $KIOSK_USER (still running processes?); remove it later with: userdel $KIOSK_USER" >&2
      fi
    fi
  fi
elif [ -d "$root$data_dir" ]; then
  echo "Kept the data dir $data_dir (faces, attendance records, secrets.toml);"
  if [ -z "$desktop_user" ]; then
    echo "  it belongs to the system user $KIOSK_USER, which is kept too. A new install uses it again."
    echo "  To erase it later: uninstall.sh --remove-data (from the project's packaging/linux),"
    echo "  or by hand: rm -rf $data_dir && userdel $KIOSK_USER"
  else
    echo "  it belongs to $desktop_user. A new install uses it again."
    echo "  To erase it later: uninstall.sh --remove-data --user $desktop_user, or by hand: rm -rf $data_dir"
  fi
fi
