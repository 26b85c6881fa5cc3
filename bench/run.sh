#!/usr/bin/env bash
# Parley benchmark (Parley alone for now; ejabberd and Prosody come with issue 5's harness).
#   bench/run.sh quick   a few small steps (about a minute)
#   bench/run.sh full    more pairs and higher rates
# Builds the server and the load generator, starts a plaintext server on loopback (light Argon2 parameters so that
# provisioning accounts is fast; rate limits raised), pins the server to CPU 0 and the generator to CPU 1 when
# taskset is available, and appends one JSON line per step to bench/results/<date>.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
. releng/scripts/env.sh
mode="${1:-quick}"

./mvnw -B -q -ntp -DskipTests package -pl server,bench -am
mkdir -p bench/results
out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$mode.jsonl"
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pin() { if command -v taskset >/dev/null; then taskset -c "$1" "${@:2}"; else "${@:2}"; fi; }

pin 0 java -Xmx2g -jar server/target/parley-server.jar --plaintext --host 127.0.0.1 --port "$port" \
  --data-dir "$data" --argon2-memory-kib 256 --argon2-iterations 1 --requests-per-second 1000000 \
  --request-burst 1000000 ${PARLEY_BENCH_SERVER_ARGS:-} > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 60); do grep -q "listening on" "$data/server.log" && break; sleep 0.5; done

case "$mode" in
  quick) steps="20:50 50:100 100:100" ;;      # pairs:rate-per-sender
  full) steps="100:100 200:100 400:100 800:100 1000:200" ;;
  *) echo "usage: bench/run.sh quick|full" >&2; exit 2 ;;
esac
for step in $steps; do
  pin 1 java -Xmx2g -jar bench/target/parley-bench.jar --port "$port" --pairs "${step%%:*}" \
    --rate "${step##*:}" --seconds 10 --out "$out"
done
echo "results: $out"
