#!/usr/bin/env bash
# Runs bench/micro/SearchMillion.java (search over 1,000,000 messages, issue 13: p50/p99 wall and CPU time per
# query, newest first, for a rare word, a word every message has and its prefix) against the LuceneMessageIndex in
# server/target/parley-server.jar (built if missing: rebuild it after changing the index) and keeps its output in
# bench/results/<time>-search-micro/: results.txt, results.jsonl (one JSON line per kind) and README.md.
# Usage: bench/micro/search.sh [messages]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
. releng/scripts/env.sh
[ -f server/target/parley-server.jar ] || ./mvnw -B -q -ntp -o -DskipTests package -pl server -am
# A copy: a rebuild of the server during the run must not change the classes under the running JVM.
mkdir -p bench/target
jar=bench/target/search-micro-server.jar
cp server/target/parley-server.jar "$jar"
out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-search-micro"
mkdir -p "$out"
data="bench/target/search-micro"   # the index, on the build's disk
rm -rf "$data"
{
  echo "# Search over 1,000,000 messages (issue 13) ($(date -u +%FT%TZ))"
  echo
  echo "Command: \`bench/micro/search.sh ${*:-}\` (java -cp server/target/parley-server.jar bench/micro/SearchMillion.java)"
  echo "Machine: $(nproc) processors, $(uname -r), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "Git commit: $(git rev-parse --short HEAD) $(git diff --quiet -- server || echo '(server modified)')"
  echo "Data directory filesystem: $(df -T "$(dirname "$data")" | awk 'NR==2 {print $2}')"
} > "$out/README.md"
java -Xmx1g -cp "$jar" bench/micro/SearchMillion.java "$data" "$@" 2>/dev/null \
  | grep -E '^(#|json|[a-z])' | tee >(grep '^json' | cut -c6- > "$out/results.jsonl") | grep -v '^json' \
  > "$out/results.txt"
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/README.md"
rm -rf "$data" "$jar"
cat "$out/results.txt"
echo "results in $out"
