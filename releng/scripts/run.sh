#!/usr/bin/env bash
# Runs Parley on this machine: builds what is needed, starts the server on the embedded H2 default (data in
# ./parley-data, port 7443, TLS with a self-signed certificate made on first start) and one desktop client.
# The server stops when that client ends (Parley > Quit, or closing its window); signing out does not end the
# client (it returns to the sign-in dialog), so the server serves on. Without a display, only the server runs
# (Ctrl+C stops it). Builds only when a tracked source or pom is newer than the build's outputs.
# A second client, to chat with the first: releng/scripts/client.sh --profile bob
# Server options go after --server, e.g.: releng/scripts/run.sh --server --port 7500
# The server runs with --registration open (anyone who reaches the port may sign up, as the login dialog does):
# a demo on one machine. A server started on its own defaults to invitations (docs/operations.md); here
# --server --registration invite gives that.
set -euo pipefail
cd "$(dirname "$0")/../.."
. releng/scripts/env.sh
. releng/scripts/system-packages.sh
. releng/scripts/server-jvm.sh

server_args=(--registration open)
if [ "${1:-}" = "--server" ]; then shift; server_args+=("$@"); fi

. releng/scripts/built.sh

if ! parley_built; then
  echo "Building Parley (the first build downloads its dependencies from Maven Central; a few minutes)..." >&2
  ./mvnw -B -q -ntp -DskipTests verify
fi

data="${PARLEY_DATA:-parley-data}"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: starting only the server. Start a client on a desktop with releng/scripts/client.sh." >&2
  exec java "${PARLEY_SERVER_JVM_OPTS[@]}" -jar "$jar" --data-dir "$data" ${server_args[@]+"${server_args[@]}"}
fi
parley_need_packages "for the desktop client" /usr/lib/x86_64-linux-gnu/libgtk-3.so.0:libgtk-3-0
parley_need_packages "for pictures, videos and audio in the client" "${PARLEY_MEDIA_PACKAGES[@]}"

mkdir -p "$data"
java "${PARLEY_SERVER_JVM_OPTS[@]}" -jar "$jar" --data-dir "$data" ${server_args[@]+"${server_args[@]}"} > "$data/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null' EXIT
for _ in $(seq 1 60); do
  grep -q "listening on" "$data/server.log" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$data/server.log" >&2; exit 1; }
  sleep 0.5
done
grep "listening on" "$data/server.log" >&2 || true
echo "Server log: $data/server.log. Starting the client; sign in or create an account on localhost:7443." >&2
releng/scripts/client.sh
