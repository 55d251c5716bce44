#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs one AT-SPI end-to-end test the way E2E.md describes: an X display
# (its own Xvfb unless one is given), a private D-Bus session with the
# accessibility bus, and a throwaway home so that neither dconf nor the
# database touch the real user's files.
#
# Usage: run-e2e.sh PQS_DESK TEST_SCRIPT OUTPUT_DIR
set -eu

if [ $# -ne 3 ]; then
  echo "usage: $0 PQS_DESK TEST_SCRIPT OUTPUT_DIR" >&2
  exit 2
fi

if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pqs-e2e-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/home" "$work/config" "$work/data" "$work/cache" "$work/runtime" "$3"
chmod 700 "$work/runtime"

export HOME="$work/home"
export XDG_CONFIG_HOME="$work/config"
export XDG_DATA_HOME="$work/data"
export XDG_CACHE_HOME="$work/cache"
export XDG_RUNTIME_DIR="$work/runtime"
export PQS_E2E_APP="$1"
export PQS_E2E_OUTPUT_DIR="$3"
export PQS_DB="$work/data/pqs-desk/pqs.db"
export NO_AT_BRIDGE=0
unset DBUS_SESSION_BUS_ADDRESS GSETTINGS_BACKEND

dbus-run-session -- sh -c '
  gsettings set org.gnome.desktop.interface toolkit-accessibility true
  /usr/libexec/at-spi-bus-launcher --launch-immediately &
  launcher=$!
  sleep 1
  status=0
  /usr/bin/python3 "$1" || status=$?
  kill "$launcher" 2>/dev/null || true
  exit "$status"' sh "$2"
