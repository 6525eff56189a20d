#!/usr/bin/env bash
# Installs a built Asistencia bundle (make package → dist/asistencia) on a Linux kiosk PC:
# the bundle under /opt, the system user and its private data dir, and either the systemd
# unit that runs the kiosk under cage on tty1 at boot or, with --desktop, an autostart entry
# for one desktop session user. Run as root. Running it again upgrades: the data stays.
# docs/install/kiosk.md explains every step; `install.sh --help` lists the options.
#
# Layout it makes (each bundle is a folder of its own so a swap is one rename):
#   /opt/asistencia-bundles/<id>/        a copy of the bundle, root-owned, read-only to others
#   /opt/asistencia -> asistencia-bundles/<id>           the current one (what the unit runs)
#   /opt/asistencia-bundles/previous -> <id>             the one before, for --rollback
#   /opt/asistencia-bundles/installer/   these scripts, so uninstall and rollback need no checkout
#   /opt/asistencia-bundles/INSTALLED    mode=, user=, data_dir= (read by uninstall.sh)
set -euo pipefail

UNIT_NAME=asistencia-kiosk.service
DESKTOP_NAME=asistencia-kiosk.desktop
KIOSK_USER=asistencia
# /dev/video* (the camera), /dev/dri/renderD* (the GPU cage draws with) and /dev/input/*:
# logind hands cage its session's devices, but wlroots opens them itself when it runs
# without an active logind seat, and the camera is never a session device.
KIOSK_GROUPS="video render input"

here=$(cd "$(dirname "$0")" && pwd)
bundle=dist/asistencia
root=""
enable=yes
desktop=no
desktop_user=""
rollback=no

usage() {
  cat <<'EOF'
usage: install.sh [--bundle DIR] [--no-enable] [--root DIR]
       install.sh --desktop --user NAME [--bundle DIR] [--root DIR]
       install.sh --rollback [--root DIR]

  --bundle DIR   the built bundle folder (default: dist/asistencia); it must hold the
                 executable `asistencia`
  --no-enable    install the systemd unit but do not enable it at boot
  --desktop      no systemd unit: an XDG autostart entry for the desktop session of
                 --user NAME, whose own data dir (~/.local/share/asistencia) is used
  --rollback     make the previous bundle the current one again (the data is untouched)
  --root DIR     stage into DIR instead of /: every path is prefixed, nothing is run
                 (no useradd, chown, systemctl, runuser); what would be run is printed
                 and recorded in DIR/STAGED-ACTIONS
EOF
}

die() {
  echo "install.sh: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) [ $# -ge 2 ] || { usage >&2; exit 2; }; bundle=$2; shift 2 ;;
    --bundle=*) bundle=${1#--bundle=}; shift ;;
    --root) [ $# -ge 2 ] || { usage >&2; exit 2; }; root=$2; shift 2 ;;
    --root=*) root=${1#--root=}; shift ;;
    --user) [ $# -ge 2 ] || { usage >&2; exit 2; }; desktop_user=$2; shift 2 ;;
    --user=*) desktop_user=${1#--user=}; shift ;;
    --no-enable) enable=no; shift ;;
    --desktop) desktop=yes; shift ;;
    --rollback) rollback=yes; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [ "$desktop" = yes ] && [ -z "$desktop_user" ]; then
  echo "install.sh: --desktop needs --user NAME (the desktop session user the kiosk runs as)" >&2
  exit 2
fi
if [ -n "$desktop_user" ] && [ "$desktop" = no ]; then
  echo "install.sh: --user is for --desktop; the systemd kiosk runs as the system user $KIOSK_USER" >&2
  exit 2
fi

if [ -n "$root" ]; then
  [ -d "$root" ] || die "the staging root $root does not exist"
  root=$(cd "$root" && pwd)
  staging=yes
else
  staging=no
  [ "$(id -u)" = 0 ] || die "run it as root (sudo $0 ...): it creates a system user and installs a systemd unit"
fi

opt="$root/opt"
current="$opt/asistencia"
bundles="$opt/asistencia-bundles"
unit_dir="$root/etc/systemd/system"

# A command that changes the system: run it, or in a staging root only say and record it.
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

# The target of the current or previous link, as a bundle id (empty when there is none).
link_id() {
  if [ -L "$1" ]; then basename "$(readlink "$1")"; fi
}

# Points the link $1 at $2 (relative to the link's folder) in one rename, so whoever starts
# the kiosk at that moment finds the old bundle or the new one, never neither.
swap_link() {
  ln -sfn "$2" "$1.new-$$"
  mv -T "$1.new-$$" "$1"
}

unit_active() {
  [ "$staging" = no ] && [ -f "$unit_dir/$UNIT_NAME" ] && systemctl is-active --quiet "$UNIT_NAME"
}

if [ "$rollback" = yes ]; then
  previous=$(link_id "$bundles/previous")
  if [ -z "$previous" ] || [ ! -x "$bundles/$previous/asistencia" ]; then
    die "there is no previous bundle to roll back to (only one was ever installed, or it was removed)"
  fi
  now=$(link_id "$current")
  was_active=no
  if unit_active; then was_active=yes; act systemctl stop "$UNIT_NAME"; fi
  swap_link "$current" "asistencia-bundles/$previous"
  [ -z "$now" ] || swap_link "$bundles/previous" "$now"
  echo "Rolled back: /opt/asistencia is bundle $previous again (it was $now; that one is kept as the previous)."
  if [ "$was_active" = yes ]; then act systemctl start "$UNIT_NAME"; fi
  exit 0
fi

# --- Refuse a bad bundle before anything is touched ------------------------------------
[ -e "$bundle" ] || die "no bundle at $bundle: build it first with 'make package' (it makes dist/asistencia), or give its folder with --bundle DIR"
[ -d "$bundle" ] || die "$bundle is not a folder: give the bundle's folder (dist/asistencia), not a file, with --bundle DIR"
bundle=$(cd "$bundle" && pwd)
if [ ! -f "$bundle/asistencia" ] || [ ! -x "$bundle/asistencia" ]; then
  die "$bundle has no executable 'asistencia': it is not a built bundle (make package); nothing was changed"
fi
unit_src="$here/../systemd/$UNIT_NAME"
desktop_src="$here/$DESKTOP_NAME"
if [ "$desktop" = yes ]; then
  [ -f "$desktop_src" ] || die "$desktop_src is missing: run the script from the project's packaging/linux folder"
else
  [ -f "$unit_src" ] || die "$unit_src is missing: run the script from the project's packaging/linux folder"
fi

# The desktop user's home comes from the passwd database (the staging root's own, if any).
if [ "$desktop" = yes ]; then
  if [ "$staging" = yes ]; then
    entry=$(grep "^$desktop_user:" "$root/etc/passwd" 2>/dev/null || true)
  else
    entry=$(getent passwd "$desktop_user" || true)
  fi
  [ -n "$entry" ] || die "there is no user '$desktop_user' (create the desktop session's user first)"
  home=$(echo "$entry" | cut -d: -f6)
  [ -n "$home" ] || die "user '$desktop_user' has no home folder"
  data_dir="$home/.local/share/asistencia"
  owner="$desktop_user"
else
  data_dir=/var/lib/asistencia
  home=$data_dir
  owner="$KIOSK_USER"
fi

echo "Installing the Asistencia bundle from $bundle${root:+ into the staging root $root}"

# --- The kiosk's system user ------------------------------------------------------------
if [ "$desktop" = no ]; then
  if [ "$staging" = no ] && getent passwd "$KIOSK_USER" >/dev/null; then
    echo "User $KIOSK_USER exists already."
  else
    # A system user: no password, no login shell, its home the data dir (not under /home).
    act useradd --system --user-group --home-dir /var/lib/asistencia --no-create-home \
      --shell /usr/sbin/nologin --comment "Asistencia kiosk" "$KIOSK_USER"
  fi
fi
# A desktop user reaches the GPU and input devices through its session; it needs the camera.
if [ "$desktop" = yes ]; then groups=video; else groups=$KIOSK_GROUPS; fi
for group in $groups; do
  if [ "$staging" = yes ]; then
    act usermod -a -G "$group" "$owner"
  elif getent group "$group" >/dev/null; then
    usermod -a -G "$group" "$owner"
  fi
done

# --- The data dir: faces, records and secrets, for the kiosk's user alone ----------------
mkdir -p "$root$data_dir"
chmod 0700 "$root$data_dir"
# -R fixes what an earlier run as root left behind; chown -R does not follow symlinks.
act chown -R "$owner:$owner" "$data_dir"
if [ "$desktop" = yes ]; then
  # The folders above it are the user's too (mkdir -p made them as root).
  for dir in "$home/.local" "$home/.local/share"; do act chown "$owner:$owner" "$dir"; done
fi

# --- The bundle: copied beside the current one, then swapped in by one rename ------------
mkdir -p "$bundles"
id=$(date -u +%Y%m%d-%H%M%S)-$$
incoming="$bundles/.incoming-$id"
trap 'rm -rf "$incoming" "$current.new-$$" "$bundles/previous.new-$$"' EXIT
cp -R "$bundle" "$incoming"
chmod -R u+rwX,go+rX,go-w "$incoming"
[ -x "$incoming/asistencia" ] || die "the copy in $incoming lost its executable; nothing was replaced"
mv "$incoming" "$bundles/$id"
# The kiosk's user runs the bundle but must not be able to change it.
act chown -R root:root "/opt/asistencia-bundles/$id"

# A real folder from a hand-made install becomes a bundle of its own (kept as the previous).
if [ -d "$current" ] && [ ! -L "$current" ]; then
  mv "$current" "$bundles/manual-$id"
  swap_link "$bundles/previous" "manual-$id"
fi
old=$(link_id "$current")

was_active=no
if unit_active; then
  was_active=yes
  echo "Stopping the running kiosk for the upgrade."
  systemctl stop "$UNIT_NAME"
fi
swap_link "$current" "asistencia-bundles/$id"
[ -z "$old" ] || swap_link "$bundles/previous" "$old"
echo "Bundle $id is now /opt/asistencia${old:+ (the previous one, $old, is kept for --rollback)}."

# Older bundles than the previous one are removed; the two kept are a rollback's choice.
keep_previous=$(link_id "$bundles/previous")
for dir in "$bundles"/*; do
  name=$(basename "$dir")
  # Only bundle folders: never a link (rm -r through one would empty its target).
  if [ ! -d "$dir" ] || [ -L "$dir" ]; then continue; fi
  case "$name" in "$id" | "$keep_previous" | installer) continue ;; esac
  rm -rf "$dir"
done

# These scripts travel with the installation, so uninstall and rollback need no checkout.
mkdir -p "$bundles/installer/linux" "$bundles/installer/systemd"
cp "$here/install.sh" "$here/uninstall.sh" "$here/$DESKTOP_NAME" "$bundles/installer/linux/"
cp "$here/../systemd/$UNIT_NAME" "$bundles/installer/systemd/"
chmod 0755 "$bundles/installer/linux/install.sh" "$bundles/installer/linux/uninstall.sh"
printf 'mode=%s\nuser=%s\ndata_dir=%s\n' \
  "$([ "$desktop" = yes ] && echo desktop || echo systemd)" "$owner" "$data_dir" >"$bundles/INSTALLED"

# --- Autostart: the systemd unit under cage, or the desktop session's entry ------------
if [ "$desktop" = no ]; then
  mkdir -p "$unit_dir"
  install -m 0644 "$unit_src" "$unit_dir/$UNIT_NAME"
  echo "Installed /etc/systemd/system/$UNIT_NAME."
  act systemctl daemon-reload
  if [ "$enable" = yes ]; then
    act systemctl enable "$UNIT_NAME"
    if [ "$staging" = no ] && [ "$(systemctl get-default)" != graphical.target ]; then
      echo "Note: the default boot target is $(systemctl get-default); the kiosk starts with graphical.target."
      echo "      Make it the default with: systemctl set-default graphical.target"
    fi
  else
    echo "Not enabled (--no-enable): start it with 'systemctl start asistencia-kiosk', enable it with 'systemctl enable asistencia-kiosk'."
  fi
else
  autostart="$home/.config/autostart"
  mkdir -p "$root$autostart"
  install -m 0644 "$desktop_src" "$root$autostart/$DESKTOP_NAME"
  act chown "$owner:$owner" "$home/.config" "$autostart" "$autostart/$DESKTOP_NAME"
  echo "Installed $autostart/$DESKTOP_NAME: the kiosk starts when $desktop_user's desktop session starts."
  # One kiosk per camera: a unit left by an earlier systemd install would fight for it.
  if [ -f "$unit_dir/$UNIT_NAME" ]; then
    act systemctl disable --now "$UNIT_NAME"
    rm -f "$unit_dir/$UNIT_NAME"
    act systemctl daemon-reload
    echo "Removed the systemd unit of an earlier install: the desktop session starts the kiosk now."
  fi
fi

# --- cage: checked, never a reason to undo the copy ------------------------------------
if [ "$desktop" = no ] && [ ! -x "$root/usr/bin/cage" ]; then
  echo "WARNING: cage is not installed, and the unit runs the kiosk under /usr/bin/cage." >&2
  echo "         Install it with: apt-get install cage" >&2
fi

# --- doctor, as the kiosk's user, on its data dir ---------------------------------------
# As that user, so what the first start creates in the data dir (the database, the first
# administrator's password file) belongs to it; a doctor run as root would leave root's files.
echo "Running the bundle's doctor..."
report=$(mktemp)
trap 'rm -rf "$incoming" "$current.new-$$" "$bundles/previous.new-$$" "$report"' EXIT
doctor_rc=0
if [ "$staging" = yes ]; then
  echo "  (staging) would run it as $owner; running it as $(id -un) on the staged data dir"
  ASISTENCIA_DATA_DIR="$root$data_dir" QT_QPA_PLATFORM=wayland \
    "$current/asistencia" doctor --json >"$report" || doctor_rc=$?
else
  # The unit's environment (Wayland under cage), or the desktop session's own choice.
  doctor_env=(HOME="$home" ASISTENCIA_DATA_DIR="$data_dir")
  [ "$desktop" = yes ] || doctor_env+=(QT_QPA_PLATFORM=wayland)
  (cd / && timeout 600 runuser -u "$owner" -- env "${doctor_env[@]}" /opt/asistencia/asistencia doctor --json) \
    >"$report" || doctor_rc=$?
fi
# The JSON is one field a line (json.dumps with an indent); the checks end where the
# settings begin. Every check that is not ok is printed with its fix.
problems=$(awk '
  /^  "settings":/ { exit }
  /^ *"name": /   { name = $0;   sub(/^ *"name": "/, "", name);   sub(/",?$/, "", name) }
  /^ *"status": / { status = $0; sub(/^ *"status": "/, "", status); sub(/",?$/, "", status) }
  /^ *"detail": / { detail = $0; sub(/^ *"detail": "/, "", detail); sub(/",?$/, "", detail) }
  /^ *"fix": / {
    fix = $0; sub(/^ *"fix": "/, "", fix); sub(/",?$/, "", fix)
    if (status != "ok") {
      line = "  " status " " name ": " detail
      if (fix != "") line = line " -> fix: " fix
      gsub(/\\"/, "\"", line)
      print line
    }
  }' "$report")
[ -z "$problems" ] || echo "$problems"
# runuser is util-linux's, always there; sudo is not on every minimal install.
command_line="runuser -u $owner -- env ASISTENCIA_DATA_DIR=$data_dir /opt/asistencia/asistencia doctor"
if grep -q '^  "healthy": true' "$report"; then
  echo "doctor: healthy${problems:+ (the warnings above do not stop the kiosk)}."
elif grep -q '^  "healthy": false' "$report"; then
  echo "doctor: NOT healthy: the kiosk will not work until the failures above are fixed (see again with: $command_line)." >&2
else
  echo "doctor: the bundle's doctor did not answer (exit status $doctor_rc): the bundle may not run on this machine; try: $command_line" >&2
fi

if [ "$desktop" = no ] && [ "$staging" = no ]; then
  if [ "$was_active" = yes ]; then
    systemctl start "$UNIT_NAME"
    echo "Started the kiosk again with the new bundle."
  elif [ "$enable" = yes ]; then
    echo "The kiosk starts at the next boot on tty1 (or now: systemctl start asistencia-kiosk; it takes over tty1)."
  fi
fi
echo "Data dir: $data_dir (owner $owner, mode 0700). Uninstall: $bundles/installer/linux/uninstall.sh"
