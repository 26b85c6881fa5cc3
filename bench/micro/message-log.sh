#!/usr/bin/env bash
# Runs bench/micro/MessageLogOptions.java (the message log's write-path options, CPU time per message and per
# fsync) and keeps its output in bench/results/<time>-message-log/: results.txt (the table lines), results.jsonl
# (one JSON line per variant and batch size) and README.md (when, where, the load average).
# Usage: bench/micro/message-log.sh [variants] [batch sizes] [scale]   (defaults: all six, 1,10,100,1000, 1)
set -euo pipefail
cd "$(dirname "$0")/../.."
. releng/scripts/env.sh
[ -f server/target/parley-server.jar ] || ./mvnw -B -q -ntp -DskipTests package -pl server -am
# A copy: a rebuild of the server during the run must not change the classes under the running JVM.
jar=bench/target/message-log-server.jar
cp server/target/parley-server.jar "$jar"
out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-message-log"
mkdir -p "$out"
data="bench/target/message-log"   # on the build's disk: fsync must reach a real device (not tmpfs)
rm -rf "$data"
{
  echo "# Message-log write-path options ($(date -u +%FT%TZ))"
  echo
  echo "Command: \`bench/micro/message-log.sh ${*:-}\` (java -cp server/target/parley-server.jar bench/micro/MessageLogOptions.java)"
  echo "Machine: $(nproc) processors, $(uname -r), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "Data directory filesystem: $(df -T "$(dirname "$data")" | awk 'NR==2 {print $2}')"
} > "$out/README.md"
java -Xmx1g -cp "$jar" bench/micro/MessageLogOptions.java "$data" "$@" 2>/dev/null \
  | grep -E '^(#|json|[a-z])' | tee >(grep '^json' | cut -c6- > "$out/results.jsonl") | grep -v '^json' \
  > "$out/results.txt"
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/README.md"
rm -rf "$data" "$jar"
cat "$out/results.txt"
echo "results in $out"
