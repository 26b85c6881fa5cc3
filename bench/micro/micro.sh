# Sourced by the micro-benchmark scripts (message-log.sh, search.sh), from the repository's root: builds the server
# jar if missing, runs one of bench/micro/*.java against a copy of it and keeps its output in
# bench/results/<time>-<suffix>/: results.txt (the table lines), results.jsonl (its "json" lines) and README.md
# (when, where, the load average at start and end).
# Usage: micro SCRIPT-NAME RESULTS-SUFFIX TITLE CLASS-FILE DATA-DIR [args...]
. releng/scripts/env.sh
micro() {
  local name=$1 suffix=$2 title=$3 class=$4 data=$5; shift 5
  [ -f server/target/parley-server.jar ] || ./mvnw -B -q -ntp -o -DskipTests package -pl server -am
  # A copy: a rebuild of the server during the run must not change the classes under the running JVM.
  mkdir -p bench/target
  local jar="bench/target/$suffix-server.jar"
  cp server/target/parley-server.jar "$jar"
  local out
  out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$suffix"
  mkdir -p "$out"
  rm -rf "$data"
  {
    echo "# $title ($(date -u +%FT%TZ))"
    echo
    echo "Command: \`bench/micro/$name.sh ${*:-}\` (java -cp server/target/parley-server.jar $class)"
    echo "Machine: $(nproc) processors, $(uname -r), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "Git commit: $(git rev-parse --short HEAD) $(git diff --quiet -- server || echo '(server modified)')"
    echo "Data directory filesystem: $(df -T "$(dirname "$data")" | awk 'NR==2 {print $2}')"
  } > "$out/README.md"
  java -Xmx1g -cp "$jar" "$class" "$data" "$@" 2>/dev/null \
    | grep -E '^(#|json|[a-z])' | tee >(grep '^json' | cut -c6- > "$out/results.jsonl") | grep -v '^json' \
    > "$out/results.txt"
  echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/README.md"
  rm -rf "$data" "$jar"
  cat "$out/results.txt"
  echo "results in $out"
}
