#!/usr/bin/env bash
# Where the server's memory goes (issue 17): starts a server jar as bench/ab.sh does (the launch scripts' JVM
# options from releng/scripts/server-jvm.sh, -Xmx2g, pinned to CPU 0, the bench's light Argon2 and lifted limits)
# with Native Memory Tracking on, holds idle connections from generator processes (CPU 1, each --count accounts
# registered, logged in and resumed as in the idle scenario), and after the start and after each process writes
# what the process holds: its RSS (anonymous and file-backed), the JVM's own account of its native memory
# (NMT summary: heap, classes, threads, code cache, GC, ...), the heap's live objects (a class histogram, which
# forces a collection, so it is taken after the RSS), the heap's use and the thread count.
#
#   bench/memory.sh JAR [PROCS [COUNT]] [more generator arguments, e.g. --tls true]
#   e.g. bench/memory.sh server/target/parley-server.jar 7 2500          # the full idle scenario's 17,500
#        bench/memory.sh server/target/parley-server.jar 2 1000 --tls true
#
# Results: bench/results/<time>-memory/: results.md (one row per step: RSS, NMT committed by category, heap used
# after the histogram's collection, threads) and step-<connections>.txt with the full NMT summary, heap
# information, the 40 largest classes of the histogram and the thread names. MEMORY_JVM replaces the server's
# JVM options (default: PARLEY_SERVER_JVM_OPTS); MEMORY_SERVER_ARGS adds server flags; MEMORY_SETTLE=S adds a last
# step S seconds after the last one, the connections idle meanwhile (what is given back). NMT itself costs a few MiB
# (and malloc headers): compare RSS across runs of this script, not with bench/run.sh's.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. releng/scripts/env.sh >/dev/null
. releng/scripts/server-jvm.sh
jar=$1; procs=${2:-2}; count=${3:-1000}; shift $(( $# < 3 ? $# : 3 ))
[ -f bench/target/parley-bench.jar ] || ./mvnw -B -q -ntp -o -DskipTests package -pl bench -am
out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-memory"; mkdir -p "$out"
ulimit -n 20000
dir=$(mktemp -d /tmp/parley-memory.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
plain=--plaintext
case " $* " in *" --tls true "*) plain="" ;; esac
jvm="${MEMORY_JVM:-${PARLEY_SERVER_JVM_OPTS[*]}}"
gens=()
cleanup() {
  for p in "${gens[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${spid:-}" ] && { kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true; }
  rm -rf "$dir"
}
trap cleanup EXIT
# shellcheck disable=SC2086
taskset -c 0 java -Xmx2g $jvm -XX:NativeMemoryTracking=summary -Xlog:gc:file="$root/$out/gc.log":uptime,tags \
  -jar "$jar" $plain --host 127.0.0.1 --port "$port" --data-dir "$dir" --argon2-memory-kib 256 \
  --argon2-iterations 1 --registration open --requests-per-second 1000000 --request-burst 1000000 \
  --idle-timeout-seconds 86400 --login-checks-per-address 1000000 --login-max-pending-checks 1000000 \
  --login-account-free-failures 1000 --login-account-lock-failures 1000000 --login-address-free-failures 1000 \
  --login-address-lock-failures 1000000 --max-unauthenticated-per-address 1000000 \
  --costly-requests-per-second 1000000 --costly-request-burst 1000000 ${MEMORY_SERVER_ARGS:-} \
  > "$dir/server.log" 2>&1 &
spid=$!
for _ in $(seq 1 240); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.5; done
echo "server $spid on $port; JVM options: $jvm ${MEMORY_SERVER_ARGS:-}" | tee "$out/README.md" >&2
kib() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$spid/status"; }
nmt() { # committed KiB of NMT category $2 in the summary $1 (0 when absent)
  local v
  v=$(grep -E "^- +$2 \\(" "$1" | head -1 | sed -E 's/.*committed=([0-9]+)KB.*/\1/')
  echo "${v:-0}"
}
printf '| connections | RSS MiB | anon MiB | file MiB | heap committed | heap used after GC | class | thread | code | gc | internal+other | symbol | malloc total | NMT total | threads | load |\n' > "$out/results.md"
printf '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n' >> "$out/results.md"
step() { # connections
  local f="$out/step-$1.txt" rss anon file threads nmtf="$dir/nmt.txt" used
  sleep 3
  rss=$(kib VmRSS); anon=$(kib RssAnon); file=$(kib RssFile); threads=$(kib Threads)
  jcmd "$spid" VM.native_memory summary > "$nmtf" 2>&1 || true
  { echo "# $1 connections; VmRSS $rss KiB, RssAnon $anon KiB, RssFile $file KiB, threads $threads, load $(cut -d' ' -f1 /proc/loadavg)"
    echo; echo "## NMT summary (before the histogram's collection)"; cat "$nmtf"
    echo; echo "## GC.class_histogram (live objects, after a collection), 40 largest"
    jcmd "$spid" GC.class_histogram > "$out/histogram-$1.txt" 2>&1 || true
    head -44 "$out/histogram-$1.txt"
    echo; echo "## GC.heap_info (after it)"; jcmd "$spid" GC.heap_info 2>&1
    echo; echo "## threads"; ls "/proc/$spid/task" | while read -r t; do cat "/proc/$spid/task/$t/comm"; done | sort | uniq -c | sort -rn
  } > "$f"
  used=$(awk '/used [0-9]+M/ {for (i = 1; i <= NF; i++) if ($i == "used") {print $(i + 1); exit}}' "$f")
  printf '| %s | %d | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" $((rss / 1024)) \
    $((anon / 1024)) $((file / 1024)) "$(( $(nmt "$nmtf" 'Java Heap') / 1024 ))" "${used:-?}" \
    "$(( $(nmt "$nmtf" Class) / 1024 ))" "$(( $(nmt "$nmtf" Thread) / 1024 ))" "$(( $(nmt "$nmtf" Code) / 1024 ))" \
    "$(( $(nmt "$nmtf" GC) / 1024 ))" "$(( ($(nmt "$nmtf" Internal) + $(nmt "$nmtf" Other)) / 1024 ))" \
    "$(( $(nmt "$nmtf" Symbol) / 1024 ))" "$(sed -nE 's/^ *malloc: ([0-9]+)KB.*/\1/p' "$nmtf" | head -1 | awk '{print int($1 / 1024)}')" \
    "$(sed -nE 's/^Total: .*committed=([0-9]+)KB.*/\1/p' "$nmtf" | awk '{print int($1 / 1024)}')" \
    "$threads" "$(cut -d' ' -f1 /proc/loadavg)" >> "$out/results.md"
  echo "step $1: RSS $((rss / 1024)) MiB" >&2
}
step 0
n=0
for i in $(seq 1 "$procs"); do
  log="$dir/gen-$i.log"
  # shellcheck disable=SC2086
  taskset -c 1 java -XX:+UseZGC -Xmx768m -Xss256k -jar bench/target/parley-bench.jar --target parley \
    --port "$port" --server-pids "$spid" --variant memory --scenario idle --count "$count" --resumes true \
    --prefix "m$i$RANDOM" --out "$root/$out/results.jsonl" "$@" 2> "$log" > /dev/null &
  gens+=("$!")
  for _ in $(seq 1 2400); do grep -q READY "$log" && break; kill -0 "${gens[-1]}" 2>/dev/null || break; sleep 0.5; done
  grep -q READY "$log" || { echo "generator $i did not get ready:" >&2; tail -5 "$log" >&2; break; }
  n=$((n + count))
  step "$n"
done
# MEMORY_SETTLE=S: one step more after the last, S seconds later with the connections idle (the last step's
# histogram collected the heap just before): what the process gives back once the logins are over (ZGC uncommits
# heap unused for ZUncommitDelay, 300 s by default).
if [ -n "${MEMORY_SETTLE:-}" ] && [ "$n" -gt 0 ]; then
  sleep "$MEMORY_SETTLE"
  step "$n+${MEMORY_SETTLE}s"
fi
gzip -c "$dir/server.log" > "$out/server.log.gz"
# What each connection added, by class: the live bytes of the last step's histogram less the start's, divided by
# the connections (the classes that grew most; a connection's own objects and what the server keeps per user).
if [ "$n" -gt 0 ]; then
  { echo; echo "Live heap added per connection, by class (histogram at $n connections less the one at the start):"
    echo; echo "| class | instances per connection | bytes per connection |"; echo "| --- | --- | --- |"
    awk -v n="$n" 'FNR == 1 {f++} $1 ~ /^[0-9]+:$/ {k = $4; if (f == 1) {c0[k] = $2; b0[k] = $3} else {c1[k] = $2; b1[k] = $3}}
      END {for (k in b1) {d = b1[k] - b0[k]; if (d > 0) printf "%d %s %.2f\n", d, k, (c1[k] - c0[k]) / n}
           }' "$out/histogram-0.txt" "$out/histogram-$n.txt" | sort -rn | head -30 |
      awk -v n="$n" '{total += $1; printf "| `%s` | %s | %.0f |\n", $2, $3, $1 / n}'
    awk -v n="$n" 'FNR == 1 {f++} /^Total/ {t[f] = $3} END {printf "\nAll classes: %.0f bytes per connection.\n", (t[2] - t[1]) / n}' \
      "$out/histogram-0.txt" "$out/histogram-$n.txt"
  } >> "$out/results.md"
fi
cat "$out/results.md"
echo "results: $out" >&2
