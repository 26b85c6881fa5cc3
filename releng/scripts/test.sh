#!/usr/bin/env bash
# Runs every Parley test: protocol, server (real MINA server on loopback, real H2 and PostgreSQL), client core against a real
# server, and the UI tests under a virtual X display. Installs the system packages the tests need on Debian.
# Extra arguments go to Maven (for example: -o, or -pl server -am).
set -euo pipefail
cd "$(dirname "$0")/../.."
. releng/scripts/env.sh
. releng/scripts/system-packages.sh

# The UI tests run the real workbench: they need an X display (Xvfb when there is none) and GTK.
parley_need_packages "for the UI tests" Xvfb:xvfb /usr/lib/x86_64-linux-gnu/libgtk-3.so.0:libgtk-3-0 \
  xwininfo:x11-utils xwd:x11-apps
parley_need_packages "for the media viewer's tests" "${PARLEY_MEDIA_PACKAGES[@]}"
# The storage contract and the *OnPostgresqlIT tests start a real PostgreSQL server (PostgresExtension).
parley_need_packages "for the PostgreSQL storage tests" "${PARLEY_POSTGRESQL_PACKAGES[@]}"
parley_need_packages "for the tests of several server nodes" "${PARLEY_CLUSTER_PACKAGES[@]}"

xvfb_pid=""
cleanup() { [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true; }
trap cleanup EXIT
if [ -z "${DISPLAY:-}" ]; then
  for n in $(seq 90 120); do
    [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] && continue
    Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb_pid=$!
    export DISPLAY=":$n"
    break
  done
  sleep 1
fi

./mvnw -B -ntp verify "$@"
